import Foundation
import PSENet
import PSEStore
import X509
import XCTest

/// A throw-away PKI made with `openssl` in a test's temporary folder: root → intermediate → leaf,
/// each server of a test with its own.
struct TestPKI {
    let directory: URL
    let name: String

    var rootCertificate: URL { file("root.pem") }
    var rootKey: URL { file("root.key") }
    var intermediateCertificate: URL { file("intermediate.pem") }
    var intermediateKey: URL { file("intermediate.key") }
    var leafCertificate: URL { file("leaf.pem") }
    var leafKey: URL { file("leaf.key") }
    /// leaf + intermediate, as a server sends it.
    var serverChain: URL { file("chain.pem") }

    var rootSubject: String { "CN=\(name) Root CA,O=psekit tests" }
    var intermediateSubject: String { "CN=\(name) Intermediate CA,O=psekit tests" }

    func file(_ component: String) -> URL { directory.appendingPathComponent(component) }

    /// - Parameters:
    ///   - leafNames: the leaf's subjectAltName entries.
    ///   - leafExpired: issue the leaf with a validity that ended yesterday.
    init(in parent: URL, name: String, leafNames: String = "IP:127.0.0.1,DNS:localhost",
         leafExpired: Bool = false) throws {
        directory = parent.appendingPathComponent(name)
        self.name = name
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let caExtensions = file("ca.ext"), leafExtensions = file("leaf.ext")
        try "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n"
            .write(to: caExtensions, atomically: true, encoding: .utf8)
        try "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=\(leafNames)\n"
            .write(to: leafExtensions, atomically: true, encoding: .utf8)
        try ExternalTools.openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", rootKey.path,
                                   "-out", rootCertificate.path, "-days", "30", "-subj", "/O=psekit tests/CN=\(name) Root CA",
                                   "-addext", "basicConstraints=critical,CA:TRUE",
                                   "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        try Self.issue(in: directory, subject: "/O=psekit tests/CN=\(name) Intermediate CA", key: intermediateKey,
                       certificate: intermediateCertificate, issuer: rootCertificate, issuerKey: rootKey,
                       extensions: caExtensions, days: "30")
        try Self.issue(in: directory, subject: "/O=psekit tests/CN=\(name) Server", key: leafKey,
                       certificate: leafCertificate, issuer: intermediateCertificate, issuerKey: intermediateKey,
                       extensions: leafExtensions, days: leafExpired ? "-1" : "30")
        let chain = try String(contentsOf: leafCertificate, encoding: .utf8)
            + String(contentsOf: intermediateCertificate, encoding: .utf8)
        try chain.write(to: serverChain, atomically: true, encoding: .utf8)
    }

    /// A client certificate (own key) issued by this PKI's intermediate; returns (certificate, key) files.
    func issueClient(_ commonName: String) throws -> (certificate: URL, key: URL) {
        let certificate = file("\(commonName).pem"), key = file("\(commonName).key")
        let extensions = file("client.ext")
        try "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n"
            .write(to: extensions, atomically: true, encoding: .utf8)
        try Self.issue(in: directory, subject: "/O=psekit tests/CN=\(commonName)", key: key, certificate: certificate,
                       issuer: intermediateCertificate, issuerKey: intermediateKey, extensions: extensions, days: "30")
        return (certificate, key)
    }

    private static func issue(in directory: URL, subject: String, key: URL, certificate: URL, issuer: URL,
                              issuerKey: URL, extensions: URL, days: String) throws {
        let request = directory.appendingPathComponent(UUID().uuidString + ".csr")
        try ExternalTools.openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key.path,
                                   "-out", request.path, "-subj", subject])
        try ExternalTools.openssl(["x509", "-req", "-in", request.path, "-CA", issuer.path, "-CAkey", issuerKey.path,
                                   "-CAcreateserial", "-days", days, "-extfile", extensions.path, "-out", certificate.path])
    }

    static func certificates(_ url: URL) throws -> [Certificate] {
        try CertificateFileReader.certificates(atPath: url.path)
    }

    /// A client identity from PEM certificate and key files (key converted to PKCS#8 DER by openssl).
    static func identity(certificate: URL, key: URL, extraChain: [URL] = []) throws -> ClientIdentity {
        let der = try ExternalTools.openssl(["pkcs8", "-topk8", "-nocrypt", "-in", key.path, "-outform", "DER"]).stdout
        let chain = try ([certificate] + extraChain).flatMap { try certificates($0) }
        return try ClientIdentity(certificateChain: chain, privateKeyDER: der)
    }
}

/// `openssl s_server` on a free port of 127.0.0.1, stopped at the end of the test.
final class OpenSSLTestServer {
    let process = Process()
    private(set) var port = 0

    /// Starts `openssl s_server -accept 127.0.0.1:0 -www -quiet` plus `arguments`; waits for its port.
    init(_ testCase: XCTestCase, directory: URL, arguments: [String]) throws {
        let log = directory.appendingPathComponent("s_server-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "s_server", "-accept", "127.0.0.1:0", "-www"] + arguments
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let process = self.process
        testCase.addTeardownBlock {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT") }),
               let portText = line.split(separator: ":").last, let port = Int(portText) {
                self.port = port
                return
            }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        XCTFail("openssl s_server did not start: \(text)")
        throw CocoaError(.executableLoad)
    }

    var url: String { "https://127.0.0.1:\(port)/" }
    var endpoint: ServerEndpoint { ServerEndpoint(host: "127.0.0.1", port: port) }

    /// Arguments that serve the leaf with the intermediate.
    static func serving(_ pki: TestPKI, sendIntermediate: Bool = true) -> [String] {
        var arguments = ["-cert", pki.leafCertificate.path, "-key", pki.leafKey.path]
        if sendIntermediate { arguments += ["-cert_chain", pki.intermediateCertificate.path] }
        return arguments
    }
}

/// Checks the generated PKI itself, so a broken fixture shows up here and not as a puzzling
/// network failure elsewhere.
final class PSENetTestPKITests: XCTestCase {
    func testGeneratedChainVerifiesWithOpenSSL() throws {
        let pki = try TestPKI(in: try ExternalTools.temporaryDirectory(self), name: "Fixture")
        let result = try ExternalTools.openssl(["verify", "-CAfile", pki.rootCertificate.path,
                                                "-untrusted", pki.intermediateCertificate.path, pki.leafCertificate.path])
        XCTAssertTrue(result.out.contains("OK"), result.out)
        let leaf = try XCTUnwrap(TestPKI.certificates(pki.leafCertificate).first)
        XCTAssertTrue(ServerIdentity.matches(leaf, host: "127.0.0.1"))
        XCTAssertTrue(ServerIdentity.matches(leaf, host: "LOCALHOST"))
        XCTAssertFalse(ServerIdentity.matches(leaf, host: "127.0.0.2"))
        XCTAssertEqual(ServerIdentity.names(in: leaf), ["IP:127.0.0.1", "DNS:localhost"])
    }

    func testExpiredLeafFixtureHasEnded() throws {
        let pki = try TestPKI(in: try ExternalTools.temporaryDirectory(self), name: "Old", leafExpired: true)
        let leaf = try XCTUnwrap(TestPKI.certificates(pki.leafCertificate).first)
        XCTAssertLessThan(leaf.notValidAfter, Date())
    }
}
