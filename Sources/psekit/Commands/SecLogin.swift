import ArgumentParser
import Foundation
import PSEKit
import PSEStore

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
        credentials protected by DPAPI or a TPM are listed but cannot be used here. \
        The PIN is checked against the PSE before it is stored. \
        Note that the key protecting an LPS-off credential derives from the user name and a \
        constant, so the file's 0600 mode is what keeps it secret.

        Examples:
          psekit seclogin -p SAPSSLC.pse -x secret
          psekit seclogin -p client.pse --pin-env PSE_PIN -O sapadm
          psekit seclogin -l -v
          psekit seclogin -d -p SAPSSLC.pse
        """
    ).psekitSubcommand

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

    @Flag(help: "Print the list as JSON (with -l).")
    var json = false

    func validate() throws {
        if list && delete { throw ValidationError("-l and -d cannot be combined") }
        if !list && !delete && pse == nil {
            throw ValidationError("say what to do: -p PSE to store a credential, -l to list them, -d -p PSE to remove one")
        }
        if json && !list { throw ValidationError("--json goes with -l") }
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
        let path = PSELocation.path(forPSE: pse)
        let layout = try StoredPSE.layout(at: path)
        guard layout.isPINProtected else {
            throw CLIError("\(path): the PSE has no PIN, so there is nothing to store",
                           hint: "psekit opens it without a credential.")
        }
        // The PIN comes from an option or is asked for; an old stored credential is not used.
        let pin: String
        if let explicit = try pinOptions.explicitPIN() {
            pin = explicit.pin
        } else {
            pin = try SecretReader.read(prompt: "Please enter PIN: ")
        }
        let stored = try StoredPSE.open(at: path) { _ in pin }
        let subject = try stored.file.content.ownCertificate().map { SAPDistinguishedName.format($0.subject) } ?? ""
        let user = targetUser
        let replaced: Int
        do {
            replaced = try CredentialStore.update(at: credentialsPath) { file -> Int in
                let replaced = file.indices(forPSEAt: path, user: user).count
                try file.store(pin: pin, forUser: user, subject: Self.ascii(subject), psePath: path)
                return replaced
            }
        } catch let error as CredentialError {
            throw CLIError("\(path): cannot store a credential for this PSE: \(error)",
                           hint: "cred_v2 stores the path as ASCII: move or link the PSE to a path without other characters.")
        }
        if verbose { Console.note("running seclogin with USER=\"\(user)\"") }
        print("\(replaced > 0 ? "Replaced" : "Added") SSO credentials for PSE \"\(path)\"")
        print("  subject \"\(TerminalText.escaped(subject))\", user \(user), stored in \(credentialsPath)")
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
        let removed = try CredentialStore.update(at: credentialsPath) { file -> [String] in
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
        guard !removed.isEmpty else {
            throw CLIError(path.map { "no credential for PSE \"\($0)\" and user \(user) in \(credentialsPath)" }
                           ?? "no credential of user \(user) in \(credentialsPath)",
                           hint: "List them with: psekit seclogin -l -v")
        }
        for removedPath in removed {
            print("Removed SSO credentials for PSE \"\(removedPath)\" and user \(user)")
        }
    }

    // MARK: List

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
        let entries = file.credentials.enumerated().map { index, credential -> Entry in
            var problem: String?
            var opens = false
            do {
                _ = try credential.decrypt(forUser: user)
                opens = true
            } catch let error as CredentialError {
                switch error {
                case .decryptionFailed, .lpsRestrictedToAnotherUser: problem = nil
                default: problem = error.description
                }
            } catch {
                problem = "\(error)"
            }
            return Entry(index: index + 1, subject: credential.subject, psePath: credential.psePath,
                         protection: credential.protection.description, cipher: credential.cipherDescription,
                         user: user, opensForUser: opens, problem: problem)
        }
        if json {
            try Console.printJSON(entries)
            return
        }
        print("\(entries.count) SSO credential\(entries.count == 1 ? "" : "s") in \(credentialsPath)")
        for entry in entries {
            let subject = entry.subject.map { "\"\($0)\"" } ?? "(unrecognized entry)"
            print(" [\(entry.index)] \(TerminalText.escaped(entry.psePath ?? "?"))  \(TerminalText.escaped(subject))  \(entry.protection), \(entry.cipher)")
            if verbose {
                print("      opens for user \(user): \(entry.opensForUser ? "yes" : "no")")
                if let problem = entry.problem { print("      \(TerminalText.escaped(problem, limit: nil))") }
            }
        }
    }
}
