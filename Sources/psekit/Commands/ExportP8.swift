import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit
import PSEStore
import SwiftASN1
import X509

struct ExportP8: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export_p8",
        abstract: "Write the PSE's private key (PKCS#8 PEM) and certificate chain (PEM) to a file.",
        discussion: """
        The file holds the key as "ENCRYPTED PRIVATE KEY" (PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC) \
        when -z gives a password, else as an unencrypted "PRIVATE KEY", followed by the own \
        certificate and its chain as "CERTIFICATE" blocks: the form nginx, Apache, HAProxy and \
        OpenSSL read. The file is written atomically as a new file with mode 0600, owned by the \
        user running psekit (an existing file is replaced, its owner and mode are not kept; a \
        read-only one is refused).

        Examples:
          psekit export_p8 -p SAPSSLS.pse -x secret -z keypass -o server-key-and-chain.pem
          psekit export_p8 -p client.pse -o client.pem
          sapgenpse export_p8 -p SAPSSLS.pse -x secret -z keypass server.pem
        """
    )

    @OptionGroup var options: PSEOptions

    @Option(name: .customShort("z"), help: ArgumentHelp("Encrypt the key with this password.", valueName: "PASSWORD"))
    var password: String?

    @Option(name: .customShort("o"), help: ArgumentHelp("The PEM file to write.", valueName: "FILE"))
    var output: String?

    @Argument(help: ArgumentHelp("The PEM file to write, as sapgenpse takes it (the last argument; instead of -o).", valueName: "PEMFILE"))
    var outputArgument: String?

    func validate() throws {
        if output == nil && outputArgument == nil { throw ValidationError("name the PEM file to write: -o FILE, or FILE as the last argument") }
        if output != nil && outputArgument != nil { throw ValidationError("name the PEM file once: -o FILE or FILE as the last argument") }
    }

    @Flag(name: .customShort("v"), help: "Show what was exported in detail.")
    var verbose = false

    @Flag(help: "Print what was exported as JSON.")
    var json = false

    struct Report: Encodable {
        var file: String
        var encrypted: Bool
        var certificate: CertificateSummary
        var chain: [CertificateSummary]
    }

    func run() throws {
        guard let output = output ?? outputArgument else { return }
        let (stored, _) = try options.open()
        let (certificate, rsaKey, chain) = try stored.requiredIdentity()
        let key = try PKCS8PrivateKey(rsaKey: rsaKey)
        var pem = try password.map { try key.encryptedPEMRepresentation(password: $0) } ?? key.pemRepresentation
        pem += "\n"
        for cert in [certificate] + chain {
            pem += try cert.serializeAsPEM().pemString + "\n"
        }
        try AtomicFile.write(Array(pem.utf8), to: output, newFileMode: 0o600)
        if password == nil {
            Console.warning("the private key in \(output) is not encrypted; keep the file private or use -z PASSWORD.")
        }
        if json {
            try Console.printJSON(Report(file: output, encrypted: password != nil, certificate: CertificateSummary(certificate),
                                         chain: chain.map(CertificateSummary.init)))
            return
        }
        if SapgenpseMode.isActive { return }
        print("Exported the \(password == nil ? "unencrypted" : "encrypted") private key and \(1 + chain.count) certificate(s) of \(SAPDistinguishedName.format(certificate.subject)) to \(output).")
        if verbose { CertificateSummary(certificate).lines(indent: "  ").forEach { print($0) } }
    }
}
