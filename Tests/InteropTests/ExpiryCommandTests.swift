import CryptoExtras
import Foundation
import PSEKit
import PSEStore
import X509
import XCTest

/// `psekit expiry` on a folder of PSEs whose certificates expire in 5 and 40 days, and one that
/// expired a day ago.
final class ExpiryCommandTests: XCTestCase {
    let pin = "4711-expiry"

    /// Writes a PSE with a self-signed certificate valid from `start` for `days` days.
    private func writePSE(_ url: URL, subject: String, start: Date, days: Int, pin: String?) throws {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let certificate = try SelfSignedCertificateBuilder.make(privateKey: key, subject: SAPDistinguishedName.parse(subject),
                                                                notBefore: start, days: days)
        var content = try PSEContent()
        try content.setIdentity(privateKey: key, certificate: certificate, chain: [])
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(PSEFile(content: content).encoded(pin: pin)).write(to: url)
    }

    /// soon.pse (5 days, no PIN), sub/later.pse (40 days, PIN), sub/deeper/old.pse (expired a day
    /// ago, no PIN) and a file that is not a PSE.
    private func folder() throws -> URL {
        let folder = try ExternalTools.temporaryDirectory(self)
        let now = Date()
        try writePSE(folder.appendingPathComponent("soon.pse"), subject: "CN=soon, O=Example", start: now, days: 5, pin: nil)
        try writePSE(folder.appendingPathComponent("sub/later.pse"), subject: "CN=later", start: now, days: 40, pin: pin)
        try writePSE(folder.appendingPathComponent("sub/deeper/old.pse"), subject: "CN=old",
                     start: now.addingTimeInterval(-400 * 86_400), days: 399, pin: nil)
        try Data("not a PSE".utf8).write(to: folder.appendingPathComponent("sub/notes.txt"))
        return folder
    }

    private func expiry(_ arguments: [String], secudir: URL, pinVariable: String? = nil) throws -> ExternalTools.Result {
        var environment = ["SECUDIR": secudir.path]
        if let pinVariable { environment[pinVariable] = pin }
        return try ExternalTools.psekit(["expiry"] + arguments, stdin: Data(), environment: environment)
    }

