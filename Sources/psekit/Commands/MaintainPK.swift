import ArgumentParser
import Crypto
import Foundation
import PSEKit
import PSEStore
import SwiftASN1
import X509

struct MaintainPK: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maintain_pk",
        abstract: "List, add and delete the PSE's trusted certificates (PKList/CertList).",
        discussion: """
        -a and -m add every certificate of a file: PEM (one or many), DER, Base64 .cer, \
        PKCS#7 .p7b/.p7c (DER or PEM) or a .zip of these. -d deletes by the number that -l \
        shows, by subject, or by SHA-256 fingerprint. Deletions happen before additions, and \
        the list is shown last. A certificate that is already trusted is not added twice.

        Examples:
          psekit maintain_pk -l -p client.pse
          psekit maintain_pk -p client.pse -x "" -a chain.pem -a root.cer
          psekit maintain_pk -p client.pse -d 3
          psekit maintain_pk -p client.pse -d "CN=Old Root CA, O=Example, C=DE"
        """
    ).psekitSubcommand

    @OptionGroup var options: PSEOptions

    @Flag(name: .customShort("l"), help: "List the trusted certificates.")
    var list = false

    @Option(name: .customShort("a"), help: ArgumentHelp("Add the certificates of this file (repeatable).", valueName: "FILE"))
    var add: [String] = []

    @Option(name: .customShort("m"), help: ArgumentHelp("Add many: the same as -a (repeatable).", valueName: "FILE"))
    var addMany: [String] = []

    @Option(name: .customShort("d"), help: ArgumentHelp("Delete by number, subject or SHA-256 fingerprint (repeatable).", valueName: "WHICH"))
    var delete: [String] = []

    @Flag(name: .customShort("v"), help: "Show more of each certificate.")
    var verbose = false

    @Flag(help: "Print the resulting list as JSON.")
    var json = false

    func validate() throws {
        if !list && add.isEmpty && addMany.isEmpty && delete.isEmpty {
            throw ValidationError("say what to do: -l, -a FILE, -m FILE or -d WHICH")
        }
    }

    func run() throws {
        var toAdd: [(file: String, certificate: Certificate)] = []
        for file in add + addMany {
            let certificates = try CertificateFileReader.certificates(atPath: file)
            if certificates.isEmpty { throw CLIError("\(file): holds no certificate") }
            toAdd += certificates.map { (file, $0) }
        }
        CertificateWarnings.warn(about: toAdd.map(\.certificate))
        let changesRequested = !toAdd.isEmpty || !delete.isEmpty
        let trusted: [Certificate]
        if changesRequested {
            // The notes are printed once the PSE is written: no "Added:" for a write that failed.
            var notes: [String] = []
            trusted = try options.update { stored in
                notes = []
                var certificates = try stored.file.content.trustedCertificates()
                var changed = false
                let doomed = try delete.map { try Self.index(of: $0, in: certificates) }
                for index in Set(doomed).sorted(by: >) {
                    notes.append("Deleted: \(TerminalText.escaped(SAPDistinguishedName.format(certificates[index].subject)))")
                    certificates.remove(at: index)
                    changed = true
                }
                for (file, certificate) in toAdd {
                    let name = TerminalText.escaped(SAPDistinguishedName.format(certificate.subject))
                    if certificates.contains(certificate) {
                        notes.append("Already trusted, not added again: \(name) (from \(TerminalText.escaped(file)))")
                    } else {
                        certificates.append(certificate)
                        notes.append("Added: \(name)")
                        changed = true
                    }
                }
                if changed { try stored.file.content.setTrustedCertificates(certificates) }
                return (changed, certificates)
            }
            notes.forEach(Console.note)
        } else {
            let content = try options.open().stored.file.content
            trusted = try content.trustedCertificates()
            CertificateWarnings.warn(aboutTrustedListOf: content)
        }
        guard list || json else { return }
        if json {
            try Console.printJSON(trusted.enumerated().map { ListedCertificate(number: $0.offset + 1, certificate: CertificateSummary($0.element)) })
            return
        }
        print(" PKList:")
        if trusted.isEmpty { print("  (no trusted certificates)") }
        for (index, certificate) in trusted.enumerated() {
            let summary = CertificateSummary(certificate)
            print(" [\(index + 1)]")
            summary.lines(indent: "  ").forEach { print($0) }
            if verbose { print("  SHA-256  : \(summary.sha256Fingerprint)") }
        }
    }

    struct ListedCertificate: Encodable {
        var number: Int
        var certificate: CertificateSummary
    }

    /// Finds the certificate `-d` names: a number from -l, a subject, or a SHA-256 fingerprint.
    static func index(of which: String, in certificates: [Certificate]) throws -> Int {
        if let number = Int(which) {
            guard number >= 1 && number <= certificates.count else {
                throw CLIError("-d \(which): there is no certificate number \(which); the PSE has \(certificates.count)",
                               hint: "See the numbers with: psekit maintain_pk -l -p PSE")
            }
            return number - 1
        }
        let hex = which.uppercased().filter { $0.isHexDigit }
        if hex.count == 64 && which.allSatisfy({ $0.isHexDigit || $0 == ":" }) {
            if let index = certificates.firstIndex(where: { CertificateSummary.fingerprint($0).replacingOccurrences(of: ":", with: "") == hex }) {
                return index
            }
            throw CLIError("-d \(which): no trusted certificate has this SHA-256 fingerprint")
        }
        let matches = certificates.indices.filter {
            SAPDistinguishedName.format(certificates[$0].subject).caseInsensitiveCompare(which) == .orderedSame
                || certificates[$0].subject.description.caseInsensitiveCompare(which) == .orderedSame
        }
        guard let first = matches.first else {
            throw CLIError("-d \(which): no trusted certificate has this subject", hint: "See the subjects with: psekit maintain_pk -l -p PSE")
        }
        guard matches.count == 1 else {
            throw CLIError("-d \(which): \(matches.count) certificates have this subject; delete by number or fingerprint instead")
        }
        return first
    }
}
