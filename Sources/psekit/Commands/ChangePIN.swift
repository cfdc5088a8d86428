import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit
import PSEStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct ChangePIN: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "change_pin",
        abstract: "Change a PSE's PIN, remove it, or convert the PSE between versions 2 and 4.",
        discussion: """
        An empty new PIN writes the PSE without PIN (as the Cloud Connector and many \
        clients need it); a PIN on a PSE without one encrypts it. Each new PIN gets a fresh \
        random salt. The file is replaced atomically; a wrong old PIN changes nothing. \
        The seclogin credentials of the PSE in $SECUDIR/cred_v2 are renewed with the new PIN \
        for every OS user of this host whose LPS-off entry holds the old one (removed when the \
        new PIN is empty); entries psekit cannot rewrite (LPS on, Windows DPAPI, unknown user) \
        are named with the command that renews them.

        Examples:
          psekit change_pin -p client.pse -x old -z new
          psekit change_pin -p client.pse -x secret -z ""          # remove the PIN
          psekit change_pin -p client.pse -x secret -z secret --pse-version 4
        """
    )

    @OptionGroup var options: PSEOptions

    @Option(name: .customShort("z"), help: ArgumentHelp("The new PIN; \"\" for a PSE without PIN. Asked for when missing.", valueName: "NEWPIN"))
    var newPIN: String?

    @Option(name: .customLong("new-pin-env"), help: ArgumentHelp("Read the new PIN from this environment variable.", valueName: "VAR"))
    var newPINEnvironmentVariable: String?

    @Option(name: .customLong("pse-version"), help: "Write the PSE as version 2 or 4 (default: keep its version).")
    var pseVersion: Int?

    @Flag(name: .customShort("v"), help: "Say what was written.")
    var verbose = false

    @Flag(help: "Print the result and what changed as JSON.")
    var json = false

    @OptionGroup var checkOption: CheckOption

    func validate() throws {
        if let pseVersion, pseVersion != 2 && pseVersion != 4 {
            throw ValidationError("--pse-version takes 2 or 4")
        }
    }

    func run() throws {
        var changes = ChangeReport(check: checkOption.check)
        var oldPIN: String?
        var newPINUsed = ""
        let layout = try options.update(check: checkOption.check, changes: &changes) { stored -> (changed: Bool, result: PSEFile.Layout) in
            let newPIN = try self.resolveNewPIN()
            oldPIN = stored.pin
            newPINUsed = newPIN
            let unchanged = (stored.pin ?? "") == newPIN && (pseVersion ?? stored.file.version) == stored.file.version
            if let pseVersion { stored.file.version = pseVersion }
            if !newPIN.isEmpty && !unchanged {
                stored.file.algorithm = .random(iterations: max(stored.file.algorithm.iterations, PSEEncryptionAlgorithm.defaultIterations))
            }
            stored.pin = newPIN.isEmpty ? nil : newPIN
            return (!unchanged, newPIN.isEmpty ? (stored.file.version == 2 ? .v2Plain : .v4Plain)
                                               : (stored.file.version == 2 ? .v2Encrypted : .v4Encrypted))
        }
        if !checkOption.check && changes.changed { try renewCredentials(oldPIN: oldPIN, newPIN: newPINUsed, quiet: json) }
        if json { return try Console.printJSON(ReportWithChanges(report: Report(file: options.path, layout: layout.rawValue), changes: changes)) }
        if checkOption.check { return changes.printCheckSummary() }
        print(changes.changed ? "PIN changed: \(options.path) is now a PSE \(layout.rawValue)."
                              : "PIN unchanged: \(options.path) is a PSE \(layout.rawValue) with that PIN already; nothing was written.")
    }

    struct Report: Encodable {
        var file: String
        var layout: String
    }

    /// Renews the PSE's seclogin credentials that hold the old PIN, for each OS user psekit can
    /// identify; names the entries it cannot rewrite.
    private func renewCredentials(oldPIN: String?, newPIN: String, quiet: Bool) throws {
        let credentialsPath = CredentialStore.path()
        guard FileManager.default.fileExists(atPath: credentialsPath) else { return }
        let variants = CredentialStore.pathVariants(forPSEAt: options.path)
        let current = try CredentialStore.read(at: credentialsPath)
        guard current.credentials.contains(where: { $0.psePath.map(variants.contains) ?? false }) else { return }
        let users = [CredentialStore.currentUser] + Self.osUsers().filter { $0 != CredentialStore.currentUser }
        var renewed: [String] = [], stale: [String] = []
        try CredentialStore.update(at: credentialsPath) { (file: inout CredentialsFile) -> Void in
            let entries = file.credentials.enumerated().filter { $0.element.psePath.map(variants.contains) ?? false }
            var replacements: [(user: String, subject: String, path: String)] = []
            var doomed: Set<Int> = []
            for (index, credential) in entries {
                let path = credential.psePath ?? options.path
                guard case .v1 = credential else {
                    stale.append("[\(index + 1)] \(path) (\(credential.protection)): renew it on the host that wrote it with: "
                        + "sapgenpse seclogin -p \(path) -x NEWPIN")
                    continue
                }
                let owner = users.first { user in
                    guard let secret = try? credential.decrypt(forUser: user) else { return false }
                    return !secret.isWindowsDPAPIProtected
                }
                guard let owner, let secret = try? credential.decrypt(forUser: owner) else {
                    stale.append("[\(index + 1)] \(path) (user not found on this host, or Windows DPAPI): renew it with: "
                        + "psekit seclogin -p \(path) -O USER")
                    continue
                }
                if let oldPIN, secret.pin != oldPIN { continue }   // it did not hold the old PIN: left as it is
                doomed.insert(index)
                if !newPIN.isEmpty { replacements.append((owner, credential.subject ?? "", path)) }
                renewed.append("\(path) for user \(owner)")
            }
            file.credentials = file.credentials.enumerated().filter { !doomed.contains($0.offset) }.map(\.element)
            for replacement in replacements {
                try file.store(pin: newPIN, forUser: replacement.user, subject: replacement.subject, psePath: replacement.path)
            }
        }
        for entry in renewed where !quiet {
            print(newPIN.isEmpty ? "Removed SSO credentials for PSE \(entry) (the PSE has no PIN now)"
                                 : "Renewed SSO credentials for PSE \(entry)")
        }
        for entry in stale {
            Console.warning("the SSO credential \(entry) still holds the old PIN; \(credentialsPath) could not be renewed for it.")
        }
    }

    /// The names of the OS users of this host.
    static func osUsers() -> [String] {
        var names: [String] = []
        setpwent()
        while let entry = getpwent() {
            if let name = entry.pointee.pw_name { names.append(String(cString: name)) }
        }
        endpwent()
        return names
    }

    private func resolveNewPIN() throws -> String {
        if let newPIN { return newPIN }
        if let name = newPINEnvironmentVariable {
            return try EnvironmentSecret.value(of: name, option: "--new-pin-env")
        }
        let first = try SecretReader.read(prompt: "Please enter the new PIN (Enter for none): ")
        if SecretReader.standardInputIsTerminal {
            guard try SecretReader.read(prompt: "Please reenter the new PIN: ") == first else {
                throw CLIError("the two new PINs differ; the PSE was not changed")
            }
        }
        return first
    }
}
