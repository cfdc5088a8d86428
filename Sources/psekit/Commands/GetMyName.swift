import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit
import PSEStore
import X509

struct GetMyName: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get_my_name",
        abstract: "Show the PSE's own certificate, its chain (FCPath) and root (PKRoot).",
        discussion: """
        Prints the own certificate as sapgenpse does: subject, issuer, serial number, key and \
        validity, then the certification path and the root certificate. Without -x the PIN \
        comes from a credential stored by 'psekit seclogin', else it is asked for.

        Examples:
          psekit get_my_name -p SAPSSLC.pse -x secret -v
          psekit get_my_name -p client.pse -n Subject
          psekit get_my_name -p client.pse --json
          sapgenpse get_my_name -p SAPSSLS.pse -n validity
        """
    )

    enum Field: String, ExpressibleByArgument, CaseIterable {
        case subject = "Subject", issuer = "Issuer", serialno = "Serialno", validity = "Validity", keyInfo = "KeyInfo"
        case notBefore = "NotBefore", notAfter = "NotAfter"

        init?(argument: String) {
            guard let field = Field.allCases.first(where: { $0.rawValue.equalsIgnoringCase(argument) }) else { return nil }
            self = field
        }
    }

    @OptionGroup var options: PSEOptions

    @Option(name: .customShort("n"), help: "Print only this field: Subject, Issuer, Serialno, Validity, NotBefore, NotAfter or KeyInfo.")
    var field: Field?

    @Flag(name: .customShort("v"), help: "Say how the PSE was opened, and show the own certificate's signature algorithm, key usage, extended key usage, basic constraints, subject alternative names and SHA-1/SHA-256 fingerprints.")
    var verbose = false

    @Flag(name: .customLong("vv", withSingleDash: true),
          help: "Show every certificate in full, in sapgenpse's -vv layout (which Salt's sap_pse module parses).")
    var veryVerbose = false

    @Flag(name: .customShort("l"), help: "Say which user's SSO credential and PSE file are used (sapgenpse's -l; without -p the credential's PSE is used).")
    var showSSO = false

    @Flag(help: "Print JSON for scripts.")
    var json = false

    struct Report: Encodable {
        var file: String
        var layout: String
        var pinFromCredential: Bool
        var certificate: CertificateSummary
        var certificationPath: [CertificateSummary]
        var root: CertificateSummary?
    }

    func run() throws {
        let (stored, origin) = try options.open()
        let content = stored.file.content
        if let outline = stored.unusableOwnCertificateOutline() {
            // A DSA own certificate (or a weak RSA one): shown, and said plainly what it cannot do.
            print(" MY Certificate in PSE:")
            print(" Subject  : \(SAPDistinguishedName.format(outline.subject))")
            print(" Issuer   : \(SAPDistinguishedName.format(outline.issuer))")
            print(" KeyInfo  : \(outline.hasDSAKey ? "DSA" : CertificateOutline.keyDescription(outline))")
            Console.warning("\(stored.path): the own certificate has \(CertificateOutline.keyDescription(outline)); psekit cannot use "
                + "this key for TLS or export it. Create a new PSE with an RSA key (psekit gen_pse) to use it with TLS.")
            return
        }
        let certificate = try stored.requiredOwnCertificate()
        let summary = CertificateSummary(certificate)
        let path = try content.certificationPath().map(CertificateSummary.init)
        let root = try content.rootCertificate().map(CertificateSummary.init)
        if origin == .credential {
            Console.note("Using the PIN stored by seclogin for this PSE and user \(CredentialStore.currentUser).")
        }
        if json {
            try Console.printJSON(Report(file: stored.path, layout: stored.file.layout.rawValue,
                                         pinFromCredential: origin == .credential, certificate: summary,
                                         certificationPath: path, root: root))
            return
        }
        if SapgenpseMode.isActive || veryVerbose || showSSO {
            try printSapgenpseText(stored: stored, certificate: certificate)
            return
        }
        if let field {
            switch field {
            case .subject: print(summary.subjectText)
            case .issuer: print(summary.issuerText)
            case .serialno: print(summary.serialNumber)
            case .keyInfo: print(summary.keyInfo)
            case .validity:
                print("NotBefore: \(CertificateSummary.sapTime(summary.notBefore))")
                print("NotAfter:  \(CertificateSummary.sapTime(summary.notAfter))")
            case .notBefore: print("NotBefore: \(CertificateSummary.sapTime(summary.notBefore))")
            case .notAfter: print("NotAfter:  \(CertificateSummary.sapTime(summary.notAfter))")
            }
            return
        }
        if verbose {
            Console.note(" Opening PSE \"\(stored.path)\"...")
            Console.note(" PSE (\(stored.file.layout.rawValue)) open ok.")
        }
        print(" -----------------------------------------------")
        print(" MY Certificate in PSE:")
        print(" -----------------------------------------------")
        summary.lines(indent: " ", details: verbose).forEach { print($0) }
        if !verbose { print(" SHA-256 Fingerprint: \(summary.sha256Fingerprint)") }
        print(" -----------------------------------------------")
        print(" FCPath:")
        if path.isEmpty {
            print("  (empty: the certificate is self-signed or its CA chain was not installed)")
        }
        for (index, ca) in path.enumerated() {
            print("  [\(index + 1)]")
            ca.lines(indent: "  ").forEach { print($0) }
        }
        print(" -----------------------------------------------")
        print(" PKRoot:")
        if let root {
            root.lines(indent: "  ").forEach { print($0) }
        } else {
            print("  (none)")
        }
    }
}

extension PSEFile {
    /// How the file is stored, as psekit names it.
    var layout: Layout {
        switch (version, wasPINProtected) {
        case (256, _): return .lpsProtected
        case (2, false): return .v2Plain
        case (2, true): return .v2Encrypted
        case (_, false): return .v4Plain
        default: return .v4Encrypted
        }
    }
}
