import ArgumentParser

/// sapgenpse's other name for `gen_pse`.
struct GetPSE: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get_pse",
        abstract: "The same as gen_pse: create a PSE with a new key, a self-signed certificate and a request.",
        discussion: """
        sapgenpse accepts both names; see 'psekit gen_pse --help' for the options.

        Example:
          psekit get_pse -p SAPSSLC.pse -r SAPSSLC.req "CN=client.example.com, O=Example, C=DE"
        """
    ).psekitSubcommand

    @OptionGroup var arguments: GenPSEArguments

    func run() throws { try arguments.run() }
}
