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

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Tell what a file is: a PSE (version, protection, objects), a PKCS#12 file, certificates, or credentials.",
        discussion: """
        The kind is told by structure, in this order: PSE (version 2, 4 or 256 with its body), \
        PKCS#12 (PFX version 3), certificates (PEM, DER .cer, PKCS#7 .p7b/.p7c in DER or PEM, \
        zip), and last a cred_v2 credentials file (every entry must be one SAP writes). \
        Works without a PIN for everything that is not encrypted: the layout of any PSE, the \
        objects and certificates of a PSE without PIN or protected by LPS in fallback mode \
        (version 256, read-only), the entries of a cred_v2 file (a PIN wrapped by Windows DPAPI \
        is said so), the bags, friendly names, encryption and MAC of a PKCS#12 file. With -x \
        (or --pin-env, --pin-file) an encrypted PSE's objects are shown too; with -z a PKCS#12 \
        file's certificates. Trusted certificates with RSA keys under 2048 bits are listed with \
        a warning.

        Examples:
          psekit show client.pse
          psekit show SAPSSLC.pse -x secret --json
          psekit show $SECUDIR/cred_v2
          psekit show chain.p7b
          psekit show client.pfx -z secret
        """
    )

    @Argument(help: "The file to look at.")
    var file: String

    @OptionGroup var pinOptions: PINOptions

    @Option(name: .customShort("z"), help: ArgumentHelp("The password of a PKCS#12 file, to show its certificates.", valueName: "PASSWORD"))
    var password: String?

    @Flag(name: .customShort("v"), help: "Show every certificate in full.")
    var verbose = false

    @Flag(help: "Print JSON for scripts.")
    var json = false

    struct ObjectReport: Encodable {
        var name: String
        var type: String
        var modified: Date
        var certificates: [CertificateSummary]?
        /// Members of the object psekit cannot use (RSA keys under 2048 bits), with the reason.
        var weakCertificates: [String]?
    }

    struct PKCS12Part: Encodable {
        var encryption: String?
        var bags: [String]
    }

    struct Report: Encodable {
        var file: String
        var kind: String
        var layout: String?
        var iterations: Int?
        var created: Date?
        var objects: [ObjectReport]?
        var certificates: [CertificateSummary]?
        /// Certificates of the file psekit cannot use (RSA keys under 2048 bits), with the reason.
        var weakCertificates: [String]?
        var credentials: [CredentialReport]?
        var pkcs12MAC: String?
        var pkcs12Parts: [PKCS12Part]?
        var note: String?
    }

    struct CredentialReport: Encodable {
        var subject: String
        var psePath: String
        var protection: String
    }

    func run() throws {
        // Certificate files may be larger than a PSE; PSEFile refuses an oversized PSE itself.
        let bytes = try StoredPSE.readBytes(at: file, limit: CertificateBundle.maximumInputSize)
        let report = try describe(bytes)
        if json {
            try Console.printJSON(report)
            return
        }
        print("\(TerminalText.escaped(report.file)): \(report.kind)")
        if let layout = report.layout { print("  layout     : PSE \(layout)") }
        if let iterations = report.iterations { print("  PBE        : pbeWithSHAAnd3-KeyTripleDES-CBC, \(iterations) iterations") }
        if let created = report.created { print("  created    : \(CertificateSummary.sapTime(created))") }
        for object in report.objects ?? [] {
            print("  \(TerminalText.escaped(object.name).prefix(10).padded(to: 10)) \(object.type)")
            for certificate in object.certificates ?? [] {
                if verbose {
                    certificate.lines(indent: "      ", details: true).forEach { print($0) }
                } else {
                    print("      \(certificate.subjectText)  (until \(CertificateSummary.sapTime(certificate.notAfter)))")
                }
            }
            for weak in object.weakCertificates ?? [] { print("      \(weak)") }
        }
        if let mac = report.pkcs12MAC { print("  MAC        : \(mac)") }
        for (index, part) in (report.pkcs12Parts ?? []).enumerated() {
            print("  part \(index + 1)     : \(part.encryption.map { "encrypted, \($0)" } ?? "not encrypted")")
            for bag in part.bags { print("      \(bag)") }
        }
        for (index, certificate) in (report.certificates ?? []).enumerated() {
            print("  [\(index + 1)]")
            certificate.lines(indent: "    ", details: verbose).forEach { print($0) }
        }
        for (index, weak) in (report.weakCertificates ?? []).enumerated() {
            print("  [W\(index + 1)]")
            print("    \(weak)")
        }
        for credential in report.credentials ?? [] {
            print("  \(TerminalText.escaped(credential.subject))  \(TerminalText.escaped(credential.psePath))  (\(TerminalText.escaped(credential.protection)))")
        }
        if let note = report.note { print("  \(note)") }
    }

    /// Tells the kind by structure, in the order least likely to be fooled: a PSE (an INTEGER
    /// version and a body of a known tag), a PFX (version 3 and a ContentInfo), certificates, and
    /// last cred_v2, whose parser would otherwise take any SEQUENCE as unrecognized entries.
    private func describe(_ bytes: [UInt8]) throws -> Report {
        if let layout = try? PSEFile.layout(of: bytes) {
            return try describePSE(bytes, layout: layout)
        }
        if bytes.first == 0x30, let outline = try? PKCS12Outline(bytes) {
            return try describePKCS12(bytes, outline: outline)
        }
        if let read = try? CertificateFileReader.certificatesKeepingWeak(in: bytes, fileName: file), !read.certificates.isEmpty {
            var report = Report(file: file, kind: "\(read.certificates.count) certificate(s)", certificates: read.certificates.map(CertificateSummary.init))
            report.weakCertificates = Self.weakDescriptions(read.weak)
            return report
        }
        if bytes.first == 0x30, let outline = try? CertificateOutline(derEncoded: bytes) {
            var report = Report(file: file, kind: "1 certificate (DER) psekit cannot use")
            report.note = CertificateWarnings.describe(outline)
            return report
        }
        if let credentials = try? CredentialsFile(derEncoded: bytes), !credentials.credentials.isEmpty,
           !credentials.credentials.contains(where: { if case .unrecognized = $0 { return true } else { return false } }) {
            let user = CredentialStore.currentUser
            return Report(file: file, kind: "SAP credentials (cred_v2)",
                          credentials: credentials.credentials.map {
                              CredentialReport(subject: $0.subject ?? "?", psePath: $0.psePath ?? "?",
                                               protection: $0.protectionDescription(forUser: user))
                          })
        }
        if bytes.first == 0x30, (try? DER.parse(bytes)) != nil {
            return Report(file: file, kind: "DER data of an unknown kind (not a PSE, PKCS#12 file, certificate or cred_v2 file)")
        }
        throw CLIError("\(file): not a PSE, PKCS#12 file, credentials file or certificate file psekit knows")
    }

    private func describePSE(_ bytes: [UInt8], layout: PSEFile.Layout) throws -> Report {
        var report = Report(file: file, kind: "SAP PSE", layout: layout.rawValue)
        var pin: String?
        if layout.isPINProtected {
            guard let explicit = try pinOptions.explicitPIN() else {
                report.note = "Encrypted: give the PIN (-x, --pin-env or --pin-file) to see its objects."
                return report
            }
            pin = explicit.pin
        }
        let pse: PSEFile
        do { pse = try PSEFile.decode(bytes, pin: pin) } catch let error as PSEKitError where error.code.family == .pse {
            if layout == .lpsProtected, error.code == .unsupportedPSE {
                // Under DPAPI or a TPM: its layout is all that can be told here.
                report.note = error.reason
                return report
            }
            throw CLIError("\(file): \(error.reason)")
        }
        // A PSE without PIN has no PBE in use: its parameters are not shown as if it were encrypted.
        if layout.isPINProtected { report.iterations = pse.algorithm.iterations }
        if layout == .lpsProtected { report.note = "Protected by LPS (fallback mode): psekit reads it but does not change it." }
        report.created = pse.content.created.date
        report.objects = pse.content.objects.map { object in
            var weak: [String]?
            if object.type == PSEObjectType.trustedCertificates,
               let members = try? TrustedCertificates(asn1Any: object.value), !members.unreadableCertificates.isEmpty {
                weak = members.unreadableCertificates.map { "Warning: " + CertificateWarnings.problem(ofUnreadable: $0) }
            }
            if object.type == PSEObjectType.certificate, (try? Certificate(asn1Any: object.value)) == nil {
                var serializer = DER.Serializer()
                if (try? serializer.serialize(object.value)) != nil, let outline = try? CertificateOutline(derEncoded: serializer.serializedBytes) {
                    weak = [CertificateWarnings.describe(outline)]
                }
            }
            return ObjectReport(name: object.name, type: PSEObjectType.sapName(of: object.type).map { "\($0) (\(object.type))" } ?? "\(object.type)",
                                modified: object.modified.date, certificates: ((try? object.certificates()) ?? nil)?.map(CertificateSummary.init),
                                weakCertificates: weak)
        }
        return report
    }

    private func describePKCS12(_ bytes: [UInt8], outline: PKCS12Outline) throws -> Report {
        var report = Report(file: file, kind: "PKCS#12 file")
        report.pkcs12MAC = outline.mac ?? "none"
        report.pkcs12Parts = outline.parts.map { part in
            PKCS12Part(encryption: part.encryption,
                       bags: part.bags.map { bag in bag.type + (bag.friendlyName.map { " (friendly name \"\($0)\")" } ?? "") })
        }
        guard let password else {
            if outline.parts.contains(where: { $0.encryption != nil }) {
                report.note = "Give the password with -z to see the certificates of the encrypted parts."
            }
            return report
        }
        let bundle: PKCS12Bundle
        do { bundle = try PKCS12.parse(bytes, password: password) } catch {
            throw CLIError("\(file): \(ErrorText.of(error))", hint: "Check the password given with -z.")
        }
        report.certificates = ((bundle.certificate.map { [$0] } ?? []) + bundle.chain).map(CertificateSummary.init)
        report.weakCertificates = Self.weakDescriptions(bundle.weakCertificates)
        if let name = bundle.friendlyName { report.note = "friendly name of the key: \"\(name)\"" }
        return report
    }

    /// What each certificate swift-certificates refused is (subject, issuer, key) and why psekit
    /// does not use it; nil for none.
    static func weakDescriptions(_ weak: [[UInt8]]) -> [String]? {
        guard !weak.isEmpty else { return nil }
        return weak.map { der in (try? CertificateOutline(derEncoded: der)).map(CertificateWarnings.describe) ?? "a certificate psekit cannot read" }
    }
}
