import ArgumentParser

struct GenPSE: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gen_pse",
        abstract: "Create a PSE with a new RSA key and a self-signed certificate, and a certificate request.",
        discussion: """
        Generates an RSA key (2048 bits unless -s or -a RSA:SIZE:HASH say otherwise), a \
        self-signed certificate valid for --days (365 by default, as sapgenpse's), and a PSE \
        holding the key (SKnew), the certificate (Cert), the root (PKRoot) and the trusted list \
        (CertList) with the own certificate, as SAP's tools write them. The distinguished name \
        is in SAP's syntax, first attribute printed first (LDAP order). Unless -noreq is given, \
        a PKCS#10 request for a CA is shown, and written to REQFILE with -r. An empty PIN \
        (-x "" or Enter at the prompt) creates a PSE without PIN.

        Examples:
          psekit gen_pse -x "" -p client.pse -noreq "CN=COMPUTER.theobald.local, C=DE, S=BW, O=TS, OU=DEV"
          psekit gen_pse -p SAPSSLS.pse -r SAPSSLS.req -s 4096 -k GN-dNSName:host.example.com "CN=host.example.com, O=Example, C=DE"
          psekit gen_pse -p SAPSSLS.pse -a RSA:2048:SHA512 -x "" -noreq "CN=host.example.com, O=Example, C=DE"
          psekit get_pse -onlyreq -p SAPSSLS.pse -r renew.req

        get_pse is sapgenpse's other name for this command.
        """,
        aliases: ["get_pse"]
    )

    @OptionGroup var arguments: GenPSEArguments

    func run() throws { try arguments.run() }
}
