import CryptoExtras
import Foundation
import PSEKit
import PSEStore
import X509
import XCTest

/// gen_pse / get_pse, import_own_cert, export_own_cert and gen_verify_pse through the `psekit`
/// binary, checked with pysap and openssl.
final class GenPSECommandTests: XCTestCase {
    static let sapDN = "CN=COMPUTER.theobald.local, C=DE, S=BW, O=TS, OU=DEV"
    static let rfc2253 = "CN=COMPUTER.theobald.local,C=DE,ST=BW,O=TS,OU=DEV"

    private func run(_ arguments: [String], stdin: Data? = nil, file: StaticString = #filePath,
                     line: UInt = #line) throws -> ExternalTools.Result {
        let result = try ExternalTools.psekit(arguments, stdin: stdin)
        XCTAssertEqual(result.status, 0, "psekit \(arguments.joined(separator: " ")): \(result.err)", file: file, line: line)
        return result
    }

    /// The DER of the own certificates pysap finds in a PSE, as hex.
    private func pysapCertificates(_ path: String, pin: String?) throws -> (plain: Bool, certificates: [String]) {
        let script = """
        from pysap.SAPPSE import SAPPSEFile
        data = open(\(pythonString(path)), "rb").read()
        pse = SAPPSEFile(data)
        print("plain" if pse.is_plain() else "encrypted")
        for cert in pse.get_certificates(\(pin.map(pythonString) ?? "None")):
            print(cert.hex())
        """
        let result = try ExternalTools.pysap(script)
        XCTAssertEqual(result.status, 0, result.err)
        let lines = result.out.split(separator: "\n").map(String.init)
        return (lines.first == "plain", Array(lines.dropFirst()))
    }

    private func pythonString(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }

    private func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    private func open(_ path: String, pin: String? = nil) throws -> PSEContent {
        try PSEFile.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: path))), pin: pin).content
    }

    private func objectNames(_ content: PSEContent) -> [String] {
        content.objects.map(\.name).sorted()
    }

    func testGenPSEWithoutPINReadByPysapAndOpenSSL() throws {
        let folder = try ExternalTools.temporaryDirectory(self)
        let pse = folder.appendingPathComponent("client.pse").path
        let result = try run(["gen_pse", "-x", "", "-p", pse, Self.sapDN])
        XCTAssertTrue(result.out.contains("Created PSE \(pse) (v2 without PIN)"), result.out)
        XCTAssertTrue(result.out.contains("-----BEGIN CERTIFICATE REQUEST-----"), "without -noreq the request is shown")

        let fromPysap = try pysapCertificates(pse, pin: nil)
        XCTAssertTrue(fromPysap.plain, "pysap must see a PSE without PIN")
        XCTAssertEqual(fromPysap.certificates.count, 1)
        let certificatePath = folder.appendingPathComponent("self.der").path
        try Data(hexString: fromPysap.certificates[0]).write(to: URL(fileURLWithPath: certificatePath))
        let subject = try ExternalTools.openssl(["x509", "-inform", "DER", "-in", certificatePath, "-noout", "-nameopt", "RFC2253", "-subject"])
        XCTAssertEqual(subject.out.trimmingCharacters(in: .whitespacesAndNewlines), "subject=\(Self.rfc2253)")
        let pem = try ExternalTools.openssl(["x509", "-inform", "DER", "-in", certificatePath]).out
        let pemPath = folder.appendingPathComponent("self.pem").path
        try Data(pem.utf8).write(to: URL(fileURLWithPath: pemPath))
        let verify = try ExternalTools.openssl(["verify", "-CAfile", pemPath, pemPath])
        XCTAssertTrue(verify.out.contains(": OK"), verify.out + verify.err)

        // The objects SAP's vectors have; PKRoot and CertList are the own certificate.
        let content = try open(pse)
        XCTAssertEqual(objectNames(content), ["Cert", "CertList", "PKRoot", "SKnew"])
        let certificate = try XCTUnwrap(content.ownCertificate())
        XCTAssertEqual(hex(CertificateBundle.derBytes(of: certificate)), fromPysap.certificates[0])
        XCTAssertEqual(try content.rootCertificate(), certificate)
        XCTAssertEqual(try content.trustedCertificates(), [certificate])
        XCTAssertEqual(try content.certificationPath(), [])
        XCTAssertEqual(certificate.notValidAfter.timeIntervalSince(certificate.notValidBefore), 365 * 86_400)

        // The same PSE again is refused; the file stays as it was.
        let before = try Data(contentsOf: URL(fileURLWithPath: pse))
        let again = try ExternalTools.psekit(["gen_pse", "-x", "", "-p", pse, "CN=other"])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.err.contains("already exists"), again.err)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: pse)), before)
    }

    func testRequestSignedByTestCAIsImported() throws {
        let folder = try ExternalTools.temporaryDirectory(self)
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        let names = ["GN-dNSName:COMPUTER.theobald.local", "GN-iPAddress:192.0.2.7", "GN-iPAddress:2001:db8::7",
                     "GN-rfc822Name:it@theobald.local", "GN-uniformResourceIdentifier:https://computer.theobald.local/"]
        let generated = try run(["gen_pse", "-x", "", "-p", path("client.pse"), "-r", path("req.p10")]
                                + names.flatMap { ["-k", $0] } + [Self.sapDN])
        XCTAssertTrue(generated.out.contains("Certificate request written to \(path("req.p10"))"), generated.out)
        XCTAssertTrue(generated.out.contains("Alternative name   : GN-iPAddress:2001:db8::7"), generated.out)
        let request = try ExternalTools.openssl(["req", "-in", path("req.p10"), "-verify", "-noout", "-text", "-nameopt", "RFC2253"])
        let requestText = request.out + request.err
        XCTAssertTrue(requestText.contains("verify OK"), requestText)
        XCTAssertTrue(requestText.contains("Subject: \(Self.rfc2253)"), requestText)
        for shown in ["DNS:COMPUTER.theobald.local", "IP Address:192.0.2.7", "IP Address:2001:DB8:0:0:0:0:0:7",
                      "email:it@theobald.local", "URI:https://computer.theobald.local/"] {
            XCTAssertTrue(requestText.contains(shown), "\(shown) missing: \(requestText)")
        }
        // The self-signed certificate carries the names too.
        let content = try open(path("client.pse"))
        XCTAssertEqual(try XCTUnwrap(content.ownCertificate()?.extensions.subjectAlternativeNames).count, names.count)

        // A test CA signs the request.
        try ExternalTools.openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path("ca.key"), "-out", path("ca.pem"),
                                   "-days", "30", "-subj", "/C=DE/O=Test/CN=Test Root CA"])
        try ExternalTools.openssl(["x509", "-req", "-in", path("req.p10"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
                                   "-CAcreateserial", "-out", path("signed.pem"), "-days", "10", "-copy_extensions", "copy"])
        // Without the CA the chain is incomplete and nothing changes.
        let before = try Data(contentsOf: URL(fileURLWithPath: path("client.pse")))
        let incomplete = try ExternalTools.psekit(["import_own_cert", "-p", path("client.pse"), "-x", "", "-c", path("signed.pem")])
        XCTAssertEqual(incomplete.status, 1)
        XCTAssertTrue(incomplete.err.contains("CN=Test Root CA, O=Test, C=DE") && incomplete.err.contains("-r"), incomplete.err)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path("client.pse"))), before)

        let imported = try run(["import_own_cert", "-p", path("client.pse"), "-x", "", "-c", path("signed.pem"), "-r", path("ca.pem")])
        XCTAssertTrue(imported.out.contains("issued by CN=Test Root CA, O=Test, C=DE"), imported.out)

        let shown = try run(["get_my_name", "-p", path("client.pse"), "-x", ""]).out
        let sections = shown.components(separatedBy: " FCPath:")
        XCTAssertEqual(sections.count, 2, shown)
        XCTAssertTrue(sections[0].contains("Subject  : CN=COMPUTER.theobald.local, C=DE, SP=BW, O=TS, OU=DEV"), shown)
        XCTAssertTrue(sections[0].contains("Issuer   : CN=Test Root CA, O=Test, C=DE"), shown)
        let pathAndRoot = sections[1].components(separatedBy: " PKRoot:")
        XCTAssertTrue(pathAndRoot[0].contains("Subject  : CN=Test Root CA, O=Test, C=DE"), shown)
        XCTAssertTrue(pathAndRoot[1].contains("Subject  : CN=Test Root CA, O=Test, C=DE"), shown)

        let after = try open(path("client.pse"))
        let caCertificate = try CertificateBundle.parse([UInt8](Data(contentsOf: URL(fileURLWithPath: path("ca.pem")))))[0]
        XCTAssertEqual(try after.certificationPath(), [caCertificate])
        XCTAssertEqual(try after.rootCertificate(), caCertificate)
        XCTAssertEqual(try after.trustedCertificates(), [caCertificate], "the CA is trusted, the old self-signed certificate is gone")
        XCTAssertEqual(objectNames(after), ["Cert", "CertList", "FCPath", "PKRoot", "SKnew"])
        // pysap still reads the own certificate; openssl verifies it against the CA.
        let fromPysap = try pysapCertificates(path("client.pse"), pin: nil)
        let own = try XCTUnwrap(after.ownCertificate())
        XCTAssertEqual(fromPysap.certificates, [hex(CertificateBundle.derBytes(of: own))])
        let exported = try run(["export_own_cert", "-p", path("client.pse"), "-x", "", "-o", path("own.pem")])
        XCTAssertTrue(exported.out.contains("own.pem"), exported.out)
        let verify = try ExternalTools.openssl(["verify", "-CAfile", path("ca.pem"), path("own.pem")])
        XCTAssertTrue(verify.out.contains(": OK"), verify.out)

        // The answer does not fit another PSE's key: refused, both subjects named, file unchanged.
        try run(["gen_pse", "-x", "", "-noreq", "-p", path("other.pse"), "CN=Other Owner, O=TS"])
        let otherBefore = try Data(contentsOf: URL(fileURLWithPath: path("other.pse")))
        let refused = try ExternalTools.psekit(["import_own_cert", "-p", path("other.pse"), "-x", "", "-c", path("signed.pem"),
                                                "-r", path("ca.pem")])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.err.contains("CN=COMPUTER.theobald.local") && refused.err.contains("CN=Other Owner, O=TS"), refused.err)
        XCTAssertTrue(refused.err.contains("not for this PSE's key"), refused.err)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path("other.pse"))), otherBefore)
    }

    func testImportTakesAChainFromPKCS7WithIntermediate() throws {
        let folder = try ExternalTools.temporaryDirectory(self)
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        try run(["get_pse", "-p", path("server.pse"), "-x", "s3cret", "-r", path("req.p10"), "CN=server.theobald.local, O=TS"])
        try ExternalTools.openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path("root.key"), "-out", path("root.pem"),
                                   "-days", "30", "-subj", "/O=Test/CN=Root"])
        try ExternalTools.openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", path("int.key"), "-out", path("int.csr"),
                                   "-subj", "/O=Test/CN=Intermediate"])
        try Data("basicConstraints=critical,CA:TRUE\n".utf8).write(to: URL(fileURLWithPath: path("ca.ext")))
        try ExternalTools.openssl(["x509", "-req", "-in", path("int.csr"), "-CA", path("root.pem"), "-CAkey", path("root.key"),
                                   "-CAcreateserial", "-out", path("int.pem"), "-days", "30", "-extfile", path("ca.ext")])
        try ExternalTools.openssl(["x509", "-req", "-in", path("req.p10"), "-CA", path("int.pem"), "-CAkey", path("int.key"),
                                   "-CAcreateserial", "-out", path("leaf.pem"), "-days", "10"])
        let bundle = try String(contentsOfFile: path("root.pem")) + String(contentsOfFile: path("leaf.pem"))
            + String(contentsOfFile: path("int.pem"))
        try Data(bundle.utf8).write(to: URL(fileURLWithPath: path("all.pem")))
        try ExternalTools.openssl(["crl2pkcs7", "-nocrl", "-certfile", path("all.pem"), "-outform", "DER", "-out", path("answer.p7b")])

        let imported = try run(["import_own_cert", "-p", path("server.pse"), "-x", "s3cret", "-c", path("answer.p7b")])
        XCTAssertTrue(imported.out.contains("FCPath [1]: CN=Intermediate, O=Test"), imported.out)
        XCTAssertTrue(imported.out.contains("FCPath [2]: CN=Root, O=Test"), imported.out)
        XCTAssertTrue(imported.out.contains("PKRoot: CN=Root, O=Test"), imported.out)
        let content = try open(path("server.pse"), pin: "s3cret")
        XCTAssertEqual(try content.certificationPath().map { SAPDistinguishedName.format($0.subject) },
                       ["CN=Intermediate, O=Test", "CN=Root, O=Test"])
        XCTAssertEqual(Set(try content.trustedCertificates().map { SAPDistinguishedName.format($0.subject) }),
                       ["CN=Intermediate, O=Test", "CN=Root, O=Test"])
        // pysap decrypts what psekit wrote with the PIN.
        XCTAssertEqual(try pysapCertificates(path("server.pse"), pin: "s3cret").certificates.count, 1)
    }

    func testDistinguishedNameAndPINFromStandardInput() throws {
        let folder = try ExternalTools.temporaryDirectory(self)
        let pse = folder.appendingPathComponent("prompted.pse").path
        try run(["gen_pse", "-p", pse, "-noreq"], stdin: Data("CN=prompted.theobald.local, O=TS\n5ecret\n".utf8))
        let fromPysap = try pysapCertificates(pse, pin: "5ecret")
        XCTAssertFalse(fromPysap.plain)
        XCTAssertEqual(fromPysap.certificates.count, 1)
        let subject = try run(["get_my_name", "-p", pse, "-x", "5ecret", "-n", "Subject"]).out
        XCTAssertEqual(subject, "CN=prompted.theobald.local, O=TS\n")

        // Enter at the PIN prompt gives a PSE without PIN.
        let plain = folder.appendingPathComponent("plain.pse").path
        try run(["gen_pse", "-p", plain, "-noreq", "CN=plain"], stdin: Data("\n".utf8))
        XCTAssertTrue(try pysapCertificates(plain, pin: nil).plain)

        let bad = try ExternalTools.psekit(["gen_pse", "-p", folder.appendingPathComponent("bad.pse").path, "-x", "", "CN=a, XX=b"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.err.contains("character 7") && bad.err.contains("XX"), bad.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("bad.pse").path))
    }

    func testKeySizesAlgorithmsAndWeakHashWarning() throws {
        let folder = try ExternalTools.temporaryDirectory(self)
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

        let big = try run(["gen_pse", "-x", "", "-noreq", "-s", "4096", "-p", path("big.pse"), "CN=big"])
        XCTAssertTrue(big.out.contains("RSA 4096-bit"), big.out)
        let content = try open(path("big.pse"))
        let key = try XCTUnwrap(content.privateKey())
        XCTAssertEqual(key.keySizeInBits, 4096)
        let certificate = try XCTUnwrap(content.ownCertificate())
        let message = Array("signed with the PSE's key".utf8)
        let signature = try key.signature(for: message, padding: .insecurePKCS1v1_5)
        let publicKey = try XCTUnwrap(_RSA.Signing.PublicKey(certificate.publicKey))
        XCTAssertTrue(publicKey.isValidSignature(signature, for: message, padding: .insecurePKCS1v1_5))

        try run(["gen_pse", "-x", "", "-noreq", "-a", "RSA:3072:SHA512", "-p", path("mid.pse"), "CN=mid"])
        let mid = try XCTUnwrap(open(path("mid.pse")).ownCertificate())
        XCTAssertEqual(mid.signatureAlgorithm, .sha512WithRSAEncryption)
        XCTAssertEqual(_RSA.Signing.PublicKey(mid.publicKey)?.keySizeInBits, 3072)

        let weak = try run(["gen_pse", "-x", "", "-noreq", "-a", "sha1WithRsaEncryption", "-p", path("weak.pse"), "CN=weak"])
        XCTAssertTrue(weak.err.contains("Warning") && weak.err.contains("weak"), weak.err)
        XCTAssertEqual(try XCTUnwrap(open(path("weak.pse")).ownCertificate()).signatureAlgorithm, .sha1WithRSAEncryption)

        let conflict = try ExternalTools.psekit(["gen_pse", "-x", "", "-a", "RSA:4096:SHA256", "-s", "2048", "-p", path("c.pse"), "CN=c"])
        XCTAssertEqual(conflict.status, 1)
        XCTAssertTrue(conflict.err.contains("4096") && conflict.err.contains("2048"), conflict.err)
        let unknown = try ExternalTools.psekit(["gen_pse", "-x", "", "-a", "md5WithRsaEncryption", "-p", path("c.pse"), "CN=c"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.err.contains("md5WithRsaEncryption"), unknown.err)
        let days = try run(["gen_pse", "-x", "", "-noreq", "--days", "730", "-p", path("long.pse"), "CN=long"])
        XCTAssertEqual(days.status, 0)
        let long = try XCTUnwrap(open(path("long.pse")).ownCertificate())
        XCTAssertEqual(long.notValidAfter.timeIntervalSince(long.notValidBefore), 730 * 86_400)
    }

    func testExportOwnCertificateForms() throws {
        let folder = try ExternalTools.temporaryDirectory(self)
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        try run(["gen_pse", "-x", "", "-noreq", "-p", path("e.pse"), "CN=export.theobald.local"])
        let certificate = try XCTUnwrap(open(path("e.pse")).ownCertificate())
        let pem = CertificateBundle.pem([certificate])

        XCTAssertEqual(try run(["export_own_cert", "-p", path("e.pse"), "-x", ""]).out, pem)
        try run(["export_own_cert", "-p", path("e.pse"), "-x", "", "-o", path("e.der"), "--der"])
        XCTAssertEqual([UInt8](try Data(contentsOf: URL(fileURLWithPath: path("e.der")))), CertificateBundle.derBytes(of: certificate))
        let fromDER = try ExternalTools.openssl(["x509", "-inform", "DER", "-in", path("e.der")]).out
        XCTAssertEqual(fromDER, pem)

        let oneLine = try run(["export_own_cert", "-p", path("e.pse"), "-x", "", "--single-line"]).out
        XCTAssertEqual(oneLine.filter { $0 == "\n" }.count, 1)
        XCTAssertTrue(oneLine.hasPrefix("-----BEGIN CERTIFICATE-----\\nMII"), oneLine)
        XCTAssertTrue(oneLine.hasSuffix("-----END CERTIFICATE-----\\n\n"), oneLine)
        // As a JSON string value it decodes to the PEM.
        let decoded = try JSONDecoder().decode(String.self, from: Data(("\"" + oneLine.dropLast() + "\"").utf8))
        XCTAssertEqual(decoded, pem)
        XCTAssertEqual(try CertificateBundle.parse(Array(oneLine.utf8)), [certificate])

        let noFile = try ExternalTools.psekit(["export_own_cert", "-p", path("e.pse"), "-x", "", "--der"])
        XCTAssertNotEqual(noFile.status, 0)
        XCTAssertTrue(noFile.err.contains("-o FILE"), noFile.err)
    }

    func testGenVerifyPSEHoldsOnlyTrustedCertificates() throws {
        let folder = try ExternalTools.temporaryDirectory(self)
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        for name in ["one", "two"] {
            try ExternalTools.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                       "-keyout", path("\(name).key"), "-out", path("\(name).pem"), "-days", "5",
                                       "-subj", "/O=Test/CN=\(name)"])
        }
        try ExternalTools.openssl(["x509", "-in", path("two.pem"), "-outform", "DER", "-out", path("two.cer")])
        let created = try run(["gen_verify_pse", "-p", path("verify.pse"), "-x", "", "-a", path("one.pem"), "-a", path("two.cer"),
                               "-a", path("one.pem")])
        XCTAssertTrue(created.out.contains("trusting 2 certificates"), created.out)
        let content = try open(path("verify.pse"))
        XCTAssertEqual(objectNames(content), ["CertList"])
        XCTAssertEqual(Set(try content.trustedCertificates().map { SAPDistinguishedName.format($0.subject) }),
                       ["CN=one, O=Test", "CN=two, O=Test"])
        let listed = try run(["maintain_pk", "-l", "-p", path("verify.pse"), "-x", ""]).out
        XCTAssertTrue(listed.contains("CN=one, O=Test") && listed.contains("CN=two, O=Test"), listed)
        let fromPysap = try pysapCertificates(path("verify.pse"), pin: nil)
        XCTAssertTrue(fromPysap.plain)
        XCTAssertEqual(fromPysap.certificates, [], "a verification PSE has no own certificate")
    }
}

extension Data {
    fileprivate init(hexString: String) throws {
        var bytes: [UInt8] = []
        var index = hexString.startIndex
        while index < hexString.endIndex {
            let next = hexString.index(index, offsetBy: 2)
            guard let byte = UInt8(hexString[index..<next], radix: 16) else { throw CocoaError(.coderInvalidValue) }
            bytes.append(byte)
            index = next
        }
        self.init(bytes)
    }
}
