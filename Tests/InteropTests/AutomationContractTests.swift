import Foundation
import PSEKit
import PSENet
import XCTest

/// docs/automation.md: `--check` writes nothing and says what would change; `--json` carries
/// `schemaVersion`, `changed`, `check`, `created`, `added`, `removed`, `updated`; a second run
/// of the same command changes nothing.
final class AutomationContractTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try ExternalTools.temporaryDirectory(self)
    }

    private func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    @discardableResult
    private func psekit(_ arguments: [String], expect status: Int32 = 0, file: StaticString = #filePath,
                        line: UInt = #line) throws -> ExternalTools.Result {
        let result = try ExternalTools.psekit(arguments, environment: ["SECUDIR": folder.path])
        XCTAssertEqual(result.status, status, "psekit \(arguments.joined(separator: " ")): \(result.err)", file: file, line: line)
        return result
    }

    private func json(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let result = try psekit(arguments + ["--json"], file: file, line: line)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], result.out,
                                   file: file, line: line)
        XCTAssertEqual(object["schemaVersion"] as? Int, 1, file: file, line: line)
        for key in ["created", "added", "removed", "updated"] {
            XCTAssertNotNil(object[key] as? [Any], "\(key) in \(arguments[0])", file: file, line: line)
        }
        return object
    }

    private func items(_ object: [String: Any], _ key: String) -> [[String: Any]] { object[key] as? [[String: Any]] ?? [] }

    private func bytes(_ name: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path(name))) }

    /// A CA made by openssl, and a PSE whose request it signed.
    private func makeCA() throws -> (cert: String, key: String) {
        let key = path("ca.key"), cert = path("ca.pem")
        try ExternalTools.openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                                   "-subj", "/C=DE/O=Example/CN=Contract CA", "-days", "30",
                                   "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        return (cert, key)
    }

    func testGenPSECheckWritesNothingThenCreatesThenRefusesTheSecondTime() throws {
        let pse = path("client.pse"), request = path("client.req")
        let check = try json(["gen_pse", "-x", "", "-p", pse, "-r", request, "--check", "CN=contract, O=Example, C=DE"])
        XCTAssertEqual(check["changed"] as? Bool, true)
        XCTAssertEqual(check["check"] as? Bool, true)
        XCTAssertEqual(items(check, "created").first?["kind"] as? String, "pse")
        XCTAssertEqual(items(check, "created").first?["subject"] as? String, "CN=contract, O=Example, C=DE")
        XCTAssertFalse(FileManager.default.fileExists(atPath: pse), "--check wrote the PSE")
        XCTAssertFalse(FileManager.default.fileExists(atPath: request), "--check wrote the request")

        let text = try psekit(["gen_pse", "-x", "", "-p", pse, "--check", "-noreq", "CN=contract"])
        XCTAssertTrue(text.out.contains("Would create pse CN=contract"), text.out)
        XCTAssertTrue(text.out.hasSuffix("--check: nothing was written.\n"), text.out)

        let created = try json(["gen_pse", "-x", "", "-p", pse, "-noreq", "CN=contract, O=Example, C=DE"])
        XCTAssertEqual(created["changed"] as? Bool, true)
        XCTAssertEqual(created["check"] as? Bool, false)
        let fingerprint = try XCTUnwrap(items(created, "created").first?["sha256Fingerprint"] as? String)
        let own = try JSONSerialization.jsonObject(with: try psekit(["get_my_name", "-p", pse, "--json"]).stdout) as? [String: Any]
        XCTAssertEqual((own?["certificate"] as? [String: Any])?["sha256Fingerprint"] as? String, fingerprint)
        // The same command again: the file exists, so it fails (exit 1) and changes nothing.
        let before = try bytes("client.pse")
        let again = try psekit(["gen_pse", "-x", "", "-p", pse, "-noreq", "--check", "CN=contract"], expect: 1)
        XCTAssertTrue(again.err.contains("already exists"), again.err)
        XCTAssertEqual(try bytes("client.pse"), before)
    }

    func testMaintainPKCheckAddDeleteFileAndIdempotence() throws {
        let pse = path("trust.pse")
        try psekit(["gen_pse", "-x", "", "-p", pse, "-noreq", "CN=trust"])
        let ca = try makeCA()
        let original = try bytes("trust.pse")

        let check = try json(["maintain_pk", "-p", pse, "-a", ca.cert, "--check"])
        XCTAssertEqual(check["changed"] as? Bool, true)
        XCTAssertEqual(items(check, "added").map { $0["subject"] as? String }, ["CN=Contract CA, O=Example, C=DE"])
        XCTAssertEqual(try bytes("trust.pse"), original, "--check changed the PSE")

        let added = try json(["maintain_pk", "-p", pse, "-a", ca.cert])
        XCTAssertEqual(added["changed"] as? Bool, true)
        let fingerprint = try XCTUnwrap(items(added, "added").first?["sha256Fingerprint"] as? String)
        let openssl = try ExternalTools.openssl(["x509", "-in", ca.cert, "-noout", "-fingerprint", "-sha256"])
        XCTAssertEqual(openssl.out.trimmingCharacters(in: .whitespacesAndNewlines), "sha256 Fingerprint=" + fingerprint)
        XCTAssertEqual((added["trusted"] as? [Any])?.count, 2)

        let afterAdd = try bytes("trust.pse")
        let again = try json(["maintain_pk", "-p", pse, "-a", ca.cert])
        XCTAssertEqual(again["changed"] as? Bool, false)
        XCTAssertEqual(try bytes("trust.pse"), afterAdd, "an unchanged list was written again")

        let removeCheck = try json(["maintain_pk", "-p", pse, "--delete-file", ca.cert, "--check"])
        XCTAssertEqual(items(removeCheck, "removed").first?["sha256Fingerprint"] as? String, fingerprint)
        XCTAssertEqual(try bytes("trust.pse"), afterAdd)
        let removed = try json(["maintain_pk", "-p", pse, "--delete-file", ca.cert])
        XCTAssertEqual(removed["changed"] as? Bool, true)
        XCTAssertEqual((removed["trusted"] as? [Any])?.count, 1)
        let removedAgain = try json(["maintain_pk", "-p", pse, "--delete-file", ca.cert])
        XCTAssertEqual(removedAgain["changed"] as? Bool, false)

        let listing = try json(["maintain_pk", "-l", "-p", pse])
        XCTAssertEqual(listing["changed"] as? Bool, false)
        XCTAssertEqual((listing["trusted"] as? [[String: Any]])?.first?["number"] as? Int, 1)
    }

    func testChangePINCheckAndNoRewriteForTheSamePIN() throws {
        let pse = path("pin.pse")
        try psekit(["gen_pse", "-x", "old-PIN", "-p", pse, "-noreq", "CN=pin"])
        let original = try bytes("pin.pse")
        let check = try json(["change_pin", "-p", pse, "-x", "old-PIN", "-z", "new-PIN", "--check"])
        XCTAssertEqual(check["changed"] as? Bool, true)
        XCTAssertEqual(items(check, "updated").first?["kind"] as? String, "pin")
        XCTAssertEqual(try bytes("pin.pse"), original)
        try psekit(["get_my_name", "-p", pse, "-x", "old-PIN"])

        let same = try json(["change_pin", "-p", pse, "-x", "old-PIN", "-z", "old-PIN"])
        XCTAssertEqual(same["changed"] as? Bool, false)
        XCTAssertEqual(try bytes("pin.pse"), original, "the same PIN rewrote the PSE")

        let changed = try json(["change_pin", "-p", pse, "-x", "old-PIN", "-z", "new-PIN"])
        XCTAssertEqual(changed["changed"] as? Bool, true)
        try psekit(["get_my_name", "-p", pse, "-x", "new-PIN"])
    }

    func testSecloginCheckStoreAgainAndDelete() throws {
        let pse = path("sso.pse")
        try psekit(["gen_pse", "-x", "sso-PIN", "-p", pse, "-noreq", "CN=sso"])
        let credentials = path("cred_v2")

        let check = try json(["seclogin", "-p", pse, "-x", "sso-PIN", "--check"])
        XCTAssertEqual(check["changed"] as? Bool, true)
        XCTAssertEqual(items(check, "added").first?["kind"] as? String, "credential")
        XCTAssertFalse(FileManager.default.fileExists(atPath: credentials), "--check wrote cred_v2")

        XCTAssertEqual(try json(["seclogin", "-p", pse, "-x", "sso-PIN"])["changed"] as? Bool, true)
        let stored = try bytes("cred_v2")
        XCTAssertEqual(try json(["seclogin", "-p", pse, "-x", "sso-PIN"])["changed"] as? Bool, false)
        XCTAssertEqual(try bytes("cred_v2"), stored, "the same PIN rewrote cred_v2")
        // A new PSE with another PIN at the same path: the stored credential is out of date.
        try psekit(["gen_pse", "-x", "sso-PIN-2", "-p", pse, "-noreq", "--force", "CN=sso"])
        let replaced = try json(["seclogin", "-p", pse, "-x", "sso-PIN-2", "--check"])
        XCTAssertEqual(items(replaced, "updated").first?["kind"] as? String, "credential")

        let deleteCheck = try json(["seclogin", "-d", "-p", pse, "--check"])
        XCTAssertEqual(items(deleteCheck, "removed").count, 1)
        XCTAssertEqual(try bytes("cred_v2"), stored)
        XCTAssertEqual(try json(["seclogin", "-d", "-p", pse])["changed"] as? Bool, true)
        try psekit(["get_my_name", "-p", pse], expect: 1)  // no credential, no PIN: refused
    }

    func testGenVerifyPSEAndImportsCheckWriteNothing() throws {
        let ca = try makeCA()
        let verify = path("verify.pse")
        let check = try json(["gen_verify_pse", "-x", "", "-p", verify, "-a", ca.cert, "--check"])
        XCTAssertEqual(items(check, "created").first?["path"] as? String, verify)
        XCTAssertFalse(FileManager.default.fileExists(atPath: verify))
        XCTAssertEqual(try json(["gen_verify_pse", "-x", "", "-p", verify, "-a", ca.cert])["changed"] as? Bool, true)

        // A key and certificate signed by the CA, as PKCS#8 and PKCS#12.
        let key = path("leaf.key"), csr = path("leaf.csr"), cert = path("leaf.pem"), p12 = path("leaf.p12")
        try ExternalTools.openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=leaf"])
        try ExternalTools.openssl(["x509", "-req", "-in", csr, "-CA", ca.cert, "-CAkey", ca.key, "-CAcreateserial",
                                   "-out", cert, "-days", "30"])
        try ExternalTools.openssl(["pkcs12", "-export", "-inkey", key, "-in", cert, "-certfile", ca.cert,
                                   "-passout", "pass:pfx", "-out", p12])
        let fromP12 = path("p12.pse"), fromP8 = path("p8.pse")
        let p12Check = try json(["import_p12", "-p", fromP12, "-x", "", "-z", "pfx", "--check", p12])
        XCTAssertEqual(items(p12Check, "created").first?["subject"] as? String, "CN=leaf")
        XCTAssertFalse(FileManager.default.fileExists(atPath: fromP12))
        let p8Check = try json(["import_p8", "-p", fromP8, "-x", "", "-c", cert, "-r", ca.cert, "--check", key])
        XCTAssertEqual(items(p8Check, "created").first?["subject"] as? String, "CN=leaf")
        XCTAssertFalse(FileManager.default.fileExists(atPath: fromP8))
        XCTAssertEqual(try json(["import_p12", "-p", fromP12, "-x", "", "-z", "pfx", p12])["changed"] as? Bool, true)
    }

    func testImportOwnCertCheckThenOnceOnly() throws {
        let ca = try makeCA()
        let pse = path("own.pse"), request = path("own.req"), signed = path("own.pem")
        try psekit(["gen_pse", "-x", "", "-p", pse, "-r", request, "CN=own"])
        try ExternalTools.openssl(["x509", "-req", "-in", request, "-CA", ca.cert, "-CAkey", ca.key, "-CAcreateserial",
                                   "-out", signed, "-days", "30"])
        let original = try bytes("own.pse")
        let check = try json(["import_own_cert", "-p", pse, "-c", signed, "-r", ca.cert, "--check"])
        XCTAssertEqual(items(check, "updated").first?["kind"] as? String, "identity")
        XCTAssertEqual(try bytes("own.pse"), original)
        XCTAssertEqual(try json(["import_own_cert", "-p", pse, "-c", signed, "-r", ca.cert])["changed"] as? Bool, true)
        let installed = try bytes("own.pse")
        XCTAssertEqual(try json(["import_own_cert", "-p", pse, "-c", signed, "-r", ca.cert])["changed"] as? Bool, false)
        XCTAssertEqual(try bytes("own.pse"), installed)
    }

    /// trust --check --expect-fingerprint: says what it would add and writes nothing; then the
    /// real run adds it (changed), and a second run changes nothing.
    func testTrustCheckThenPinnedTrustThenNothingMore() throws {
        let pki = try TestPKI(in: folder, name: "Contract")
        let server = try OpenSSLTestServer(self, directory: folder, arguments: OpenSSLTestServer.serving(pki))
        let pse = path("trust-url.pse")
        try psekit(["gen_pse", "-x", "", "-p", pse, "-noreq", "CN=trust-url"])
        let original = try bytes("trust-url.pse")
        let root = try TestPKI.certificates(pki.rootCertificate)[0]
        let pin = "SHA256:" + CertificateFingerprint.sha256(root)
        let arguments = ["trust", server.url, "-p", pse, "--ca-file", pki.rootCertificate.path, "--expect-fingerprint", pin]

        let check = try json(arguments + ["--check"])
        XCTAssertEqual(check["changed"] as? Bool, true)
        XCTAssertEqual(check["check"] as? Bool, true)
        XCTAssertTrue(items(check, "added").contains { $0["sha256Fingerprint"] as? String == CertificateFingerprint.sha256(root) })
        XCTAssertEqual(try bytes("trust-url.pse"), original, "--check changed the PSE")

        let trusted = try json(arguments)
        XCTAssertEqual(trusted["changed"] as? Bool, true)
        XCTAssertEqual(items(trusted, "added").count, 2, "root and intermediate")
        let again = try json(arguments)
        XCTAssertEqual(again["changed"] as? Bool, false)
    }
}
