import CoreFoundation
import Crypto
import PSENet
import Foundation
import PSEKit
import PSEStore
import SwiftASN1
import X509
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The reproducers of issue 20 ("Hardening"), item by item, run through the built binary. CI
/// runs as root; where an item needs another user, that part runs as `nobody` through setpriv.
final class HardeningTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try ExternalTools.temporaryDirectory(self)
        // Other users (nobody) must reach the folder; sticky and world-writable like /tmp, so
        // that they can plant files and links as an attacker would.
        XCTAssertEqual(chmod(directory.path, 0o1777), 0)
    }

    // MARK: Helpers

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Runs a command as nobody (uid 65534), failing the test when it fails.
    @discardableResult
    private func asNobody(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> ExternalTools.Result {
        XCTAssertEqual(geteuid(), 0, "these tests act as another user and need root (as in CI)", file: file, line: line)
        let result = try ExternalTools.run("setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups"] + arguments)
        XCTAssertEqual(result.status, 0, "as nobody: \(arguments.joined(separator: " ")): \(result.err)", file: file, line: line)
        return result
    }

    /// A PSE without PIN holding an own key and certificate (made by psekit gen_pse).
    private func makeIdentityPSE(_ name: String, pin: String = "") throws -> String {
        let pse = path(name)
        let result = try ExternalTools.psekit(["gen_pse", "-x", pin, "-p", pse, "CN=Hardening Test, O=psekit tests"])
        XCTAssertEqual(result.status, 0, result.err)
        return pse
    }

    /// A PSE without PIN and without key.
    private func makeEmptyPSE(_ name: String) throws -> String {
        let pse = path(name)
        try StoredPSE.create(PSEFile(content: try PSEContent()), at: pse, pin: nil)
        return pse
    }

    /// A self-signed CA certificate made by openssl with `subject` (UTF-8, raw bytes allowed).
    private func makeCertificate(_ name: String, subject: String,
                                 extensions: String = "basicConstraints=critical,CA:TRUE\n") throws -> (certificate: String, key: String) {
        let key = path("\(name).key"), request = path("\(name).csr"), certificate = path("\(name).pem"), ext = path("\(name).ext")
        try extensions.write(toFile: ext, atomically: true, encoding: .utf8)
        try ExternalTools.openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key])
        try ExternalTools.openssl(["req", "-new", "-key", key, "-utf8", "-subj", subject, "-out", request])
        try ExternalTools.openssl(["x509", "-req", "-in", request, "-signkey", key, "-days", "30", "-extfile", ext, "-out", certificate])
        return (certificate, key)
    }

    /// A self-signed CA certificate for 127.0.0.1 that was valid from ten days ago until
    /// yesterday (openssl 3.0's `-days -1` would end it before it starts: never valid at all).
    private func makeExpiredRoot(commonName: String) throws -> (certificate: String, key: String) {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            OrganizationName("psekit tests")
            CommonName(commonName)
        }
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-10 * 86_400), notValidAfter: now.addingTimeInterval(-86_400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                SubjectAlternativeNames([.ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))])
            },
            issuerPrivateKey: .init(key))
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        let certificatePath = path("expired.pem"), keyPath = path("expired.key")
        try PEMDocument(type: "CERTIFICATE", derBytes: serializer.serializedBytes).pemString
            .write(toFile: certificatePath, atomically: true, encoding: .utf8)
        try key.pemRepresentation.write(toFile: keyPath, atomically: true, encoding: .utf8)
        return (certificatePath, keyPath)
    }

    private func mode(_ path: String) -> (mode: mode_t, uid: uid_t)? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        return (status.st_mode & 0o7777, status.st_uid)
    }

    /// Runs psekit and kills it when it has not ended after `guardSeconds` (a guard against a
    /// hang, not a timing assertion): returns nil when it had to be killed.
    private func psekitWithoutHanging(_ arguments: [String], environment: [String: String]? = nil,
                                      guardSeconds: Double = 120) throws -> ExternalTools.Result? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ExternalTools.psekitPath)
        process.arguments = arguments
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let outPipe = Pipe(), errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = FileHandle.nullDevice
        let ended = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in ended.signal() }
        try process.run()
        final class Output: @unchecked Sendable { var out = Data(), err = Data() }
        let output = Output()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { output.out = outPipe.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { output.err = errPipe.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        if ended.wait(timeout: .now() + guardSeconds) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            _ = ended.wait(timeout: .now() + 10)
            return nil
        }
        group.wait()
        return ExternalTools.Result(status: process.terminationStatus, stdout: output.out, stderr: output.err)
    }

    private func assertNoRawControlCharacters(_ text: String, _ context: String, file: StaticString = #filePath, line: UInt = #line) {
        for scalar in text.unicodeScalars where scalar != "\n" {
            let value = scalar.value
            let bad = value < 0x20 || (0x7F...0x9F).contains(value) || (0x202A...0x202E).contains(value)
                || (0x2066...0x2069).contains(value) || value == 0x200E || value == 0x200F
            if bad {
                XCTFail("\(context): raw U+\(String(value, radix: 16)) in the output: \(text.debugDescription)", file: file, line: line)
                return
            }
        }
    }

    // MARK: 1. Terminal injection

    /// A CN of `ESC[2J ESC[H BEL` and a right-to-left override reaches no terminal raw: maintain_pk
    /// -a/-l, show, split and get_my_name print `\1B` (as openssl does); `--json` keeps the exact
    /// name as valid JSON; a name of thousands of characters is cut.
    func testNamesFromCertificatesAreEscapedInTextAndExactInJSON() throws {
        let evilCN = "\u{1B}[2J\u{1B}[H\u{07}Evil\u{202E}Root\u{200F}"
        let evil = try makeCertificate("evil", subject: "/O=psekit tests/CN=\(evilCN)")
        let pse = try makeEmptyPSE("trust.pse")

        let add = try ExternalTools.psekit(["maintain_pk", "-p", pse, "-a", evil.certificate])
        XCTAssertEqual(add.status, 0, add.err)
        assertNoRawControlCharacters(add.out + add.err, "maintain_pk -a")
        XCTAssertTrue(add.out.contains("\\1B[2J\\1B[H\\07Evil\\U202ERoot\\U200F"), add.out)

        let list = try ExternalTools.psekit(["maintain_pk", "-p", pse, "-l"])
        XCTAssertEqual(list.status, 0, list.err)
        assertNoRawControlCharacters(list.out, "maintain_pk -l")
        XCTAssertTrue(list.out.contains("\\1B[2J\\1B[H\\07Evil\\U202ERoot"), list.out)

        let json = try ExternalTools.psekit(["maintain_pk", "-p", pse, "-l", "--json"])
        XCTAssertEqual(json.status, 0, json.err)
        let listing = try XCTUnwrap(JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        let entries = try XCTUnwrap(listing["trusted"] as? [[String: Any]])
        let subject = try XCTUnwrap((entries.first?["certificate"] as? [String: Any])?["subject"] as? String)
        XCTAssertTrue(subject.contains(evilCN), "JSON keeps the exact name: \(subject.debugDescription)")

        let show = try ExternalTools.psekit(["show", evil.certificate])
        XCTAssertEqual(show.status, 0, show.err)
        assertNoRawControlCharacters(show.out, "show")
        XCTAssertTrue(show.out.contains("\\1B[2J"), show.out)

        let split = try ExternalTools.psekit(["split", evil.certificate, "-o", path("split")])
        XCTAssertEqual(split.status, 0, split.err)
        assertNoRawControlCharacters(split.out + split.err, "split")

        let shown = try ExternalTools.psekit(["show", pse])
        XCTAssertEqual(shown.status, 0, shown.err)
        assertNoRawControlCharacters(shown.out, "show PSE")

        // An error message naming a file with control characters.
        let strange = path("bad\u{1B}[31mname.pem")
        let missing = try ExternalTools.psekit(["maintain_pk", "-p", pse, "-a", strange])
        XCTAssertNotEqual(missing.status, 0)
        assertNoRawControlCharacters(missing.err, "error message")
        XCTAssertTrue(missing.err.contains("bad\\1B[31mname.pem"), missing.err)

        // A name of some 3,000 characters is cut in text output, whole in JSON.
        let units = (0..<50).map { "/OU=\(String(repeating: "x", count: 55))\($0)" }.joined()
        let long = try makeCertificate("long", subject: "/O=psekit tests\(units)/CN=Long")
        let longShow = try ExternalTools.psekit(["show", long.certificate])
        XCTAssertEqual(longShow.status, 0, longShow.err)
        let subjectLine = try XCTUnwrap(longShow.out.split(separator: "\n").first { $0.contains("Subject") })
        XCTAssertLessThan(subjectLine.count, 700, String(subjectLine))
        XCTAssertTrue(subjectLine.contains("more characters]"), String(subjectLine))
        let longJSON = try ExternalTools.psekit(["show", long.certificate, "--json"])
        XCTAssertEqual(longJSON.status, 0, longJSON.err)
        XCTAssertTrue(longJSON.out.contains(String(repeating: "x", count: 55) + "49"), "JSON holds the whole name")
    }

    // MARK: 2. Owner and mode

    /// Files nobody prepared (empty, 0666) do not receive root's key, PSE or PIN: what psekit
    /// writes is a new file, 0600, owned by root. A cred_v2 others can write into is refused.
    func testSecretsGoToNewPrivateFilesOwnedByTheRunner() throws {
        let identity = try makeIdentityPSE("identity.pse")
        let targets = ["key.p8", "key.p12", "forced.pse", "imported.pse"]
        for name in targets {
            try asNobody(["sh", "-c", "umask 000; : > '\(path(name))'; chmod 666 '\(path(name))'"])
            XCTAssertEqual(mode(path(name))?.uid, 65534)
        }
        var result = try ExternalTools.psekit(["export_p8", "-p", identity, "-o", path("key.p8")])
        XCTAssertEqual(result.status, 0, result.err)
        result = try ExternalTools.psekit(["export_p12", "-p", identity, "-z", "secret", path("key.p12")])
        XCTAssertEqual(result.status, 0, result.err)
        result = try ExternalTools.psekit(["gen_pse", "--force", "-x", "", "-p", path("forced.pse"), "CN=Forced"])
        XCTAssertEqual(result.status, 0, result.err)
        result = try ExternalTools.psekit(["import_p12", "--force", "-z", "secret", "-x", "", "-p", path("imported.pse"), path("key.p12")])
        XCTAssertEqual(result.status, 0, result.err)
        for name in targets {
            let status = try XCTUnwrap(mode(path(name)), name)
            XCTAssertEqual(status.mode, 0o600, name)
            XCTAssertEqual(status.uid, 0, "\(name) must belong to the user running psekit")
        }

        // cred_v2 prepared by nobody, and one of root's own that is world-writable.
        let secudir = directory.appendingPathComponent("secudir")
        try FileManager.default.createDirectory(at: secudir, withIntermediateDirectories: true)
        XCTAssertEqual(chmod(secudir.path, 0o1777), 0)
        let credentials = secudir.appendingPathComponent("cred_v2").path
        try asNobody(["sh", "-c", "umask 000; : > '\(credentials)'"])
        let pse = try makeIdentityPSE("cred.pse", pin: "1234")
        var seclogin = try ExternalTools.psekit(["seclogin", "-p", pse, "-x", "1234"], environment: ["SECUDIR": secudir.path])
        XCTAssertNotEqual(seclogin.status, 0, seclogin.err)
        XCTAssertTrue(seclogin.err.contains("not to the user running psekit"), seclogin.err)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: credentials)).count, 0, "nothing was written into it")
        unlink(credentials)
        XCTAssertTrue(FileManager.default.createFile(atPath: credentials, contents: Data()))
        XCTAssertEqual(chmod(credentials, 0o666), 0)
        seclogin = try ExternalTools.psekit(["seclogin", "-p", pse, "-x", "1234"], environment: ["SECUDIR": secudir.path])
        XCTAssertNotEqual(seclogin.status, 0, seclogin.err)
        XCTAssertTrue(seclogin.err.contains("other users can write into it (mode 666)") && seclogin.err.contains("chmod 600"), seclogin.err)
        XCTAssertEqual(chmod(credentials, 0o644), 0)
        seclogin = try ExternalTools.psekit(["seclogin", "-p", pse, "-x", "1234"], environment: ["SECUDIR": secudir.path])
        XCTAssertEqual(seclogin.status, 0, seclogin.err)
        XCTAssertEqual(mode(credentials)?.mode, 0o600)

        let help = try ExternalTools.psekit(["export_p12", "--help"])
        XCTAssertTrue(help.out.contains("owned by the user running psekit"), help.out)
    }

    // MARK: 3. Size limit before writing

    /// Certificates of about 100 KB each (a large opaque extension), signed in-process.
    private func largeCertificates(_ count: Int) throws -> [Certificate] {
        let key = P256.Signing.PrivateKey()
        return try (0..<count).map { index in
            let name = try DistinguishedName { CommonName("Large \(index)"); OrganizationName("psekit tests") }
            var serializer = DER.Serializer()
            try serializer.serialize(ASN1OctetString(contentBytes: ArraySlice(repeating: UInt8(index & 0xFF), count: 100_000)))
            let padding = Certificate.Extension(oid: [1, 3, 6, 1, 4, 1, 55555, 1], critical: false, value: ArraySlice(serializer.serializedBytes))
            return try Certificate(version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
                                   notValidBefore: Date().addingTimeInterval(-60), notValidAfter: Date().addingTimeInterval(86400 * 30),
                                   issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
                                   extensions: try Certificate.Extensions([padding]), issuerPrivateKey: .init(key))
        }
    }

    /// maintain_pk -a of a bundle that would make the PSE larger than 4 MiB is refused before
    /// writing, with how many certificates fit; a PSE already over the limit (written by another
    /// tool) still opens for -l, -d and export_p12.
    func testAPSEIsNotWrittenOverTheLimitAndAnOversizedOneCanBeRescued() throws {
        let pse = try makeIdentityPSE("limit.pse")
        let before = try Data(contentsOf: URL(fileURLWithPath: pse))
        let certificates = try largeCertificates(48)
        let bundle = path("large.p7b")
        try Data(CertificateBundle.pkcs7(certificates)).write(to: URL(fileURLWithPath: bundle))
        let add = try ExternalTools.psekit(["maintain_pk", "-p", pse, "-a", bundle])
        XCTAssertEqual(add.status, 1, add.err)
        XCTAssertTrue(add.err.contains("over the \(PSEFile.maximumSize) bytes"), add.err)
        // 48 large ones and the PSE's own small one: 41 large and the small one fit.
        XCTAssertTrue(add.err.contains("it would hold 49 trusted certificates; about 4"), add.err)
        XCTAssertFalse((add.out + add.err).contains("Added:"), "no Added: for a write that did not happen: \(add.out)")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: pse)), before, "the PSE was left unchanged")

        // An oversized PSE, as an older psekit or another tool could leave it.
        var stored = try StoredPSE.open(at: pse) { _ in nil }
        try stored.file.content.setTrustedCertificates(certificates)
        let oversized = try stored.file.encoded(pin: nil)
        XCTAssertGreaterThan(oversized.count, PSEFile.maximumSize)
        XCTAssertLessThanOrEqual(oversized.count, PSEFile.maximumReadSize)
        try Data(oversized).write(to: URL(fileURLWithPath: pse))
        let list = try ExternalTools.psekit(["maintain_pk", "-p", pse, "-l"])
        XCTAssertEqual(list.status, 0, list.err)
        XCTAssertTrue(list.out.contains("CN=Large 47"), list.out)
        let export = try ExternalTools.psekit(["export_p12", "-p", pse, "-z", "rescue", path("rescued.p12")])
        XCTAssertEqual(export.status, 0, export.err)
        let delete = try ExternalTools.psekit(["maintain_pk", "-p", pse, "-d", "1"])
        XCTAssertEqual(delete.status, 0, "shrinking an oversized PSE is allowed: \(delete.err)")
        XCTAssertEqual(try StoredPSE.open(at: pse) { _ in nil }.file.content.trustedCertificates().count, 47)
    }

    // MARK: 4. Symbolic links

    /// As root: a lock file planted as a link by nobody is not followed; --force does not write
    /// through nobody's link; a dangling link counts as existing and its target is not created;
    /// a PSE path that is nobody's link is refused with the reason.
    func testLinksPlantedByAnotherUserAreNotFollowed() throws {
        // A world-writable folder without the sticky bit: the kernel's fs.protected_symlinks does
        // not apply there, so what is tested is psekit's own refusal.
        let shared = directory.appendingPathComponent("shared")
        try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
        XCTAssertEqual(chmod(shared.path, 0o777), 0)
        func inShared(_ name: String) -> String { shared.appendingPathComponent(name).path }
        let pse = inShared("victim.pse")
        try StoredPSE.create(PSEFile(content: try PSEContent()), at: pse, pin: nil)
        unlink(pse + ".lock")   // left by creating the PSE
        let certificate = try makeCertificate("ca", subject: "/CN=Link Test CA")
        let lockTarget = inShared("created-through-lock")
        try asNobody(["ln", "-s", lockTarget, pse + ".lock"])
        let locked = try ExternalTools.psekit(["maintain_pk", "-p", pse, "-a", certificate.certificate])
        XCTAssertNotEqual(locked.status, 0)
        XCTAssertTrue(locked.err.contains("the lock file is a symbolic link"), locked.err)
        XCTAssertFalse((locked.out + locked.err).contains("Added:"), locked.out)
        XCTAssertNil(mode(lockTarget), "root created a file through nobody's link")

        let passwd = inShared("passwd-copy")
        try "root:x:0:0:root:/root:/bin/bash\n".write(toFile: passwd, atomically: true, encoding: .utf8)
        try asNobody(["ln", "-s", passwd, inShared("planted.pse")])
        let forced = try ExternalTools.psekit(["gen_pse", "--force", "-x", "", "-p", inShared("planted.pse"), "CN=Planted"])
        XCTAssertNotEqual(forced.status, 0)
        XCTAssertTrue(forced.err.contains("is a symbolic link") && forced.err.contains("owned by nobody"), forced.err)
        XCTAssertEqual(try String(contentsOfFile: passwd, encoding: .utf8), "root:x:0:0:root:/root:/bin/bash\n")

        let danglingTarget = inShared("created-by-root")
        try asNobody(["ln", "-s", danglingTarget, inShared("dangling.pse")])
        let dangling = try ExternalTools.psekit(["gen_pse", "-x", "", "-p", inShared("dangling.pse"), "CN=Dangling"])
        XCTAssertNotEqual(dangling.status, 0)
        XCTAssertTrue(dangling.err.contains("already exists"), dangling.err)
        XCTAssertNil(mode(danglingTarget))

        try asNobody(["ln", "-s", pse, inShared("foreign.pse")])
        let read = try ExternalTools.psekit(["maintain_pk", "-p", inShared("foreign.pse"), "-l"])
        XCTAssertNotEqual(read.status, 0)
        XCTAssertTrue(read.err.contains("not by the user running psekit") && read.err.contains("fs.protected_symlinks"), read.err)

        // The same in the sticky folder, where the kernel refuses the link too: still a clear message.
        let stickyPSE = try makeEmptyPSE("sticky.pse")
        unlink(stickyPSE + ".lock")
        try asNobody(["ln", "-s", path("sticky-target"), stickyPSE + ".lock"])
        let sticky = try ExternalTools.psekit(["maintain_pk", "-p", stickyPSE, "-a", certificate.certificate])
        XCTAssertNotEqual(sticky.status, 0)
        XCTAssertTrue(sticky.err.contains("the lock file is a symbolic link"), sticky.err)

        // A PSE name that is a link to a device (nobody's link is refused above; this one is
        // root's own): refused, and no lock file beside the device (root may write /dev).
        defer { unlink("/dev/zero.lock") }
        try FileManager.default.createSymbolicLink(atPath: inShared("device.pse"), withDestinationPath: "/dev/zero")
        let device = try ExternalTools.psekit(["maintain_pk", "-p", inShared("device.pse"), "-a", certificate.certificate])
        XCTAssertNotEqual(device.status, 0)
        XCTAssertTrue(device.err.contains("not a regular file"), device.err)
        XCTAssertNil(mode("/dev/zero.lock"))
    }

    // MARK: 7. Inputs that are not regular files, and huge ones

    /// A FIFO (as PSE, show argument, cred_v2, --pin-file with no writer), a folder and
    /// /dev/zero are refused at once with what they are; huge (sparse) files are refused by size.
    func testSpecialAndHugeInputsAreRefusedWithoutBlocking() throws {
        let fifo = path("fifo.pse")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let pse = try makeIdentityPSE("real.pse", pin: "1234")
        let folderPSE = path("folder.pse")
        try FileManager.default.createDirectory(atPath: folderPSE, withIntermediateDirectories: false)
        let cases: [(arguments: [String], environment: [String: String]?, expected: String)] = [
            (["get_my_name", "-p", fifo], nil, "not a regular file (it is a FIFO (named pipe))"),
            (["maintain_pk", "-p", fifo, "-l"], nil, "not a regular file"),
            (["show", fifo], nil, "not a regular file"),
            (["show", "/dev/zero"], nil, "not a regular file (it is a character device)"),
            (["get_my_name", "-p", folderPSE], nil, "is a directory"),
            (["maintain_pk", "-p", pse, "--pin-file", "/dev/zero", "-l"], nil, "not a regular file"),
            (["maintain_pk", "-p", pse, "--pin-file", directory.path, "-l"], nil, "is a directory"),
            (["maintain_pk", "-p", pse, "-a", fifo], nil, "not a regular file"),
            (["import_p12", "-z", "x", "-x", "", "-p", path("new.pse"), folderPSE], nil, "is a directory"),
            (["import_p12", "-z", "x", "-x", "", "-p", path("new.pse"), fifo], nil, "not a regular file"),
        ]
        for item in cases {
            let result = try XCTUnwrap(try psekitWithoutHanging(item.arguments), "psekit \(item.arguments) blocked")
            XCTAssertNotEqual(result.status, 0, "\(item.arguments)")
            XCTAssertTrue(result.err.contains(item.expected), "\(item.arguments): \(result.err)")
            XCTAssertFalse(result.err.contains("permission"), "\(item.arguments): \(result.err)")
        }

        // cred_v2 as a FIFO, and an 8 GiB (sparse) cred_v2.
        let secudir = directory.appendingPathComponent("secudir")
        try FileManager.default.createDirectory(at: secudir, withIntermediateDirectories: true)
        let credentials = secudir.appendingPathComponent("cred_v2").path
        XCTAssertEqual(mkfifo(credentials, 0o600), 0)
        let fifoResult = try XCTUnwrap(try psekitWithoutHanging(["seclogin", "-p", pse, "-x", "1234"],
                                                                 environment: ["SECUDIR": secudir.path]), "seclogin blocked on a FIFO cred_v2")
        XCTAssertNotEqual(fifoResult.status, 0)
        XCTAssertTrue(fifoResult.err.contains("not a regular file"), fifoResult.err)
        unlink(credentials)
        XCTAssertTrue(FileManager.default.createFile(atPath: credentials, contents: Data()))
        XCTAssertEqual(chmod(credentials, 0o600), 0)
        XCTAssertEqual(truncate(credentials, 8 << 30), 0)
        let huge = try XCTUnwrap(try psekitWithoutHanging(["seclogin", "-p", pse, "-x", "1234"],
                                                          environment: ["SECUDIR": secudir.path]))
        XCTAssertNotEqual(huge.status, 0)
        XCTAssertTrue(huge.err.contains("larger than the \(CredentialStore.maximumSize) bytes"), huge.err)

        // A 1 GiB (sparse) PIN file.
        let pinFile = path("huge-pin")
        XCTAssertTrue(FileManager.default.createFile(atPath: pinFile, contents: Data()))
        XCTAssertEqual(truncate(pinFile, 1 << 30), 0)
        let hugePIN = try XCTUnwrap(try psekitWithoutHanging(["maintain_pk", "-p", pse, "--pin-file", pinFile, "-l"]))
        XCTAssertNotEqual(hugePIN.status, 0)
        XCTAssertTrue(hugePIN.err.contains("larger than"), hugePIN.err)
    }

    // MARK: 8. Secrets

    /// A PIN file ending in CRLF opens the PSE; one others can read gets a warning; core dumps
    /// are off while psekit waits for a PIN (core limit 0, and the process is not dumpable: its
    /// /proc entries belong to root although it runs as nobody).
    func testPINFilesAndCoreDumps() throws {
        let pse = try makeIdentityPSE("pin.pse", pin: "1234")
        let pinFile = path("pin.txt")
        try "1234\r\n".write(toFile: pinFile, atomically: true, encoding: .utf8)
        XCTAssertEqual(chmod(pinFile, 0o600), 0)
        var result = try ExternalTools.psekit(["get_my_name", "-p", pse, "--pin-file", pinFile, "-n", "subject"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertFalse(result.err.contains("can be read by other users"), result.err)
        XCTAssertEqual(chmod(pinFile, 0o644), 0)
        result = try ExternalTools.psekit(["get_my_name", "-p", pse, "--pin-file", pinFile, "-n", "subject"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.err.contains("can be read by other users"), result.err)

        // psekit as nobody, waiting for a PIN on a pipe that stays open.
        let folder = directory.appendingPathComponent("nobody")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        XCTAssertEqual(chown(folder.path, 65534, 65534), 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid=nobody", "--regid=nogroup", "--clear-groups", ExternalTools.psekitPath,
                             "gen_pse", "-p", folder.appendingPathComponent("new.pse").path, "CN=Waiting"]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
        let pid = process.processIdentifier
        // Wait until setpriv has become psekit (its command line names gen_pse) and asks.
        var commandLine = ""
        for _ in 0..<600 {
            commandLine = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? ""
            if commandLine.contains("gen_pse"), let wchan = try? String(contentsOfFile: "/proc/\(pid)/wchan", encoding: .utf8),
               wchan.contains("pipe") || wchan.contains("read") { break }
            usleep(100_000)
        }
        XCTAssertTrue(commandLine.contains("gen_pse"), commandLine)
        let limits = try String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)
        let coreLine = try XCTUnwrap(limits.split(separator: "\n").first { $0.hasPrefix("Max core file size") })
        XCTAssertEqual(coreLine.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).prefix(2), ["0", "0"], String(coreLine))
        var status = stat()
        XCTAssertEqual(stat("/proc/\(pid)/status", &status), 0)
        XCTAssertEqual(status.st_uid, 0, "a non-dumpable process's /proc entries belong to root")
    }

    // MARK: 9. Messages

    /// A read-only PSE is not replaced silently (maintain_pk says so and names --force; gen_pse
    /// --force replaces it); no "Added:" for a write that failed; split makes its folder 0755
    /// under umask 000.
    func testReadOnlyPSEsAndFolderModes() throws {
        let pse = try makeEmptyPSE("readonly.pse")
        XCTAssertEqual(chmod(pse, 0o444), 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: pse))
        let certificate = try makeCertificate("ro", subject: "/CN=Read-only Test CA")
        let add = try ExternalTools.psekit(["maintain_pk", "-p", pse, "-a", certificate.certificate])
        XCTAssertEqual(add.status, 1, add.err)
        XCTAssertTrue(add.err.contains("is read-only (mode 444)") && add.err.contains("--force"), add.err)
        XCTAssertFalse((add.out + add.err).contains("Added:"), add.out)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: pse)), before)
        let create = try ExternalTools.psekit(["gen_pse", "-x", "", "-p", pse, "CN=Replace"])
        XCTAssertNotEqual(create.status, 0)
        XCTAssertTrue(create.err.contains("already exists"), create.err)
        let forced = try ExternalTools.psekit(["gen_pse", "--force", "-x", "", "-p", pse, "CN=Replace"])
        XCTAssertEqual(forced.status, 0, forced.err)
        XCTAssertEqual(mode(pse)?.mode, 0o600)

        let output = directory.appendingPathComponent("new/split").path
        let split = try ExternalTools.run("sh", ["-c", "umask 000; exec '\(ExternalTools.psekitPath)' split '\(certificate.certificate)' -o '\(output)'"])
        XCTAssertEqual(split.status, 0, split.err)
        XCTAssertEqual(mode(output)?.mode, 0o755)
        XCTAssertEqual(mode(directory.appendingPathComponent("new").path)?.mode, 0o755)
    }

    /// trust --yes refuses a server's expired root unless --allow-expired, and shows its hostile
    /// name escaped.
    func testTrustRefusesAnExpiredRootAndEscapesItsName() throws {
        let root = try makeExpiredRoot(commonName: "\u{1B}[2J\u{1B}[HExpired Root")
        let server = try OpenSSLTestServer(self, directory: directory, arguments: ["-cert", root.certificate, "-key", root.key])
        let pse = try makeEmptyPSE("client.pse")
        let refused = try ExternalTools.psekit(["trust", server.url, "-p", pse, "--yes"])
        XCTAssertNotEqual(refused.status, 0, refused.err)
        XCTAssertTrue(refused.err.contains("--allow-expired"), refused.err)
        assertNoRawControlCharacters(refused.out + refused.err, "trust")
        XCTAssertEqual(try StoredPSE.open(at: pse) { _ in nil }.file.content.trustedCertificates().count, 0)
        let allowed = try ExternalTools.psekit(["trust", server.url, "-p", pse, "--yes", "--allow-expired"])
        XCTAssertEqual(allowed.status, 0, allowed.err)
        assertNoRawControlCharacters(allowed.out + allowed.err, "trust")
        XCTAssertEqual(try StoredPSE.open(at: pse) { _ in nil }.file.content.trustedCertificates().count, 1)
    }
}
