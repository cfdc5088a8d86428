import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit
import PSEStore
import X509

struct GenVerifyPSE: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gen_verify_pse",
        abstract: "Create a PSE that holds only trusted certificates (no key), for verifying others.",
        discussion: """
        Every -a file may be PEM (one or many), DER, Base64, PKCS#7 or zip; each certificate \
        lands once in the trusted list (CertList). An empty PIN (-x "" or Enter at the prompt) \
        creates a PSE without PIN. Add more later with psekit maintain_pk -a.

        Example:
          psekit gen_verify_pse -p verify.pse -x "" -a root-ca.pem -a intermediates.p7b
        """
    )

    @OptionGroup var options: PSEOptions

    @Option(name: .customShort("a"), help: ArgumentHelp("Trust the certificates of this file (repeatable).", valueName: "CERTFILE"))
    var add: [String] = []

    @Flag(name: .customLong("force"), help: "Replace an existing PSE file (psekit extension).")
    var force = false

    @Flag(name: .customShort("v"), help: "List the trusted certificates.")
    var verbose = false

    @Flag(help: "Print what was created as JSON.")
    var json = false

    @OptionGroup var checkOption: CheckOption

    struct Report: Encodable {
        var file: String
        var layout: String
        var trusted: [CertificateSummary]
    }

    func run() throws {
        let path = options.path
        if !force && StoredPSE.exists(path) {
            throw CLIError("\(path): already exists; nothing was changed",
                           hint: "Remove it first, choose another name, add --force, or add certificates with psekit maintain_pk -a.")
        }
        var trusted: [Certificate] = []
        for file in add {
            for certificate in try CertificateFileReader.certificates(atPath: file) where !trusted.contains(certificate) {
                trusted.append(certificate)
            }
        }
        let pin = try options.pinOptions.pinForCreating(check: checkOption.check)
        let algorithm = PSEEncryptionAlgorithm.random()
        var content = try PSEContent(algorithm: algorithm)
        if !trusted.isEmpty { try content.setTrustedCertificates(trusted) }
        var changes = ChangeReport(check: checkOption.check)
        try changes.createPSE(PSEFile(version: 2, algorithm: algorithm, content: content), at: path, pin: pin, overwrite: force)
        let layout: PSEFile.Layout = pin.isEmpty ? .v2Plain : .v2Encrypted
        if json {
            try Console.printJSON(ReportWithChanges(
                report: Report(file: path, layout: layout.rawValue, trusted: trusted.map(CertificateSummary.init)), changes: changes))
            return
        }
        if checkOption.check { return changes.printCheckSummary() }
        print("Created verification PSE \(path) (\(layout.rawValue)) trusting \(trusted.count) certificate\(trusted.count == 1 ? "" : "s").")
        for (index, certificate) in trusted.enumerated() where verbose {
            print(" [\(index + 1)] \(TerminalText.escaped(SAPDistinguishedName.format(certificate.subject)))")
        }
    }
}
