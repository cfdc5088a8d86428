import CryptoExtras
import Foundation
import PSEKit
import PSEStore
import SwiftASN1
import X509
import XCTest

/// SAP names, certificate bundles and the own certificate/request builders, checked with openssl.
final class CertificateInteropTests: XCTestCase {
    static let key: _RSA.Signing.PrivateKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let sapDN = "CN=COMPUTER.theobald.local, C=DE, S=BW, O=TS, OU=DEV"

    private func write(_ text: String, _ name: String, in folder: URL) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    private func write(_ bytes: [UInt8], _ name: String, in folder: URL) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func testSelfSignedCertificateSubjectOrderAndSignatureWithOpenSSL() throws {
        let folder = try ExternalTools.temporaryDirectory(self)
        let certificate = try SelfSignedCertificateBuilder.make(
            privateKey: Self.key, subject: try SAPDistinguishedName.parse(Self.sapDN),
            alternativeNames: [try SubjectAlternativeNameSpec.parse("GN-dNSName:COMPUTER.theobald.local")])
        let pem = try write(CertificateBundle.pem([certificate]), "self.pem", in: folder)

        let subject = try ExternalTools.openssl(["x509", "-in", pem, "-noout", "-nameopt", "RFC2253", "-subject"])
        XCTAssertEqual(subject.out.trimmingCharacters(in: .whitespacesAndNewlines),
                       "subject=CN=COMPUTER.theobald.local,C=DE,ST=BW,O=TS,OU=DEV")
        let verify = try ExternalTools.openssl(["verify", "-CAfile", pem, pem])
        XCTAssertTrue(verify.out.contains("self.pem: OK"), verify.out + verify.err)

        let text = try ExternalTools.openssl(["x509", "-in", pem, "-noout", "-text"]).out
        XCTAssertTrue(text.contains("Version: 3 (0x2)"), text)
        XCTAssertTrue(text.contains("Signature Algorithm: sha256WithRSAEncryption"), text)
        XCTAssertTrue(text.contains("CA:TRUE"), text)
        XCTAssertTrue(text.contains("DNS:COMPUTER.theobald.local"), text)
        XCTAssertFalse(text.contains("critical"), "SAP's extensions are all non-critical: \(text)")
        // Extension order as in SAP's vector.
        let order = ["Subject Key Identifier", "Authority Key Identifier", "Basic Constraints", "Subject Alternative Name"]
            .map { text.range(of: "X509v3 \($0)")!.lowerBound }
        XCTAssertEqual(order, order.sorted())
        // openssl agrees on the key identifier.
        let ski = try ExternalTools.openssl(["x509", "-in", pem, "-noout", "-ext", "subjectKeyIdentifier"]).out
        let expected = Array(certificate.extensions)[0].value.dropFirst(2).map { String(format: "%02X", $0) }.joined(separator: ":")
        XCTAssertTrue(ski.contains(expected), ski)
    }

    func testEverySignatureHashVerifiesWithOpenSSL() throws {
        let folder = try ExternalTools.temporaryDirectory(self)
        for name in ["sha1WithRsaEncryption", "sha384WithRsaEncryption", "sha512WithRsaEncryption"] {
            let choice = try SignatureAlgorithmChoice.parse(name)
            let certificate = try SelfSignedCertificateBuilder.make(
                privateKey: Self.key, subject: try SAPDistinguishedName.parse("CN=\(name)"), signatureAlgorithm: choice)
            let pem = try write(CertificateBundle.pem([certificate]), "\(name).pem", in: folder)
            let text = try ExternalTools.openssl(["x509", "-in", pem, "-noout", "-text"]).out
            XCTAssertTrue(text.contains("Signature Algorithm: \(name.replacingOccurrences(of: "Rsa", with: "RSA"))"), text)
            // -auth_level 0 lets openssl 3 check SHA-1 signatures too.
            let verify = try ExternalTools.openssl(["verify", "-auth_level", "0", "-CAfile", pem, pem])
            XCTAssertTrue(verify.out.contains(": OK"), name + verify.out + verify.err)
        }
    }

    func testCertificateRequestVerifiesAndShowsEveryName() throws {
        let folder = try ExternalTools.temporaryDirectory(self)
        let specs = ["GN-dNSName:COMPUTER.theobald.local", "GN-dNSName:computer", "GN-iPAddress:192.0.2.10",
                     "GN-iPAddress:2001:db8::10", "GN-rfc822Name:it@theobald.local",
                     "GN-uniformResourceIdentifier:https://computer.theobald.local/"]
        let request = try CertificateRequestBuilder.make(
            privateKey: Self.key, subject: try SAPDistinguishedName.parse(Self.sapDN),
            alternativeNames: try specs.map(SubjectAlternativeNameSpec.parse))
        let path = try write(CertificateRequestBuilder.pem(request), "req.pem", in: folder)
        let result = try ExternalTools.openssl(["req", "-in", path, "-verify", "-noout", "-text", "-nameopt", "RFC2253"])
        let output = result.out + result.err
        XCTAssertTrue(output.contains("verify OK") || output.contains("Certificate request self-signature verify OK"), output)
        XCTAssertTrue(output.contains("Subject: CN=COMPUTER.theobald.local,C=DE,ST=BW,O=TS,OU=DEV"), output)
        for shown in ["DNS:COMPUTER.theobald.local", "DNS:computer", "IP Address:192.0.2.10", "IP Address:2001:DB8:0:0:0:0:0:10",
                      "email:it@theobald.local", "URI:https://computer.theobald.local/"] {
            XCTAssertTrue(output.contains(shown), "\(shown) missing in \(output)")
        }
    }

