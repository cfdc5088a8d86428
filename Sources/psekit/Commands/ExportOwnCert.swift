import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit
import PSEStore
import X509

struct ExportOwnCert: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export_own_cert",
        abstract: "Write the PSE's own certificate as PEM (default), DER, or PEM on one line.",
        discussion: """
        Without -o the certificate is printed. --single-line prints the PEM with its line \
        breaks written as \\n, the form a JSON field (such as an SAP BTP service key or \
        destination) expects. --der writes the binary form and needs -o.

        Examples:
          psekit export_own_cert -p client.pse -o client.crt
          psekit export_own_cert -p client.pse --single-line
        """
    )

    @OptionGroup var options: PSEOptions

    @Option(name: .customShort("o"), help: ArgumentHelp("Write the certificate to this file.", valueName: "FILE"))
    var outputFile: String?

    @Flag(name: .customLong("der"), help: "Write DER instead of PEM.")
    var der = false

    @Flag(name: .customLong("single-line"), help: "PEM on one line, line breaks written as \\n.")
    var singleLine = false

    @Flag(name: .customShort("v"), help: "Say which certificate was exported.")
    var verbose = false

    @Flag(help: "Print the certificate's summary and PEM as JSON.")
    var json = false

    func validate() throws {
        if der && singleLine { throw ValidationError("--der and --single-line exclude each other") }
        if der && outputFile == nil { throw ValidationError("--der writes binary data: name the file with -o FILE") }
        if json && (der || singleLine) { throw ValidationError("--json prints the PEM; leave out --der and --single-line") }
    }

    struct Report: Encodable {
        var certificate: CertificateSummary
        var pem: String
        var file: String?
    }

    func run() throws {
        let (stored, _) = try options.open()
        let certificate = try stored.requiredOwnCertificate()
        let pem = CertificateBundle.pem([certificate])
        let bytes: [UInt8]
        if der {
            bytes = CertificateBundle.derBytes(of: certificate)
        } else if singleLine {
            bytes = Array((Self.singleLine(pem) + "\n").utf8)
        } else {
            bytes = Array(pem.utf8)
        }
        if let outputFile {
            try AtomicFile.write(bytes, to: outputFile, newFileMode: 0o644)
        }
        let summary = CertificateSummary(certificate)
        if json {
            try Console.printJSON(Report(certificate: summary, pem: pem, file: outputFile))
            return
        }
        if SapgenpseMode.isActive {
            // sapgenpse: the certificate on standard output (no -o) or in the file; notes with -v.
            if verbose { SapgenpseText.openingLines(path: stored.path, version: stored.file.version).forEach(Console.note) }
            if let outputFile { Console.note("Own certificate of \"\(stored.path)\" written to \"\(outputFile)\"") }
            else { StandardStreams.writeOutput(bytes) }
            return
        }
        if let outputFile {
            print("Wrote the own certificate \(summary.subjectText) to \(outputFile) (\(der ? "DER" : singleLine ? "PEM on one line" : "PEM")).")
        } else {
            StandardStreams.writeOutput(bytes)
        }
        if verbose { summary.lines(indent: " ").forEach { Console.note($0) } }
    }

    /// `-----BEGIN CERTIFICATE-----\nMII…\n-----END CERTIFICATE-----\n` with literal `\n`.
    static func singleLine(_ pem: String) -> String {
        pem.replacing("\r\n", with: "\n").replacing("\n", with: "\\n")
    }
}
