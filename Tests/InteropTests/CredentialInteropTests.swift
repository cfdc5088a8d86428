import Foundation
import PSEKit
import TestSupport
import XCTest

/// pysap (an independent reader of `cred_v2`) against psekit, both ways.
final class CredentialInteropTests: XCTestCase {
    /// Runs pysap on `file`: for each credential, one line "<index> <user> OK <pin>" or
    /// "<index> <user> FAIL".
    private func pysapDecrypt(_ file: URL, users: [String]) throws -> [String] {
        let script = """
        import sys
        from pysap.SAPCredv2 import SAPCredv2
        data = open(\(pythonString(file.path)), 'rb').read()
        creds = SAPCredv2(data).creds
        for i, c in enumerate(creds):
            for user in \(users.map(pythonString).joined(separator: ",")),:
                try:
                    pin = c.cred.decrypt(user).pin.val
                    if isinstance(pin, bytes):
                        pin = pin.decode('ascii')
                    print(i, user, 'OK', pin)
                except Exception as e:
                    print(i, user, 'FAIL')
        """
        let result = try ExternalTools.pysap(script)
        XCTAssertEqual(result.status, 0, result.err)
        return result.out.split(separator: "\n").map(String.init)
    }

    private func pythonString(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }

    func testPysapDecryptsWhatPsekitWrites() throws {
        let folder = try ExternalTools.temporaryDirectory(self)
        let tripleDES = try CredentialV1Cipher.encrypt(CredentialSecret(pin: "3des-PIN-42"), forUser: "carol",
                                                       algorithm: .tripleDES)
        let formatZero = try CredentialV1Cipher.encryptFormatZero(CredentialSecret(pin: "old-1234"), forUser: "dave")
        var file = CredentialsFile()
        try file.store(pin: "1234567890", forUser: "username", subject: "CN=PSEOwner",
                       psePath: "/secudir/pse-v2-noreq-DSA-1024-SHA1.pse")
        try file.store(pin: "Pa55 w0rd!", forUser: "bob", subject: "CN=client, O=Example, C=DE", psePath: "/tmp/b.pse")
        file.credentials.append(.v1(CredentialV1(subject: "CN=C", psePath: "/tmp/c.pse", cipher: tripleDES.blob)))
        file.credentials.append(.v1(CredentialV1(subject: "CN=D", psePath: "/tmp/d.pse", cipher: formatZero.blob)))
        let url = folder.appendingPathComponent("cred_v2")
        try Data(file.serializedBytes()).write(to: url)

        let lines = try pysapDecrypt(url, users: ["username", "bob", "carol", "dave", "mallory"])
        let expected = [0: ("username", "1234567890"), 1: ("bob", "Pa55 w0rd!"), 2: ("carol", "3des-PIN-42"),
                        3: ("dave", "old-1234")]
        for (index, (owner, pin)) in expected {
            XCTAssertTrue(lines.contains("\(index) \(owner) OK \(pin)"), "credential \(index) for \(owner): \(lines)")
            for other in ["username", "bob", "carol", "dave", "mallory"] where other != owner {
                let line = lines.first { $0.hasPrefix("\(index) \(other) ") }
                XCTAssertNotNil(line)
                XCTAssertFalse(line?.hasSuffix(" OK \(pin)") ?? true, "credential \(index) opened for \(other)")
            }
        }
        // psekit reads its own file back the same way.
        let reread = try CredentialsFile(derEncoded: Array(Data(contentsOf: url)))
        XCTAssertEqual(reread, file)
        for (index, (owner, pin)) in expected {
            XCTAssertEqual(try reread.credentials[index].decrypt(forUser: owner).pin, pin)
        }
    }

    func testPsekitAndPysapAgreeOnTheVectors() throws {
        for name in ["credv2_lps_off_v1_aes256", "credv2_lps_on_v2_int_aes256"] {
            let url = SAPTestData.url(name)
            let lines = try pysapDecrypt(url, users: ["username"])
            XCTAssertEqual(lines, ["0 username OK 1234567890"], name)
            let file = try CredentialsFile(derEncoded: Array(Data(contentsOf: url)))
            XCTAssertEqual(try file.credentials[0].decrypt(forUser: "username").pin, "1234567890", name)
            XCTAssertEqual(file.credentials[0].subject, "CN=PSEOwner", name)
            XCTAssertEqual(file.credentials[0].psePath, "/secudir/pse-v2-noreq-DSA-1024-SHA1.pse", name)
        }
    }

    func testOpenSSLSeesTheStructureOfAPsekitFile() throws {
        var file = CredentialsFile()
        try file.store(pin: "1234", forUser: "u", subject: "CN=PSEOwner", psePath: "/secudir/x.pse")
        let result = try ExternalTools.openssl(["asn1parse", "-inform", "DER"], stdin: Data(file.serializedBytes()))
        XCTAssertTrue(result.out.contains("IA5STRING         :CN=PSEOwner"), result.out)
        XCTAssertTrue(result.out.contains("IA5STRING         :/secudir/x.pse"), result.out)
        XCTAssertTrue(result.out.contains("BIT STRING"), result.out)
        XCTAssertEqual(result.out.components(separatedBy: "IA5STRING").count - 1, 4, result.out)
    }
}
