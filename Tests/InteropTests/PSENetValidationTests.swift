import Foundation
import PSENet
import X509
import XCTest

/// RFC 5280 path validation of `ConnectionCheck` against real servers on 127.0.0.1
/// (`openssl s_server` and the Python peer `scripts/test-peers/https_peer.py`), with chains
/// that openssl makes and `openssl verify` would refuse.
final class PSENetValidationTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try ExternalTools.temporaryDirectory(self)
    }

    private func serve(leaf: CustomPKI.Issued, chain: [CustomPKI.Issued]) throws -> OpenSSLTestServer {
        var arguments = ["-cert", leaf.certificate.path, "-key", leaf.key.path]
        if !chain.isEmpty {
            let chainFile = directory.appendingPathComponent("chain-\(UUID().uuidString).pem")
            try chain.map { try String(contentsOf: $0.certificate, encoding: .utf8) }.joined()
                .write(to: chainFile, atomically: true, encoding: .utf8)
            arguments += ["-cert_chain", chainFile.path]
        }
        return try OpenSSLTestServer(self, directory: directory, arguments: arguments)
    }

    private func invalidChainReason(_ diagnosis: ConnectionDiagnosis?, file: StaticString = #filePath, line: UInt = #line) -> String {
        guard case .invalidChain(let reason)? = diagnosis else {
            XCTFail("expected an invalid chain, got \(String(describing: diagnosis))", file: file, line: line)
            return ""
        }
        XCTAssertEqual(diagnosis?.name, "invalid-chain", file: file, line: line)
        return reason
    }

    // MARK: refused

    /// The issue's reproducer: a server certificate issued by an end-entity certificate of a trusted CA.
    func testIssuerThatIsNotACAIsRefused() throws {
        let pki = CustomPKI(directory: directory)
        let root = try pki.root("Root")
        let endEntity = try pki.issue("End Entity", by: root, extensions: "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyCertSign\n")
        let leaf = try pki.issue("localhost", by: endEntity, extensions: CustomPKI.serverExtensions())
        let server = try serve(leaf: leaf, chain: [endEntity])
        let openssl = try ExternalTools.run("openssl", ["verify", "-CAfile", root.certificate.path, "-untrusted", endEntity.certificate.path, leaf.certificate.path])
        XCTAssertNotEqual(openssl.status, 0, "the fixture must be refused by openssl too")
        let reason = invalidChainReason(diagnosis(of: ConnectionCheck(endpoint: server.endpoint, trustedCertificates: [try root.parsed()])))
        XCTAssertTrue(reason.contains("CN=End Entity") && reason.contains("CA:FALSE"), reason)
    }

    func testIssuerWithoutBasicConstraintsIsRefused() throws {
        let pki = CustomPKI(directory: directory)
        let root = try pki.root("Root")
        let issuer = try pki.issue("No Constraints CA", by: root, extensions: "keyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n")
        let leaf = try pki.issue("localhost", by: issuer, extensions: CustomPKI.serverExtensions())
        let server = try serve(leaf: leaf, chain: [issuer])
        let reason = invalidChainReason(diagnosis(of: ConnectionCheck(endpoint: server.endpoint, trustedCertificates: [try root.parsed()])))
        XCTAssertTrue(reason.contains("CN=No Constraints CA") && reason.contains("no basicConstraints"), reason)
    }

    func testViolatedPathLengthIsRefused() throws {
        let pki = CustomPKI(directory: directory)
        let root = try pki.root("Root")
        let first = try pki.issue("Level One CA", by: root, extensions: "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n")
        let second = try pki.issue("Level Two CA", by: first, extensions: CustomPKI.caExtensions)
        let leaf = try pki.issue("localhost", by: second, extensions: CustomPKI.serverExtensions())
        let server = try serve(leaf: leaf, chain: [second, first])
        let reason = invalidChainReason(diagnosis(of: ConnectionCheck(endpoint: server.endpoint, trustedCertificates: [try root.parsed()])))
        XCTAssertTrue(reason.contains("CN=Level One CA") && reason.contains("pathLenConstraint"), reason)
    }

    func testExpiredIntermediateIsRefused() throws {
        let pki = CustomPKI(directory: directory)
        let root = try pki.root("Root")
        let intermediate = try pki.issue("Old Intermediate CA", by: root, extensions: CustomPKI.caExtensions, days: "-1")
        let leaf = try pki.issue("localhost", by: intermediate, extensions: CustomPKI.serverExtensions())
        let server = try serve(leaf: leaf, chain: [intermediate])
        let expired = try intermediate.parsed()
        XCTAssertEqual(diagnosis(of: ConnectionCheck(endpoint: server.endpoint, trustedCertificates: [try root.parsed()])),
                       .certificateExpired(subject: expired.subject, notValidAfter: expired.notValidAfter))
    }

    func testNameConstraintViolationIsRefused() throws {
        let pki = CustomPKI(directory: directory)
        let root = try pki.root("Root")
        let constrained = try pki.issue("Example Only CA", by: root, extensions: CustomPKI.caExtensions + "nameConstraints=critical,permitted;DNS:example.com\n")
        let leaf = try pki.issue("localhost", by: constrained, extensions: CustomPKI.serverExtensions())
        let server = try serve(leaf: leaf, chain: [constrained])
        let reason = invalidChainReason(diagnosis(of: ConnectionCheck(endpoint: server.endpoint, trustedCertificates: [try root.parsed()])))
        XCTAssertTrue(reason.contains("name constraints") && reason.contains("CN=Example Only CA"), reason)
    }

    func testServerCertificateWithoutTheServersNameIsRefused() throws {
        let pki = CustomPKI(directory: directory)
        let root = try pki.root("Root")
        let leaf = try pki.issue("elsewhere", by: root, extensions: CustomPKI.serverExtensions(names: "DNS:elsewhere.example"))
        let server = try serve(leaf: leaf, chain: [])
        let diagnosis = diagnosis(of: ConnectionCheck(endpoint: server.endpoint, trustedCertificates: [try root.parsed()]))
        XCTAssertEqual(diagnosis, .hostNameMismatch(host: "127.0.0.1", certificateNames: ["DNS:elsewhere.example"]))
        XCTAssertEqual(diagnosis?.name, "host-name-mismatch")
    }

    func testLeafWithoutServerAuthIsRefused() throws {
        let pki = CustomPKI(directory: directory)
        let root = try pki.root("Root")
        let leaf = try pki.issue("client only", by: root, extensions: CustomPKI.serverExtensions(usage: "clientAuth"))
        let server = try serve(leaf: leaf, chain: [])
        let diagnosis = diagnosis(of: ConnectionCheck(endpoint: server.endpoint, trustedCertificates: [try root.parsed()]))
        XCTAssertEqual(diagnosis, .notForServerAuthentication(subject: try leaf.parsed().subject, usages: ["clientAuth"]))
        XCTAssertEqual(diagnosis?.name, "not-for-server-authentication")
        XCTAssertTrue(diagnosis!.cause.contains("excludes serverAuth"), diagnosis!.cause)
    }

    /// The man in the middle: its own self-signed 1024-bit certificate (it holds that key), then
    /// the genuine server's leaf and intermediate. The check must fail before any request is sent.
    func testUnreadableLeafBeforeAGenuineChainGetsNoCredentials() throws {
        let pki = try TestPKI(in: directory, name: "Genuine")
        let mitmKey = directory.appendingPathComponent("mitm.key"), mitmCertificate = directory.appendingPathComponent("mitm.pem")
        try ExternalTools.openssl(["req", "-x509", "-newkey", "rsa:1024", "-nodes", "-keyout", mitmKey.path, "-out", mitmCertificate.path,
                                   "-days", "30", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"])
        let presented = directory.appendingPathComponent("mitm-chain.pem")
        try [mitmCertificate, pki.leafCertificate, pki.intermediateCertificate]
            .map { try String(contentsOf: $0, encoding: .utf8) }.joined().write(to: presented, atomically: true, encoding: .utf8)
        let record = directory.appendingPathComponent("mitm-requests.log")
        let peer = try PythonHTTPSPeer(self, arguments: ["--cert", presented.path, "--key", mitmKey.path, "--seclevel0",
                                                         "--record", record.path])
        let check = ConnectionCheck(endpoint: peer.endpoint, trustedCertificates: try TestPKI.certificates(pki.rootCertificate),
                                    credentials: BasicCredentials(user: "alice", password: "s3cret"))
        let diagnosis = diagnosis(of: check)
        guard case .unreadableServerCertificate(let position, let reason, _)? = diagnosis else {
            return XCTFail("expected an unreadable server certificate, got \(String(describing: diagnosis))")
        }
        XCTAssertEqual(position, 1)
        XCTAssertFalse(reason.isEmpty)
        XCTAssertEqual(diagnosis?.name, "unreadable-server-certificate")
        let received = (try? String(contentsOf: record, encoding: .utf8)) ?? ""
        XCTAssertFalse(received.contains("Authorization"), received)
        XCTAssertFalse(received.contains("GET"), received)

        // The probe `trust` uses shows all three certificates, the unreadable one included.
        let sent = try TLSProbe.presentedCertificates(of: peer.endpoint)
        XCTAssertEqual(sent.count, 3)
        XCTAssertNil(sent[0].certificate)
        XCTAssertEqual(sent[1].certificate, try TestPKI.certificates(pki.leafCertificate)[0])
    }

    // MARK: accepted

    func testCorrectChainWildcardAndIPAddressAreAccepted() throws {
        let pki = CustomPKI(directory: directory)
        let root = try pki.root("Root")
        let intermediate = try pki.issue("Intermediate CA", by: root, extensions: CustomPKI.caExtensions)
        let leaf = try pki.issue("wildcard", by: intermediate,
                                 extensions: CustomPKI.serverExtensions(names: "DNS:*.example.test,IP:127.0.0.1"))
        let server = try serve(leaf: leaf, chain: [intermediate])
        let trusted = [try root.parsed()]

        let byIP = try ConnectionCheck(endpoint: server.endpoint, trustedCertificates: trusted).run()
        XCTAssertEqual(byIP.response.statusCode, 200)
        XCTAssertEqual(byIP.trustedPath.count, 3)

        var wildcard = ServerEndpoint(host: "api.example.test", port: server.port)
        wildcard.connectAddress = "127.0.0.1"
        XCTAssertEqual(try ConnectionCheck(endpoint: wildcard, trustedCertificates: trusted).run().response.statusCode, 200)

        var tooDeep = ServerEndpoint(host: "a.api.example.test", port: server.port)
        tooDeep.connectAddress = "127.0.0.1"
        guard case .hostNameMismatch? = diagnosis(of: ConnectionCheck(endpoint: tooDeep, trustedCertificates: trusted)) else {
            return XCTFail("a wildcard covers one label only")
        }
        // The intermediate alone in the trusted list is an anchor too (as SAP's library treats it).
        XCTAssertEqual(try ConnectionCheck(endpoint: server.endpoint, trustedCertificates: [try intermediate.parsed()]).run().response.statusCode, 200)
    }

    // MARK: after the handshake

    func testHTTPErrorsEachHaveTheirOwnDiagnosis() throws {
        let pki = try TestPKI(in: directory, name: "Status")
        let trusted = try TestPKI.certificates(pki.rootCertificate)
        var causes: Set<String> = []
        for (status, name) in [(401, "http-unauthorized"), (403, "http-forbidden"), (404, "http-not-found"), (500, "http-server-error")] {
            let peer = try PythonHTTPSPeer(self, arguments: ["--cert", pki.serverChain.path, "--key", pki.leafKey.path,
                                                             "--status", String(status)])
            let diagnosis = diagnosis(of: ConnectionCheck(endpoint: peer.endpoint, trustedCertificates: trusted))
            XCTAssertEqual(diagnosis, .httpError(status: status, statusLine: "HTTP/1.1 \(status) \(PythonHTTPSPeer.reasons[status]!)"))
            XCTAssertEqual(diagnosis?.name, name)
            causes.insert(diagnosis!.cause)
            // --expect-status accepts it.
            let accepted = try ConnectionCheck(endpoint: peer.endpoint, trustedCertificates: trusted, expectedStatus: status).run()
            XCTAssertEqual(accepted.response.statusCode, status)
            XCTAssertEqual(accepted.tlsVersion, "TLS 1.3")
            XCTAssertNotNil(accepted.cipherSuite)
            XCTAssertFalse(accepted.serverRequestedClientCertificate)
        }
        XCTAssertEqual(causes.count, 4)
    }

    func testWebSocketUpgrade() throws {
        let pki = try TestPKI(in: directory, name: "WebSocket")
        let trusted = try TestPKI.certificates(pki.rootCertificate)
        let upgrading = try PythonHTTPSPeer(self, arguments: ["--cert", pki.serverChain.path, "--key", pki.leafKey.path, "--mode", "websocket"])
        let endpoint = try ServerEndpoint(url: "wss://127.0.0.1:\(upgrading.port)/ws/echo")
        XCTAssertTrue(endpoint.isWebSocket)
        let result = try ConnectionCheck(endpoint: endpoint, trustedCertificates: trusted).run()
        XCTAssertEqual(result.response.statusCode, 101)

        let refusing = try PythonHTTPSPeer(self, arguments: ["--cert", pki.serverChain.path, "--key", pki.leafKey.path, "--status", "404"])
        let diagnosis = diagnosis(of: ConnectionCheck(endpoint: try ServerEndpoint(url: "wss://127.0.0.1:\(refusing.port)/ws/echo"),
                                                      trustedCertificates: trusted))
        guard case .webSocketUpgradeFailed(let reason)? = diagnosis else {
            return XCTFail("expected a failed upgrade, got \(String(describing: diagnosis))")
        }
        XCTAssertTrue(reason.contains("404"), reason)
    }

    func testCredentialsInURLAreRefusedWithoutEcho() {
        XCTAssertThrowsError(try ServerEndpoint(url: "https://alice:s3cret@sap.example.com/")) { error in
            XCTAssertEqual(error as? PSENetError, .credentialsInURL)
            XCTAssertFalse("\(error)".contains("s3cret"))
        }
    }
}

/// Certificates made by openssl with exactly the extensions a test names.
struct CustomPKI {
    let directory: URL

    struct Issued {
        let certificate: URL
        let key: URL
        func parsed() throws -> Certificate { try TestPKI.certificates(certificate)[0] }
    }

    static let caExtensions = "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n"

    static func serverExtensions(names: String = "IP:127.0.0.1,DNS:localhost", usage: String = "serverAuth") -> String {
        "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=\(usage)\nsubjectAltName=\(names)\n"
    }

    private func file(_ name: String, _ suffix: String) -> URL {
        directory.appendingPathComponent(name.replacingOccurrences(of: " ", with: "_") + suffix)
    }

    func root(_ name: String) throws -> Issued {
        let issued = Issued(certificate: file(name, ".pem"), key: file(name, ".key"))
        try ExternalTools.openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", issued.key.path,
                                   "-out", issued.certificate.path, "-days", "30", "-subj", "/O=psekit tests/CN=\(name)",
                                   "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        return issued
    }

    func issue(_ name: String, by issuer: Issued, extensions: String, days: String = "30") throws -> Issued {
        let issued = Issued(certificate: file(name, ".pem"), key: file(name, ".key"))
        let request = file(name, ".csr"), extensionFile = file(name, ".ext")
        try extensions.write(to: extensionFile, atomically: true, encoding: .utf8)
        try ExternalTools.openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", issued.key.path,
                                   "-out", request.path, "-subj", "/O=psekit tests/CN=\(name)"])
        try ExternalTools.openssl(["x509", "-req", "-in", request.path, "-CA", issuer.certificate.path, "-CAkey", issuer.key.path,
                                   "-CAcreateserial", "-days", days, "-extfile", extensionFile.path, "-out", issued.certificate.path])
        return issued
    }
}

/// `scripts/test-peers/https_peer.py` on a free port of 127.0.0.1; it stops by itself after
/// its lifetime, and at the end of the test.
final class PythonHTTPSPeer {
    static let reasons = [200: "OK", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 500: "Internal Server Error"]
    let process = Process()
    private(set) var port = 0

    static func script(_ name: String) -> String {
        ExternalTools.packageRoot.appendingPathComponent("scripts/test-peers/\(name)").path
    }

    /// - Parameter script: `https_peer.py` or `connect_proxy.py`.
    init(_ testCase: XCTestCase, script: String = "https_peer.py", arguments: [String], lifetime: Int = 60) throws {
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script(script), "--lifetime", String(lifetime)] + arguments
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let process = self.process
        testCase.addTeardownBlock {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
        // The first line is "PORT <n>"; reading blocks until the peer has bound its socket.
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data([10]) {
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            XCTFail("the Python peer did not start: \(text)")
            throw CocoaError(.executableLoad)
        }
        self.port = port
    }

    var url: String { "https://127.0.0.1:\(port)/" }
    var endpoint: ServerEndpoint { ServerEndpoint(host: "127.0.0.1", port: port) }
}
