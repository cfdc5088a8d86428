import Foundation
import PSEKit
import PSEStore
import SwiftASN1
import X509
import TestSupport
import XCTest

/// Issue 17 ("Correctness"): each item through the `psekit` binary, with the file that
/// reproduces it made by openssl, pysap or the test, or taken from pysap's SAP-written data.
final class CorrectnessTests: XCTestCase {
    let pin = "1234567980"

    private func folder() throws -> URL { try ExternalTools.temporaryDirectory(self) }

    private func psekit(_ arguments: [String], in folder: URL? = nil, stdin: Data = Data()) throws -> ExternalTools.Result {
        try ExternalTools.psekit(arguments, stdin: stdin, environment: folder.map { ["SECUDIR": $0.path] }, currentDirectory: folder)
    }

    /// A copy of a vector PSE in `folder`.
    private func vectorPSE(_ name: String, in folder: URL) throws -> String {
        let target = folder.appendingPathComponent(name)
        try ExternalTools.vector(name).write(to: target)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target.path)
        return target.path
    }

    private func trustedSubjects(_ pse: String) throws -> [String] {
        let result = try psekit(["maintain_pk", "-l", "-p", pse, "--json"])
        XCTAssertEqual(result.status, 0, result.err)
        let listing = try XCTUnwrap(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        let list = try XCTUnwrap(listing["trusted"] as? [[String: Any]])
        return list.compactMap { ($0["certificate"] as? [String: Any])?["subject"] as? String }
    }

    private func p12(_ pki: TestPKI, in folder: URL, password: String, extra: [URL] = [], name: String? = nil) throws -> String {
        let chainFile = folder.appendingPathComponent("p12-chain-\(UUID().uuidString).pem")
        try ([pki.intermediateCertificate, pki.rootCertificate] + extra).map { try String(contentsOf: $0, encoding: .utf8) }.joined()
            .write(to: chainFile, atomically: true, encoding: .utf8)
        let output = folder.appendingPathComponent("client-\(UUID().uuidString).pfx").path
        try ExternalTools.openssl(["pkcs12", "-export", "-inkey", pki.leafKey.path, "-in", pki.leafCertificate.path,
                                   "-certfile", chainFile.path, "-passout", "pass:\(password)", "-out", output]
                                  + (name.map { ["-name", $0] } ?? []))
        return output
    }

    // MARK: 1. show identifies DER certificate, DER p7b and pfx by structure

    func testShowTellsDERCertificateP7BAndPFXApart() throws {
        let dir = try folder()
        let pki = try TestPKI(in: dir, name: "Show")
        let cer = dir.appendingPathComponent("server.cer").path
        try ExternalTools.openssl(["x509", "-in", pki.leafCertificate.path, "-outform", "DER", "-out", cer])
        let p7b = dir.appendingPathComponent("chain.p7b").path
        try ExternalTools.openssl(["crl2pkcs7", "-nocrl", "-certfile", pki.serverChain.path, "-outform", "DER", "-out", p7b])
        let pfx = try p12(pki, in: dir, password: "pfx pw", name: "my alias")

        var result = try psekit(["show", cer])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("1 certificate(s)"), result.out)
        XCTAssertTrue(result.out.contains("CN=Show Server, O=psekit tests"), result.out)
        XCTAssertFalse(result.out.contains("cred_v2"), result.out)

        result = try psekit(["show", p7b])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("2 certificate(s)"), result.out)
        XCTAssertFalse(result.out.contains("cred_v2") || result.out.contains("?"), result.out)

        result = try psekit(["show", pfx])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("PKCS#12 file"), result.out)
        XCTAssertTrue(result.out.contains("MAC        : SHA-256 HMAC"), result.out)
        XCTAssertTrue(result.out.contains("pkcs8ShroudedKeyBag (friendly name \"my alias\")"), result.out)
        XCTAssertTrue(result.out.contains("encrypted, PBES2"), result.out)
        XCTAssertFalse(result.out.contains("CN=Show Server"), "no certificates without the password: \(result.out)")

        result = try psekit(["show", pfx, "-z", "pfx pw"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("CN=Show Server, O=psekit tests"), result.out)
        XCTAssertTrue(result.out.contains("CN=Show Root CA, O=psekit tests"), result.out)

        // cred_v2 is still recognised, last.
        result = try psekit(["show", SAPTestData.url("credv2_lps_off_v1_aes256").path])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("SAP credentials (cred_v2)"), result.out)
    }

    // MARK: 2. DPAPI-protected credentials

    func testDPAPICredentialsAreListedAsSuchAndNeverUsedAsPIN() throws {
        for name in ["credv2_lps_off_v0_dp_3des", "credv2_lps_off_v1_dp_aes256"] {
            let dir = try folder()
            try Data(contentsOf: SAPTestData.url(name)).write(to: dir.appendingPathComponent("cred_v2"))
            let result = try psekit(["seclogin", "-l", "-v", "-O", "username"], in: dir)
            XCTAssertEqual(result.status, 0, result.err)
            XCTAssertTrue(result.out.contains("Windows DPAPI"), "\(name): \(result.out)")
            XCTAssertTrue(result.out.contains("opens for user username: no"), "\(name): \(result.out)")
            XCTAssertTrue(result.out.contains("user: username"), "\(name): \(result.out)")
            let json = try psekit(["seclogin", "-l", "--json", "-O", "username"], in: dir)
            let entries = try XCTUnwrap(try JSONSerialization.jsonObject(with: json.stdout) as? [[String: Any]])
            XCTAssertEqual(entries.first?["opensForUser"] as? Bool, false, name)
        }
        // The same form for the current user and a PSE here: the DPAPI blob is never tried as the PIN.
        let dir = try folder()
        let pse = try vectorPSE("pse_v2_lps_off_pbes1_3des_sha1.pse", in: dir)
        let secret = CredentialSecret(pin: "not-a-pin-but-a-dpapi-blob", option1: "MSCryptProtect")
        let cipher = try CredentialV1Cipher.encrypt(secret, forUser: CredentialStore.currentUser)
        let file = CredentialsFile(credentials: [.v1(CredentialV1(subject: "CN=PSEOwner", psePath: pse, cipher: cipher.blob))])
        try Data(file.serializedBytes()).write(to: dir.appendingPathComponent("cred_v2"))
        let result = try psekit(["get_my_name", "-p", pse], in: dir)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.err.contains("Windows DPAPI"), result.err)
        XCTAssertFalse(result.err.contains("wrong PIN"), result.err)
    }

    // MARK: 3. v1 roots: import_p12 writes SAP's PKRoot structure

    func testImportP12WithAV1RootWritesPKRootWithItsVersion() throws {
        let dir = try folder()
        let key = dir.appendingPathComponent("v1.key").path, csr = dir.appendingPathComponent("v1.csr").path
        let certificate = dir.appendingPathComponent("v1.pem").path
        try ExternalTools.openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", "/O=Old Landscape/CN=V1 Root"])
        try ExternalTools.openssl(["x509", "-req", "-in", csr, "-signkey", key, "-days", "30", "-out", certificate])
        XCTAssertTrue(try ExternalTools.openssl(["x509", "-in", certificate, "-noout", "-text"]).out.contains("Version: 1 (0x0)"))
        let pfx = dir.appendingPathComponent("v1.pfx").path
        try ExternalTools.openssl(["pkcs12", "-export", "-inkey", key, "-in", certificate, "-passout", "pass:pw", "-out", pfx])
        let pse = dir.appendingPathComponent("v1.pse").path
        let imported = try psekit(["import_p12", "-p", pse, "-x", "", "-z", "pw", pfx])
        XCTAssertEqual(imported.status, 0, imported.err)

        let ours = try StoredPSE.open(at: pse) { _ in nil }.file.content
        let sap = try PSEFile.decode(Array(ExternalTools.vector("pse_v2_lps_off_pbes1_3des_sha1_plain.pse")), pin: nil).content
        func node(_ content: PSEContent, _ type: ASN1ObjectIdentifier) throws -> ASN1Node {
            var serializer = DER.Serializer()
            try serializer.serialize(try XCTUnwrap(content.object(ofType: type)).value)
            return try DER.parse(serializer.serializedBytes)
        }
        func children(_ node: ASN1Node) -> [ASN1Node] {
            guard case .constructed(let nodes) = node.content else { return [] }
            return Array(nodes)
        }
        for type in [PSEObjectType.rootKey, PSEObjectType.privateKey, PSEObjectType.trustedCertificates] {
            let mine = try node(ours, type), theirs = try node(sap, type)
            XCTAssertEqual(mine.identifier, theirs.identifier, "\(type)")
            if type == PSEObjectType.rootKey {
                XCTAssertEqual(children(mine).prefix(2).map(\.identifier), children(theirs).prefix(2).map(\.identifier))
                XCTAssertEqual(children(children(mine)[1]).map(\.identifier), children(children(theirs)[1]).map(\.identifier),
                               "PKRoot key fields, [0] version first, as SAP writes them")
            } else {
                XCTAssertEqual(children(mine).map(\.identifier), children(theirs).map(\.identifier), "\(type)")
            }
        }
        XCTAssertEqual(try ours.rootCertificate(), try ours.ownCertificate(), "the PKRoot rebuilds the v1 certificate")
    }

    // MARK: 4. weak keys

    func testWeakTrustedCertificatesAreRefusedListedAndAcceptedWithAllowWeak() throws {
        let dir = try folder()
        let pse = try vectorPSE("pse_v2_lps_off_pbes1_3des_sha1_plain.pse", in: dir)
        let weak = dir.appendingPathComponent("weak.pem").path
        try ExternalTools.openssl(["req", "-x509", "-newkey", "rsa:1024", "-nodes", "-keyout", dir.appendingPathComponent("weak.key").path,
                                   "-out", weak, "-days", "30", "-subj", "/O=Old Landscape/CN=Weak Root CA"])
        let before = try Data(contentsOf: URL(fileURLWithPath: pse))
        var result = try psekit(["maintain_pk", "-p", pse, "-a", weak])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.err.contains("RSA 1024-bit key") && result.err.contains("--allow-weak"), result.err)
        XCTAssertFalse(result.err.contains("not a valid X.509"), result.err)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: pse)), before)

        result = try psekit(["maintain_pk", "-p", pse, "-a", weak, "--allow-weak"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("Added: CN=Weak Root CA, O=Old Landscape"), result.out)
        XCTAssertTrue(result.err.contains("Warning"), result.err)

        result = try psekit(["maintain_pk", "-l", "-p", pse])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("[W1]") && result.out.contains("CN=Weak Root CA, O=Old Landscape") && result.out.contains("1024-bit"), result.out)
        result = try psekit(["show", pse])
        XCTAssertTrue(result.out.contains("Warning: the trusted certificate CN=Weak Root CA, O=Old Landscape has an RSA 1024-bit key"), result.out)
        XCTAssertEqual(try trustedSubjects(pse), ["CN=PSEOwner"], "the weak certificate is not among the usable ones")

        // Importing: a PKCS#12 file whose chain has a weak CA, or a weak -r, is refused with the reason.
        let leafKey = dir.appendingPathComponent("leaf.key").path, request = dir.appendingPathComponent("leaf.csr").path
        let leaf = dir.appendingPathComponent("leaf.pem").path
        try ExternalTools.openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", leafKey, "-out", request, "-subj", "/CN=Weak Leaf"])
        try ExternalTools.openssl(["x509", "-req", "-in", request, "-CA", weak, "-CAkey", dir.appendingPathComponent("weak.key").path,
                                   "-CAcreateserial", "-days", "30", "-out", leaf])
        let pfx = dir.appendingPathComponent("weak-chain.pfx").path
        try ExternalTools.openssl(["pkcs12", "-export", "-inkey", leafKey, "-in", leaf, "-certfile", weak, "-passout", "pass:pw", "-out", pfx])
        result = try psekit(["import_p12", "-p", dir.appendingPathComponent("new.pse").path, "-x", "", "-z", "pw", pfx])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.err.contains("CN=Weak Root CA, O=Old Landscape has an RSA 1024-bit key"), result.err)
        XCTAssertFalse(result.err.contains("malformed") || result.err.contains("not a valid X.509"), result.err)
        result = try psekit(["import_p12", "-p", dir.appendingPathComponent("new.pse").path, "-x", "", "-z", "pw", "--allow-weak", pfx])
        XCTAssertEqual(result.status, 1, "a weak CA cannot be part of the own chain, even with --allow-weak")
        XCTAssertTrue(result.err.contains("cannot be part of the own certificate's chain"), result.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("new.pse").path))
        result = try psekit(["import_own_cert", "-p", pse, "-c", leaf, "-r", weak])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.err.contains("weak.pem: CN=Weak Root CA, O=Old Landscape has an RSA 1024-bit key; keys under 2048 bits are weak, so nothing was changed"),
                      result.err)
        XCTAssertTrue(result.err.contains("--allow-weak"), result.err)
    }

    /// import_p12, import_p8 and import_own_cert -r trust a weak CA that is not in the own chain
    /// only with --allow-weak, and then with a warning; the PSE lists it as maintain_pk -a --allow-weak does.
    func testImportsAcceptAWeakCAOnlyWithAllowWeak() throws {
        let dir = try folder()
        let weak = dir.appendingPathComponent("weak.pem").path
        try ExternalTools.openssl(["req", "-x509", "-newkey", "rsa:1024", "-nodes", "-keyout", dir.appendingPathComponent("weak.key").path,
                                   "-out", weak, "-days", "30", "-subj", "/O=Old Landscape/CN=Weak Root CA"])
        let key = dir.appendingPathComponent("own.key").path, own = dir.appendingPathComponent("own.pem").path
        try ExternalTools.openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", own, "-days", "30",
                                   "-subj", "/O=New Landscape/CN=Own"])
        let pfx = dir.appendingPathComponent("own-and-weak.pfx").path
        try ExternalTools.openssl(["pkcs12", "-export", "-inkey", key, "-in", own, "-certfile", weak, "-passout", "pass:pw", "-out", pfx])

        func assertWeakTrusted(_ pse: String, _ context: String) throws {
            let listed = try psekit(["maintain_pk", "-l", "-p", pse, "-x", ""])
            XCTAssertEqual(listed.status, 0, listed.err)
            XCTAssertTrue(listed.out.contains("[W1]") && listed.out.contains("CN=Weak Root CA, O=Old Landscape"), "\(context): \(listed.out)")
        }
        let p12PSE = dir.appendingPathComponent("p12.pse").path
        var result = try psekit(["import_p12", "-p", p12PSE, "-x", "", "-z", "pw", pfx])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.err.contains("own-and-weak.pfx: CN=Weak Root CA, O=Old Landscape has an RSA 1024-bit key; keys under 2048 bits are weak, so no PSE was created"),
                      result.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: p12PSE))
        result = try psekit(["import_p12", "-p", p12PSE, "-x", "", "-z", "pw", "--allow-weak", pfx])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.err.contains("Warning") && result.err.contains("trusted because of --allow-weak"), result.err)
        try assertWeakTrusted(p12PSE, "import_p12")
        result = try psekit(["show", pfx, "-z", "pw"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("[W1]") && result.out.contains("CN=Weak Root CA, O=Old Landscape") && result.out.contains("RSA, 1024-bit"),
                      result.out)

        // A .p7b with a weak CA beside a 2048-bit one: refused whole, or both trusted with --allow-weak.
        let bundle = dir.appendingPathComponent("both.pem"), p7b = dir.appendingPathComponent("both.p7b").path
        try (String(contentsOfFile: own, encoding: .utf8) + String(contentsOfFile: weak, encoding: .utf8)).write(to: bundle, atomically: true, encoding: .utf8)
        try ExternalTools.openssl(["crl2pkcs7", "-nocrl", "-certfile", bundle.path, "-outform", "DER", "-out", p7b])
        let listPSE = dir.appendingPathComponent("list.pse").path
        XCTAssertEqual(try psekit(["gen_pse", "-p", listPSE, "-x", "", "-noreq", "CN=List"]).status, 0)
        result = try psekit(["maintain_pk", "-p", listPSE, "-x", "", "-a", p7b])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.err.contains("both.p7b: CN=Weak Root CA, O=Old Landscape has an RSA 1024-bit key"), result.err)
        result = try psekit(["maintain_pk", "-p", listPSE, "-x", "", "-a", p7b, "--allow-weak"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("Added: CN=Own, O=New Landscape") && result.out.contains("Added: CN=Weak Root CA, O=Old Landscape (weak: RSA 1024-bit)"),
                      result.out)

        let p8PSE = dir.appendingPathComponent("p8.pse").path
        result = try psekit(["import_p8", "-p", p8PSE, "-x", "", "-c", own, "-r", weak, key])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.err.contains("weak.pem: CN=Weak Root CA, O=Old Landscape has an RSA 1024-bit key"), result.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: p8PSE))
        result = try psekit(["import_p8", "-p", p8PSE, "-x", "", "-c", own, "-r", weak, "--allow-weak", key])
        XCTAssertEqual(result.status, 0, result.err)
        try assertWeakTrusted(p8PSE, "import_p8")

        let ownPSE = dir.appendingPathComponent("own.pse").path
        result = try psekit(["import_p8", "-p", ownPSE, "-x", "", "-c", own, key])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertFalse(try psekit(["maintain_pk", "-l", "-p", ownPSE, "-x", ""]).out.contains("[W1]"))
        result = try psekit(["import_own_cert", "-p", ownPSE, "-x", "", "-c", own, "-r", weak, "--allow-weak"])
        XCTAssertEqual(result.status, 0, result.err)
        try assertWeakTrusted(ownPSE, "import_own_cert")
    }

    // MARK: 5. service-key picks the end-entity certificate

    func testServiceKeyTakesTheEndEntityOfARootFirstBundle() throws {
        let dir = try folder()
        let pki = try TestPKI(in: dir, name: "Key")
        let rootFirst = dir.appendingPathComponent("root-first.pem")
        try [pki.rootCertificate, pki.intermediateCertificate, pki.leafCertificate].map { try String(contentsOf: $0, encoding: .utf8) }
            .joined().write(to: rootFirst, atomically: true, encoding: .utf8)
        let p7b = dir.appendingPathComponent("root-first.p7b").path
        try ExternalTools.openssl(["crl2pkcs7", "-nocrl", "-certfile", rootFirst.path, "-outform", "DER", "-out", p7b])
        let leafDER = try ExternalTools.openssl(["x509", "-in", pki.leafCertificate.path, "-outform", "DER"]).stdout.base64EncodedString()

        var result = try psekit(["service-key", p7b])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains(leafDER), result.out)

        let cas = dir.appendingPathComponent("cas.pem")
        try [pki.rootCertificate, pki.intermediateCertificate].map { try String(contentsOf: $0, encoding: .utf8) }
            .joined().write(to: cas, atomically: true, encoding: .utf8)
        result = try psekit(["service-key", cas.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.err.contains("all of them CAs"), result.err)

        let pfx = try p12(pki, in: dir, password: "key pw")
        result = try psekit(["service-key", pfx, "-z", "key pw"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains(leafDER), result.out)
    }

    // MARK: 6. change_pin renews the seclogin credential

    func testChangePINRenewsTheStoredCredential() throws {
        let dir = try folder()
        let pse = try vectorPSE("pse_v2_lps_off_pbes1_3des_sha1.pse", in: dir)
        XCTAssertEqual(try psekit(["seclogin", "-p", pse, "-x", pin], in: dir).status, 0)
        let changed = try psekit(["change_pin", "-p", pse, "-x", pin, "-z", "new-pin-1"], in: dir)
        XCTAssertEqual(changed.status, 0, changed.err)
        XCTAssertTrue(changed.out.contains("Renewed SSO credentials for PSE \(pse) for user \(CredentialStore.currentUser)"), changed.out)
        let opened = try psekit(["get_my_name", "-p", pse, "-n", "Subject"], in: dir)
        XCTAssertEqual(opened.status, 0, "the next command opens with the renewed credential: \(opened.err)")
        XCTAssertEqual(opened.out.trimmingCharacters(in: .whitespacesAndNewlines), "CN=PSEOwner")

        // A credential psekit cannot rewrite (an LPS one SAP wrote, pointed at this path) is named as stale.
        let file = try CredentialsFile(derEncoded: SAPTestData.bytes("credv2_lps_on_v2_int_aes256"))
        var credentials = try CredentialStore.read(at: dir.appendingPathComponent("cred_v2").path)
        if case .lps(var lps) = try XCTUnwrap(file.credentials.first) {
            lps.psePath = pse
            credentials.credentials.append(.lps(lps))
        }
        try Data(credentials.serializedBytes()).write(to: dir.appendingPathComponent("cred_v2"))
        let again = try psekit(["change_pin", "-p", pse, "-x", "new-pin-1", "-z", "new-pin-2"], in: dir)
        XCTAssertEqual(again.status, 0, again.err)
        XCTAssertTrue(again.err.contains("still holds the old PIN"), again.err)
    }

    // MARK: 7. unrelated CA certificates of a PFX are trusted and reported

    func testUnrelatedCAOfAPFXIsTrustedAndNamed() throws {
        let dir = try folder()
        let pki = try TestPKI(in: dir, name: "Own"), other = try TestPKI(in: dir, name: "Other")
        let pfx = try p12(pki, in: dir, password: "pw", extra: [other.rootCertificate])
        let pse = dir.appendingPathComponent("own.pse").path
        let result = try psekit(["import_p12", "-p", pse, "-x", "", "-z", "pw", pfx])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("Trusted: CN=Other Root CA, O=psekit tests"), result.out)
        XCTAssertTrue(try trustedSubjects(pse).contains("CN=Other Root CA, O=psekit tests"))
    }

    /// The friendly name has no place in a PSE psekit knows (SAP's AliasList is unsampled):
    /// import_p12 names it and how export_p12 writes it again, and that round trip keeps it.
    func testFriendlyNameIsNamedOnImportAndWrittenAgainByExport() throws {
        let dir = try folder()
        let pki = try TestPKI(in: dir, name: "Alias")
        let pfx = try p12(pki, in: dir, password: "pw", name: "sap client alias")
        let pse = dir.appendingPathComponent("alias.pse").path
        var result = try psekit(["import_p12", "-p", pse, "-x", "", "-z", "pw", pfx])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.err.contains("the friendly name \"sap client alias\" is not stored in the PSE; export_p12 -f \"sap client alias\" writes it again"),
                      result.err)
        let exported = dir.appendingPathComponent("again.p12").path
        result = try psekit(["export_p12", "-p", pse, "-x", "", "-z", "pw2", "-f", "sap client alias", exported])
        XCTAssertEqual(result.status, 0, result.err)
        let info = try ExternalTools.openssl(["pkcs12", "-in", exported, "-passin", "pass:pw2", "-nokeys", "-info"])
        XCTAssertTrue((info.out + info.err).contains("friendlyName: sap client alias"), info.out + info.err)
    }

    // MARK: 8. maintain_pk -d by DN in any order and by substring

    func testDeleteByDNInOpenSSLOrderAndBySubstring() throws {
        let dir = try folder()
        let pse = try vectorPSE("pse_v2_lps_off_pbes1_3des_sha1_plain.pse", in: dir)
        let pki = try TestPKI(in: dir, name: "Del")
        let chain = dir.appendingPathComponent("chain.pem")
        try [pki.leafCertificate, pki.intermediateCertificate, pki.rootCertificate].map { try String(contentsOf: $0, encoding: .utf8) }
            .joined().write(to: chain, atomically: true, encoding: .utf8)
        XCTAssertEqual(try psekit(["maintain_pk", "-p", pse, "-a", chain.path]).status, 0)
        // As openssl prints it: O first, spaces around "=".
        let subject = try ExternalTools.openssl(["x509", "-in", pki.rootCertificate.path, "-noout", "-subject", "-nameopt", "oneline"])
            .out.replacingOccurrences(of: "subject=", with: "").trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(subject.hasPrefix("O = psekit tests"), subject)
        var result = try psekit(["maintain_pk", "-p", pse, "-d", subject])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("Deleted: CN=Del Root CA, O=psekit tests"), result.out)
        result = try psekit(["maintain_pk", "-p", pse, "-d", "Del Server"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(Set(try trustedSubjects(pse)), ["CN=PSEOwner", "CN=Del Intermediate CA, O=psekit tests"])
        result = try psekit(["maintain_pk", "-p", pse, "-d", "No Such Name"])
        XCTAssertEqual(result.status, 1)
    }

    // MARK: 9. DSA own certificate

    func testPSEWithADSAOwnCertificateIsShown() throws {
        let dir = try folder()
        let parameters = dir.appendingPathComponent("dsa.param").path, certificate = dir.appendingPathComponent("dsa.der").path
        try ExternalTools.openssl(["dsaparam", "-out", parameters, "1024"])
        try ExternalTools.openssl(["req", "-x509", "-newkey", "dsa:\(parameters)", "-nodes", "-keyout", dir.appendingPathComponent("dsa.key").path,
                                   "-out", certificate, "-outform", "DER", "-days", "30", "-subj", "/CN=DSA Owner"])
        // The vector's content with the own certificate replaced by the DSA one (as sapgenpse wrote DSA PSEs).
        var file = try PSEFile.decode(Array(ExternalTools.vector("pse_v2_lps_off_pbes1_3des_sha1_plain.pse")), pin: nil)
        file.content.removeObjects(ofType: PSEObjectType.privateKey)
        try file.content.setObject(name: "Cert", type: PSEObjectType.certificate,
                                   value: ASN1Any(derEncoded: DER.parse(Array(Data(contentsOf: URL(fileURLWithPath: certificate))))))
        let pse = dir.appendingPathComponent("dsa.pse").path
        try Data(file.encoded(pin: nil)).write(to: URL(fileURLWithPath: pse))

        var result = try psekit(["get_my_name", "-p", pse])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("Subject  : CN=DSA Owner"), result.out)
        XCTAssertTrue(result.out.contains("KeyInfo  : DSA"), result.out)
        XCTAssertTrue(result.err.contains("cannot use this key for TLS or export it"), result.err)
        result = try psekit(["show", pse])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("CN=DSA Owner") && result.out.contains("DSA"), result.out)
        result = try psekit(["export_p12", "-p", pse, "-z", "pw", dir.appendingPathComponent("x.p12").path])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.err.contains("DSA"), result.err)
    }

    // MARK: 10. LPS-protected PSE (version 256), checked against pysap's decrypt_lps

    func testLPSProtectedPSEIsReadAsPysapDecryptsIt() throws {
        let dir = try folder()
        let plain = try PSEFile.decode(Array(ExternalTools.vector("pse_v2_lps_off_pbes1_3des_sha1_plain.pse")), pin: nil)
        let contentFile = dir.appendingPathComponent("content.der").path
        try Data(plain.content.derEncoded()).write(to: URL(fileURLWithPath: contentFile))
        let pse = dir.appendingPathComponent("lps.pse").path
        // The test builds the LPS PSE (fallback mode) as pysap reads it, then asks pysap to decrypt it.
        let script = """
        import os, struct, zlib, hashlib, hmac
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
        from pysap.SAPPSE import SAPPSEFile
        content = open('\(contentFile)', 'rb').read()
        def enc(key, iv, data):
            e = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
            return e.update(data) + e.finalize()
        def tlv(tag, body):
            n = len(body)
            if n < 0x80: length = bytes([n])
            else:
                b = n.to_bytes((n.bit_length() + 7) // 8, 'big')
                length = bytes([0x80 | len(b)]) + b
            return bytes([tag]) + length + body
        def lp(b): return struct.pack('>H', len(b)) + b
        constant = bytes.fromhex('e76ad2ce4ba7c79ef9795fa82e6eaa1d76022ecdd7743851')
        context = b'PSEEncryption'
        kek = hmac.new(hashlib.sha1(constant).digest(), context, hashlib.sha1).digest()[:16]
        content_key, material = os.urandom(32), os.urandom(48)
        pad = 16 - len(content) % 16
        padded = content + bytes([pad]) * pad
        def build(lps_type):
            blob = bytes([2, lps_type]) + lp(context) + lp(b'') + lp(enc(kek, bytes(16), content_key)) + lp(b'') \\
                + lp(enc(content_key, bytes(16), material)) + os.urandom(20)
            blob += struct.pack('>I', zlib.crc32(blob) & 0xffffffff)
            body = tlv(0x04, blob) + tlv(0x30, tlv(0x06, bytes.fromhex('60864801650304012a'))) + tlv(0x04, enc(material[:32], material[32:], padded))
            return tlv(0x30, tlv(0x02, b'\\x01\\x00') + tlv(0xa0, body))
        data = build(0)
        open('\(pse)', 'wb').write(data)
        open('\(pse).dpapi', 'wb').write(build(1))
        decrypted = SAPPSEFile(data).decrypt_lps(None)
        print('pysap-ok' if decrypted == padded else 'pysap-mismatch')
        """
        let built = try ExternalTools.pysap(script)
        XCTAssertEqual(built.status, 0, built.err)
        XCTAssertEqual(built.out.trimmingCharacters(in: .whitespacesAndNewlines), "pysap-ok")

        // psekit decrypts the same content pysap does.
        let read = try PSEFile.decode(Array(Data(contentsOf: URL(fileURLWithPath: pse))), pin: nil)
        XCTAssertEqual(try read.content.derEncoded(), try plain.content.derEncoded())
        XCTAssertEqual(try PSEFile.layout(of: Array(Data(contentsOf: URL(fileURLWithPath: pse)))), .lpsProtected)

        var result = try psekit(["show", pse])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("SAP PSE") && result.out.contains("v256 LPS-protected"), result.out)
        XCTAssertTrue(result.out.contains("SKnew"), result.out)
        result = try psekit(["get_my_name", "-p", pse, "-n", "Subject"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out.trimmingCharacters(in: .whitespacesAndNewlines), "CN=PSEOwner")
        // Read-only: a change is refused and the file stays as it is.
        let before = try Data(contentsOf: URL(fileURLWithPath: pse))
        let pki = try TestPKI(in: dir, name: "LPS")
        result = try psekit(["maintain_pk", "-p", pse, "-a", pki.rootCertificate.path])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.err.contains("read-only"), result.err)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: pse)), before)

        // Under DPAPI (type 1) only the layout can be told; opening says why.
        result = try psekit(["show", pse + ".dpapi"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("v256 LPS-protected") && result.out.contains("LPS DPAPI"), result.out)
        result = try psekit(["get_my_name", "-p", pse + ".dpapi"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.err.contains("only the machine that wrote it can open it"), result.err)
    }

    // MARK: 11. details in -v and algorithm names in --json

    func testVerboseDetailsAndJSONAlgorithmNames() throws {
        let dir = try folder()
        let pki = try TestPKI(in: dir, name: "Detail")
        let pse = dir.appendingPathComponent("detail.pse").path
        XCTAssertEqual(try psekit(["import_p12", "-p", pse, "-x", "", "-z", "pw", try p12(pki, in: dir, password: "pw")]).status, 0)
        let sha1 = try ExternalTools.openssl(["x509", "-in", pki.leafCertificate.path, "-noout", "-fingerprint", "-sha1"])
            .out.split(separator: "=").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? "?"
        var result = try psekit(["get_my_name", "-p", pse, "-v"])
        XCTAssertEqual(result.status, 0, result.err)
        for expected in ["SigAlg   : sha256WithRSAEncryption", "KeyUsage : digitalSignature, keyEncipherment",
                         "ExtKeyUsage: serverAuth, clientAuth", "BasicConstraints: CA=FALSE",
                         "SubjectAltName: IP:127.0.0.1, DNS:localhost", "SHA-1    : \(sha1)"] {
            XCTAssertTrue(result.out.contains(expected), "\(expected) in \(result.out)")
        }
        result = try psekit(["show", pse, "-v"])
        XCTAssertTrue(result.out.contains("BasicConstraints: CA=TRUE"), result.out)
        result = try psekit(["get_my_name", "-p", pse, "--json"])
        XCTAssertTrue(result.out.contains("\"signatureAlgorithm\" : \"sha256WithRSAEncryption\""), result.out)
        XCTAssertFalse(result.out.contains("SignatureAlgorithm."), result.out)
    }

    // MARK: 12. scripting details

    func testScriptingDetails() throws {
        let dir = try folder()
        let encrypted = try vectorPSE("pse_v2_lps_off_pbes1_3des_sha1.pse", in: dir)
        let plain = try vectorPSE("pse_v2_lps_off_pbes1_3des_sha1_plain.pse", in: dir)
        // A prompt that cannot be answered names the options.
        var result = try psekit(["get_my_name", "-p", encrypted], in: dir)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.err.contains("-x \"\""), result.err)
        // show on a PSE without PIN prints no PBE parameters; with PIN it does.
        result = try psekit(["show", plain])
        XCTAssertFalse(result.out.contains("PBE"), result.out)
        result = try psekit(["show", encrypted, "-x", pin])
        XCTAssertTrue(result.out.contains("PBE"), result.out)
        // seclogin: -O for a user that does not exist is refused; -l shows each entry's user.
        result = try psekit(["seclogin", "-p", encrypted, "-x", pin, "-O", "no-such-user-psekit-17"], in: dir)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.err.contains("no OS user"), result.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("cred_v2").path))
        XCTAssertEqual(try psekit(["seclogin", "-p", encrypted, "-x", pin], in: dir).status, 0)
        result = try psekit(["seclogin", "-l"], in: dir)
        XCTAssertTrue(result.out.contains("user: \(CredentialStore.currentUser)"), result.out)
        // Status lines go to standard output.
        let pki = try TestPKI(in: dir, name: "Script")
        result = try psekit(["maintain_pk", "-p", plain, "-a", pki.rootCertificate.path])
        XCTAssertTrue(result.out.contains("Added: CN=Script Root CA, O=psekit tests"), result.out)
    }
}
