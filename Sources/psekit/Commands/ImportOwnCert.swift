import ArgumentParser
import CryptoExtras
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit
import PSENet
import PSEStore
import X509

struct ImportOwnCert: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import_own_cert",
        abstract: "Install the certificate a CA issued for the PSE's request, with its chain.",
        discussion: """
        -c names the CA's answer: PEM, DER, Base64, PKCS#7 (.p7b) or zip; it may hold the whole \
        chain. -r adds CA certificates (repeatable) when the answer lacks them; the PSE's trusted \
        certificates are used too. A -r certificate with an RSA key under 2048 bits is refused \
        with the reason unless --allow-weak is given (then it is trusted with a warning). The certificate must be for the PSE's key, and the chain must \
        reach a self-signed root with every signature valid. The PSE then holds the new own \
        certificate (Cert), its chain (FCPath), the root (PKRoot), and trusts the chain's CAs; \
        the old self-signed certificate leaves the trusted list.

        Example:
          psekit import_own_cert -p SAPSSLS.pse -x secret -c response.p7b
          psekit import_own_cert -p client.pse -c client.crt -r intermediate.pem -r root.cer
        """
    )

    @OptionGroup var options: PSEOptions

    @Option(name: .customShort("c"), help: ArgumentHelp("The CA's answer: the own certificate, possibly with its chain.", valueName: "CERT"))
    var certificateFile: String

    @Option(name: .customShort("r"), help: ArgumentHelp("A CA certificate (or chain) of the answer (repeatable).", valueName: "CACERT"))
    var caFiles: [String] = []

    @Flag(name: .customShort("v"), help: "Show the installed chain in detail.")
    var verbose = false

    @Flag(help: "Print the installed certificate and chain as JSON.")
    var json = false

    @OptionGroup var checkOption: CheckOption

    @OptionGroup var weakOption: AllowWeakOption

    struct Report: Encodable {
        var file: String
        var certificate: CertificateSummary
        var certificationPath: [CertificateSummary]
        var root: CertificateSummary
    }

    func run() throws {
        let answer = try CertificateFileReader.certificates(atPath: certificateFile)
        let (authorities, weakAuthorities) = try weakOption.certificates(ofFiles: caFiles, outcome: "so nothing was changed")

        var changes = ChangeReport(check: checkOption.check)
        let (certificate, chain) = try options.update(check: checkOption.check, changes: &changes) { stored -> (changed: Bool, result: (Certificate, [Certificate])) in
            var content = stored.file.content
            guard let key = try content.privateKey() else {
                throw CLIError("\(stored.path): the PSE has no private key, so it cannot take an own certificate",
                               hint: "Create one with: psekit gen_pse -p PSE -r request.p10 \"CN=…\"")
            }
            let previous = try content.ownCertificate()
            let publicKey = Certificate.PublicKey(key.publicKey)
            guard let certificate = answer.first(where: { $0.publicKey == publicKey }) else {
                let offered = SAPDistinguishedName.format(answer[0].subject)
                    + (answer.count > 1 ? " (and \(answer.count - 1) more certificate\(answer.count > 2 ? "s" : ""), none for this key)" : "")
                let owner = previous.map { SAPDistinguishedName.format($0.subject) } ?? "(no own certificate)"
                throw CLIError("\(certificateFile): the certificate of \(offered) is not for this PSE's key; the PSE's key belongs to \(owner). Nothing was changed.",
                               hint: "Import the answer to the request made from this PSE (psekit gen_pse -r).")
            }
            let pool = answer.filter { $0 != certificate } + authorities + (try content.trustedCertificates())
            let chain: [Certificate]
            do {
                chain = try OwnCertificateChain.build(for: certificate, from: pool)
            } catch let error as PSEKitError where error.code.family == .ownCertificateChain {
                throw CLIError("\(certificateFile): \(ErrorText.of(error)); nothing was changed",
                               hint: "Give the missing CA certificates with -r FILE (PEM, DER, .p7b or .zip).")
            }
            if let problem = ServerChainValidator.ownCertificatePathProblem(certificate: certificate, chain: chain) {
                throw CLIError("\(certificateFile): \(problem); nothing was changed", hint: "Ask the CA for a correctly issued certificate and chain.")
            }
            var addedWeak = false
            for der in weakAuthorities where try content.addWeakTrustedCertificate(der) { addedWeak = true }
            if previous == certificate, try content.certificationPath() == chain {
                // Installed already: nothing to write but trusted certificates -r added.
                if addedWeak { stored.file.content = content }
                return (addedWeak, (certificate, chain))
            }
            if let previous, previous != certificate, IssuerWalk.isSelfSigned(previous) {
                // The self-signed certificate of gen_pse is no longer the PSE's identity.
                try content.setTrustedCertificates(try content.trustedCertificates().filter { $0 != previous })
            }
            try content.setOwnCertificate(certificate, chain: chain)
            stored.file.content = content
            return (true, (certificate, chain))
        }

        let now = Date()
        CertificateWarnings.warn(about: [certificate] + chain, now: now)
        if certificate.notValidBefore > now {
            Console.warning("the installed certificate is valid only from \(CertificateSummary.sapTime(certificate.notValidBefore)).")
        }
        let summary = CertificateSummary(certificate)
        let root = chain.last ?? certificate
        if json {
            try Console.printJSON(ReportWithChanges(report: Report(
                file: options.path, certificate: summary, certificationPath: chain.map(CertificateSummary.init),
                root: CertificateSummary(root)), changes: changes))
            return
        }
        if checkOption.check { return changes.printCheckSummary() }
        print("Installed own certificate \(summary.subject), issued by \(summary.issuer), valid until \(CertificateSummary.sapTime(certificate.notValidAfter)).")
        if chain.isEmpty {
            print("FCPath: (empty: the certificate is self-signed)")
        }
        for (index, ca) in chain.enumerated() {
            print("FCPath [\(index + 1)]: \(TerminalText.escaped(SAPDistinguishedName.format(ca.subject)))")
            if verbose { CertificateSummary(ca).lines(indent: "  ").forEach { print($0) } }
        }
        print("PKRoot: \(TerminalText.escaped(SAPDistinguishedName.format(root.subject))) (trusted)")
    }
}
