import Foundation
import XCTest

/// The PSE core through the `psekit` binary: get_my_name, change_pin, show, maintain_pk -l, and
/// pysap reading what psekit writes.
final class CoreCommandTests: XCTestCase {
    let pin = "1234567980"

    /// Copies the vectors into a fresh folder (the originals are read-only).
    func vectorsFolder() throws -> URL {
        let folder = try ExternalTools.temporaryDirectory(self)
        for name in ["pse_v2_lps_off_pbes1_3des_sha1.pse", "pse_v2_lps_off_pbes1_3des_sha1_plain.pse", "pse_v4_lps_off_pbes1_3des_sha1.pse"] {
            let target = folder.appendingPathComponent(name)
            try ExternalTools.vector(name).write(to: target)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target.path)
        }
        return folder
    }

    func testGetMyNameOnEveryVector() throws {
        let folder = try vectorsFolder()
        for (name, pinArguments) in [("pse_v2_lps_off_pbes1_3des_sha1.pse", ["-x", pin]), ("pse_v4_lps_off_pbes1_3des_sha1.pse", ["-x", pin]), ("pse_v2_lps_off_pbes1_3des_sha1_plain.pse", [])] {
            let result = try ExternalTools.psekit(["get_my_name", "-p", folder.appendingPathComponent(name).path] + pinArguments)
            XCTAssertEqual(result.status, 0, "\(name): \(result.err)")
            XCTAssertTrue(result.out.contains("Subject  : CN=PSEOwner"), name)
            XCTAssertTrue(result.out.contains("Serialno : 8C:3A:0D:BE:67:59:23:54"), name)
            XCTAssertTrue(result.out.contains("KeyInfo  : RSA, 2048-bit"), name)
            XCTAssertTrue(result.out.contains("PKRoot:"), name)
        }
    }

    func testNameWithoutFolderIsFoundInSECUDIRWithExtensionAdded() throws {
        let folder = try vectorsFolder()
        let result = try ExternalTools.psekit(["get_my_name", "-p", "pse_v2_lps_off_pbes1_3des_sha1_plain", "-n", "Subject"],
                                              environment: ["SECUDIR": folder.path])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "CN=PSEOwner\n")
    }

    func testPINFromStandardInputAndEnvironment() throws {
        let folder = try vectorsFolder()
        let path = folder.appendingPathComponent("pse_v4_lps_off_pbes1_3des_sha1.pse").path
        let fromStdin = try ExternalTools.psekit(["get_my_name", "-p", path, "-n", "Serialno"], stdin: Data((pin + "\n").utf8))
        XCTAssertEqual(fromStdin.out, "8C:3A:0D:BE:67:59:23:54\n", fromStdin.err)
        let fromEnvironment = try ExternalTools.psekit(["get_my_name", "-p", path, "-n", "KeyInfo", "--pin-env", "MY_PSE_PIN"],
                                                       environment: ["MY_PSE_PIN": pin])
        XCTAssertEqual(fromEnvironment.out, "RSA, 2048-bit\n", fromEnvironment.err)
        let pinFile = folder.appendingPathComponent("pin.txt")
        try Data((pin + "\n").utf8).write(to: pinFile)
        let fromFile = try ExternalTools.psekit(["get_my_name", "-p", path, "-n", "Issuer", "--pin-file", pinFile.path])
        XCTAssertEqual(fromFile.out, "CN=PSEOwner\n", fromFile.err)
    }

    func testWrongPINFailsAndLeavesTheFileUntouched() throws {
        let folder = try vectorsFolder()
        for name in ["pse_v2_lps_off_pbes1_3des_sha1.pse", "pse_v4_lps_off_pbes1_3des_sha1.pse"] {
            let path = folder.appendingPathComponent(name).path
            let before = try Data(contentsOf: URL(fileURLWithPath: path))
            for arguments in [["get_my_name", "-p", path, "-x", "wrong"], ["change_pin", "-p", path, "-x", "wrong", "-z", "new"],
                              ["maintain_pk", "-p", path, "-x", "wrong", "-d", "1"]] {
                let result = try ExternalTools.psekit(arguments)
                XCTAssertEqual(result.status, 1, "\(arguments)")
                XCTAssertTrue(result.err.contains("wrong PIN"), result.err)
                XCTAssertTrue(result.err.contains(path), result.err)
                XCTAssertFalse(result.err.contains("wrong\n") || result.out.contains("wrong "), "the PIN must not be echoed")
            }
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before, name)
        }
    }

    func testCorruptAndTruncatedFilesGiveOneLineErrorsNamingTheFile() throws {
        let folder = try vectorsFolder()
        let original = try ExternalTools.vector("pse_v2_lps_off_pbes1_3des_sha1.pse")
        let cases: [(String, Data)] = [
            ("empty.pse", Data()), ("truncated.pse", original.prefix(original.count / 2)),
            ("text.pse", Data("hello, world\n".utf8)), ("garbage.pse", Data((0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 7919) })),
        ]
        for (name, bytes) in cases {
            let path = folder.appendingPathComponent(name).path
            try bytes.write(to: URL(fileURLWithPath: path))
            let result = try ExternalTools.psekit(["get_my_name", "-p", path, "-x", pin])
            XCTAssertEqual(result.status, 1, "\(name): \(result.err)")
            let lines = result.err.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, "\(name): \(result.err)")
            XCTAssertTrue(result.err.contains(path), result.err)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), bytes)
        }
    }

    /// Reads the own certificate of a PSE with pysap and returns it as DER hex.
    func pysapCertificates(_ path: String, pin: String?) throws -> [String] {
        let pinArgument = pin.map { "'\($0)'" } ?? "None"
        let script = """
        import sys
        from pysap.SAPPSE import SAPPSEFile
        data = open('\(path)', 'rb').read()
        pse = SAPPSEFile(data)
        for cert in pse.get_certificates(\(pinArgument)):
            print(cert.hex())
        """
        let result = try ExternalTools.pysap(script)
        XCTAssertEqual(result.status, 0, result.err)
        return result.out.split(separator: "\n").map(String.init)
    }

    func testPysapReadsWhatChangePINWrites() throws {
        let folder = try vectorsFolder()
        let certificateHex = try ExternalTools.vector("pse_v2_lps_off_pbes1_3des_sha1_cert.der").map { String(format: "%02x", $0) }.joined()
        let path = folder.appendingPathComponent("pse_v2_lps_off_pbes1_3des_sha1.pse").path

        // A new PIN (version 2, new salt).
        var result = try ExternalTools.psekit(["change_pin", "-p", path, "-x", pin, "-z", "n3w-PIN"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(try pysapCertificates(path, pin: "n3w-PIN"), [certificateHex])
        XCTAssertNotEqual(try Data(contentsOf: URL(fileURLWithPath: path)), try ExternalTools.vector("pse_v2_lps_off_pbes1_3des_sha1.pse"))

        // The empty PIN: a plain PSE.
        result = try ExternalTools.psekit(["change_pin", "-p", path, "-x", "n3w-PIN", "-z", ""])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(try pysapCertificates(path, pin: nil), [certificateHex])

        // Version 4 without PIN.
        result = try ExternalTools.psekit(["change_pin", "-p", path, "-z", "", "--pse-version", "4"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(try ExternalTools.vector("pse_v4_lps_off_pbes1_3des_sha1.pse").prefix(8).last, 0xA3)
        XCTAssertEqual(try pysapCertificates(path, pin: nil), [certificateHex])

        // Version 4 with a PIN: pysap 0.2.1 decrypts only version 2, but must see an encrypted v4 container.
        result = try ExternalTools.psekit(["change_pin", "-p", path, "-z", "v4-PIN"])
        XCTAssertEqual(result.status, 0, result.err)
        let check = try ExternalTools.pysap("""
        from pysap.SAPPSE import SAPPSEFile
        pse = SAPPSEFile(open('\(path)', 'rb').read())
        print(pse.version.val, pse.is_encrypted(), pse.is_plain())
        """)
        XCTAssertEqual(check.out, "4 True False\n", check.err)
        let back = try ExternalTools.psekit(["get_my_name", "-p", path, "-x", "v4-PIN", "-n", "Serialno"])
        XCTAssertEqual(back.out, "8C:3A:0D:BE:67:59:23:54\n", back.err)

        // And back to version 2 with a PIN, which pysap decrypts again.
        result = try ExternalTools.psekit(["change_pin", "-p", path, "-x", "v4-PIN", "-z", "again", "--pse-version", "2"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(try pysapCertificates(path, pin: "again"), [certificateHex])
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
    }

    func testShowAndJSONOutput() throws {
        let folder = try vectorsFolder()
        let path = folder.appendingPathComponent("pse_v2_lps_off_pbes1_3des_sha1.pse").path
        var result = try ExternalTools.psekit(["show", path])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("v2 with PIN"), result.out)
        result = try ExternalTools.psekit(["show", path, "-x", pin, "--json"])
        XCTAssertEqual(result.status, 0, result.err)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        XCTAssertEqual(json["iterations"] as? Int, 10000)
        let objects = try XCTUnwrap(json["objects"] as? [[String: Any]])
        XCTAssertEqual(objects.compactMap { $0["name"] as? String }, ["SKnew", "PKRoot", "Cert", "CertList"])

        result = try ExternalTools.psekit(["get_my_name", "-p", path, "-x", pin, "--json"])
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        let certificate = try XCTUnwrap(report["certificate"] as? [String: Any])
        XCTAssertEqual(certificate["subject"] as? String, "CN=PSEOwner")
        XCTAssertEqual(certificate["serialNumber"] as? String, "8C:3A:0D:BE:67:59:23:54")

        result = try ExternalTools.psekit(["maintain_pk", "-l", "-p", path, "-x", pin, "--json"])
        let listing = try XCTUnwrap(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        XCTAssertEqual((listing["trusted"] as? [[String: Any]])?.count, 1)
        XCTAssertEqual(listing["changed"] as? Bool, false)
    }
}
