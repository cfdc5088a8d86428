import ArgumentParser
import Foundation
import PSEKit
import PSEStore
import SwiftASN1
import X509

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Tell what a file is: a PSE (version, protection, objects), credentials, or certificates.",
        discussion: """
        Works without a PIN for everything that is not encrypted: the layout of any PSE, the \
        objects and certificates of a PSE without PIN, the entries of a cred_v2 file, the \
        certificates of a PEM, DER, PKCS#7 or zip file. With -x (or --pin-env, --pin-file) an \
        encrypted PSE's objects are shown too.

        Examples:
          psekit show client.pse
          psekit show SAPSSLC.pse -x secret --json
          psekit show $SECUDIR/cred_v2
          psekit show chain.p7b
        """
    ).psekitSubcommand

    @Argument(help: "The file to look at.")
    var file: String

    @OptionGroup var pinOptions: PINOptions

    @Flag(name: .customShort("v"), help: "Show every certificate in full.")
    var verbose = false

    @Flag(help: "Print JSON for scripts.")
    var json = false

    struct ObjectReport: Encodable {
        var name: String
        var type: String
        var modified: Date
        var certificates: [CertificateSummary]?
    }

    struct Report: Encodable {
        var file: String
        var kind: String
        var layout: String?
        var iterations: Int?
        var created: Date?
        var objects: [ObjectReport]?
        var certificates: [CertificateSummary]?
        var credentials: [CredentialReport]?
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
            print("  \(TerminalText.escaped(object.name).padding(toLength: 10, withPad: " ", startingAt: 0)) \(object.type)")
            for certificate in object.certificates ?? [] {
                if verbose {
                    certificate.lines(indent: "      ").forEach { print($0) }
                } else {
                    print("      \(certificate.subjectText)  (until \(CertificateSummary.sapTime(certificate.notAfter)))")
                }
            }
        }
        for (index, certificate) in (report.certificates ?? []).enumerated() {
            print("  [\(index + 1)]")
            certificate.lines(indent: "    ").forEach { print($0) }
        }
        for credential in report.credentials ?? [] {
            print("  \(TerminalText.escaped(credential.subject))  \(TerminalText.escaped(credential.psePath))  (\(TerminalText.escaped(credential.protection)))")
        }
        if let note = report.note { print("  \(note)") }
    }

    private func describe(_ bytes: [UInt8]) throws -> Report {
        if let layout = try? PSEFile.layout(of: bytes) {
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
            do { pse = try PSEFile.decode(bytes, pin: pin) } catch let error as PSEError {
                throw CLIError("\(file): \(error.description)")
            }
            report.iterations = pse.algorithm.iterations
            report.created = pse.content.created.date
            report.objects = pse.content.objects.map { object in
                ObjectReport(name: object.name, type: PSEObjectType.sapName(of: object.type).map { "\($0) (\(object.type))" } ?? "\(object.type)",
                             modified: object.modified.date, certificates: Self.certificates(in: object)?.map(CertificateSummary.init))
            }
            return report
        }
        if let credentials = try? CredentialsFile(derEncoded: bytes), !credentials.credentials.isEmpty {
            return Report(file: file, kind: "SAP credentials (cred_v2)",
                          credentials: credentials.credentials.map {
                              CredentialReport(subject: $0.subject ?? "?", psePath: $0.psePath ?? "?", protection: "\($0.protection), \($0.cipherDescription)")
                          })
        }
        if let certificates = try? CertificateFileReader.certificates(in: bytes, fileName: file), !certificates.isEmpty {
            return Report(file: file, kind: "\(certificates.count) certificate(s)", certificates: certificates.map(CertificateSummary.init))
        }
        if bytes.first == 0x30, (try? DER.parse(bytes)) != nil {
            return Report(file: file, kind: "DER data of an unknown kind (a PKCS#12 file? try psekit import_p12)")
        }
        throw CLIError("\(file): not a PSE, credentials file or certificate file psekit knows")
    }

    /// The certificates an object holds, for the object types that hold certificates.
    static func certificates(in object: PSEObject) -> [Certificate]? {
        switch object.type {
        case PSEObjectType.certificate: return (try? Certificate(asn1Any: object.value)).map { [$0] }
        case PSEObjectType.trustedCertificates: return try? TrustedCertificates(asn1Any: object.value).certificates
        case PSEObjectType.certificationPath: return try? CertificationPath(asn1Any: object.value).certificates
        case PSEObjectType.rootKey: return (try? RootKeyObject(asn1Any: object.value).certificate()).map { [$0] }
        default: return nil
        }
    }
}
