import ArgumentParser

@main
struct PSEKitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "psekit",
        abstract: "Create, inspect and maintain SAP PSE files; sapgenpse-compatible.",
        discussion: """
        psekit speaks sapgenpse's commands and flags, so existing scripts and SAP's documentation \
        work unchanged, and adds what sapgenpse lacks: trusting a server from its URL, testing a \
        connection, modern PKCS#12 and JSON output.

        Example:
          psekit gen_pse -x "" -p client.pse "CN=client.example.com, O=Example, C=DE"
        """,
        version: PSEKitVersion.description,
        subcommands: [
            GenPSE.self, GetPSE.self, GetMyName.self, MaintainPK.self, ChangePIN.self, Show.self,
            ImportOwnCert.self, ExportOwnCert.self, GenVerifyPSE.self,
            ImportP12.self, ExportP12.self, ImportP8.self, ExportP8.self,
            SecLogin.self, ServiceKey.self, Expiry.self,
            Trust.self, Check.self, Split.self,
        ]
    )

    /// Start-up: `psekit --version` answers before swift-argument-parser builds its parser (type
    /// metadata and conformance look-ups for the commands): 4 ms instead of 5.6 ms for the static
    /// release binary (bench/RESULTS.md, scenario 6).
    ///
    /// A command line that names a subcommand is parsed by that subcommand alone, which spares
    /// the parser the whole command tree and its completion-script check (see
    /// `psekitSubcommand`; 2–3 ms of every command, bench/RESULTS.md). Whatever that parse does
    /// not accept (help, errors, `help COMMAND`, completion scripts) goes through the full
    /// parser, so messages, usage lines and exit codes are the ones `main(nil)` gives; errors
    /// thrown while running are reported by this root command, as `main(nil)` does.
    static func main() {
        ProcessHardening.disableCoreDumps()
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments == ["--version"] {
            print(PSEKitVersion.description)
            return
        }
        if let name = arguments.first, !name.hasPrefix("-"),
           let subcommand = configuration.subcommands.first(where: {
               $0._commandName == name || $0.configuration.aliases.contains(name)
           }),
           var command = try? subcommand.parseAsRoot(Array(arguments.dropFirst())) {
            do {
                try command.run()
            } catch {
                exit(withError: TerminalSafeError.wrapping(error))
            }
            return
        }
        main(nil)
    }
}

extension CommandConfiguration {
    /// A subcommand's configuration, marked as belonging to `psekit`.
    ///
    /// swift-argument-parser reads `_superCommandName` only from the root of the command stack:
    /// under `psekit` (the full parser) nothing changes. When `PSEKitCommand.main` parses a
    /// subcommand alone, the mark makes that parse skip the `--generate-completion-script` check
    /// (two extra parsers' worth of reflection and conformance look-ups, ~1 ms); a command line
    /// asking for completions fails that parse and goes to the full parser, which handles it.
    var psekitSubcommand: CommandConfiguration {
        var configuration = self
        configuration._superCommandName = "psekit"
        return configuration
    }
}
