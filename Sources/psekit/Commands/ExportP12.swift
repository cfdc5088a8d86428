import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit
import PSEStore
import X509

struct ExportP12: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export_p12",
        abstract: "Write the PSE's key, certificate and chain to a PKCS#12 file (.p12/.pfx).",
        discussion: """
        By default the file is protected as OpenSSL 3 does it: PBES2 (PBKDF2-HMAC-SHA256, \
        AES-256-CBC) for key and certificates and a SHA-256 MAC, readable by OpenSSL 3, Java 11+, \
        Windows Server 2019+ and macOS. --legacy writes SHA-1/3DES (PKCS#12 PBE) with a SHA-1 MAC \
        for older readers; that protection is weak. Without -z the password is asked for (twice \
        on a terminal). -f sets the friendly name (the alias in Java and Windows). The file is \
        written atomically as a new file with mode 0600, owned by the user running psekit (an \
        existing file is replaced, its owner and mode are not kept; a read-only one is refused).

        Examples:
          psekit export_p12 -p SAPSSLS.pse -x secret -z p12secret server.p12
          psekit export_p12 -p client.pse -f client --legacy client.pfx
        """
    )

    @OptionGroup var options: PSEOptions

    @Option(name: .customShort("z"), help: ArgumentHelp("The PKCS#12 password; asked for when missing.", valueName: "P12PASSWORD"))
    var password: String?

    @Option(name: .customShort("f"), help: ArgumentHelp("The friendly name (alias) of key and certificate.", valueName: "FRIENDLYNAME"))
    var friendlyName: String?

    @Flag(name: .customLong("legacy"), help: "Use SHA-1/3DES protection for old readers (weak).")
    var legacy = false

    @Flag(name: .customShort("v"), help: "Show what was exported in detail.")
    var verbose = false

    @Flag(help: "Print what was exported as JSON.")
    var json = false

    @Argument(help: ArgumentHelp("The PKCS#12 file to write.", valueName: "FILE.p12"))
    var file: String

    struct Report: Encodable {
        var file: String
        var protection: String
        var friendlyName: String?
        var certificate: CertificateSummary
        var chain: [CertificateSummary]
    }

    func run() throws {
        let (stored, _) = try options.open()
        let (certificate, rsaKey, chain) = try stored.requiredIdentity()
        if legacy {
            Console.warning("--legacy protects the file with SHA-1 and triple DES (PKCS#12 PBE), which is weak; use it only for readers that cannot read the default (AES-256).")
        }
        let password = try self.password ?? ExportP12.askNewPassword(prompt: "Please enter PKCS#12 password: ")
        let options: PKCS12Options = legacy ? .legacy : .modern
        let bytes = try PKCS12.build(privateKey: PKCS8PrivateKey(rsaKey: rsaKey), certificate: certificate, chain: chain,
                                     password: password, friendlyName: friendlyName, options: options)
        try AtomicFile.write(bytes, to: file, newFileMode: 0o600)

        let protection = legacy ? "SHA-1/3DES (PKCS#12 PBE), SHA-1 MAC" : "PBES2 PBKDF2-HMAC-SHA256 AES-256-CBC, SHA-256 MAC"
        if json {
            try Console.printJSON(Report(file: file, protection: protection, friendlyName: friendlyName,
                                         certificate: CertificateSummary(certificate), chain: chain.map(CertificateSummary.init)))
            return
        }
        print("Exported key and certificate of \(TerminalText.escaped(SAPDistinguishedName.format(certificate.subject))) with \(chain.count) chain certificate(s) to \(file) (\(protection)).")
        if verbose {
            CertificateSummary(certificate).lines(indent: "  ").forEach { print($0) }
            for ca in chain { print("Chain: \(TerminalText.escaped(SAPDistinguishedName.format(ca.subject)))") }
        }
    }

    /// A new password: asked twice on a terminal, once from piped input.
    static func askNewPassword(prompt: String) throws -> String {
        let first = try SecretReader.read(prompt: prompt)
        if SecretReader.standardInputIsTerminal {
            let second = try SecretReader.read(prompt: "Please reenter password: ")
            guard first == second else { throw CLIError("the two passwords differ; nothing was written") }
        }
        return first
    }
}
