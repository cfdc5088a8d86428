import Foundation
import PSEKit
import SwiftASN1
import X509
import XCTest

/// root → intermediate → leaf, all RSA-2048, made by openssl in a temporary folder; shared by
/// the PKCS#12 interop and command tests.
struct OpenSSLChain {
    var directory: URL
    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
    var leafKey: String { path("leaf.key") }
    var leafCertificate: String { path("leaf.pem") }
    var intermediateCertificate: String { path("intermediate.pem") }
    var rootCertificate: String { path("root.pem") }

    func certificate(_ name: String) throws -> Certificate {
        try Certificate(pemEncoded: String(contentsOfFile: path(name), encoding: .utf8))
    }

    /// The RSA modulus of a key file, as `openssl rsa -modulus` prints it (upper-case hex).
    static func modulus(ofKeyFile path: String, password: String? = nil) throws -> String {
        let passin = password.map { ["-passin", "pass:\($0)"] } ?? []
        let output = try ExternalTools.openssl(["rsa", "-in", path, "-noout", "-modulus"] + passin).out
        return output.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "Modulus=", with: "")
    }

    static func make(for testCase: XCTestCase) throws -> OpenSSLChain {
        let directory = try ExternalTools.temporaryDirectory(testCase)
        let chain = OpenSSLChain(directory: directory)
        try """
        [ca]
        basicConstraints = critical, CA:TRUE
        keyUsage = critical, keyCertSign, cRLSign
        [leaf]
        basicConstraints = critical, CA:FALSE
        keyUsage = critical, digitalSignature, keyEncipherment
        """.write(toFile: chain.path("extensions.cnf"), atomically: true, encoding: .utf8)
        try ExternalTools.openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", chain.path("root.key"),
                                   "-out", chain.rootCertificate, "-subj", "/O=psekit interop/CN=Interop Root", "-days", "30"])
        for (name, subject, issuer, section, serial) in [
            ("intermediate", "/O=psekit interop/CN=Interop Intermediate", "root", "ca", "2"),
            ("leaf", "/O=psekit interop/CN=Interop Leaf", "intermediate", "leaf", "3"),
        ] {
            try ExternalTools.openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", chain.path("\(name).key"),
                                       "-out", chain.path("\(name).csr"), "-subj", subject])
            try ExternalTools.openssl(["x509", "-req", "-in", chain.path("\(name).csr"), "-CA", chain.path("\(issuer).pem"),
                                       "-CAkey", chain.path("\(issuer).key"), "-set_serial", serial, "-days", "30",
                                       "-extfile", chain.path("extensions.cnf"), "-extensions", section,
                                       "-out", chain.path("\(name).pem")])
        }
        return chain
    }
}

/// PKCS#12 and PKCS#8 against OpenSSL: files OpenSSL writes are read, files psekit writes are
/// read by OpenSSL.
final class PKCS12InteropTests: XCTestCase {
    private static let legacyProvider = ["-provider", "legacy", "-provider", "default"]

    private func makeChain() throws -> OpenSSLChain { try OpenSSLChain.make(for: self) }

    private func modulus(ofKeyFile path: String, password: String? = nil) throws -> String {
        try OpenSSLChain.modulus(ofKeyFile: path, password: password)
    }

    private func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02X", $0) }.joined() }

