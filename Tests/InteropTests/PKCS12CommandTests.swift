import Crypto
import CryptoExtras
import Foundation
import PSEKit
import PSEStore
import SwiftASN1
import X509
import XCTest

/// import_p12, export_p12, import_p8 and export_p8 through the `psekit` binary, against openssl.
final class PKCS12CommandTests: XCTestCase {
    private let pin = "pse-pin-1"

    private func opensslP12(_ chain: OpenSSLChain, password: String, options: [String] = []) throws -> String {
        let chainFile = chain.path("ca-chain.pem")
        try (String(contentsOfFile: chain.rootCertificate, encoding: .utf8)
            + String(contentsOfFile: chain.intermediateCertificate, encoding: .utf8))
            .write(toFile: chainFile, atomically: true, encoding: .utf8)
        let output = chain.path("openssl-\(UUID().uuidString).p12")
        try ExternalTools.openssl(["pkcs12", "-export", "-inkey", chain.leafKey, "-in", chain.leafCertificate,
                                   "-certfile", chainFile, "-passout", "pass:\(password)", "-out", output] + options)
        return output
    }

    private func openPSE(_ path: String, pin: String?) throws -> PSEContent {
        try StoredPSE.open(at: path) { _ in pin }.file.content
    }

    private func assertPSE(_ path: String, holds chain: OpenSSLChain, file: StaticString = #filePath, line: UInt = #line) throws {
        let content = try openPSE(path, pin: pin)
        let leaf = try chain.certificate("leaf.pem"), intermediate = try chain.certificate("intermediate.pem")
        let root = try chain.certificate("root.pem")
        XCTAssertEqual(try content.ownCertificate(), leaf, file: file, line: line)
        XCTAssertEqual(try content.certificationPath(), [intermediate, root], file: file, line: line)
        XCTAssertEqual(try content.rootCertificate(), root, file: file, line: line)
        XCTAssertEqual(Set(try content.trustedCertificates()), Set([intermediate, root]), file: file, line: line)
        let key = try XCTUnwrap(try content.privateKey(), file: file, line: line)
        let modulus = try key.publicKey.getKeyPrimitives().modulus.drop { $0 == 0 }.map { String(format: "%02X", $0) }.joined()
        XCTAssertEqual(modulus, try OpenSSLChain.modulus(ofKeyFile: chain.leafKey), file: file, line: line)
    }

    func testImportP12FromOpenSSLThenGetMyName() throws {
        let chain = try OpenSSLChain.make(for: self)
        for options in [[], ["-legacy"]] {
            let p12 = try opensslP12(chain, password: "p12 pw", options: options)
            let pse = chain.path("imported-\(UUID().uuidString).pse")
            let imported = try ExternalTools.psekit(["import_p12", "-p", pse, "-x", pin, "-z", "p12 pw", p12])
            XCTAssertEqual(imported.status, 0, imported.err)
            XCTAssertTrue(imported.out.contains("FCPath [1]: CN=Interop Intermediate, O=psekit interop"), imported.out)
            XCTAssertTrue(imported.out.contains("PKRoot: CN=Interop Root, O=psekit interop"), imported.out)
            let name = try ExternalTools.psekit(["get_my_name", "-p", pse, "-x", pin])
            XCTAssertEqual(name.status, 0, name.err)
            XCTAssertTrue(name.out.contains("Subject  : CN=Interop Leaf, O=psekit interop"), name.out)
            XCTAssertTrue(name.out.contains("Issuer   : CN=Interop Intermediate, O=psekit interop"), name.out)
            try assertPSE(pse, holds: chain)
        }
    }

    func testImportP12AsksForThePasswordOnStandardInput() throws {
        let chain = try OpenSSLChain.make(for: self)
        let p12 = try opensslP12(chain, password: "from stdin")
        let pse = chain.path("stdin.pse")
        let result = try ExternalTools.psekit(["import_p12", "-p", pse, "-x", pin, p12], stdin: Data("from stdin\n".utf8))
        XCTAssertEqual(result.status, 0, result.err)
        try assertPSE(pse, holds: chain)
    }

