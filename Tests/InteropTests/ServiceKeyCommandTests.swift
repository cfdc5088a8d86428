import Foundation
import XCTest

/// `psekit service-key`: the JSON for SAP BTP, checked by parsing it and by openssl reading the
/// certificate back.
final class ServiceKeyCommandTests: XCTestCase {
    private func parse(_ result: ExternalTools.Result) throws -> [String: Any] {
        XCTAssertEqual(result.status, 0, result.err)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], result.out)
    }

    /// Restores PEM line breaks in a one-line certificate and has openssl convert it to DER.
    private func opensslDER(ofOneLinePEM text: String, folder: URL) throws -> Data {
        let begin = "-----BEGIN CERTIFICATE-----", end = "-----END CERTIFICATE-----"
        XCTAssertTrue(text.hasPrefix(begin) && text.hasSuffix(end), text)
        XCTAssertFalse(text.contains("\n"))
        XCTAssertFalse(text.contains("\r"))
        let body = Array(text.dropFirst(begin.count).dropLast(end.count))
        let lines = stride(from: 0, to: body.count, by: 64).map { String(body[$0..<min($0 + 64, body.count)]) }
        let pem = ([begin] + lines + [end]).joined(separator: "\n") + "\n"
        let pemFile = folder.appendingPathComponent("restored-\(UUID().uuidString).pem")
        try Data(pem.utf8).write(to: pemFile)
        let derFile = folder.appendingPathComponent("restored-\(UUID().uuidString).der")
        try ExternalTools.openssl(["x509", "-in", pemFile.path, "-outform", "DER", "-out", derFile.path])
        let subject = try ExternalTools.openssl(["x509", "-in", pemFile.path, "-noout", "-subject"])
        XCTAssertFalse(subject.out.isEmpty)
        return try Data(contentsOf: derFile)
    }

    func testServiceKeyFromAPSE() throws {
        let folder = try ExternalTools.temporaryDirectory(self)
        let pse = folder.appendingPathComponent("client.pse")
        try ExternalTools.vector("pse_v2_lps_off_pbes1_3des_sha1.pse").write(to: pse)
        let json = try parse(ExternalTools.psekit(["service-key", pse.path, "-x", "1234567980"]))
        XCTAssertEqual(Set(json.keys), ["key-type", "X.509"])
        XCTAssertEqual(json["key-type"] as? String, "certificate_external")
        let certificate = try XCTUnwrap(json["X.509"] as? String)
        XCTAssertEqual(try opensslDER(ofOneLinePEM: certificate, folder: folder),
                       try ExternalTools.vector("pse_v2_lps_off_pbes1_3des_sha1_cert.der"))
    }

    func testServiceKeyFromCertificateFilesWithValidityAndKeyLength() throws {
        let folder = try ExternalTools.temporaryDirectory(self)
        let der = folder.appendingPathComponent("client.der")
        try ExternalTools.vector("pse_v4_lps_off_pbes1_3des_sha1_cert.der").write(to: der)
        let pem = folder.appendingPathComponent("client.pem")
        try ExternalTools.openssl(["x509", "-inform", "DER", "-in", der.path, "-out", pem.path])
        for file in [der, pem] {
            let json = try parse(ExternalTools.psekit(["service-key", file.path, "--validity", "365", "--key-length", "2048"]))
            XCTAssertEqual(Set(json.keys), ["key-type", "X.509", "validity", "key-length"])
            XCTAssertEqual(json["validity"] as? Int, 365)
            XCTAssertEqual(json["key-length"] as? Int, 2048)
            let certificate = try XCTUnwrap(json["X.509"] as? String)
            XCTAssertEqual(try opensslDER(ofOneLinePEM: certificate, folder: folder), try Data(contentsOf: der))
        }
    }

    func testServiceKeyFromAPKCS12File() throws {
        let folder = try ExternalTools.temporaryDirectory(self)
        let key = folder.appendingPathComponent("key.pem"), cert = folder.appendingPathComponent("cert.pem")
        let pfx = folder.appendingPathComponent("client.pfx")
        try ExternalTools.openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.path, "-out", cert.path,
                                   "-subj", "/CN=pfx client/O=Example", "-days", "10"])
        try ExternalTools.openssl(["pkcs12", "-export", "-inkey", key.path, "-in", cert.path, "-passout", "pass:secret",
                                   "-out", pfx.path])
        let json = try parse(ExternalTools.psekit(["service-key", pfx.path, "-x", "secret"]))
        let certificate = try XCTUnwrap(json["X.509"] as? String)
        let expected = try ExternalTools.openssl(["x509", "-in", cert.path, "-outform", "DER"]).stdout
        XCTAssertEqual(try opensslDER(ofOneLinePEM: certificate, folder: folder), expected)

        let wrong = try ExternalTools.psekit(["service-key", pfx.path, "-x", "nope"])
        XCTAssertNotEqual(wrong.status, 0)
        XCTAssertTrue(wrong.err.contains("wrong password"), wrong.err)
        XCTAssertFalse(wrong.err.contains("nope"))
    }

    func testInstanceParameters() throws {
        let plain = try parse(ExternalTools.psekit(["service-key", "--instance"]))
        XCTAssertEqual(plain["grant-types"] as? [String], ["client_x509"])
        XCTAssertEqual(plain["redirect-uris"] as? [String], [])
        XCTAssertEqual(plain["roles"] as? [String], ["ESBMessaging.send"])
        XCTAssertEqual(Set(plain.keys), ["grant-types", "redirect-uris", "roles"])

        let roles = try parse(ExternalTools.psekit(["service-key", "--instance", "--role", "ESBMessaging.send", "--role", "Custom.Role"]))
        XCTAssertEqual(roles["roles"] as? [String], ["ESBMessaging.send", "Custom.Role"])
    }

    func testMisuseIsRefused() throws {
        XCTAssertNotEqual(try ExternalTools.psekit(["service-key"]).status, 0)
        XCTAssertNotEqual(try ExternalTools.psekit(["service-key", "--role", "X", "/nonexistent.crt"]).status, 0)
        let missing = try ExternalTools.psekit(["service-key", "/nonexistent/client.crt"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.err.contains("/nonexistent/client.crt"), missing.err)
    }
}
