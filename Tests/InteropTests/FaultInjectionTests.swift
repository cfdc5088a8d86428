import CoreFoundation
import Foundation
import PSEKit
import X509
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// What happens to a PSE when the writer dies or the disk is full: the file is either what it was
/// or what the command meant to write, never a mix, and psekit says clearly what went wrong.
final class FaultInjectionTests: XCTestCase {
    let vectorPIN = "1234567980"
    let otherPIN = "another PIN 42"

    /// A copy of a vector PSE, 0600, in `folder`.
    func copyVector(_ name: String, to folder: URL) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try ExternalTools.vector(name).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return path
    }

    /// The temporary files AtomicFile writes beside `path` (`.NAME.psekit-*.tmp`).
    func temporaryFiles(besides path: String) throws -> [String] {
        let url = URL(fileURLWithPath: path)
        return try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
            .filter { $0.hasPrefix("." + url.lastPathComponent + ".psekit-") && $0.hasSuffix(".tmp") }
    }

    /// `count` self-signed EC certificates made by openssl, as PEM files, with their parsed form.
    func makeCertificates(_ count: Int, in folder: URL) throws -> [(path: String, certificate: Certificate)] {
        try (0..<count).map { index in
            let path = folder.appendingPathComponent("ca\(index).pem").path
            try ExternalTools.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                       "-keyout", "/dev/null", "-days", "30", "-subj", "/CN=Fault Injection CA \(index)/O=psekit tests",
                                       "-out", path])
            let certificate = try XCTUnwrap(CertificateBundle.parse(Array(try Data(contentsOf: URL(fileURLWithPath: path)))).first)
            return (path, certificate)
        }
    }

    /// Starts psekit with output discarded.
    func startPSEKit(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ExternalTools.psekitPath)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    // MARK: SIGKILL at random moments

    static func lexicographic(_ a: [UInt8], _ b: [UInt8]) -> Bool { a.lexicographicallyPrecedes(b) }

    /// What a PSE holds, as far as the writers below change it.
    struct PSEState {
        var pin: String
        var version: Int
        var objects: Set<PSEObject>
        var trusted: [Certificate]
    }

    /// 200 writers, alternately `change_pin` (new PIN, other PSE version) and `maintain_pk -a` (one
    /// more certificate), each killed with SIGKILL: half after a random delay spread over the time
    /// such a command takes, half aimed at the moment the file is replaced. After each kill the PSE must be byte-identical to what it was, or open with
    /// the new PIN and hold exactly the new content. Temporary files that killed writers leave
    /// must be removed by the next write.
    func testWritersKilledAtRandomMomentsLeaveTheOldOrTheNewPSE() throws {
        let folder = try ExternalTools.temporaryDirectory(self)
        let pseFolder = folder.appendingPathComponent("secudir")
        try FileManager.default.createDirectory(at: pseFolder, withIntermediateDirectories: true)
        let path = try copyVector("pse_v2_lps_off_pbes1_3des_sha1.pse", to: pseFolder)
        let runs = 200
        let certificates = try makeCertificates(runs / 2 + 3, in: folder)

        let initial = try PSEFile.decode(Array(Data(contentsOf: URL(fileURLWithPath: path))), pin: vectorPIN)
        var state = PSEState(pin: vectorPIN, version: initial.version, objects: Set(initial.content.objects),
                             trusted: try initial.content.trustedCertificates())

        func arguments(run: Int, state: PSEState) -> (arguments: [String], expected: PSEState) {
            var expected = state
            if run % 2 == 0 {
                expected.pin = state.pin == vectorPIN ? otherPIN : vectorPIN
                expected.version = state.version == 2 ? 4 : 2
                return (["change_pin", "-p", path, "-x", state.pin, "-z", expected.pin, "--pse-version", "\(expected.version)"], expected)
            }
            let certificate = certificates[run / 2]
            expected.trusted.append(certificate.certificate)
            return (["maintain_pk", "-p", path, "-x", state.pin, "-a", certificate.path], expected)
        }

        /// Checks the file against the old and the expected new state; returns the state it is in.
        func check(_ bytes: [UInt8], old: [UInt8], state: PSEState, expected: PSEState, run: Int, changedObjects: Bool) throws -> PSEState? {
            if bytes == old { return nil }
            let file: PSEFile
            do {
                file = try PSEFile.decode(bytes, pin: expected.pin)
            } catch {
                XCTFail("run \(run): the PSE is neither the old file nor opens with the new PIN: \(error) (\(bytes.count) bytes)")
                throw error
            }
            XCTAssertEqual(file.version, expected.version, "run \(run)")
            // A SET OF is written in DER order, so compare the certificates as sorted DER.
            XCTAssertEqual(try file.content.trustedCertificates().map(CertificateBundle.derBytes).sorted(by: Self.lexicographic),
                           expected.trusted.map(CertificateBundle.derBytes).sorted(by: Self.lexicographic), "run \(run): trusted certificates")
            if !changedObjects {
                XCTAssertEqual(Set(file.content.objects), state.objects, "run \(run): change_pin changed the objects")
            }
            var new = expected
            new.objects = Set(file.content.objects)
            return new
        }

        // How long each kind of writer takes uninterrupted (the shortest of three runs, started the
        // same way as the killed ones), to spread the kills over its whole run.
        let calibrationRuns = 6
        var durations: [Double] = [.infinity, .infinity]
        for run in 0..<calibrationRuns {
            let old = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            let (arguments, expected) = arguments(run: run, state: state)
            let start = Date()
            let process = try startPSEKit(arguments)
            process.waitUntilExit()
            durations[run % 2] = min(durations[run % 2], Date().timeIntervalSince(start))
            XCTAssertEqual(process.terminationStatus, 0, "\(arguments)")
            state = try XCTUnwrap(try check(Array(try Data(contentsOf: URL(fileURLWithPath: path))), old: old, state: state,
                                            expected: expected, run: run, changedObjects: run % 2 == 1))
        }

        var keptOld = 0, becameNew = 0, finished = 0, killedAfterRename = 0, temporaryFilesLeft = 0, mostTemporaryFiles = 0
        var boundaries = durations.map { $0 * 0.9 }, steps = [0.008, 0.008], directions: [Double] = [0, 0]
        let started = Date()
        for run in calibrationRuns..<(runs + calibrationRuns) {
            let old = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            let (arguments, expected) = arguments(run: run, state: state)
            // Half the kills anywhere in the run; half aimed at the moment the file is replaced,
            // which is found by walking a boundary: later after a kill that left the old file,
            // earlier after one that came too late (the process had finished or renamed).
            let duration = durations[run % 2]
            let aimed = run % 4 >= 2
            let delay = aimed ? max(0, boundaries[run % 2] + Double.random(in: -0.002...0.002)) : Double.random(in: 0...(duration * 1.1))
            let process = try startPSEKit(arguments)
            usleep(useconds_t(delay * 1_000_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let killed = process.terminationReason == .uncaughtSignal
            if !killed {
                finished += 1
                XCTAssertEqual(process.terminationStatus, 0, "run \(run): \(arguments) failed on its own")
            }
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            if let new = try check(bytes, old: old, state: state, expected: expected, run: run, changedObjects: run % 2 == 1) {
                becameNew += 1
                if killed { killedAfterRename += 1 }
                state = new
            } else {
                keptOld += 1
                XCTAssertTrue(killed, "run \(run): \(arguments) finished but the PSE did not change")
            }
            let temporary = try temporaryFiles(besides: path).count
            if temporary > 0 { temporaryFilesLeft += 1 }
            mostTemporaryFiles = max(mostTemporaryFiles, temporary)
            if aimed && temporary == 0 {
                // Bisect: big steps at first, smaller each time the direction turns.
                let direction: Double = bytes == old ? 1 : -1
                if direction != directions[run % 2] { steps[run % 2] = max(0.0005, steps[run % 2] * 0.6) }
                directions[run % 2] = direction
                boundaries[run % 2] += direction * steps[run % 2]
            }
        }
        let elapsed = Date().timeIntervalSince(started)

        // The next write removes what killed writers left; the lock file stays by design.
        let last = try ExternalTools.psekit(["maintain_pk", "-p", path, "-x", state.pin, "-d", "1"])
        XCTAssertEqual(last.status, 0, last.err)
        XCTAssertEqual(try temporaryFiles(besides: path), [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: pseFolder.path).sorted(),
                       ["pse_v2_lps_off_pbes1_3des_sha1.pse", "pse_v2_lps_off_pbes1_3des_sha1.pse.lock"])
        XCTAssertEqual(keptOld + becameNew, runs)
        XCTAssertLessThanOrEqual(mostTemporaryFiles, 1, "temporary files of killed writers accumulate")
        print("""
            fault injection: \(runs) writers sent SIGKILL (half at random in 0–\(Int(durations[0] * 1100)) ms for change_pin, \
            0–\(Int(durations[1] * 1100)) ms for maintain_pk -a; half aimed at the rename, found at \
            \(Int(boundaries[0] * 1000)) and \(Int(boundaries[1] * 1000)) ms) in \(Int(elapsed)) s: \(keptOld) left the old PSE, \
            \(becameNew) the new one (\(finished) had finished before the signal, \(killedAfterRename) were killed after \
            the rename), never anything else; \(temporaryFilesLeft) were killed between creating the temporary file and \
            renaming it, which the next write removed (at most \(mostTemporaryFiles) at a time)
            """)
    }

    /// Which leftover temporary files the next write removes: those of this host whose process is
    /// gone, and other hosts' (a shared folder) once they are an hour old; never a live writer's,
    /// never other files.
    func testTheNextWriteRemovesOnlyTemporaryFilesOfWritersThatAreGone() throws {
        let folder = try ExternalTools.temporaryDirectory(self)
        let path = try copyVector("pse_v2_lps_off_pbes1_3des_sha1_plain.pse", to: folder)
        var buffer = [CChar](repeating: 0, count: 256)
        XCTAssertEqual(gethostname(&buffer, buffer.count - 1), 0)
        let host = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            .filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == ".") }
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let prefix = ".pse_v2_lps_off_pbes1_3des_sha1_plain.pse.psekit-"
        let files: [(name: String, age: TimeInterval, removed: Bool)] = [
            ("\(prefix)\(host)-\(gone.processIdentifier)-1234.tmp", 0, true),         // this host, process gone
            ("\(prefix)\(host)-\(getpid())-1234.tmp", 0, false),                       // this host, process alive
            ("\(prefix)otherhost.example-4242-99.tmp", 60, false),                      // another host, recent
            ("\(prefix)otherhost.example-4242-98.tmp", 2 * 3600, true),                 // another host, old
            (".other.pse.psekit-\(host)-\(gone.processIdentifier)-7.tmp", 0, false),    // another file's
            ("\(prefix)not-a-temporary-file", 2 * 3600, false),
        ]
        for file in files {
            let url = folder.appendingPathComponent(file.name)
            try Data("partial".utf8).write(to: url)
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-file.age)], ofItemAtPath: url.path)
        }
        let certificate = folder.appendingPathComponent("extra.pem").path
        try ExternalTools.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                   "-keyout", "/dev/null", "-days", "30", "-subj", "/CN=Leftover Test CA", "-out", certificate])
        let result = try ExternalTools.psekit(["maintain_pk", "-p", path, "-a", certificate])
        XCTAssertEqual(result.status, 0, result.err)
        for file in files {
            XCTAssertEqual(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file.name).path), !file.removed, file.name)
        }
    }

    /// A PSE reached through a symbolic link of the running user is rewritten where it is (the
    /// link stays a link, and writers through the link and the real name share one lock). The
    /// rewritten file is a new file, 0600 and owned by the user running psekit: it takes over
    /// neither the old owner nor the old mode (issue 20, item 2).
    func testRewritingKeepsSymbolicLinksButNotOwnerOrMode() throws {
        let folder = try ExternalTools.temporaryDirectory(self)
        let real = folder.appendingPathComponent("real")
        try FileManager.default.createDirectory(at: real, withIntermediateDirectories: true)
        let path = try copyVector("pse_v2_lps_off_pbes1_3des_sha1_plain.pse", to: real)
        XCTAssertEqual(chmod(path, 0o640), 0)
        guard geteuid() == 0 else {
            return XCTFail("this test must run as root (CI does): it gives the PSE to another owner and group")
        }
        XCTAssertEqual(chown(path, 4242, 4343), 0)
        let link = folder.appendingPathComponent("SAPSSLC.pse").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real/pse_v2_lps_off_pbes1_3des_sha1_plain.pse")
        let certificates = try makeCertificates(1, in: folder)

        let result = try ExternalTools.psekit(["maintain_pk", "-p", link, "-a", certificates[0].path])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), "real/pse_v2_lps_off_pbes1_3des_sha1_plain.pse", "the link was replaced")
        let file = try PSEFile.decode(Array(try Data(contentsOf: URL(fileURLWithPath: path))), pin: nil)
        XCTAssertEqual(try file.content.trustedCertificates().count, 2)
        var status = stat()
        XCTAssertEqual(stat(path, &status), 0)
        XCTAssertEqual(status.st_mode & 0o7777, 0o600)
        XCTAssertEqual(status.st_uid, geteuid())
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + ".lock"), "the lock belongs to the real file")
        XCTAssertFalse(FileManager.default.fileExists(atPath: link + ".lock"))
    }

    // MARK: Disk full

    /// A 64 KiB tmpfs (needs root or CAP_SYS_ADMIN, as in CI) holding the PSE, otherwise full.
    func mountSmallFileSystem() throws -> URL {
        let mountPoint = try ExternalTools.temporaryDirectory(self).appendingPathComponent("small")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        let mount = try ExternalTools.run("mount", ["-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", mountPoint.path])
        guard mount.status == 0 else {
            // A failure, never a skip: CI runs as root, and the disk-full guarantee must be shown.
            XCTFail("cannot mount a 64 KiB tmpfs for the disk-full test (it needs root or CAP_SYS_ADMIN): \(mount.err)")
            throw CocoaError(.fileWriteUnknown)
        }
        // Teardown blocks run last-registered first: unmount before the folder is removed.
        addTeardownBlock { _ = try? ExternalTools.run("umount", [mountPoint.path]) }
        return mountPoint
    }

    /// Fills the file system at `folder` until `leaving` bytes are free (0: full).
    func fill(_ folder: URL, leaving: Int) throws {
        let filler = folder.appendingPathComponent("filler").path
        unlink(filler)
        let descriptor = open(filler, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        defer { close(descriptor) }
        var info = statvfs()
        XCTAssertEqual(statvfs(folder.path, &info), 0)
        var toWrite = Int(info.f_bavail) * Int(info.f_bsize) - leaving
        let block = [UInt8](repeating: 0xAB, count: 4096)
        while toWrite > 0 {
            let written = block.withUnsafeBytes { write(descriptor, $0.baseAddress!, min(toWrite, $0.count)) }
            if written <= 0 { break }
            toWrite -= written
        }
        XCTAssertEqual(statvfs(folder.path, &info), 0)
        XCTAssertEqual(Int(info.f_bavail) * Int(info.f_bsize), leaving, "the file system did not fill as intended")
    }

    /// With no space left, or with space for only part of the new file, change_pin and maintain_pk
    /// fail with a message naming the file and saying the disk is full; the PSE stays byte-identical
    /// and no temporary file is left.
    func testDiskFullFailsClearlyAndLeavesThePSEByteIdentical() throws {
        let small = try mountSmallFileSystem()
        let path = try copyVector("pse_v2_lps_off_pbes1_3des_sha1.pse", to: small)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let bundle = try TestPKI(in: try ExternalTools.temporaryDirectory(self), name: "DiskFull")
        let chain = try [bundle.leafCertificate, bundle.intermediateCertificate, bundle.rootCertificate]
            .map { try String(contentsOf: $0, encoding: .utf8) }.joined()
        let chainFile = try ExternalTools.temporaryDirectory(self).appendingPathComponent("chain.pem")
        try chain.write(to: chainFile, atomically: true, encoding: .utf8)

        // The lock file takes no data blocks, but make it exist before the disk fills.
        // (Changed there and back: change_pin with the same PIN writes nothing.)
        XCTAssertEqual(try ExternalTools.psekit(["change_pin", "-p", path, "-x", vectorPIN, "-z", otherPIN]).status, 0)
        XCTAssertEqual(try ExternalTools.psekit(["change_pin", "-p", path, "-x", otherPIN, "-z", vectorPIN]).status, 0)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertNotEqual(original, before, "change_pin writes a fresh salt")

        for (leaving, commands) in [
            (0, [["change_pin", "-p", path, "-x", vectorPIN, "-z", otherPIN],
                 ["maintain_pk", "-p", path, "-x", vectorPIN, "-a", chainFile.path]]),
            // One page free: the new PSE with three more certificates needs two.
            (4096, [["maintain_pk", "-p", path, "-x", vectorPIN, "-a", chainFile.path]]),
        ] {
            try fill(small, leaving: leaving)
            for arguments in commands {
                let result = try ExternalTools.psekit(arguments)
                XCTAssertEqual(result.status, 1, "\(arguments): \(result.err)")
                // maintain_pk notes what it adds before writing; the error is one line, the last.
                let message = String(result.err.split(separator: "\n").last ?? "")
                XCTAssertTrue(message.contains(path), "the message names the file: \(result.err)")
                XCTAssertTrue(message.contains("No space left on device"), result.err)
                XCTAssertTrue(message.contains("the disk is full"), result.err)
                XCTAssertTrue(message.contains("left unchanged"), result.err)
                XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), original, "\(arguments) changed the PSE")
                XCTAssertEqual(try temporaryFiles(besides: path), [], "a temporary file was left on the full disk")
                print("disk full (\(leaving) bytes free): psekit \(arguments[0]) said: \(message)")
            }
        }
        // With space again, the same command works and the PSE opens.
        unlink(small.appendingPathComponent("filler").path)
        let again = try ExternalTools.psekit(["maintain_pk", "-p", path, "-x", vectorPIN, "-a", chainFile.path])
        XCTAssertEqual(again.status, 0, again.err)
        let file = try PSEFile.decode(Array(try Data(contentsOf: URL(fileURLWithPath: path))), pin: vectorPIN)
        XCTAssertEqual(try file.content.trustedCertificates().count, 4)
    }
}