    private func exportWithOpenSSL(_ chain: OpenSSLChain, _ options: [String], password: String = "interop pw",
                                   certificateFiles: [String]? = nil, file: StaticString = #filePath,
                                   line: UInt = #line) throws -> [UInt8] {
        let output = chain.path("export-\(UUID().uuidString).p12")
        var arguments = ["pkcs12", "-export", "-inkey", chain.leafKey, "-passout", "pass:\(password)", "-out", output,
                         "-name", "interop leaf"]
        if let certificateFiles {
            // All certificates (leaf included) in one file, in the given order: openssl picks the leaf by the key.
            let combined = try certificateFiles.map { try String(contentsOfFile: $0, encoding: .utf8) }.joined()
            let combinedPath = chain.path("combined-\(UUID().uuidString).pem")
            try combined.write(toFile: combinedPath, atomically: true, encoding: .utf8)
            arguments += ["-in", combinedPath]
        } else {
            let chainFile = chain.path("chain.pem")
            try (String(contentsOfFile: chain.intermediateCertificate, encoding: .utf8)
                + String(contentsOfFile: chain.rootCertificate, encoding: .utf8))
                .write(toFile: chainFile, atomically: true, encoding: .utf8)
            arguments += ["-in", chain.leafCertificate, "-certfile", chainFile]
        }
        try ExternalTools.openssl(arguments + options, file: file, line: line)
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: output)))
    }

    private func assertBundle(_ bundle: PKCS12Bundle, matches chain: OpenSSLChain, _ message: String,
                              file: StaticString = #filePath, line: UInt = #line) throws {
        let key = try XCTUnwrap(bundle.privateKey, message, file: file, line: line)
        XCTAssertTrue(key.isRSA, message, file: file, line: line)
        XCTAssertEqual(hex(try key.pkcs1RSAPrivateKey().modulus), try modulus(ofKeyFile: chain.leafKey), message, file: file, line: line)
        XCTAssertEqual(bundle.certificate, try chain.certificate("leaf.pem"), message, file: file, line: line)
        XCTAssertEqual(bundle.chain, [try chain.certificate("intermediate.pem"), try chain.certificate("root.pem")], message,
                       file: file, line: line)
    }

    func testReadsWhatOpenSSLWritesInEveryCommonVariant() throws {
        let chain = try makeChain()
        let variants: [(String, [String])] = [
            ("OpenSSL 3 default", []),
            ("-legacy", ["-legacy"]),
            ("PBE-SHA1-3DES", ["-keypbe", "PBE-SHA1-3DES", "-certpbe", "PBE-SHA1-3DES"]),
            ("-nomac", ["-nomac"]),
            ("AES-128-CBC", ["-keypbe", "AES-128-CBC", "-certpbe", "AES-128-CBC"]),
            ("PBES2 DES-EDE3 and RC2", ["-keypbe", "DES-EDE3-CBC", "-certpbe", "RC2-CBC"] + Self.legacyProvider),
            ("2-key 3DES and 128-bit RC2", ["-keypbe", "PBE-SHA1-2DES", "-certpbe", "PBE-SHA1-RC2-128"] + Self.legacyProvider),
            ("unencrypted certificates, SHA-384 MAC", ["-certpbe", "NONE", "-macalg", "sha384"]),
            ("SHA-512 MAC", ["-macalg", "sha512"]),
            ("SHA-1 MAC", ["-macalg", "sha1"]),
        ]
        for (name, options) in variants {
            let p12 = try exportWithOpenSSL(chain, options)
            let bundle = try PKCS12.parse(p12, password: "interop pw")
            try assertBundle(bundle, matches: chain, name)
            XCTAssertEqual(bundle.friendlyName, "interop leaf", name)
        }
    }

    func testCertificatesInAnyOrderComeBackAsAChain() throws {
        let chain = try makeChain()
        for order in [[chain.rootCertificate, chain.leafCertificate, chain.intermediateCertificate],
                      [chain.intermediateCertificate, chain.rootCertificate, chain.leafCertificate]] {
            let p12 = try exportWithOpenSSL(chain, [], certificateFiles: order)
            try assertBundle(try PKCS12.parse(p12, password: "interop pw"), matches: chain, "order \(order)")
        }
    }

    func testWrongPasswordWithAndWithoutMAC() throws {
        let chain = try makeChain()
        for options in [[], ["-nomac"], ["-legacy", "-nomac"]] {
            let p12 = try exportWithOpenSSL(chain, options, password: "right one")
            XCTAssertThrowsError(try PKCS12.parse(p12, password: "wrong one"), "\(options)") {
                XCTAssertEqual($0 as? PSEKitError, .wrongPassword, "\(options)")
            }
        }
    }

    /// Writes with `build`, reads with `openssl pkcs12 -info -nodes`; returns openssl's output.
    private func readWithOpenSSL(_ options: PKCS12Options, opensslOptions: [String], chain: OpenSSLChain) throws -> ExternalTools.Result {
        let keyPEM = try String(contentsOfFile: chain.leafKey, encoding: .utf8)
        let key = try PKCS8PrivateKey.parse(pemOrDER: Array(keyPEM.utf8), password: nil)
        let p12 = try PKCS12.build(privateKey: key, certificate: try chain.certificate("leaf.pem"),
                                   chain: [try chain.certificate("root.pem"), try chain.certificate("intermediate.pem")],
                                   password: "built pw", friendlyName: "built by psekit", options: options)
        let path = chain.path("built-\(UUID().uuidString).p12")
        try Data(p12).write(to: URL(fileURLWithPath: path))
        return try ExternalTools.openssl(["pkcs12", "-in", path, "-info", "-nodes", "-passin", "pass:built pw"] + opensslOptions)
    }

    private func assertOpenSSLOutput(_ result: ExternalTools.Result, chain: OpenSSLChain, _ message: String,
                                     file: StaticString = #filePath, line: UInt = #line) throws {
        let documents = try PEMDocument.parseMultiple(pemString: result.out)
        let certificates = try documents.filter { $0.discriminator == "CERTIFICATE" }.map { try Certificate(pemDocument: $0) }
        XCTAssertEqual(Set(certificates), Set([try chain.certificate("leaf.pem"), try chain.certificate("intermediate.pem"),
                                              try chain.certificate("root.pem")]), message, file: file, line: line)
        let keyDocument = try XCTUnwrap(documents.first { $0.discriminator == "PRIVATE KEY" }, message, file: file, line: line)
        let keyPath = chain.path("from-openssl-\(UUID().uuidString).key")
        try keyDocument.pemString.write(toFile: keyPath, atomically: true, encoding: .utf8)
        XCTAssertEqual(try modulus(ofKeyFile: keyPath), try modulus(ofKeyFile: chain.leafKey), message, file: file, line: line)
        XCTAssertTrue(result.out.contains("friendlyName: built by psekit"), message, file: file, line: line)
    }

    func testOpenSSLReadsModernOutputWithoutLegacyProvider() throws {
        let chain = try makeChain()
        let result = try readWithOpenSSL(.modern, opensslOptions: [], chain: chain)
        XCTAssertEqual(result.status, 0)
        try assertOpenSSLOutput(result, chain: chain, "modern")
        XCTAssertTrue(result.err.contains("MAC: sha256"), result.err)
        XCTAssertTrue(result.err.contains("PBES2, PBKDF2, AES-256-CBC"), result.err)
        XCTAssertFalse(result.err.contains("pbeWithSHA1"), result.err)
    }

    func testOpenSSLReadsLegacyOutput() throws {
        let chain = try makeChain()
        let result = try readWithOpenSSL(.legacy, opensslOptions: ["-legacy"], chain: chain)
        XCTAssertEqual(result.status, 0)
        try assertOpenSSLOutput(result, chain: chain, "legacy")
        XCTAssertTrue(result.err.contains("MAC: sha1"), result.err)
        XCTAssertTrue(result.err.contains("pbeWithSHA1And3-KeyTripleDES-CBC"), result.err)
    }

    func testRoundTripThroughOpenSSL() throws {
        // psekit writes, openssl re-exports with its defaults, psekit reads again.
        let chain = try makeChain()
        let keyPEM = try String(contentsOfFile: chain.leafKey, encoding: .utf8)
        let key = try PKCS8PrivateKey.parse(pemOrDER: Array(keyPEM.utf8), password: nil)
        let built = try PKCS12.build(privateKey: key, certificate: try chain.certificate("leaf.pem"),
                                     chain: [try chain.certificate("intermediate.pem"), try chain.certificate("root.pem")],
                                     password: "one", friendlyName: nil, options: .legacy)
        let builtPath = chain.path("built.p12"), pemPath = chain.path("all.pem"), reexported = chain.path("reexported.p12")
        try Data(built).write(to: URL(fileURLWithPath: builtPath))
        try ExternalTools.openssl(["pkcs12", "-in", builtPath, "-nodes", "-passin", "pass:one", "-out", pemPath])
        try ExternalTools.openssl(["pkcs12", "-export", "-in", pemPath, "-passout", "pass:two", "-out", reexported])
        let bundle = try PKCS12.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: reexported))), password: "two")
        try assertBundle(bundle, matches: chain, "re-exported")
    }

    func testPKCS8FilesFromOpenSSL() throws {
        let chain = try makeChain()
        let expected = try modulus(ofKeyFile: chain.leafKey)
        let forms: [(String, [String], String?)] = [
            ("PKCS#8 PEM", ["pkcs8", "-topk8", "-nocrypt", "-in", chain.leafKey], nil),
            ("PKCS#8 DER", ["pkcs8", "-topk8", "-nocrypt", "-in", chain.leafKey, "-outform", "DER"], nil),
            ("PKCS#1 PEM", ["rsa", "-in", chain.leafKey, "-traditional"], nil),
            ("PKCS#1 DER", ["rsa", "-in", chain.leafKey, "-outform", "DER"], nil),
            ("encrypted PBES2 AES-256", ["pkcs8", "-topk8", "-in", chain.leafKey, "-v2", "aes-256-cbc", "-passout", "pass:p8"], "p8"),
            ("encrypted PBES2 3DES HMAC-SHA1", ["pkcs8", "-topk8", "-in", chain.leafKey, "-v2", "des3", "-v2prf", "hmacWithSHA1",
                                                "-passout", "pass:p8"], "p8"),
            ("encrypted PBES2 AES-128 HMAC-SHA512", ["pkcs8", "-topk8", "-in", chain.leafKey, "-v2", "aes-128-cbc", "-v2prf",
                                                     "hmacWithSHA512", "-passout", "pass:p8"], "p8"),
            ("encrypted PKCS#12 PBE 3DES", ["pkcs8", "-topk8", "-in", chain.leafKey, "-v1", "PBE-SHA1-3DES", "-passout", "pass:p8"], "p8"),
            ("encrypted PKCS#12 PBE RC2-40", ["pkcs8", "-topk8", "-in", chain.leafKey, "-v1", "PBE-SHA1-RC2-40",
                                              "-passout", "pass:p8"] + Self.legacyProvider, "p8"),
            ("encrypted DER", ["pkcs8", "-topk8", "-in", chain.leafKey, "-outform", "DER", "-passout", "pass:p8"], "p8"),
        ]
        for (name, arguments, password) in forms {
            let output = try ExternalTools.openssl(arguments)
            let key = try PKCS8PrivateKey.parse(pemOrDER: [UInt8](output.stdout), password: password)
            XCTAssertEqual(hex(try key.pkcs1RSAPrivateKey().modulus), expected, name)
            if let password {
                XCTAssertThrowsError(try PKCS8PrivateKey.parse(pemOrDER: [UInt8](output.stdout), password: password + "x"), name) {
                    XCTAssertEqual($0 as? PSEKitError, .wrongPassword, name)
                }
            }
        }
    }

    func testOpenSSLReadsEncryptedPKCS8() throws {
        let chain = try makeChain()
        let keyPEM = try String(contentsOfFile: chain.leafKey, encoding: .utf8)
        let key = try PKCS8PrivateKey.parse(pemOrDER: Array(keyPEM.utf8), password: nil)
        for scheme in [PasswordBasedEncryptionScheme.pbes2AES256CBC, .pbeWithSHAAnd3KeyTripleDESCBC] {
            let path = chain.path("encrypted-\(UUID().uuidString).pem")
            try key.encryptedPEMRepresentation(password: "p8 out", scheme: scheme).write(toFile: path, atomically: true, encoding: .utf8)
            XCTAssertEqual(try modulus(ofKeyFile: path, password: "p8 out"), try modulus(ofKeyFile: chain.leafKey), "\(scheme)")
        }
    }
}
