import ArgumentParser
import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
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
        PKCS#7 .p7b/.p7c (DER or PEM) or a .zip of these. A certificate with an RSA key under \
        2048 bits is weak: it is refused with the reason unless --allow-weak is given (then it \
        is added with a warning); -l lists such certificates with a warning after the others. \
        -d deletes by the number that -l shows, by SHA-256 fingerprint, by subject (a \
        distinguished name in any attribute order, as SAP or openssl prints it), or else every \
        certificate whose subject contains the text (as sapgenpse's -d STRING). Deletions \
        happen before additions, and the list is shown last. A certificate that is already \
        trusted is not added twice. Status lines (Added:, Deleted:) go to standard output.

        Examples:
          psekit maintain_pk -l -p client.pse
          psekit maintain_pk -p client.pse -x "" -a chain.pem -a root.cer
          psekit maintain_pk -p client.pse -d 3
          psekit maintain_pk -p client.pse -d "CN=Old Root CA, O=Example, C=DE"
          psekit maintain_pk -p client.pse -d "Old Root"
          psekit maintain_pk -p client.pse -x "" -a legacy-1024.cer --allow-weak
          sapgenpse maintain_pk -y -p SAPSSLS.pse -x secret -m ca-bundle.pem
        """
    )

    @OptionGroup var options: PSEOptions

    @Flag(name: .customShort("l"), help: "List the trusted certificates.")
    var list = false

    @Option(name: .customShort("a"), help: ArgumentHelp("Add the certificates of this file (repeatable).", valueName: "FILE"))
    var add: [String] = []

    @Option(name: .customShort("m"), help: ArgumentHelp("Add many: the same as -a (repeatable).", valueName: "FILE"))
    var addMany: [String] = []

    @Option(name: .customShort("d"), help: ArgumentHelp("Delete by number, SHA-256 fingerprint, subject (any attribute order) or text the subject or issuer contains (repeatable).", valueName: "WHICH"))
    var delete: [String] = []

    @Option(name: .customLong("delete-file"),
            help: ArgumentHelp("Delete every certificate of this file that is trusted; the others are no error (psekit extension, for automation; repeatable).",
                               valueName: "FILE"))
    var deleteFiles: [String] = []

    @OptionGroup var checkOption: CheckOption

    @OptionGroup var weakOption: AllowWeakOption

    @Flag(name: .customShort("v"), help: "Show more of each certificate.")
    var verbose = false

    @Flag(name: .customShort("y"), help: "Do not ask for confirmation (sapgenpse's -y; psekit never asks).")
    var yes = false

    @Flag(help: "Print the resulting list as JSON.")
    var json = false

    func validate() throws {
        if !list && add.isEmpty && addMany.isEmpty && delete.isEmpty && deleteFiles.isEmpty {
            throw ValidationError("say what to do: -l, -a FILE, -m FILE, -d WHICH or --delete-file FILE")
        }
    }

    func run() throws {
        var toAdd: [(file: String, certificate: Certificate)] = []
        var weakToAdd: [(file: String, der: [UInt8])] = []
        for file in add + addMany {
            let read = try weakOption.certificates(ofFiles: [file], outcome: "so it was not added")
            toAdd += read.certificates.map { (file, $0) }
            weakToAdd += read.weak.map { (file, $0) }
        }
        CertificateWarnings.warn(about: toAdd.map(\.certificate))
        let toDelete = try deleteFiles.flatMap { try CertificateFileReader.certificates(atPath: $0) }
        let changesRequested = !toAdd.isEmpty || !weakToAdd.isEmpty || !delete.isEmpty || !deleteFiles.isEmpty
        let trusted: [Certificate]
        var weakListed: [ASN1Any] = []
        var changes = ChangeReport(check: checkOption.check)
        if changesRequested {
            // The notes are printed once the PSE is written: no "Added:" for a write that failed,
            // none under --check (it prints what would change), on standard error under --json.
            var notes: [String] = []
            trusted = try options.update(check: checkOption.check, changes: &changes) { stored in
                notes = []
                var certificates = try stored.file.content.trustedCertificates()
                var changed = false
                let doomed = try delete.flatMap { try Self.indices(of: $0, in: certificates) }
                    + certificates.indices.filter { toDelete.contains(certificates[$0]) }
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
                for weak in weakToAdd {
                    let (name, bits) = AllowWeakOption.nameAndBits(weak.der)
                    if try stored.file.content.addWeakTrustedCertificate(weak.der) {
                        notes.append("Added: \(name) (weak: RSA \(bits)-bit)")
                        changed = true
                    } else {
                        notes.append("Already trusted, not added again: \(name) (from \(weak.file))")
                    }
                }
                weakListed = (try? stored.file.content.unreadableTrustedCertificates()) ?? []
                return (changed, certificates)
            }
            if !checkOption.check { notes.forEach { json ? Console.note($0) : print($0) } }
        } else {
            let content = try options.open().stored.file.content
            trusted = try content.trustedCertificates()
            weakListed = (try? content.unreadableTrustedCertificates()) ?? []
            if json || !list { CertificateWarnings.warn(aboutTrustedListOf: content) } else {
                CertificateWarnings.warn(about: trusted)
            }
        }
        if json {
            let listed = trusted.enumerated().map { ListedCertificate(number: $0.offset + 1, certificate: CertificateSummary($0.element)) }
            try Console.printJSON(ReportWithChanges(report: Report(trusted: listed), changes: changes))
            return
        }
        if checkOption.check { changes.printCheckSummary() }
        guard list else { return }
        if SapgenpseMode.isActive {
            SapgenpseText.pkList(trusted).forEach { print($0) }
            return
        }
        print(" PKList:")
        if trusted.isEmpty { print("  (no trusted certificates)") }
        for (index, certificate) in trusted.enumerated() {
            let summary = CertificateSummary(certificate)
            print(" [\(index + 1)]")
            summary.lines(indent: "  ", details: verbose).forEach { print($0) }
        }
        // Members psekit keeps but cannot use (RSA keys under 2048 bits), after the numbered ones.
        for (index, member) in weakListed.enumerated() {
            print(" [W\(index + 1)]")
            print("  Warning: \(CertificateWarnings.problem(ofUnreadable: member))")
        }
    }

    struct Report: Encodable {
        var trusted: [ListedCertificate]
    }

    struct ListedCertificate: Encodable {
        var number: Int
        var certificate: CertificateSummary
    }

    /// Finds the certificates `-d` names: a number from -l, a SHA-256 fingerprint, a subject (in
    /// any attribute order), or else every certificate whose subject contains the text.
    static func indices(of which: String, in certificates: [Certificate]) throws -> [Int] {
        if let number = Int(which) {
            guard number >= 1 && number <= certificates.count else {
                throw CLIError("-d \(which): there is no certificate number \(which); the PSE has \(certificates.count)",
                               hint: "See the numbers with: psekit maintain_pk -l -p PSE")
            }
            return [number - 1]
        }
        let hex = which.uppercased().filter { $0.isHexDigit }
        if hex.count == 64 && which.allSatisfy({ $0.isHexDigit || $0 == ":" }) {
            if let index = certificates.firstIndex(where: { CertificateSummary.fingerprint($0).replacing(":", with: "") == hex }) {
                return [index]
            }
            throw CLIError("-d \(which): no trusted certificate has this SHA-256 fingerprint")
        }
        let matches = certificates.indices.filter { Self.sameName(which, certificates[$0].subject) }
        guard let first = matches.first else {
            // sapgenpse's -d STRING: every certificate whose subject or issuer contains the text.
            let containing = certificates.indices.filter {
                SAPDistinguishedName.format(certificates[$0].subject).containsIgnoringCase(which)
                    || SAPDistinguishedName.format(certificates[$0].issuer).containsIgnoringCase(which)
            }
            guard !containing.isEmpty else {
                throw CLIError("-d \(which): no trusted certificate has this subject, or a subject or issuer containing it",
                               hint: "See the subjects with: psekit maintain_pk -l -p PSE")
            }
            return containing
        }
        guard matches.count == 1 else {
            throw CLIError("-d \(which): \(matches.count) certificates have this subject; delete by number or fingerprint instead")
        }
        return [first]
    }

    /// Whether `text` names `name`: the same attributes, in any order (SAP prints CN first, openssl
    /// C first; openssl puts spaces around "=").
    static func sameName(_ text: String, _ name: DistinguishedName) -> Bool {
        let formatted = SAPDistinguishedName.format(name)
        if formatted.equalsIgnoringCase(text) || name.description.equalsIgnoringCase(text) {
            return true
        }
        let compact = text.replacing(" = ", with: "=").replacing("/", with: ", ")
        guard let parsed = try? SAPDistinguishedName.parse(compact.hasPrefix(", ") ? String(compact.dropFirst(2)) : compact) else { return false }
        func attributes(_ name: DistinguishedName) -> [String] {
            name.flatMap { $0.map { SAPDistinguishedName.formatAttribute($0).uppercased() } }.sorted()
        }
        return attributes(parsed) == attributes(name)
    }
}
