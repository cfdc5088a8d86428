import ArgumentParser
import Foundation
import PSEKit
import PSENet
import PSEStore
import X509

struct Trust: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust",
        abstract: "Trust a server from its URL: fetch its chain, complete it to the root, add it to the PSE.",
        discussion: """
        Connects to the server (TLS, SNI, no trust decision), takes the certificate chain it \
        presents, completes it to a self-signed root with the server's own certificates and the \
        candidate CAs (--ca-file, else the system's CA bundle), checks every signature and \
        validity date, and shows each certificate with its SHA-256 fingerprint. Compare the \
        fingerprints with what the server's owner publishes, then confirm: the root and the \
        intermediates (--add chain, the default) or only the root (--add root) are added to \
        the PSE's trusted list. Without a terminal, --yes is required to change the PSE.

        Exit codes: 0 trusted (or already trusted), 10 the chain cannot be completed (the \
        missing issuer is named; pass it with --ca-file), 3 declined; connection failures use \
        the exit codes of psekit check.

        Examples:
          psekit trust https://sap.example.com:44300 -p client.pse
          psekit trust https://127.0.0.1:8443 -p client.pse --ca-file corp-ca.pem --yes -o chain.pem
        """
    )

    enum AddScope: String, ExpressibleByArgument, CaseIterable {
        case root, chain
    }

    @Argument(help: ArgumentHelp("The server: https://host[:port][/path] or host:port.", valueName: "URL"))
    var url: String

    @OptionGroup var options: PSEOptions

    @Option(name: .customLong("ca-file"),
            help: ArgumentHelp("Candidate issuer certificates (PEM, DER, .p7b, .zip) to complete the chain with, instead of the system's CA bundle.", valueName: "FILE"))
    var caFile: String?

    @Option(name: .customLong("add"), help: ArgumentHelp("What to add: the root and intermediates (chain) or only the root (root).", valueName: "root|chain"))
    var scope: AddScope = .chain

    @Option(name: .customShort("o"), help: ArgumentHelp("Also write the completed chain (leaf first) as PEM to this file.", valueName: "FILE"))
    var chainOutput: String?

    @Flag(name: .customLong("yes"), help: "Change the PSE without asking.")
    var yes = false

    @Flag(name: .customLong("allow-expired"), help: "With --yes, add certificates even when they have expired.")
    var allowExpired = false

    @Option(help: ArgumentHelp("Seconds to wait for the server.", valueName: "S"))
    var timeout: Double = 10

    @Flag(name: .customShort("v"), help: "Also show serial numbers and key types.")
    var verbose = false

    @Flag(help: "Print the chain and what was added as JSON.")
    var json = false

    struct ShownCertificate: Encodable {
        var role: String
        var certificate: CertificateSummary
    }

    struct Report: Encodable {
        var url: String
        var complete: Bool
        var chain: [ShownCertificate]
        var problems: [String]
        var added: [String]
        var alreadyTrusted: [String]
    }

    func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be more than 0 seconds") }
    }

    func run() throws {
        let endpoint: ServerEndpoint
        do { endpoint = try ServerEndpoint(url: url) } catch { throw CLIError("\(error)") }

        // Open the PSE first: a wrong PIN or path should fail before any network traffic.
        let path = options.path
        let layout = try StoredPSE.layout(at: path)
        let pin = layout.isPINProtected ? try options.pinOptions.pinForOpening(path: path).pin : nil
        let trustedBefore = try StoredPSE.open(at: path) { _ in pin }.file.content.trustedCertificates()

        let presented: [Certificate]
        do {
            presented = try TLSProbe.presentedChain(of: endpoint, timeout: timeout)
        } catch let diagnosis as ConnectionDiagnosis {
            throw Console.fail(CLIError(diagnosis.cause, hint: "Fix: " + diagnosis.fix(url: url, pse: options.pse),
                                        exitCode: diagnosis.exitCode))
        }
        let candidates = try candidateCertificates(presented: presented)
        let completion = CertificateChainBuilder.complete(presented: presented, candidates: candidates)
        let roles = completion.certificates.indices.map { role(at: $0, in: completion, presented: presented) }

        if !json {
            print("Server \(endpoint.url) presented \(presented.count) certificate(s).")
            for (index, certificate) in completion.certificates.enumerated() {
                show(certificate, number: index + 1, role: roles[index])
            }
            for problem in completion.problems { Console.warning("\(problem).") }
            fflush(stdout)  // the chain before any note on standard error
        }

        guard completion.isComplete, let root = completion.root else {
            let last = completion.certificates.last.map { SAPDistinguishedName.format($0.subject) } ?? "the server certificate"
            let missing = completion.missingIssuer.map(SAPDistinguishedName.format) ?? "unknown"
            let source = caFile.map { "in \($0)" } ?? "in the system's CA bundle"
            throw Console.fail(CLIError(
                "the chain cannot be completed: no certificate for \(missing), the issuer of \(last) (not sent by the server, not \(source))",
                hint: "Fix: get the issuer's certificate from the server's owner and pass it with --ca-file FILE", exitCode: 10))
        }

        if let chainOutput {
            try AtomicFile.write(Array(CertificateBundle.pem(completion.certificates).utf8), to: chainOutput, newFileMode: 0o644)
            if !json { Console.note("Chain written to \(chainOutput).") }
        }

        let selected = scope == .root ? [root] : [root] + completion.intermediates.reversed()
        let alreadyTrusted = selected.filter { trustedBefore.contains($0) }
        let toAdd = selected.filter { !trustedBefore.contains($0) }
        var added: [Certificate] = []
        defer {
            if json {
                try? Console.printJSON(Report(
                    url: endpoint.url, complete: true,
                    chain: zip(roles, completion.certificates).map { ShownCertificate(role: $0, certificate: CertificateSummary($1)) },
                    problems: completion.problems.map(\.description),
                    added: added.map { SAPDistinguishedName.format($0.subject) },
                    alreadyTrusted: alreadyTrusted.map { SAPDistinguishedName.format($0.subject) }))
            }
        }
        for certificate in alreadyTrusted {
            Console.note("Already trusted: \(TerminalText.escaped(SAPDistinguishedName.format(certificate.subject)))")
        }
        guard !toAdd.isEmpty else {
            Console.note("Nothing to add: \(path) already trusts this server's chain.")
            return
        }
        let list = toAdd.map { TerminalText.escaped(SAPDistinguishedName.format($0.subject)) }.joined(separator: "; ")
        let expired = toAdd.filter { $0.notValidAfter < Date() }
        if yes && !allowExpired && !expired.isEmpty {
            throw Console.fail(CLIError(
                "not adding to \(path): expired since \(CertificateSummary.sapTime(expired[0].notValidAfter)): \(TerminalText.escaped(SAPDistinguishedName.format(expired[0].subject)))",
                hint: "An expired root secures nothing; add --allow-expired if you really mean to trust it."))
        }
        if !yes {
            guard SecretReader.standardInputIsTerminal else {
                throw Console.fail(CLIError(
                    "not changing \(path) without confirmation (standard input is not a terminal)",
                    hint: "Check the fingerprints above, then re-run with --yes to add: \(list)", exitCode: 3))
            }
            let answer = try SecretReader.readLine(prompt: "Add \(toAdd.count) certificate(s) to the trusted list of \(path) (\(list))? [y/N] ")
            guard ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw Console.fail(CLIError("nothing changed: not confirmed", exitCode: 3))
            }
        }
        added = try StoredPSE.update(at: path, pinProvider: { _ in pin }) { stored in
            var newlyAdded: [Certificate] = []
            for certificate in toAdd where try stored.file.content.addTrustedCertificate(certificate) {
                newlyAdded.append(certificate)
            }
            return (!newlyAdded.isEmpty, newlyAdded)
        }
        for certificate in added {
            Console.note("Added to \(path): \(TerminalText.escaped(SAPDistinguishedName.format(certificate.subject)))")
        }
    }

    private func candidateCertificates(presented: [Certificate]) throws -> [Certificate] {
        if let caFile { return try CertificateFileReader.certificates(atPath: caFile) }
        do {
            return try CertificateAuthorityFile.systemCertificates()
        } catch {
            if !(presented.last.map(CertificateChainBuilder.isSelfSigned) ?? false) {
                Console.warning("\(error)")
            }
            return []
        }
    }

    /// `server`, `intermediate` or `root`, noting certificates the server did not send itself.
    private func role(at index: Int, in completion: ChainCompletion, presented: [Certificate]) -> String {
        let certificate = completion.certificates[index]
        var role = index == 0 ? "server" : "intermediate"
        if completion.isComplete && index == completion.certificates.count - 1 && index > 0 { role = "root" }
        if !presented.contains(certificate) { role += " (not sent by the server; from \(caFile ?? "the system's CA bundle"))" }
        return role
    }

    private func show(_ certificate: Certificate, number: Int, role: String) {
        let summary = CertificateSummary(certificate)
        print(" [\(number)] \(role)")
        print("  Subject  : \(summary.subjectText)")
        print("  Issuer   : \(summary.issuerText)")
        if verbose {
            print("  Serialno : \(summary.serialNumber)")
            print("  KeyInfo  : \(summary.keyInfo)")
        }
        print("  Validity : \(CertificateSummary.sapTime(summary.notBefore)) - \(CertificateSummary.sapTime(summary.notAfter))")
        print("  SHA-256  : \(summary.sha256Fingerprint)")
    }
}
