import ArgumentParser
import Foundation
import PSEKit
import PSEStore

struct ChangePIN: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "change_pin",
        abstract: "Change a PSE's PIN, remove it, or convert the PSE between versions 2 and 4.",
        discussion: """
        An empty new PIN writes the PSE without PIN (as the Cloud Connector and many \
        clients need it); a PIN on a PSE without one encrypts it. Each new PIN gets a fresh \
        random salt. The file is replaced atomically; a wrong old PIN changes nothing.

        Examples:
          psekit change_pin -p client.pse -x old -z new
          psekit change_pin -p client.pse -x secret -z ""          # remove the PIN
          psekit change_pin -p client.pse -x secret -z secret --pse-version 4
        """
    ).psekitSubcommand

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
        let layout = try options.update(check: checkOption.check, changes: &changes) { stored -> (changed: Bool, result: PSEFile.Layout) in
            let newPIN = try self.resolveNewPIN()
            let unchanged = (stored.pin ?? "") == newPIN && (pseVersion ?? stored.file.version) == stored.file.version
            if let pseVersion { stored.file.version = pseVersion }
            if !newPIN.isEmpty && !unchanged {
                stored.file.algorithm = .random(iterations: max(stored.file.algorithm.iterations, PSEEncryptionAlgorithm.defaultIterations))
            }
            stored.pin = newPIN.isEmpty ? nil : newPIN
            return (!unchanged, newPIN.isEmpty ? (stored.file.version == 2 ? .v2Plain : .v4Plain)
                                               : (stored.file.version == 2 ? .v2Encrypted : .v4Encrypted))
        }
        if json { return try Console.printJSON(ReportWithChanges(report: Report(file: options.path, layout: layout.rawValue), changes: changes)) }
        if checkOption.check { return changes.printCheckSummary() }
        Console.note(changes.changed ? "PIN changed: \(options.path) is now a PSE \(layout.rawValue)."
                                     : "PIN unchanged: \(options.path) is a PSE \(layout.rawValue) with that PIN already; nothing was written.")
    }

    struct Report: Encodable {
        var file: String
        var layout: String
    }

    private func resolveNewPIN() throws -> String {
        if let newPIN { return newPIN }
        if let name = newPINEnvironmentVariable {
            guard let value = ProcessInfo.processInfo.environment[name] else {
                throw CLIError("the environment variable \(name) (--new-pin-env) is not set")
            }
            return value
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
