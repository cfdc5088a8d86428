import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
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

        Every certificate the server sent is shown, also one psekit cannot read (then nothing \
        is trusted: that is what a man in the middle presenting its own certificate looks \
        like). The completed chain is validated as psekit check does (RFC 5280: CA flags, path \
        length, name constraints, dates, extendedKeyUsage serverAuth); a chain that fails for \
        any reason other than its missing anchor is never offered for trust. When the URL's \
        host is not in the server certificate, a warning says so.

        --expect-fingerprint SHA256:AA:BB:... trusts without a prompt when a certificate of the \
        completed chain has that SHA-256 fingerprint; otherwise nothing changes and the exit \
        code is 4.

        --proxy, --proxy-user, --proxy-password-env and HTTPS_PROXY/NO_PROXY work as for \
        psekit check.

        Exit codes: 0 trusted (or already trusted), 10 the chain cannot be completed (the \
        missing issuer is named; pass it with --ca-file), 3 declined, 4 no certificate has the \
        --expect-fingerprint, 23/24/25 the chain is invalid, has an unreadable certificate, or \
        is not for servers; connection failures use the exit codes of psekit check.

        Examples:
          psekit trust https://sap.example.com:44300 -p client.pse
          psekit trust https://127.0.0.1:8443 -p client.pse --ca-file corp-ca.pem --yes -o chain.pem
          psekit trust https://sap.example.com:44300 -p client.pse --expect-fingerprint SHA256:3F:9A:...:01
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

    @OptionGroup var proxyOptions: ProxyOptions

    @Flag(name: .customLong("yes"), help: "Change the PSE without asking.")
    var yes = false

    @Flag(name: .customLong("allow-expired"), help: "Offer and add an expired chain too (it is then checked as it was while valid).")
    var allowExpired = false

    @OptionGroup var checkOption: CheckOption

    @Option(name: .customLong("expect-fingerprint"),
            help: ArgumentHelp("Trust without a prompt when a certificate of the completed chain has this SHA-256 fingerprint; else change nothing.", valueName: "SHA256:AA:BB:..."))
    var expectedFingerprint: String?

    @Option(help: ArgumentHelp("Seconds the whole exchange with the server may take; 0 < S <= 86400.", valueName: "S"))
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
        guard timeout.isFinite, timeout > 0, timeout <= 86400 else {
            throw ValidationError("--timeout must be a number of seconds more than 0 and at most 86400")
        }
        if let expectedFingerprint, Self.normalizedFingerprint(expectedFingerprint) == nil {
            throw ValidationError("--expect-fingerprint must be a SHA-256 fingerprint: SHA256:AA:BB:... (32 hex bytes)")
        }
    }

    func run() throws {
        let endpoint: ServerEndpoint
        do { endpoint = try ServerEndpoint(url: url) } catch { throw CLIError(ErrorText.of(error)) }

        // Open the PSE first: a wrong PIN or path should fail before any network traffic.
        let path = options.path
        let layout = try StoredPSE.layout(at: path)
        let pin = layout.isPINProtected ? try options.pinOptions.pinForOpening(path: path).pin : nil
        let trustedBefore = try StoredPSE.open(at: path) { _ in pin }.file.content.trustedCertificates()

        let presented = try presentedCertificates(of: endpoint)
        let candidates = try candidateCertificates(presented: presented)
        let completion = CertificateChainBuilder.complete(presented: presented, candidates: candidates)
        let roles = completion.certificates.indices.map { role(at: $0, in: completion, presented: presented) }

        show(completion, roles: roles, presented: presented, endpoint: endpoint)
        let root = try requireComplete(completion)
        try validate(completion, root: root)
        let confirmedByFingerprint = try confirmFingerprint(in: completion)

        if let chainOutput {
            try AtomicFile.write(Array(CertificateBundle.pem(completion.certificates).utf8), to: chainOutput, newFileMode: 0o644)
            if !json { Console.note("Chain written to \(chainOutput).") }
        }

        let selected = scope == .root ? [root] : [root] + completion.intermediates.reversed()
        let alreadyTrusted = selected.filter { trustedBefore.contains($0) }
        let toAdd = selected.filter { !trustedBefore.contains($0) }
        var changes = ChangeReport(check: checkOption.check)
        /// The JSON report, printed once at the end: only after the PSE is written (or --check).
        func report() throws {
            guard json else { return }
            try Console.printJSON(ReportWithChanges(report: Report(
                url: endpoint.url, complete: true,
                chain: zip(roles, completion.certificates).map { ShownCertificate(role: $0, certificate: CertificateSummary($1)) },
                problems: completion.problems.map(\.description),
                added: changes.added.compactMap(\.subject),
                alreadyTrusted: alreadyTrusted.map { SAPDistinguishedName.format($0.subject) }), changes: changes))
        }
        for certificate in alreadyTrusted {
            Console.note("Already trusted: \(TerminalText.escaped(SAPDistinguishedName.format(certificate.subject)))")
        }
        guard !toAdd.isEmpty else {
            Console.note("Nothing to add: \(path) already trusts this server's chain.")
            if checkOption.check && !json { changes.printCheckSummary() }
            return try report()
        }
        let list = toAdd.map { TerminalText.escaped(SAPDistinguishedName.format($0.subject)) }.joined(separator: "; ")
        let expired = toAdd.filter { $0.notValidAfter < Date() }
        if (yes || confirmedByFingerprint || checkOption.check) && !allowExpired && !expired.isEmpty {
            throw Console.fail(CLIError(
                "not adding to \(path): expired since \(CertificateSummary.sapTime(expired[0].notValidAfter)): \(TerminalText.escaped(SAPDistinguishedName.format(expired[0].subject)))",
                hint: "An expired root secures nothing; add --allow-expired if you really mean to trust it."))
        }
        if checkOption.check {
            changes.added = toAdd.map { ChangeReport.Item(kind: .trustedCertificate, path: path, certificate: $0) }
            if !json { changes.printCheckSummary() }
            return try report()
        }
        if !yes && !confirmedByFingerprint { try confirm(adding: list, count: toAdd.count, to: path) }
        let added = try StoredPSE.update(at: path, pinProvider: { _ in pin }) { stored in
            var newlyAdded: [Certificate] = []
            for certificate in toAdd where try stored.file.content.addTrustedCertificate(certificate) {
                newlyAdded.append(certificate)
            }
            return (!newlyAdded.isEmpty, newlyAdded)
        }
        changes.added = added.map { ChangeReport.Item(kind: .trustedCertificate, path: path, certificate: $0) }
        for certificate in added {
            Console.note("Added to \(path): \(TerminalText.escaped(SAPDistinguishedName.format(certificate.subject)))")
        }
        try report()
    }

    /// The certificates the server sent; an unreadable one ends the command after all of them
    /// are shown (nothing is trusted past a certificate psekit cannot read).
    private func presentedCertificates(of endpoint: ServerEndpoint) throws -> [Certificate] {
        let sent: [PresentedCertificate]
        do {
            sent = try TLSProbe.presentedCertificates(of: endpoint, timeout: timeout, proxy: try proxyOptions.proxy(for: endpoint))
        } catch let error as PSENetError where error.code == .connectionFailed {
            let diagnosis = error.diagnosis ?? .handshakeFailed(reason: error.reason)
            throw Console.fail(CLIError(diagnosis.cause, hint: "Fix: " + diagnosis.fix(url: url, pse: options.pse),
                                        exitCode: diagnosis.exitCode))
        }
        if let index = sent.firstIndex(where: { $0.certificate == nil }) {
            // Show everything the server sent, then refuse: never trust past an unreadable certificate.
            if !json {
                print("Server \(endpoint.url) presented \(sent.count) certificate(s).")
                for (number, certificate) in sent.enumerated() {
                    if let parsed = certificate.certificate {
                        show(parsed, number: number + 1, role: number == 0 ? "server" : "sent by the server")
                    } else {
                        print(" [\(number + 1)] \(number == 0 ? "server" : "sent by the server") (cannot be read: \(certificate.problem ?? "unknown"))")
                        print("  SHA-256  : \(certificate.sha256Fingerprint)")
                    }
                }
                fflush(nil)
            }
            let diagnosis = ConnectionDiagnosis.unreadableServerCertificate(
                position: index + 1, reason: sent[index].problem ?? "unreadable", sha256Fingerprint: sent[index].sha256Fingerprint)
            throw Console.fail(CLIError(diagnosis.cause + "; nothing trusted", hint: "Fix: " + diagnosis.fix(url: url, pse: options.pse),
                                        exitCode: diagnosis.exitCode))
        }
        return sent.compactMap(\.certificate)
    }

    /// The completed chain as the user checks it before trusting, and a warning when the server
    /// certificate does not name the host.
    private func show(_ completion: ChainCompletion, roles: [String], presented: [Certificate], endpoint: ServerEndpoint) {
        if !json {
            print("Server \(endpoint.url) presented \(presented.count) certificate(s).")
            for (index, certificate) in completion.certificates.enumerated() {
                show(certificate, number: index + 1, role: roles[index])
            }
            let extra = presented.filter { !completion.certificates.contains($0) }
            for (index, certificate) in extra.enumerated() {
                show(certificate, number: completion.certificates.count + index + 1, role: "sent by the server, not on the path")
            }
            for problem in completion.problems { Console.warning("\(problem).") }
            fflush(nil)  // the chain before any note on standard error
        }
        if let leaf = presented.first, !ServerIdentity.matches(leaf, host: endpoint.host) {
            Console.warning("the server certificate is not issued for \(endpoint.host) (it names \(ServerIdentity.names(in: leaf).joined(separator: ", "))); psekit check \(endpoint.url) will fail with this host name")
        }
    }

    /// The root of a complete chain; a chain that cannot be completed ends the command.
    private func requireComplete(_ completion: ChainCompletion) throws -> Certificate {
        guard completion.isComplete, let root = completion.root else {
            let last = completion.certificates.last.map { SAPDistinguishedName.format($0.subject) } ?? "the server certificate"
            let missing = completion.missingIssuer.map(SAPDistinguishedName.format) ?? "unknown"
            let source = caFile.map { "in \($0)" } ?? "in the system's CA bundle"
            throw Console.fail(CLIError(
                "the chain cannot be completed: no certificate for \(missing), the issuer of \(last) (not sent by the server, not \(source))",
                hint: "Fix: get the issuer's certificate from the server's owner and pass it with --ca-file FILE", exitCode: 10))
        }
        return root
    }

    /// The whole chain must pass the same validation as `check`, with its own root as anchor:
    /// only the missing anchor may be what stands between it and trust. An expired chain is
    /// offered only with --allow-expired, and then checked as it was while all of it was valid
    /// (everything else still applies).
    private func validate(_ completion: ChainCompletion, root: Certificate) throws {
        var validation = ServerChainValidator.validateSynchronously(presented: completion.certificates, trusted: [root], host: nil)
        if case .failed(.certificateExpired) = validation, allowExpired,
           let lastValidMoment = completion.certificates.map(\.notValidAfter).min() {
            validation = ServerChainValidator.validateSynchronously(presented: completion.certificates, trusted: [root], host: nil,
                                                                     at: lastValidMoment.addingTimeInterval(-1))
        }
        if case .failed(let diagnosis) = validation {
            var hint = "Fix: " + diagnosis.fix(url: url, pse: options.pse)
            if case .certificateExpired = diagnosis {
                hint += "\nAn expired root secures nothing; add --allow-expired if you really mean to trust it."
            }
            throw Console.fail(CLIError(diagnosis.cause + "; not offered for trust", hint: hint, exitCode: diagnosis.exitCode))
        }
    }

    /// Whether --expect-fingerprint names a certificate of the chain; a fingerprint that matches
    /// none ends the command.
    private func confirmFingerprint(in completion: ChainCompletion) throws -> Bool {
        if let expectedFingerprint, let wanted = Self.normalizedFingerprint(expectedFingerprint) {
            guard completion.certificates.contains(where: { CertificateFingerprint.sha256($0) == wanted }) else {
                throw Console.fail(CLIError(
                    "no certificate of the completed chain has the SHA-256 fingerprint \(wanted); nothing changed",
                    hint: "Fix: compare the fingerprints shown above with the one the server's owner published", exitCode: 4))
            }
            return true
        }
        return false
    }

    /// Asks on the terminal before the PSE is changed; refuses without a terminal.
    private func confirm(adding list: String, count: Int, to path: String) throws {
        guard SecretReader.standardInputIsTerminal else {
            throw Console.fail(CLIError(
                "not changing \(path) without confirmation (standard input is not a terminal)",
                hint: "Check the fingerprints above, then re-run with --yes (or --expect-fingerprint) to add: \(list)", exitCode: 3))
        }
        let answer = try SecretReader.readLine(prompt: "Add \(count) certificate(s) to the trusted list of \(path) (\(list))? [y/N] ")
        guard ["y", "yes"].contains(answer.trimmingWhitespace().lowercased()) else {
            throw Console.fail(CLIError("nothing changed: not confirmed", exitCode: 3))
        }
    }

    private func candidateCertificates(presented: [Certificate]) throws -> [Certificate] {
        if let caFile { return try CertificateFileReader.certificates(atPath: caFile) }
        do {
            return try SystemTrustStore.certificates()
        } catch {
            if !(presented.last.map(IssuerWalk.isSelfSigned) ?? false) {
                Console.warning("\(ErrorText.of(error)); \(ErrorHints.noSystemTrustStore)")
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

    /// `SHA256:AA:BB:…`, `AA:BB:…` or plain hex → `AA:BB:…` (upper case), nil unless 32 bytes.
    static func normalizedFingerprint(_ text: String) -> String? {
        var hex = text.trimmingWhitespace()
        if hex.lowercased().hasPrefix("sha256:") { hex = String(hex.dropFirst(7)) } else if hex.lowercased().hasPrefix("sha256=") { hex = String(hex.dropFirst(7)) }
        hex = hex.replacing(":", with: "").uppercased()
        guard hex.count == 64, hex.allSatisfy({ $0.isHexDigit }) else { return nil }
        var pairs: [String] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            pairs.append(String(hex[index..<next]))
            index = next
        }
        return pairs.joined(separator: ":")
    }
}