    func testImportP12CompletesTheChainWithR() throws {
        let chain = try OpenSSLChain.make(for: self)
        let p12 = chain.path("leaf-only.p12")
        try ExternalTools.openssl(["pkcs12", "-export", "-inkey", chain.leafKey, "-in", chain.leafCertificate,
                                   "-passout", "pass:pw", "-out", p12])
        let incomplete = try ExternalTools.psekit(["import_p12", "-p", chain.path("incomplete.pse"), "-x", pin, "-z", "pw", p12])
        XCTAssertNotEqual(incomplete.status, 0)
        XCTAssertTrue(incomplete.err.contains("chain is incomplete"), incomplete.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: chain.path("incomplete.pse")))
        let pse = chain.path("completed.pse")
        let result = try ExternalTools.psekit(["import_p12", "-p", pse, "-x", pin, "-z", "pw", "-r", chain.intermediateCertificate,
                                               "-r", chain.rootCertificate, p12])
        XCTAssertEqual(result.status, 0, result.err)
        try assertPSE(pse, holds: chain)
    }

    func testWrongPasswordCreatesNoPSE() throws {
        let chain = try OpenSSLChain.make(for: self)
        for options in [[], ["-nomac"]] {
            let p12 = try opensslP12(chain, password: "right", options: options)
            let pse = chain.path("never.pse")
            let result = try ExternalTools.psekit(["import_p12", "-p", pse, "-x", pin, "-z", "wrong", p12])
            XCTAssertNotEqual(result.status, 0)
            XCTAssertTrue(result.err.contains("wrong password"), result.err)
            XCTAssertFalse(result.err.contains("right"), "the password never appears")
            XCTAssertFalse(FileManager.default.fileExists(atPath: pse), "\(options)")
        }
    }

    func testECKeyIsRefusedClearly() throws {
        let directory = try ExternalTools.temporaryDirectory(self)
        let key = directory.appendingPathComponent("ec.key").path, certificate = directory.appendingPathComponent("ec.pem").path
        let p12 = directory.appendingPathComponent("ec.p12").path, pse = directory.appendingPathComponent("ec.pse").path
        try ExternalTools.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                   "-keyout", key, "-out", certificate, "-subj", "/CN=EC Key", "-days", "2"])
        try ExternalTools.openssl(["pkcs12", "-export", "-inkey", key, "-in", certificate, "-passout", "pass:ec", "-out", p12])
        let result = try ExternalTools.psekit(["import_p12", "-p", pse, "-x", pin, "-z", "ec", p12])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.err.contains("EC") && result.err.contains("RSA keys only"), result.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: pse))
        let p8 = try ExternalTools.psekit(["import_p8", "-p", pse, "-x", pin, "-c", certificate, key])
        XCTAssertNotEqual(p8.status, 0)
        XCTAssertTrue(p8.err.contains("RSA keys only"), p8.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: pse))
    }

    func testExportP12IsReadByOpenSSL() throws {
        let chain = try OpenSSLChain.make(for: self)
        let pse = chain.path("source.pse")
        XCTAssertEqual(try ExternalTools.psekit(["import_p12", "-p", pse, "-x", pin, "-z", "in",
                                                 try opensslP12(chain, password: "in")]).status, 0)
        for (flags, opensslFlags) in [([String](), [String]()), (["--legacy"], ["-legacy"])] {
            let p12 = chain.path("exported-\(UUID().uuidString).p12")
            let exported = try ExternalTools.psekit(["export_p12", "-p", pse, "-x", pin, "-z", "out pw", "-f", "exported key", p12] + flags)
            XCTAssertEqual(exported.status, 0, exported.err)
            XCTAssertEqual(exported.err.contains("Warning"), !flags.isEmpty, "only --legacy warns: \(exported.err)")
            let read = try ExternalTools.openssl(["pkcs12", "-in", p12, "-info", "-nodes", "-passin", "pass:out pw"] + opensslFlags)
            let documents = try PEMDocument.parseMultiple(pemString: read.out)
            let certificates = try documents.filter { $0.discriminator == "CERTIFICATE" }.map { try Certificate(pemDocument: $0) }
            XCTAssertEqual(Set(certificates), Set([try chain.certificate("leaf.pem"), try chain.certificate("intermediate.pem"),
                                                  try chain.certificate("root.pem")]))
            XCTAssertTrue(read.out.contains("friendlyName: exported key"), read.out)
            let keyFile = chain.path("exported-key-\(UUID().uuidString).pem")
            try XCTUnwrap(documents.first { $0.discriminator == "PRIVATE KEY" }).pemString
                .write(toFile: keyFile, atomically: true, encoding: .utf8)
            XCTAssertEqual(try OpenSSLChain.modulus(ofKeyFile: keyFile), try OpenSSLChain.modulus(ofKeyFile: chain.leafKey))
            let attributes = try FileManager.default.attributesOfItem(atPath: p12)
            XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        }
    }

    func testExportThenImportKeepsKeyCertificateAndTrustedList() throws {
        let chain = try OpenSSLChain.make(for: self)
        let first = chain.path("first.pse"), second = chain.path("second.pse"), p12 = chain.path("round-trip.p12")
        XCTAssertEqual(try ExternalTools.psekit(["import_p12", "-p", first, "-x", pin, "-z", "a",
                                                 try opensslP12(chain, password: "a")]).status, 0)
        for flags in [[String](), ["--legacy"]] {
            try? FileManager.default.removeItem(atPath: second)
            XCTAssertEqual(try ExternalTools.psekit(["export_p12", "-p", first, "-x", pin, "-z", "b", p12] + flags).status, 0)
            let imported = try ExternalTools.psekit(["import_p12", "-p", second, "-x", pin, "-z", "b", p12])
            XCTAssertEqual(imported.status, 0, imported.err)
            let before = try openPSE(first, pin: pin), after = try openPSE(second, pin: pin)
            XCTAssertEqual(try after.privateKey()?.derRepresentation, try before.privateKey()?.derRepresentation)
            XCTAssertEqual(try after.ownCertificate(), try before.ownCertificate())
            XCTAssertEqual(try after.certificationPath(), try before.certificationPath())
            XCTAssertEqual(try after.rootCertificate(), try before.rootCertificate())
            XCTAssertEqual(Set(try after.trustedCertificates()), Set(try before.trustedCertificates()))
        }
    }

    func testImportP8AndExportP8WithOpenSSL() throws {
        let chain = try OpenSSLChain.make(for: self)
        let encryptedKey = chain.path("leaf-encrypted.key")
        try ExternalTools.openssl(["pkcs8", "-topk8", "-in", chain.leafKey, "-v2", "aes-256-cbc", "-passout", "pass:key pw",
                                   "-out", encryptedKey])
        let pse = chain.path("p8.pse")
        let imported = try ExternalTools.psekit(["import_p8", "-p", pse, "-x", pin, "-z", "key pw", "-c", chain.leafCertificate,
                                                 "-r", chain.intermediateCertificate, "-r", chain.rootCertificate, encryptedKey])
        XCTAssertEqual(imported.status, 0, imported.err)
        try assertPSE(pse, holds: chain)

        let wrong = try ExternalTools.psekit(["import_p8", "-p", chain.path("wrong.pse"), "-x", pin, "-z", "nope",
                                              "-c", chain.leafCertificate, encryptedKey])
        XCTAssertNotEqual(wrong.status, 0)
        XCTAssertTrue(wrong.err.contains("wrong password"), wrong.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: chain.path("wrong.pse")))

        for password in ["export pw", nil] {
            let output = chain.path("exported-\(UUID().uuidString).pem")
            let exported = try ExternalTools.psekit(["export_p8", "-p", pse, "-x", pin, "-o", output]
                                                    + (password.map { ["-z", $0] } ?? []))
            XCTAssertEqual(exported.status, 0, exported.err)
            let text = try String(contentsOfFile: output, encoding: .utf8)
            XCTAssertTrue(text.hasPrefix(password == nil ? "-----BEGIN PRIVATE KEY-----" : "-----BEGIN ENCRYPTED PRIVATE KEY-----"))
            XCTAssertEqual(try OpenSSLChain.modulus(ofKeyFile: output, password: password),
                           try OpenSSLChain.modulus(ofKeyFile: chain.leafKey))
            let certificates = try PEMDocument.parseMultiple(pemString: text).filter { $0.discriminator == "CERTIFICATE" }
                .map { try Certificate(pemDocument: $0) }
            XCTAssertEqual(certificates, [try chain.certificate("leaf.pem"), try chain.certificate("intermediate.pem"),
                                          try chain.certificate("root.pem")])
            // openssl verifies the exported chain.
            let verify = try ExternalTools.run("openssl", ["verify", "-CAfile", chain.rootCertificate, "-untrusted",
                                                           chain.intermediateCertificate, output])
            XCTAssertEqual(verify.status, 0, verify.err)
        }
    }
}