    func testReportsTheTwoDueCertificatesSortedByDate() throws {
        let folder = try folder()
        let result = try expiry([folder.path, "--days", "30", "--pin-env", "EXPIRY_PIN"], secudir: folder, pinVariable: "EXPIRY_PIN")
        XCTAssertEqual(result.status, 1, result.err)
        let lines = result.out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 2, result.out)
        XCTAssertTrue(lines[0].contains("CN=old") && lines[0].contains("expired 1 day ago")
                      && lines[0].contains("sub/deeper/old.pse"), lines[0])
        XCTAssertTrue(lines[1].contains("CN=soon, O=Example") && lines[1].contains("in 5 days")
                      && lines[1].contains("soon.pse"), lines[1])
        XCTAssertTrue(lines[0].contains("own, root, trusted"), lines[0])
        XCTAssertFalse(result.out.contains("CN=later"))
        XCTAssertEqual(result.err, "")
    }

    func testJSONReport() throws {
        let folder = try folder()
        let result = try expiry([folder.path, "--json", "--pin-env", "EXPIRY_PIN"], secudir: folder, pinVariable: "EXPIRY_PIN")
        XCTAssertEqual(result.status, 1, result.err)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], result.out)
        XCTAssertEqual(report["days"] as? Int, 30)
        XCTAssertEqual((report["checkedFiles"] as? [String])?.count, 3)
        XCTAssertEqual((report["unreadable"] as? [Any])?.count, 0)
        let due = try XCTUnwrap(report["due"] as? [[String: Any]])
        XCTAssertEqual(due.map { $0["subject"] as? String }, ["CN=old", "CN=soon, O=Example"])
        XCTAssertEqual(due.map { $0["daysLeft"] as? Int }, [-1, 5])
        XCTAssertEqual(due.map { $0["expired"] as? Bool }, [true, false])
        XCTAssertEqual(due.map { ($0["file"] as? String).map { URL(fileURLWithPath: $0).lastPathComponent } }, ["old.pse", "soon.pse"])
        XCTAssertEqual(due[0]["roles"] as? [String], ["own", "root", "trusted"])
        XCTAssertNotNil(due[0]["notAfter"] as? String)

        let wide = try expiry([folder.path, "--json", "--days", "60", "--pin-env", "EXPIRY_PIN"], secudir: folder, pinVariable: "EXPIRY_PIN")
        let wideDue = try XCTUnwrap((JSONSerialization.jsonObject(with: wide.stdout) as? [String: Any])?["due"] as? [[String: Any]])
        XCTAssertEqual(wideDue.map { $0["subject"] as? String }, ["CN=old", "CN=soon, O=Example", "CN=later"])
        XCTAssertEqual(wideDue.last?["daysLeft"] as? Int, 40)
    }

    func testNothingDueExitsZero() throws {
        let folder = try folder()
        let later = folder.appendingPathComponent("sub/later.pse")
        let result = try expiry([later.path, "--pin-env", "EXPIRY_PIN"], secudir: folder, pinVariable: "EXPIRY_PIN")
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("No certificate expires within 30 days (1 certificate in 1 PSE)"), result.out)
        let json = try expiry([later.path, "--pin-env", "EXPIRY_PIN", "--json"], secudir: folder, pinVariable: "EXPIRY_PIN")
        XCTAssertEqual(json.status, 0)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        XCTAssertEqual((report["due"] as? [Any])?.count, 0)
    }

    func testUnreadablePSEsExitTwoAndAreNamed() throws {
        let folder = try folder()
        try Data([0x30, 0x03, 0x02, 0x01, 0x09]).write(to: folder.appendingPathComponent("broken.pse"))
        // No PIN for later.pse, and a broken file.
        let result = try expiry([folder.path], secudir: folder)
        XCTAssertEqual(result.status, 2, result.out + result.err)
        XCTAssertTrue(result.err.contains("sub/later.pse") && result.err.contains("has a PIN"), result.err)
        XCTAssertTrue(result.err.contains("broken.pse"), result.err)
        XCTAssertTrue(result.out.contains("CN=old") && result.out.contains("CN=soon"), "the readable PSEs are still reported")

        let json = try expiry([folder.path, "--json"], secudir: folder)
        XCTAssertEqual(json.status, 2)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        let unreadable = try XCTUnwrap(report["unreadable"] as? [[String: Any]])
        XCTAssertEqual(unreadable.compactMap { ($0["file"] as? String).map { URL(fileURLWithPath: $0).lastPathComponent } },
                       ["broken.pse", "later.pse"])

        let wrongPIN = try ExternalTools.psekit(["expiry", folder.appendingPathComponent("sub/later.pse").path, "--pin-env", "WRONG"],
                                                environment: ["SECUDIR": folder.path, "WRONG": "nope"])
        XCTAssertEqual(wrongPIN.status, 2)
        XCTAssertTrue(wrongPIN.err.contains("wrong PIN"), wrongPIN.err)
    }

    func testPINFromSeclogin() throws {
        let folder = try folder()
        let later = folder.appendingPathComponent("sub/later.pse")
        let stored = try ExternalTools.psekit(["seclogin", "-p", later.path, "-x", pin], stdin: Data(),
                                              environment: ["SECUDIR": folder.path])
        XCTAssertEqual(stored.status, 0, stored.err)
        let result = try expiry([folder.path, "--days", "60", "-v"], secudir: folder)
        XCTAssertEqual(result.status, 1, result.err)
        XCTAssertTrue(result.out.contains("CN=later"), result.out)
        XCTAssertTrue(result.err.contains("later.pse (PIN stored by seclogin"), result.err)
    }

    func testDefaultsToSECUDIR() throws {
        let folder = try folder()
        let result = try expiry(["--pin-env", "EXPIRY_PIN"], secudir: folder, pinVariable: "EXPIRY_PIN")
        XCTAssertEqual(result.status, 1, result.err)
        XCTAssertEqual(result.out.split(separator: "\n").count, 2)
    }
}
