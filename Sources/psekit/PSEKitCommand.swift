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
    /// release binary (bench/RESULTS.md, scenario 6). Everything else goes through the parser.
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        if arguments.count == 1, arguments.first == "--version" {
            print(PSEKitVersion.description)
            return
        }
        main(nil)
    }
}
