import Foundation
import PSEKit
import PSEStore
import XCTest

/// `psekit seclogin` through the binary, with SECUDIR set to a temporary folder; pysap checks
/// the credentials it writes.
final class SecLoginCommandTests: XCTestCase {
    let pin = "1234567980"
    let pseName = "pse_v2_lps_off_pbes1_3des_sha1.pse"

    /// A temporary SECUDIR holding a copy of the PIN-protected vector PSE.
    private func secudir() throws -> URL {
        let folder = try ExternalTools.temporaryDirectory(self)
        let target = folder.appendingPathComponent(pseName)
        try ExternalTools.vector(pseName).write(to: target)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target.path)
        return folder
    }

    private func psekit(_ arguments: [String], in folder: URL) throws -> ExternalTools.Result {
        try ExternalTools.psekit(arguments, stdin: Data(), environment: ["SECUDIR": folder.path], currentDirectory: folder)
    }

    private func pysapPIN(_ credentials: URL, user: String, index: Int = 0) throws -> String {
        let script = """
        from pysap.SAPCredv2 import SAPCredv2
        creds = SAPCredv2(open('\(credentials.path)', 'rb').read()).creds
        try:
            pin = creds[\(index)].cred.decrypt('\(user)').pin.val
            print(pin.decode('ascii') if isinstance(pin, bytes) else pin)
        except Exception:
            print('FAIL')
        """
        let result = try ExternalTools.pysap(script)
        XCTAssertEqual(result.status, 0, result.err)
        return result.out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func testGetMyNameUsesTheStoredPINAndFailsAfterDeletion() throws {
        let folder = try secudir()
        let user = CredentialStore.currentUser
        let stored = try psekit(["seclogin", "-p", pseName, "-x", pin], in: folder)
        XCTAssertEqual(stored.status, 0, stored.err)
        XCTAssertTrue(stored.out.contains("Added SSO credentials for PSE \"\(folder.appendingPathComponent(pseName).path)\""), stored.out)

        let credentials = folder.appendingPathComponent("cred_v2")
        let mode = try FileManager.default.attributesOfItem(atPath: credentials.path)[.posixPermissions] as? NSNumber
        XCTAssertEqual(mode?.intValue, 0o600)
        XCTAssertEqual(try pysapPIN(credentials, user: user), pin, "pysap decrypts what seclogin wrote")
        XCTAssertNotEqual(try pysapPIN(credentials, user: user + "x"), pin)

        let opened = try psekit(["get_my_name", "-p", pseName, "-n", "Subject"], in: folder)
        XCTAssertEqual(opened.status, 0, opened.err)
        XCTAssertEqual(opened.out.trimmingCharacters(in: .whitespacesAndNewlines), "CN=PSEOwner")

        let deleted = try psekit(["seclogin", "-d", "-p", pseName], in: folder)
        XCTAssertEqual(deleted.status, 0, deleted.err)
        XCTAssertTrue(deleted.out.contains("Removed SSO credentials"), deleted.out)
        XCTAssertEqual(try CredentialsFile(derEncoded: Array(Data(contentsOf: credentials))).credentials.count, 0)

        let refused = try psekit(["get_my_name", "-p", pseName, "-n", "Subject"], in: folder)
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.err.contains("PIN"), "the failure says a PIN is missing: \(refused.err)")
        XCTAssertFalse(refused.out.contains("CN=PSEOwner"))

        let again = try psekit(["seclogin", "-d", "-p", pseName], in: folder)
        XCTAssertNotEqual(again.status, 0)
        XCTAssertTrue(again.err.contains("no credential for PSE"), again.err)
    }

    func testWrongPINIsNotStored() throws {
        let folder = try secudir()
        let result = try psekit(["seclogin", "-p", pseName, "-x", "wrong"], in: folder)
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.err.contains("wrong PIN"), result.err)
        XCTAssertFalse(result.err.contains("wrong\""))
        let credentials = folder.appendingPathComponent("cred_v2")
        let count = FileManager.default.fileExists(atPath: credentials.path)
            ? try CredentialsFile(derEncoded: Array(Data(contentsOf: credentials))).credentials.count : 0
        XCTAssertEqual(count, 0)
    }

    func testReplacingAndOtherUsers() throws {
        let folder = try secudir()
        let user = CredentialStore.currentUser
        // Another OS user that exists on this host (-O refuses a user that does not).
        let other = user == "daemon" ? "nobody" : "daemon"
        XCTAssertEqual(try psekit(["seclogin", "-p", pseName, "-x", pin], in: folder).status, 0)
        XCTAssertEqual(try psekit(["seclogin", "-p", pseName, "-x", pin, "-O", other], in: folder).status, 0)
        // The same PIN again: the credential holds it already, nothing is written (a stale
        // credential is replaced: AutomationContractTests).
        let again = try psekit(["seclogin", "-p", pseName, "-x", pin], in: folder)
        XCTAssertEqual(again.status, 0, again.err)
        XCTAssertTrue(again.out.contains("hold this PIN already; nothing was written"), again.out)

        let credentials = folder.appendingPathComponent("cred_v2")
        let file = try CredentialsFile(derEncoded: Array(Data(contentsOf: credentials)))
        XCTAssertEqual(file.credentials.count, 2, "one per user")
        let sapadmIndex = try XCTUnwrap(file.credentials.firstIndex { (try? $0.decrypt(forUser: other)) != nil })
        XCTAssertEqual(try pysapPIN(credentials, user: other, index: sapadmIndex), pin)
        XCTAssertEqual(try pysapPIN(credentials, user: user, index: 1 - sapadmIndex), pin)

        let list = try psekit(["seclogin", "-l", "--json"], in: folder)
        XCTAssertEqual(list.status, 0, list.err)
        let entries = try XCTUnwrap(JSONSerialization.jsonObject(with: list.stdout) as? [[String: Any]])
        XCTAssertEqual(entries.count, 2)
        XCTAssertEqual(entries.compactMap { $0["opensForUser"] as? Bool }.sorted { !$0 && $1 }, [false, true])
        for entry in entries {
            XCTAssertEqual(entry["psePath"] as? String, folder.appendingPathComponent(pseName).path)
            XCTAssertEqual(entry["subject"] as? String, "CN=PSEOwner")
            XCTAssertEqual(entry["protection"] as? String, "LPS off")
            XCTAssertEqual(entry["cipher"] as? String, "AES-256")
        }

        // Removing the other user's credential leaves the current user's.
        XCTAssertEqual(try psekit(["seclogin", "-d", "-p", pseName, "-O", other], in: folder).status, 0)
        let opened = try psekit(["get_my_name", "-p", pseName, "-n", "Subject"], in: folder)
        XCTAssertEqual(opened.status, 0, opened.err)
    }

    func testListsTheSAPVectors() throws {
        for (name, protection, cipher) in [("credv2_lps_off_v1_aes256", "LPS off", "AES-256"),
                                           ("credv2_lps_on_v2_int_aes256", "LPS fallback", "AES-128")] {
            let folder = try ExternalTools.temporaryDirectory(self)
            try ExternalTools.vector(name).write(to: folder.appendingPathComponent("cred_v2"))
            let text = try psekit(["seclogin", "-l", "-O", "username", "-v"], in: folder)
            XCTAssertEqual(text.status, 0, text.err)
            XCTAssertTrue(text.out.contains("/secudir/pse-v2-noreq-DSA-1024-SHA1.pse  \"CN=PSEOwner\"  \(protection), \(cipher)"), text.out)
            XCTAssertTrue(text.out.contains("opens for user username: yes"), text.out)

            let other = try psekit(["seclogin", "-l", "-O", "someoneelse", "-v"], in: folder)
            XCTAssertTrue(other.out.contains("opens for user someoneelse: no"), other.out)
        }
    }

    func testStoringWithoutPINOrForAPlainPSEIsRefused() throws {
        let folder = try secudir()
        try ExternalTools.vector("pse_v2_lps_off_pbes1_3des_sha1_plain.pse").write(to: folder.appendingPathComponent("plain.pse"))
        let plain = try psekit(["seclogin", "-p", "plain.pse", "-x", ""], in: folder)
        XCTAssertNotEqual(plain.status, 0)
        XCTAssertTrue(plain.err.contains("has no PIN"), plain.err)
        let noCommand = try psekit(["seclogin"], in: folder)
        XCTAssertNotEqual(noCommand.status, 0)
    }
}
