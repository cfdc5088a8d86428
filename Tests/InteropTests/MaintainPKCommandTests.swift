import Foundation
import XCTest

/// `maintain_pk` adding and deleting trusted certificates from every file form, checked with
/// `openssl` reading the same files.
final class MaintainPKCommandTests: XCTestCase {
    /// A copy of the plain vector PSE (1 trusted certificate) and a 3-certificate PKI.
    func setUpPSE() throws -> (pse: String, pki: TestPKI, folder: URL) {
        let folder = try ExternalTools.temporaryDirectory(self)
        let pse = folder.appendingPathComponent("client.pse")
        try ExternalTools.vector("pse_v2_lps_off_pbes1_3des_sha1_plain.pse").write(to: pse)
        let pki = try TestPKI(in: folder, name: "Trust")
        let chain = try [pki.leafCertificate, pki.intermediateCertificate, pki.rootCertificate]
            .map { try String(contentsOf: $0, encoding: .utf8) }.joined()
        try chain.write(to: folder.appendingPathComponent("chain.pem"), atomically: true, encoding: .utf8)
        return (pse.path, pki, folder)
    }

    func trustedSubjects(_ pse: String) throws -> [String] {
        let result = try ExternalTools.psekit(["maintain_pk", "-l", "-p", pse, "--json"])
        XCTAssertEqual(result.status, 0, result.err)
        let listing = try XCTUnwrap(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        let list = try XCTUnwrap(listing["trusted"] as? [[String: Any]])
        return list.compactMap { ($0["certificate"] as? [String: Any])?["subject"] as? String }
    }

    func testAddAPEMChainThenDeleteEachWay() throws {
        let (pse, pki, folder) = try setUpPSE()
        var result = try ExternalTools.psekit(["maintain_pk", "-p", pse, "-a", folder.appendingPathComponent("chain.pem").path])
        XCTAssertEqual(result.status, 0, result.err)
        // CertList is a DER SET OF: after a write it lists in DER order, not in the order added.
        XCTAssertEqual(Set(try trustedSubjects(pse)), ["CN=PSEOwner", "CN=Trust Server, O=psekit tests",
                                                       "CN=Trust Intermediate CA, O=psekit tests", "CN=Trust Root CA, O=psekit tests"])
        XCTAssertEqual(try trustedSubjects(pse).count, 4)

        // Adding again changes nothing, not even the file's bytes.
        let before = try Data(contentsOf: URL(fileURLWithPath: pse))
        result = try ExternalTools.psekit(["maintain_pk", "-p", pse, "-a", pki.rootCertificate.path])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("Already trusted"), result.out)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: pse)), before)

        // By the number -l shows.
        let number = try XCTUnwrap(try trustedSubjects(pse).firstIndex(of: "CN=Trust Server, O=psekit tests")) + 1
        result = try ExternalTools.psekit(["maintain_pk", "-p", pse, "-d", String(number)])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(Set(try trustedSubjects(pse)), ["CN=PSEOwner", "CN=Trust Intermediate CA, O=psekit tests", "CN=Trust Root CA, O=psekit tests"])
        // By subject.
        result = try ExternalTools.psekit(["maintain_pk", "-p", pse, "-d", "CN=Trust Intermediate CA, O=psekit tests"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(Set(try trustedSubjects(pse)), ["CN=PSEOwner", "CN=Trust Root CA, O=psekit tests"])
        // By SHA-256 fingerprint, as openssl prints it.
        let fingerprint = try ExternalTools.openssl(["x509", "-in", pki.rootCertificate.path, "-noout", "-fingerprint", "-sha256"])
            .out.split(separator: "=").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        result = try ExternalTools.psekit(["maintain_pk", "-p", pse, "-d", fingerprint])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(try trustedSubjects(pse), ["CN=PSEOwner"])

        // A number that does not exist is an error that changes nothing.
        result = try ExternalTools.psekit(["maintain_pk", "-p", pse, "-d", "7"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.err.contains("no certificate number 7"), result.err)
    }

    func testAddAPKCS7BundleInDERAndPEM() throws {
        let (pse, _, folder) = try setUpPSE()
        let chain = folder.appendingPathComponent("chain.pem").path
        for (form, name) in [("DER", "chain.p7b"), ("PEM", "chain.p7c")] {
            let bundle = folder.appendingPathComponent(name).path
            try ExternalTools.openssl(["crl2pkcs7", "-nocrl", "-certfile", chain, "-outform", form, "-out", bundle])
            let copy = folder.appendingPathComponent("\(form).pse").path
            try FileManager.default.copyItem(atPath: pse, toPath: copy)
            let result = try ExternalTools.psekit(["maintain_pk", "-p", copy, "-a", bundle])
            XCTAssertEqual(result.status, 0, result.err)
            XCTAssertEqual(try trustedSubjects(copy).count, 4, form)
            let deleted = try ExternalTools.psekit(["maintain_pk", "-p", copy, "-d", "CN=Trust Server, O=psekit tests"])
            XCTAssertEqual(deleted.status, 0, deleted.err)
            XCTAssertFalse(try trustedSubjects(copy).contains("CN=Trust Server, O=psekit tests"))
            XCTAssertEqual(try trustedSubjects(copy).count, 3)
        }
    }

    func testAddAZipOfCerFiles() throws {
        let (pse, pki, folder) = try setUpPSE()
        // Base64 .cer (PEM), DER .cer and a PEM .crt, as Windows' certificate export gives them.
        let der = folder.appendingPathComponent("intermediate.cer").path
        try ExternalTools.openssl(["x509", "-in", pki.intermediateCertificate.path, "-outform", "DER", "-out", der])
        let zip = folder.appendingPathComponent("certificates.zip").path
        let script = """
        import zipfile
        with zipfile.ZipFile('\(zip)', 'w') as z:
            z.write('\(pki.rootCertificate.path)', 'certs/root.cer')
            z.write('\(der)', 'certs/intermediate.cer')
            z.write('\(pki.leafCertificate.path)', 'leaf.crt')
        """
        XCTAssertEqual(try ExternalTools.run("python3", ["-c", script]).status, 0)
        let result = try ExternalTools.psekit(["maintain_pk", "-p", pse, "-a", zip, "-l"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(Set(try trustedSubjects(pse)), ["CN=PSEOwner", "CN=Trust Server, O=psekit tests",
                                                      "CN=Trust Intermediate CA, O=psekit tests", "CN=Trust Root CA, O=psekit tests"])
        let deleted = try ExternalTools.psekit(["maintain_pk", "-p", pse, "-d", "CN=Trust Root CA, O=psekit tests"])
        XCTAssertEqual(deleted.status, 0, deleted.err)
        XCTAssertEqual(try trustedSubjects(pse).count, 3)
    }

    func testABadFileIsAnErrorNamingItAndChangesNothing() throws {
        let (pse, _, folder) = try setUpPSE()
        let bad = folder.appendingPathComponent("notes.txt")
        try "this is not a certificate".write(to: bad, atomically: true, encoding: .utf8)
        let before = try Data(contentsOf: URL(fileURLWithPath: pse))
        let result = try ExternalTools.psekit(["maintain_pk", "-p", pse, "-a", bad.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.err.contains(bad.path) || result.err.contains("notes.txt"), result.err)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: pse)), before)
    }

    /// 20 processes add 20 different certificates to one PSE at once: the lock serialises them
    /// and no update is lost.
    func testConcurrentAdditionsAreAllKept() throws {
        let (pse, _, folder) = try setUpPSE()
        var files: [String] = []
        for index in 0..<20 {
            let file = folder.appendingPathComponent("ca\(index).pem").path
            try ExternalTools.openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "/dev/null", "-days", "5",
                                       "-subj", "/CN=Concurrent CA \(index)", "-out", file])
            files.append(file)
        }
        let statuses = ExitStatuses(count: files.count)
        let commands = files.map { ["maintain_pk", "-p", pse, "-a", $0] }
        DispatchQueue.concurrentPerform(iterations: commands.count) { index in
            statuses.set(index, (try? ExternalTools.psekit(commands[index]).status) ?? -1)
        }
        XCTAssertEqual(statuses.values, Array(repeating: 0, count: files.count))
        let subjects = try trustedSubjects(pse)
        XCTAssertEqual(subjects.count, 21)
        for index in 0..<20 { XCTAssertTrue(subjects.contains("CN=Concurrent CA \(index)"), "CA \(index) was lost") }
    }
}

/// Exit statuses of processes started from several threads at once.
private final class ExitStatuses: @unchecked Sendable {  // every access holds `lock`
    private let lock = NSLock()
    private var statuses: [Int32]

    init(count: Int) { statuses = Array(repeating: -1, count: count) }

    func set(_ index: Int, _ status: Int32) { lock.withLock { statuses[index] = status } }

    var values: [Int32] { lock.withLock { statuses } }
}
