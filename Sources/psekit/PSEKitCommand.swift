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

        Called as sapgenpse (a link of that name), psekit prints sapgenpse's own text layouts, \
        which monitoring agents, scripts and Salt's sap_pse module parse (get_my_name, \
        maintain_pk -l, seclogin -l, export_own_cert; seclogin -l exits 21 when there is no \
        credential); dates are then in local time (TZ). Every command accepts sapgenpse's -S \
        (silent mode: no notes or warnings on standard error). See docs/sapgenpse-compat.md.

        Example:
          psekit gen_pse -x "" -p client.pse "CN=client.example.com, O=Example, C=DE"
        """,
        version: PSEKitVersion.description,
        subcommands: [
            GenPSE.self, GetMyName.self, MaintainPK.self, ChangePIN.self, Show.self,
            ImportOwnCert.self, ExportOwnCert.self, GenVerifyPSE.self,
            ImportP12.self, ExportP12.self, ImportP8.self, ExportP8.self,
            SecLogin.self, ServiceKey.self, Expiry.self,
            Trust.self, Check.self, Split.self,
        ]
    )

    /// `psekit --version` answers before swift-argument-parser builds its parser. Called as
    /// `sapgenpse`, the command line is first rewritten to sapgenpse's conventions, and errors are
    /// reported as sapgenpse reports them (its texts and exit codes).
    static func main() {
        ProcessHardening.disableCoreDumps()
        var arguments = Array(CommandLine.arguments.dropFirst())
        // sapgenpse's command line (called as `sapgenpse`, or with its -S or without get_my_name's -p).
        do { arguments = try SapgenpseMode.rewrite(arguments) } catch {
            if SapgenpseMode.isActive { SapgenpseMode.exit(withError: error, command: arguments.first ?? "sapgenpse") }
            exit(withError: error)
        }
        if arguments == ["--version"] {
            print(PSEKitVersion.description)
            return
        }
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            let error = ErrorHints.adding(to: error)
            if SapgenpseMode.isActive, let name = arguments.first, !name.hasPrefix("-") {
                SapgenpseMode.exit(withError: error, command: name)
            }
            exit(withError: TerminalSafeError.wrapping(error))
        }
    }
}
