import Foundation
import PSEStore
import XCTest

/// psekit called as `sapgenpse` prints sapgenpse's layouts. Each test compares with text copied
/// from public evidence of sapgenpse's output (docs/sapgenpse-compat.md names the sources) and
/// runs the parsers that read it; values are checked against openssl's view of the certificate.
final class SapgenpseCompatTests: XCTestCase {
    private var bin: URL!
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try ExternalTools.temporaryDirectory(self)
        bin = try Sapgenpse.linkFolder(self)
    }

    private func sapgenpse(_ arguments: [String], tz: String = "UTC") throws -> ExternalTools.Result {
        try Sapgenpse.run(bin, arguments, secudir: folder, environment: ["TZ": tz])
    }

    private func lines(_ text: String) -> [String] { text.components(separatedBy: "\n") }

    /// The certificate of Checkmk's saprouter example (valid 2016-03-30 to 2017-03-30, 10:21:33 UTC)
    /// with the serial number of the wiki's example, in a PSE without PIN.
    private func routerPSE() throws -> (pse: URL, certificate: URL) {
        let (certificate, key) = try Sapgenpse.certificate(
            named: "router", in: folder, subject: "/C=DE/O=Example/CN=saprouter.example.com", serialHex: "40C40A0B",
            notBefore: "160330102133Z", notAfter: "170330102133Z")
        let pse = folder.appendingPathComponent("local.pse")
        try Sapgenpse.pse(at: pse, certificate: certificate, key: key)
        return (pse, certificate)
    }

    // MARK: get_my_name -n validity (Checkmk's saprouter check, the OpenTelemetry receiver)

    /// Checkmk's example, its time zone one hour east of UTC without summer time:
    ///     Validity  -  NotBefore:   Wed Mar 30 11:21:33 2016 (160330102133Z)
    ///                   NotAfter:   Thu Mar 30 11:21:33 2017 (170330102133Z)
    /// The OpenTelemetry receiver's quoted line has `NotAfter :` (so does the expiry script's
    /// `awk -F'After :'`), which Checkmk's parser reads as well; psekit prints that form.
    func testValidityAsCheckmkAndTheReceiverReadIt() throws {
        let (pse, _) = try routerPSE()
        let result = try sapgenpse(["get_my_name", "-p", pse.path, "-n", "validity"], tz: "CET-1")
        XCTAssertEqual(result.status, 0, result.err)
        let output = lines(result.out).filter { !$0.isEmpty }
        XCTAssertEqual(output.count, 2, result.out)
        XCTAssertEqual(Sapgenpse.normalized(output[0]), Sapgenpse.normalized("Validity  -  NotBefore:   Wed Mar 30 11:21:33 2016 (160330102133Z)"))
        XCTAssertEqual(Sapgenpse.normalized(output[1]), "NotAfter : Thu Mar 30 11:21:33 2017 (170330102133Z)")

        // Checkmk's parse_saprouter_cert: tokens; a line starting with "Validity" opens the block,
        // "NotBefore:" and "NotAfter" lines give their dates as the 4 tokens before the last.
        var notBefore: String?, notAfter: String?, inValidity = false
        for line in output {
            let tokens = line.split(separator: " ").map(String.init)
            if tokens.first == "Validity" { inValidity = true }
            if inValidity && tokens.contains("NotBefore:") {
                notBefore = tokens[(tokens.count - 5)..<(tokens.count - 1)].joined(separator: " ")
            } else if inValidity && (tokens.contains("NotAfter:") || tokens.contains("NotAfter")) {
                notAfter = tokens[(tokens.count - 5)..<(tokens.count - 1)].joined(separator: " ")
            }
        }
        XCTAssertEqual(notBefore, "Mar 30 11:21:33 2016")
        XCTAssertEqual(notAfter, "Mar 30 11:21:33 2017")
    }

    /// The receiver's comment: `NotAfter : Thu Dec 31 19:00:01 2037 (380101000001Z)`, a
    /// certificate valid until 2038-01-01 00:00:01 UTC shown in US Eastern time; it parses the
    /// first parenthesised time of the line with `NotAfter`.
    func testNotAfterInLocalTimeAsTheReceiverQuotesIt() throws {
        let (certificate, key) = try Sapgenpse.certificate(
            named: "host", in: folder, subject: "/CN=host.example.com", serialHex: "01",
            notBefore: "200101000000Z", notAfter: "380101000001Z")
        let pse = folder.appendingPathComponent("SAPSSLS.pse")
        try Sapgenpse.pse(at: pse, certificate: certificate, key: key)
        let result = try sapgenpse(["get_my_name", "-p", pse.path, "-n", "validity"], tz: "America/New_York")
        XCTAssertEqual(result.status, 0, result.err)
        let line = try XCTUnwrap(lines(result.out).first { $0.contains("NotAfter") })
        XCTAssertEqual(Sapgenpse.normalized(line), "NotAfter : Thu Dec 31 19:00:01 2037 (380101000001Z)")
        let open = try XCTUnwrap(line.firstIndex(of: "(")), close = try XCTUnwrap(line.firstIndex(of: ")"))
        XCTAssertEqual(String(line[line.index(after: open)..<close]), "380101000001Z")
    }

    /// Checkmk's example without -p: `SSO for USER "prdadm"` / `  with PSE file "…/local.pse"`,
    /// the PSE taken from the user's credential; with none, Checkmk's
    /// `get_my_name: no PSE name supplied, no SSO credentials found!`.
    func testWithoutPThePSEOfTheCredentialIsUsed() throws {
        let (pse, _) = try routerPSE()
        let none = try sapgenpse(["get_my_name", "-n", "validity"])
        XCTAssertNotEqual(none.status, 0)
        XCTAssertTrue(none.err.contains("get_my_name: no PSE name supplied, no SSO credentials found!"), none.err)

        let stored = try sapgenpse(["seclogin", "-p", pse.path, "-x", ""])
        XCTAssertEqual(stored.status, 0, stored.err)
        let result = try sapgenpse(["get_my_name", "-n", "validity"], tz: "CET-1")
        XCTAssertEqual(result.status, 0, result.err)
        let output = lines(result.out)
        XCTAssertEqual(output[0], "SSO for USER \"\(CredentialStore.currentUser)\"")
        XCTAssertEqual(output[1], "  with PSE file \"\(pse.path)\"")
        XCTAssertTrue(output.contains { Sapgenpse.normalized($0) == "Validity - NotBefore: Wed Mar 30 11:21:33 2016 (160330102133Z)" }, result.out)
    }

    // MARK: get_my_name, default and -v (the wiki's example, the expiry script)

    /// The wiki's example: `MY Certificate:`, `Subject : …`, `Issuer  : …`, `Serialno: 40:C4:…`,
    /// `KeyInfo : RSA, 2048-bit`, the validity; and the expiry script's pipelines on it.
    func testDefaultLayoutAndTheExpiryScript() throws {
        let (pse, certificate) = try routerPSE()
        let result = try sapgenpse(["get_my_name", "-p", pse.path], tz: "CET-1")
        XCTAssertEqual(result.status, 0, result.err)
        let output = lines(result.out).map(Sapgenpse.normalized)
        XCTAssertEqual(output.first, "MY Certificate:")
        for expected in ["Subject : CN=saprouter.example.com, O=Example, C=DE", "Issuer : CN=saprouter.example.com, O=Example, C=DE",
                         "Serialno: 40:C4:0A:0B", "KeyInfo : RSA, 2048-bit"] {
            XCTAssertTrue(output.contains(expected), "\(expected) in\n\(result.out)")
        }
        XCTAssertEqual(Sapgenpse.colons(try Sapgenpse.openssl("serial", of: certificate)), "40:C4:0A:0B")

        let script = """
        out=$(sapgenpse get_my_name -p '\(pse.path)')
        cn=$(echo "$out" | grep Subject | grep -v ^SubjectAltName | awk -F':' '{print $2}' | awk -F',' '{print $1}')
        end=$(echo "$out" | grep NotAfter | awk -F'After :' '{print $2}' | awk '{$NF=""; print $2, $3, $5}')
        echo "[$cn] [$end]"
        """
        let piped = try ExternalTools.run("/bin/bash", ["-c", script], environment: [
            "PATH": bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
            "SECUDIR": folder.path, "TZ": "CET-1"])
        XCTAssertEqual(piped.out.trimmingCharacters(in: .whitespacesAndNewlines), "[ CN=saprouter.example.com] [Mar 30 2017]", piped.err)

        let verbose = try sapgenpse(["get_my_name", "-v", "-p", pse.path])
        XCTAssertEqual(verbose.status, 0, verbose.err)
        XCTAssertTrue(verbose.out.contains("\nPKRoot Certificate:\n"), verbose.out)
        XCTAssertTrue(verbose.err.contains("PSE (v2) open ok."), verbose.err)
    }

    // MARK: get_my_name -vv (Salt's sap_pse module)

    /// Salt reads each certificate as `NAME:`, a line of at least 32 dashes, `Certificate:`, then
    /// indented `Key: value` lines up to a blank line; the values are openssl's.
    func testVeryVerboseBlocksAsSaltReadsThem() throws {
        let (pse, certificate) = try routerPSE()
        let result = try sapgenpse(["get_my_name", "-vv", "-p", pse.path, "-x", ""])
        XCTAssertEqual(result.status, 0, result.err)
        let output = lines(result.out)
        XCTAssertEqual(output[0], "MY Certificate:")
        XCTAssertTrue(output[1].hasPrefix(String(repeating: "-", count: 32)), output[1])
        XCTAssertEqual(output[2], "Certificate:")
        let block = Array(output[3...].prefix { !$0.isEmpty })
        func value(_ key: String) -> String? {
            block.first { $0.hasPrefix("  \(key): ") }.map { String($0.dropFirst(key.count + 4)) }
        }
        XCTAssertEqual(value("Subject"), "CN=saprouter.example.com, O=Example, C=DE")
        XCTAssertEqual(value("Serial Number"), Sapgenpse.colons(try Sapgenpse.openssl("serial", of: certificate)))
        XCTAssertEqual(value("Certificate fingerprint (SHA256)"), try Sapgenpse.openssl("fingerprint", of: certificate, digest: "sha256"))
        XCTAssertEqual(value("Validity not before"), "Wed Mar 30 10:21:33 2016 (160330102133Z)")
        XCTAssertEqual(value("Validity not after"), "Thu Mar 30 10:21:33 2017 (170330102133Z)")
    }

    // MARK: maintain_pk -l

    /// Salt: ` Element #N:` blocks; one certificate has no Element line, `PKList` is followed by
    /// a line starting with ` Version`.
    func testPKListElementsAndTheSingleCertificateForm() throws {
        let (_, router) = try routerPSE()
        let (other, _) = try Sapgenpse.certificate(named: "other", in: folder, subject: "/C=DE/CN=Other Root CA",
                                                   serialHex: "0A", notBefore: "200101000000Z", notAfter: "400101000000Z")
        let verify = folder.appendingPathComponent("verify.pse")
        XCTAssertEqual(try sapgenpse(["gen_verify_pse", "-p", verify.path, "-x", "", "-a", router.path]).status, 0)
        let single = try sapgenpse(["maintain_pk", "-l", "-p", verify.path, "-x", ""])
        XCTAssertEqual(single.status, 0, single.err)
        let singleLines = lines(single.out)
        XCTAssertEqual(singleLines[0], "PKList:")
        XCTAssertTrue(singleLines[1].hasPrefix(" Version"), single.out)
        XCTAssertTrue(singleLines.contains(" Subject: CN=saprouter.example.com, O=Example, C=DE"), single.out)

        let added = try sapgenpse(["maintain_pk", "-y", "-p", verify.path, "-x", "", "-m", other.path])
        XCTAssertEqual(added.status, 0, added.err)
        let listed = try sapgenpse(["maintain_pk", "-l", "-p", verify.path, "-x", ""])
        let listedLines = lines(listed.out)
        XCTAssertEqual(listedLines[0], "PKList:")
        XCTAssertEqual(listedLines.filter { $0.hasPrefix(" Element #") }, [" Element #1:", " Element #2:"])
        XCTAssertTrue(listedLines.contains(" Certificate fingerprint (SHA256): \(try Sapgenpse.openssl("fingerprint", of: other, digest: "sha256"))"))

        // -d STRING deletes the certificates containing it.
        XCTAssertEqual(try sapgenpse(["maintain_pk", "-p", verify.path, "-x", "", "-d", "Other Root"]).status, 0)
        let after = lines(try sapgenpse(["maintain_pk", "-l", "-p", verify.path, "-x", ""]).out)
        XCTAssertFalse(after.contains { $0.contains("Other Root CA") })
        XCTAssertTrue(after[1].hasPrefix(" Version"))
    }

    // MARK: seclogin -l

    /// Checkmk: `seclogin: No SSO credentials available` (Salt: exit code 21); pysap's imitation:
    /// ` 0 (LPS:OFF): CN=…` per credential and `1 readable SSO-Credentials available`; Salt's
    /// counts regular expression and its `[0-9]+ \(LPS:` count.
    func testSecLoginListCountsAndNoCredentials() throws {
        let (pse, _) = try routerPSE()
        let none = try sapgenpse(["seclogin", "-l"])
        XCTAssertEqual(none.status, 21)
        XCTAssertTrue(none.err.contains("seclogin: No SSO credentials available"), none.err)
        XCTAssertTrue(none.err.contains("running seclogin with USER=\"\(CredentialStore.currentUser)\""), none.err)

        XCTAssertEqual(try sapgenpse(["seclogin", "-p", pse.path, "-x", "", "-O", CredentialStore.currentUser]).status, 0)
        let listed = try sapgenpse(["seclogin", "-p", pse.path, "-x", "", "-l"])
        XCTAssertEqual(listed.status, 0, listed.err)
        let output = lines(listed.out)
        XCTAssertEqual(output[0], " 0 (LPS:OFF): CN=saprouter.example.com, O=Example, C=DE")
        XCTAssertTrue(output.contains("1 readable (of 1 matching) SSO-Credentials available (total 1)"), listed.out)
        let counts = try NSRegularExpression(pattern: #"([0-9]+|NO) readable (\(of [0-9]+ matching\) )?SSO-Credentials available( \(total [0-9]+\))?"#)
        XCTAssertNotNil(counts.firstMatch(in: listed.out, range: NSRange(listed.out.startIndex..., in: listed.out)))
        let perCredential = try NSRegularExpression(pattern: #"[0-9]+ \(LPS:"#)
        XCTAssertEqual(perCredential.numberOfMatches(in: listed.out, range: NSRange(listed.out.startIndex..., in: listed.out)), 1)

        let other = try sapgenpse(["seclogin", "-p", pse.path, "-l", "-O", "nobody-else"])
        XCTAssertEqual(other.status, 0, other.err)
        XCTAssertTrue(other.out.contains("NO readable (of 1 matching) SSO-Credentials available (total 1)"), other.out)
    }

    // MARK: export_own_cert

    /// Without -o the own certificate is printed as PEM, the same as openssl prints it.
    func testExportOwnCertPrintsThePEM() throws {
        let (pse, certificate) = try routerPSE()
        let result = try sapgenpse(["export_own_cert", "-p", pse.path, "-x", ""])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, try ExternalTools.openssl(["x509", "-in", certificate.path]).out)
    }

    // MARK: Flags from SAP's documentation and public scripts

    func testKeyAlgorithmAndSizeFlags() throws {
        let big = folder.appendingPathComponent("big.pse")
        let created = try sapgenpse(["gen_pse", "-p", big.path, "-x", "", "-a", "RSA", "-s", "4096", "-noreq", "CN=big.example.com"])
        XCTAssertEqual(created.status, 0, created.err)
        let sha512 = folder.appendingPathComponent("sha512.pse")
        let salt = try sapgenpse(["gen_pse", "-p", sha512.path, "-a", "RSA:2048:SHA512", "-x", "", "-noreq", "CN=host, O=Example, C=DE"])
        XCTAssertEqual(salt.status, 0, salt.err)
        for (pse, expected) in [(big, "Public-Key: (4096 bit)"), (sha512, "sha512WithRSAEncryption")] {
            let pem = try sapgenpse(["export_own_cert", "-p", pse.path, "-x", ""]).out
            let text = try ExternalTools.openssl(["x509", "-noout", "-text"], stdin: Data(pem.utf8)).out
            XCTAssertTrue(text.contains(expected), "\(expected) in \(text)")
        }
        for algorithm in ["DSA", "ECDSA", "ECDSA:P-256:SHA256"] {
            let refused = try sapgenpse(["gen_pse", "-p", folder.appendingPathComponent("x.pse").path, "-x", "", "-a", algorithm, "-noreq", "CN=x"])
            XCTAssertNotEqual(refused.status, 0)
            XCTAssertTrue(refused.err.contains("DSA and ECDSA PSEs are not supported"), refused.err)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("x.pse").path))
        // -S: silent mode, accepted by every command.
        XCTAssertEqual(try sapgenpse(["maintain_pk", "-S", "-l", "-p", sha512.path, "-x", ""]).status, 0)
    }

    /// `get_pse -onlyreq`: a request for the PSE's key and name; the PSE is unchanged.
    func testOnlyRequestUsesTheExistingKey() throws {
        let (pse, certificate) = try routerPSE()
        let before = try Data(contentsOf: pse)
        let request = folder.appendingPathComponent("renew.req")
        let result = try sapgenpse(["get_pse", "-onlyreq", "-r", request.path, "-p", pse.path, "-x", ""])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(try Data(contentsOf: pse), before, "the PSE is not changed")
        try ExternalTools.openssl(["req", "-in", request.path, "-noout", "-verify"])
        let requestKey = try ExternalTools.openssl(["req", "-in", request.path, "-noout", "-pubkey"]).out
        let certificateKey = try ExternalTools.openssl(["x509", "-in", certificate.path, "-noout", "-pubkey"]).out
        XCTAssertEqual(requestKey, certificateKey)
        let subject = try ExternalTools.openssl(["req", "-in", request.path, "-noout", "-subject", "-nameopt", "RFC2253"]).out
        XCTAssertEqual(subject.trimmingCharacters(in: .whitespacesAndNewlines), "subject=CN=saprouter.example.com,O=Example,C=DE")

        let named = try sapgenpse(["gen_pse", "-onlyreq", "-p", pse.path, "-x", "", "CN=renamed.example.com, O=Example, C=DE"])
        XCTAssertEqual(named.status, 0, named.err)
        XCTAssertTrue(named.out.hasPrefix("-----BEGIN CERTIFICATE REQUEST-----"), named.out)
        let namedSubject = try ExternalTools.openssl(["req", "-noout", "-subject", "-nameopt", "RFC2253"], stdin: Data(named.out.utf8)).out
        XCTAssertTrue(namedSubject.contains("CN=renamed.example.com"), namedSubject)
        let mismatch = try sapgenpse(["get_pse", "-onlyreq", "-s", "4096", "-p", pse.path, "-x", ""])
        XCTAssertNotEqual(mismatch.status, 0)
    }

    /// `export_p8 -z PW FILE` (the file last, as Salt calls it).
    func testExportP8TakesTheFileLast() throws {
        let (pse, certificate) = try routerPSE()
        let pem = folder.appendingPathComponent("out.pem")
        let result = try sapgenpse(["export_p8", "-p", pse.path, "-x", "", "-z", "keypass", pem.path])
        XCTAssertEqual(result.status, 0, result.err)
        let key = try ExternalTools.openssl(["pkey", "-in", pem.path, "-passin", "pass:keypass", "-pubout"]).out
        XCTAssertEqual(key, try ExternalTools.openssl(["x509", "-in", certificate.path, "-noout", "-pubkey"]).out)
    }

    /// A wrong PIN: Salt looks for `(Wrong PIN/Passphrase)` on standard error.
    func testWrongPINAsSaltRecognizesIt() throws {
        let pse = folder.appendingPathComponent("pin.pse")
        XCTAssertEqual(try sapgenpse(["gen_pse", "-p", pse.path, "-x", "right", "-noreq", "CN=pin"]).status, 0)
        let result = try sapgenpse(["get_my_name", "-vv", "-p", pse.path, "-x", "wrong"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.err.contains("(Wrong PIN/Passphrase)"), result.err)
    }
}
