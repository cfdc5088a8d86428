import ArgumentParser
import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers
import PSEKit
import PSENet
import PSEStore
import X509

struct Expiry: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expiry",
        abstract: "Find certificates in PSEs that expire soon or have expired.",
        discussion: """
        Reads every PSE given, and every *.pse in the folders given (recursively; $SECUDIR when \
        no path is given), and lists each certificate - own, its chain (FCPath), the root \
        (PKRoot) and the trusted ones (CertList) - that expires within --days days or has \
        expired, soonest first. A PSE with a PIN is opened with the PIN from --pin-env or the \
        credential 'psekit seclogin' stored for it and the current user; PSEs without PIN need \
        none.

        Exit status: 0 when nothing is due, 1 when something is, 2 when a PSE could not be read \
        (each such PSE is named on standard error; the others are still checked).

        Examples:
          psekit expiry /usr/sap/SID/DVEBMGS00/sec --days 60
          psekit expiry client.pse server.pse --json
          PSE_PIN=secret psekit expiry --pin-env PSE_PIN /etc/sap/sec
        """
    )

    @Argument(help: ArgumentHelp("PSE files and folders to search (default: $SECUDIR).", valueName: "PATH"))
    var paths: [String] = []

    @Option(help: ArgumentHelp("Report certificates that expire within this many days.", valueName: "N"))
    var days = 30

    @Option(name: .customLong("pin-env"), help: ArgumentHelp("Read the PIN for PSEs with a PIN from this environment variable.", valueName: "VAR"))
    var pinEnvironmentVariable: String?

    @Flag(name: .customShort("v"), help: "Name every PSE checked and how it was opened.")
    var verbose = false

    @Flag(help: "Print JSON for scripts and monitoring.")
    var json = false

    @OptionGroup var progressOptions: ProgressOptions

    func validate() throws {
        guard days >= 0 else { throw ValidationError("--days must be 0 or more") }
    }

    /// A certificate that is due, as reported.
    struct DueCertificate: Encodable {
        var file: String
        var roles: [String]
        var subject: String
        var issuer: String
        var serialNumber: String
        var notAfter: Date
        var daysLeft: Int
        var expired: Bool
    }

    struct Unreadable: Encodable {
        var file: String
        var reason: String
    }

    struct Report: Encodable {
        var days: Int
        var checkedFiles: [String]
        var due: [DueCertificate]
        var unreadable: [Unreadable]
    }

    /// What checking one file gave.
    enum Outcome {
        case checked(file: String, opened: String, due: [DueCertificate], certificateCount: Int)
        case unreadable(Unreadable)
    }

    func run() throws {
        let pinFromEnvironment = try pinEnvironmentVariable.map { try EnvironmentSecret.value(of: $0, option: "--pin-env") }
        let (files, missing) = Self.collectFiles(paths.isEmpty ? [PSELocation.secudir()] : paths)
        let outcomes = checkAll(files, pinFromEnvironment: pinFromEnvironment)

        var summary = Summary(unreadable: missing)
        for outcome in outcomes {
            switch outcome {
            case .checked(let file, let opened, let fileDue, let count):
                summary.checked.append(file)
                summary.due += fileDue
                summary.certificateCount += count
                if verbose && !json { Console.note("Checked \(file) (\(opened), \(count) certificate\(count == 1 ? "" : "s"))") }
            case .unreadable(let problem):
                summary.unreadable.append(problem)
            case nil:
                break
            }
        }
        summary.due.sort { ($0.notAfter, $0.file, $0.subject) < ($1.notAfter, $1.file, $1.subject) }
        summary.unreadable.sort { $0.file < $1.file }
        try report(summary)
        if !summary.unreadable.isEmpty { throw ExitCode(2) }
        if !summary.due.isEmpty { throw ExitCode(1) }
    }

    /// What the files held, gathered for the report.
    private struct Summary {
        var unreadable: [Unreadable]
        var due: [DueCertificate] = []
        var checked: [String] = []
        var certificateCount = 0
    }

    /// One read per file, the files spread over the cores; the outcomes in the files' order.
    private func checkAll(_ files: [String], pinFromEnvironment: String?) -> [Outcome?] {
        let credentials: CredentialsFile
        do {
            credentials = try CredentialStore.read(at: CredentialStore.path())
        } catch {
            Console.warning("stored PINs are not used: \(ErrorText.of(error))")
            credentials = CredentialsFile()
        }
        let user = CredentialStore.currentUser
        let now = Date()
        let deadline = now.addingTimeInterval(TimeInterval(days) * 86_400)
        let results = OutcomeCollector(count: files.count)
        let progress = progressOptions.counter("Checking PSEs", total: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            results.set(index, Self.check(file: files[index], pinFromEnvironment: pinFromEnvironment,
                                          credentials: credentials, user: user, now: now, deadline: deadline))
            progress.advance()
        }
        progress.finish()
        return results.outcomes
    }

    private func report(_ summary: Summary) throws {
        for problem in summary.unreadable {
            Console.note("psekit: \(problem.file): \(problem.reason)")
        }
        let (due, checked, count) = (summary.due, summary.checked, summary.certificateCount)
        if json {
            try Console.printJSON(Report(days: days, checkedFiles: checked, due: due, unreadable: summary.unreadable))
        } else if due.isEmpty {
            print("No certificate expires within \(days) day\(days == 1 ? "" : "s") "
                + "(\(count) certificate\(count == 1 ? "" : "s") in \(checked.count) PSE\(checked.count == 1 ? "" : "s")).")
        } else {
            for item in due {
                print("\(Self.day(item.notAfter))  \(Self.when(item).padded(to: 22))"
                    + "  \(item.roles.joined(separator: ", "))  \(TerminalText.escaped(item.subject))  \(TerminalText.escaped(item.file))")
            }
        }
    }

    // MARK: Files

    /// The files to check: files as given, and `*.pse` in folders, recursively; paths that do not
    /// exist are reported.
    static func collectFiles(_ paths: [String]) -> (files: [String], missing: [Unreadable]) {
        var files: [String] = []
        var missing: [Unreadable] = []
        let manager = FileManager.default
        for path in paths {
            guard manager.fileExists(atPath: path) else {
                missing.append(Unreadable(file: path, reason: "no such file or folder"))
                continue
            }
            guard Folder.isFolder(path) else {
                files.append(URL(fileURLWithPath: path).standardizedFileURL.path)
                continue
            }
            let root = URL(fileURLWithPath: path, isDirectory: true).path
            guard let found = Folder.regularFiles(under: root) else {
                missing.append(Unreadable(file: path, reason: "the folder cannot be read"))
                continue
            }
            for file in found where URL(fileURLWithPath: file).pathExtension.lowercased() == "pse" {
                files.append(URL(fileURLWithPath: file).standardizedFileURL.path)
            }
        }
        var seen = Set<String>()
        return (files.filter { seen.insert($0).inserted }.sorted(), missing)
    }

    // MARK: One PSE

    static func check(file: String, pinFromEnvironment: String?, credentials: CredentialsFile, user: String,
                      now: Date, deadline: Date) -> Outcome {
        let bytes: [UInt8]
        let layout: PSEFile.Layout
        do {
            bytes = try StoredPSE.readBytes(at: file)
            layout = try PSEFile.layout(of: bytes)
        } catch let error as PSEStoreError where error.code.family == .pse {
            return .unreadable(Unreadable(file: file, reason: error.reason))
        } catch {
            return .unreadable(Unreadable(file: file, reason: ErrorText.of(error)))
        }

        let pse: PSEFile
        let opened: String
        do {
            (pse, opened) = try open(bytes, layout: layout, file: file, pinFromEnvironment: pinFromEnvironment,
                                     credentials: credentials, user: user)
        } catch let error as Unreadable {
            return .unreadable(error)
        } catch {
            return .unreadable(Unreadable(file: file, reason: ErrorText.of(error)))
        }

        var certificates: [(certificate: Certificate, roles: [String])] = []
        func add(_ certificate: Certificate, _ role: String) {
            if let index = certificates.firstIndex(where: { $0.certificate == certificate }) {
                if !certificates[index].roles.contains(role) { certificates[index].roles.append(role) }
            } else {
                certificates.append((certificate, [role]))
            }
        }
        do {
            let content = pse.content
            if let own = try content.ownCertificate() { add(own, "own") }
            for certificate in try content.certificationPath() { add(certificate, "chain") }
            if let root = try content.rootCertificate() { add(root, "root") }
            for certificate in try content.trustedCertificates() { add(certificate, "trusted") }
        } catch {
            return .unreadable(Unreadable(file: file, reason: "a certificate in the PSE cannot be read: \(ErrorText.of(error))"))
        }

        let due = certificates.filter { $0.certificate.notValidAfter <= deadline }.map { entry -> DueCertificate in
            let certificate = entry.certificate
            let interval = certificate.notValidAfter.timeIntervalSince(now)
            return DueCertificate(
                file: file, roles: entry.roles,
                subject: SAPDistinguishedName.format(certificate.subject),
                issuer: SAPDistinguishedName.format(certificate.issuer),
                serialNumber: Hex.bytes(certificate.serialNumber.bytes, separator: ":"),
                notAfter: certificate.notValidAfter,
                daysLeft: Int((interval / 86_400).rounded()),
                expired: interval < 0)
        }
        return .checked(file: file, opened: opened, due: due, certificateCount: certificates.count)
    }

    /// Decodes the PSE: without PIN, or with the PIN from the environment or a stored credential.
    static func open(_ bytes: [UInt8], layout: PSEFile.Layout, file: String, pinFromEnvironment: String?,
                     credentials: CredentialsFile, user: String) throws -> (PSEFile, String) {
        guard layout.isPINProtected else {
            do { return (try PSEFile.decode(bytes, pin: nil), "no PIN") } catch {
                throw Unreadable(file: file, reason: ErrorText.of(error))
            }
        }
        var candidates: [(pin: String, origin: String)] = []
        if let pinFromEnvironment { candidates.append((pinFromEnvironment, "PIN from --pin-env")) }
        if let stored = try? CredentialStore.secret(forPSEAt: file, user: user, in: credentials) {
            candidates.append((stored.pin, "PIN stored by seclogin"))
        }
        guard !candidates.isEmpty else {
            throw Unreadable(file: file, reason: "the PSE has a PIN and none was found (give --pin-env VAR, or store it with psekit seclogin -p PSE)")
        }
        for candidate in candidates {
            do {
                return (try PSEFile.decode(bytes, pin: candidate.pin), candidate.origin)
            } catch let error as PSEKitError where error.code == .wrongPIN {
                continue
            } catch {
                throw Unreadable(file: file, reason: ErrorText.of(error))
            }
        }
        throw Unreadable(file: file, reason: "wrong PIN (\(candidates.map(\.origin).joined(separator: " and ")))")
    }

    // MARK: Text

    /// `2026-03-01 12:00 UTC`.
    static func day(_ date: Date) -> String {
        UTCDateText.dateAndMinute(date)
    }

    static func when(_ item: DueCertificate) -> String {
        let count = abs(item.daysLeft)
        let unit = count == 1 ? "day" : "days"
        if item.expired { return count == 0 ? "expired today" : "expired \(count) \(unit) ago" }
        return count == 0 ? "expires today" : "in \(count) \(unit)"
    }
}

extension Expiry.Unreadable: Error {}

/// Results written by concurrent workers, one slot per file.
private final class OutcomeCollector: Sendable {
    private let slots: NIOLockedValueBox<[Expiry.Outcome?]>

    init(count: Int) { slots = NIOLockedValueBox(Array(repeating: nil, count: count)) }

    func set(_ index: Int, _ outcome: Expiry.Outcome) {
        slots.withLockedValue { $0[index] = outcome }
    }

    var outcomes: [Expiry.Outcome?] {
        slots.withLockedValue { $0 }
    }
}
