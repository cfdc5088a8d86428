import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit
import PSEStore
import X509
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct SecLogin: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seclogin",
        abstract: "Store, list and remove PSE PINs in $SECUDIR/cred_v2 (single sign-on credentials).",
        discussion: """
        With a credential stored, psekit (and SAP's own programs) open the PSE without being \
        given its PIN. A credential is kept per PSE and OS user (the current one unless -O \
        names another), in $SECUDIR/cred_v2 (always rewritten as a new file with mode 0600 owned by the user \
        running psekit; a cred_v2 that other users can write into is refused). psekit writes LPS-off credentials \
        (format 1, AES-256) and reads those SAP wrote, including LPS fallback mode; LPS \
        credentials protected by DPAPI or a TPM are listed but cannot be used here, and an \
        LPS-off credential whose PIN is wrapped by Windows DPAPI (MSCryptProtect) is listed as \
        such (it opens only for that Windows account on its host) and never used as a PIN. \
        -l shows each entry's user: the one it opens for, or the user an LPS entry is \
        restricted to. -O must name an existing OS user when storing. \
        The PIN is checked against the PSE before it is stored. \
        Called as sapgenpse, -l prints sapgenpse's listing and exits 21 when no credential \
        matches, and a PSE without PIN gets a credential too (for the empty PIN). \
        Note that the key protecting an LPS-off credential derives from the user name and a \
        constant, so the file's 0600 mode is what keeps it secret.

        Examples:
          psekit seclogin -p SAPSSLC.pse -x secret
          psekit seclogin -p client.pse --pin-env PSE_PIN -O sapadm
          psekit seclogin -l -v
          psekit seclogin -d -p SAPSSLC.pse
          sapgenpse seclogin -l -p SAPSSLS.pse -O sapadm
        """
    )

    @Option(name: .customShort("p"),
            help: ArgumentHelp("The PSE: a path, or a name in $SECUDIR (.pse is added when there is no extension).", valueName: "PSE"))
    var pse: String?

    @OptionGroup var pinOptions: PINOptions

    @Option(name: .customShort("O"), help: ArgumentHelp("The OS user the credential is for (default: the current user).", valueName: "USER"))
    var user: String?

    @Flag(name: .customShort("l"), help: "List the stored credentials.")
    var list = false

    @Flag(name: .customShort("d"), help: "Remove the credential for -p PSE (without -p: every credential of the user).")
    var delete = false

    @Flag(name: .customShort("v"), help: "Show more: the cipher details and whether each credential opens for the user.")
    var verbose = false

    @Flag(help: "Print the list (-l), or what changed, as JSON.")
    var json = false

    @OptionGroup var checkOption: CheckOption

    func validate() throws {
        if list && delete { throw ValidationError("-l and -d cannot be combined") }
        if !list && !delete && pse == nil {
            throw ValidationError("say what to do: -p PSE to store a credential, -l to list them, -d -p PSE to remove one")
        }
        if checkOption.check && list { throw ValidationError("--check goes with storing or removing a credential, not with -l") }
    }

    private var targetUser: String { user ?? CredentialStore.currentUser }
    private var credentialsPath: String { CredentialStore.path() }

    func run() throws {
        if list {
            try runList()
        } else if delete {
            try runDelete()
        } else {
            try runStore()
        }
    }

    // MARK: Store

    private func runStore() throws {
        guard let pse else { return }
        if let user, getpwnam(user) == nil {
            throw CLIError("-O \(user): there is no OS user of this name on this host; no credential was stored",
                           hint: "Give an existing user (see: getent passwd), or leave -O out for the current user.")
        }
        let path = PSELocation.path(forPSE: pse)
        let layout = try StoredPSE.layout(at: path)
        guard layout.isPINProtected || SapgenpseMode.isActive else {
            throw CLIError("\(path): the PSE has no PIN, so there is nothing to store",
                           hint: "psekit opens it without a credential.")
        }
        // The PIN comes from an option or is asked for; an old stored credential is not used.
        let pin: String
        if !layout.isPINProtected {
            pin = ""  // sapgenpse stores a credential for a PSE without PIN too
        } else if let explicit = try pinOptions.explicitPIN() {
            pin = explicit.pin
        } else {
            pin = try SecretReader.read(prompt: "Please enter PIN: ")
        }
        let stored = try StoredPSE.open(at: path) { _ in pin }
        let subject = try stored.file.content.ownCertificate().map { SAPDistinguishedName.format($0.subject) } ?? ""
        let user = targetUser
        var changes = ChangeReport(check: checkOption.check)
        let item = ChangeReport.Item(kind: .credential, path: path, certificate: try stored.file.content.ownCertificate(), user: user)
        do {
            // A credential that already holds this PIN for this PSE and user is left as it is.
            let existing = try CredentialStore.read(at: credentialsPath)
            let current = try? existing.secret(forPSEAt: path, user: user)
            if current?.pin == pin {
                // nothing to do
            } else if checkOption.check {
                _ = try Credential.make(pin: pin, forUser: user, subject: Self.ascii(subject), psePath: path)
                if current == nil { changes.added.append(item) } else { changes.updated.append(item) }
            } else {
                let replaced = try CredentialStore.update(at: credentialsPath) { file -> Int in
                    let replaced = file.indices(forPSEAt: path, user: user).count
                    try file.store(pin: pin, forUser: user, subject: Self.ascii(subject), psePath: path)
                    return replaced
                }
                if replaced > 0 { changes.updated.append(item) } else { changes.added.append(item) }
            }
        } catch let error as PSEKitError where error.code.family == .credential {
            throw CLIError("\(path): cannot store a credential for this PSE: \(ErrorText.of(error))",
                           hint: "cred_v2 stores the path as ASCII: move or link the PSE to a path without other characters.")
        }
        if json { return try Console.printJSON(ReportWithChanges(report: StoreReport(file: credentialsPath), changes: changes)) }
        if checkOption.check { return changes.printCheckSummary() }
        if verbose { Console.note("running seclogin with USER=\"\(user)\"") }
        if !changes.changed {
            print("SSO credentials for PSE \"\(path)\" and user \(user) hold this PIN already; nothing was written")
            return
        }
        print("\(changes.updated.isEmpty ? "Added" : "Replaced") SSO credentials for PSE \"\(path)\"")
        print("  subject \"\(TerminalText.escaped(subject))\", user \(user), stored in \(credentialsPath)")
    }

    /// What `--json` says of the credentials file beside the change report.
    struct StoreReport: Encodable {
        var file: String
    }

    /// The subject as the credential stores it (IA5String): other characters become '?'.
    static func ascii(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.isASCII ? Character($0) : "?" })
    }

    // MARK: Delete

    private func runDelete() throws {
        let user = targetUser
        let path = pse.map { PSELocation.path(forPSE: $0) }
        guard FileManager.default.fileExists(atPath: credentialsPath) else {
            throw CLIError("\(credentialsPath): there is no credentials file, so nothing to remove",
                           hint: "Set SECUDIR to the folder that holds cred_v2.")
        }
        func remove(from file: inout CredentialsFile) -> [String] {
            var removed: [String] = []
            if let path {
                for variant in CredentialStore.pathVariants(forPSEAt: path) {
                    if file.remove(forPSEAt: variant, user: user) > 0 { removed.append(variant) }
                }
            } else {
                let doomed = file.credentials.indices.filter { (try? file.credentials[$0].decrypt(forUser: user)) != nil }
                removed = doomed.map { file.credentials[$0].psePath ?? "?" }
                for index in doomed.reversed() { file.credentials.remove(at: index) }
            }
            return removed
        }
        let removed: [String]
        if checkOption.check {
            var copy = try CredentialStore.read(at: credentialsPath)
            removed = remove(from: &copy)
        } else {
            removed = try CredentialStore.update(at: credentialsPath) { remove(from: &$0) }
        }
        guard !removed.isEmpty else {
            throw CLIError(path.map { "no credential for PSE \"\($0)\" and user \(user) in \(credentialsPath)" }
                           ?? "no credential of user \(user) in \(credentialsPath)",
                           hint: "List them with: psekit seclogin -l -v")
        }
        var changes = ChangeReport(check: checkOption.check)
        changes.removed = removed.map { ChangeReport.Item(kind: .credential, path: $0, user: user) }
        if json { return try Console.printJSON(ReportWithChanges(report: StoreReport(file: credentialsPath), changes: changes)) }
        if checkOption.check { return changes.printCheckSummary() }
        for removedPath in removed {
            print("Removed SSO credentials for PSE \"\(removedPath)\" and user \(user)")
        }
    }

    // MARK: List

    /// The user an entry names itself: the `(user=NAME)` restriction of an LPS entry. An LPS-off
    /// entry does not store its user (its key derives from the name).
    static func storedUser(of credential: Credential) -> String? {
        if case .lps(let lps) = credential { return (try? lps.lpsBlob())?.restrictedUser }
        return nil
    }

    struct Entry: Encodable {
        var index: Int
        var subject: String?
        var psePath: String?
        var protection: String
        var cipher: String
        var user: String
        var opensForUser: Bool
        var problem: String?
    }

    private func runList() throws {
        let user = targetUser
        let file = try CredentialStore.read(at: credentialsPath)
        if SapgenpseMode.isActive && !json {
            Console.note("running seclogin with USER=\"\(user)\"")
            guard let listing = SapgenpseSecLoginText.listing(of: file, psePath: pse.map { PSELocation.path(forPSE: $0) }, user: user) else {
                throw CLIError("No SSO credentials available", exitCode: SapgenpseSecLoginText.noCredentialsExitCode)
            }
            listing.lines.forEach { print($0) }
            return
        }
        let entries = file.credentials.enumerated().map { index, credential -> Entry in
            var problem: String?
            var opens = false
            var protection = credential.protection.description
            var entryUser = Self.storedUser(of: credential) ?? "another user (not \(user))"
            do {
                let secret = try credential.decrypt(forUser: user)
                entryUser = user
                if secret.isWindowsDPAPIProtected {
                    // The "PIN" is a DPAPI blob: never a PIN here.
                    protection += ", Windows DPAPI"
                    problem = PSEKitError.windowsDPAPIProtected.reason
                } else {
                    opens = true
                }
            } catch let error as PSEKitError where error.code.family == .credential {
                switch error.code {
                case .credentialDecryptionFailed, .lpsRestrictedToAnotherUser: problem = nil
                default: problem = error.reason
                }
            } catch {
                problem = ErrorText.of(error)
            }
            return Entry(index: index + 1, subject: credential.subject, psePath: credential.psePath,
                         protection: protection, cipher: credential.cipherDescription,
                         user: entryUser, opensForUser: opens, problem: problem)
        }
        if json {
            try Console.printJSON(entries)
            return
        }
        print("\(entries.count) SSO credential\(entries.count == 1 ? "" : "s") in \(credentialsPath)")
        for entry in entries {
            let subject = entry.subject.map { "\"\($0)\"" } ?? "(unrecognized entry)"
            print(" [\(entry.index)] \(TerminalText.escaped(entry.psePath ?? "?"))  \(TerminalText.escaped(subject))  \(entry.protection), \(entry.cipher)  user: \(TerminalText.escaped(entry.user))")
            if !verbose, let problem = entry.problem, entry.protection.hasSuffix("Windows DPAPI") { print("      \(problem)") }
            if verbose {
                print("      opens for user \(user): \(entry.opensForUser ? "yes" : "no")")
                if let problem = entry.problem { print("      \(TerminalText.escaped(problem, limit: nil))") }
            }
        }
    }
}