    func testSpecialCharactersInNamesReachOpenSSL() throws {
        let folder = try ExternalTools.temporaryDirectory(self)
        let subject = try SAPDistinguishedName.parse(#"CN=Müller\, Jürgen + UID=jm, O="a+b", OU=x\=y, E=jm@example.com"#)
        let certificate = try SelfSignedCertificateBuilder.make(privateKey: Self.key, subject: subject)
        let pem = try write(CertificateBundle.pem([certificate]), "special.pem", in: folder)
        let printed = try ExternalTools.openssl(
            ["x509", "-in", pem, "-noout", "-nameopt", "RFC2253,-esc_msb", "-subject"]).out
        XCTAssertEqual(printed.trimmingCharacters(in: .whitespacesAndNewlines),
                       #"subject=CN=Müller\, Jürgen+UID=jm,O=a\+b,OU=x=y,emailAddress=jm@example.com"#)
        XCTAssertEqual(SAPDistinguishedName.format(subject),
                       #"UID=jm + CN="Müller, Jürgen", O="a+b", OU="x=y", E=jm@example.com"#)
        let asn1 = try ExternalTools.openssl(["asn1parse", "-in", pem]).out
        XCTAssertTrue(asn1.contains("IA5STRING         :jm@example.com"), asn1)
        XCTAssertTrue(asn1.contains("UTF8STRING        :M"), asn1)
        XCTAssertTrue(asn1.contains("UTF8STRING        :a+b"), asn1)
    }

    func testOpenSSLCertificatesInEveryFormat() throws {
        let folder = try ExternalTools.temporaryDirectory(self)
        var pems: [String] = []
        for name in ["root", "intermediate", "leaf"] {
            let key = folder.appendingPathComponent("\(name).key").path
            let cert = folder.appendingPathComponent("\(name).pem").path
            try ExternalTools.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                       "-keyout", key, "-out", cert, "-days", "2",
                                       "-subj", "/C=DE/ST=BW/O=TS/OU=DEV/CN=\(name).theobald.local"])
            pems.append(cert)
        }
        let expectedNames = ["root", "intermediate", "leaf"].map { "CN=\($0).theobald.local, OU=DEV, O=TS, SP=BW, C=DE" }

        // One PEM file with text between the blocks (as `openssl x509 -text` writes it).
        var chain = ""
        for pem in pems {
            chain += try ExternalTools.openssl(["x509", "-in", pem, "-text"]).out
        }
        let fromPEM = try CertificateBundle.parse(Array(chain.utf8))
        XCTAssertEqual(fromPEM.map { SAPDistinguishedName.format($0.subject) }, expectedNames)

        // DER and Base64 without armour.
        let der = try ExternalTools.openssl(["x509", "-in", pems[2], "-outform", "DER"]).stdout
        XCTAssertEqual(try CertificateBundle.parse([UInt8](der)), [fromPEM[2]])
        let base64 = der.base64EncodedString(options: [.lineLength64Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        XCTAssertEqual(try CertificateBundle.parse(Array(base64.utf8)), [fromPEM[2]])

        // PKCS#7 as openssl writes it (DER and PEM), order kept.
        let chainPath = try write(chain, "chain.pem", in: folder)
        let p7bDER = try ExternalTools.openssl(["crl2pkcs7", "-nocrl", "-certfile", chainPath, "-outform", "DER"]).stdout
        XCTAssertEqual(try CertificateBundle.parse([UInt8](p7bDER)), fromPEM)
        let p7bPEM = try ExternalTools.openssl(["crl2pkcs7", "-nocrl", "-certfile", chainPath]).out
        XCTAssertTrue(p7bPEM.hasPrefix("-----BEGIN PKCS7-----"))
        XCTAssertEqual(try CertificateBundle.parse(Array(p7bPEM.utf8)), fromPEM)
        // What we write is what openssl wrote, and openssl reads it back in order.
        XCTAssertEqual(CertificateBundle.pkcs7(fromPEM), [UInt8](p7bDER))
        let ours = try write(CertificateBundle.pkcs7(fromPEM), "ours.p7b", in: folder)
        let printed = try ExternalTools.openssl(["pkcs7", "-inform", "DER", "-in", ours, "-print_certs", "-noout"]).out
        let subjects = printed.split(separator: "\n").filter { $0.hasPrefix("subject=") }
        XCTAssertEqual(subjects.count, 3)
        XCTAssertTrue(subjects[0].contains("root.theobald.local") && subjects[2].contains("leaf.theobald.local"), printed)

        // Through the file reader, which names the file it could not read.
        XCTAssertEqual(try CertificateFileReader.certificates(atPath: chainPath), fromPEM)
        XCTAssertThrowsError(try CertificateFileReader.certificates(atPath: folder.appendingPathComponent("none.pem").path)) {
            XCTAssertTrue(String(describing: $0).contains("none.pem"))
        }
    }
}
