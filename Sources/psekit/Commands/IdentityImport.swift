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

/// The options `import_p12` and `import_p8` share: CA certificates to add, replacing, output.
struct IdentityImportOptions: ParsableArguments {
    @Option(name: .customShort("r"), help: ArgumentHelp("A CA certificate (or chain) to add and trust (repeatable).", valueName: "CACERT"))
    var caFiles: [String] = []

    @Flag(name: .customLong("force"), help: "Replace an existing PSE file, even a read-only one. The new file is 0600, owned by the user running psekit.")
    var force = false

    @Flag(name: .customShort("v"), help: "Show the imported chain in detail.")
    var verbose = false

    @Flag(help: "Print what was imported as JSON.")
    var json = false

    @OptionGroup var checkOption: CheckOption

    @OptionGroup var weakOption: AllowWeakOption

    /// The certificates of every `-r` file, in order, and apart (as DER) those with RSA keys under
    /// 2048 bits, admitted only with --allow-weak.
    func authorities() throws -> (certificates: [Certificate], weak: [[UInt8]]) {
        try weakOption.certificates(ofFiles: caFiles, outcome: "so no PSE was created")
    }
}

/// Creating a new PSE from an imported key and certificate: shared by import_p12 and import_p8.
enum IdentityImport {
    static let maximumInputSize = 16 << 20

    /// A CA certificate: basic constraints say so, or (without them) it is self-signed.
    static func isAuthority(_ certificate: Certificate) -> Bool {
        switch try? certificate.extensions.basicConstraints {
        case .some(.isCertificateAuthority): return true
        case .some(.notCertificateAuthority): return false
        default: return certificate.subject == certificate.issuer
        }
    }

    struct Report: Encodable {
        var file: String
        var layout: String
        var source: String
        var certificate: CertificateSummary
        var certificationPath: [CertificateSummary]
        var root: CertificateSummary
        var trustedCertificates: [CertificateSummary]
    }

    struct Result {
        var path: String
        var layout: PSEFile.Layout
        var certificate: Certificate
        var chain: [Certificate]
        var trusted: [Certificate]
        var changes: ChangeReport

        func print(json: Bool, verbose: Bool, source: String) throws {
            let root = chain.last ?? certificate
            if json {
                try Console.printJSON(ReportWithChanges(report: Report(
                    file: path, layout: layout.rawValue, source: source, certificate: CertificateSummary(certificate),
                    certificationPath: chain.map(CertificateSummary.init), root: CertificateSummary(root),
                    trustedCertificates: trusted.map(CertificateSummary.init)), changes: changes))
                return
            }
            if changes.check { return changes.printCheckSummary() }
            // Only the names here: a whole CertificateSummary (fingerprint, key) is for -v and --json.
            Swift.print("Created PSE \(path) (\(layout.rawValue)) from \(source) for \(TerminalText.escaped(SAPDistinguishedName.format(certificate.subject))), "
                        + "issued by \(SAPDistinguishedName.format(certificate.issuer)), "
                        + "valid until \(CertificateSummary.sapTime(certificate.notValidAfter)).")
            if verbose { CertificateSummary(certificate).lines(indent: "  ").forEach { Swift.print($0) } }
            if chain.isEmpty { Swift.print("FCPath: (empty: the certificate is self-signed)") }
            for (index, ca) in chain.enumerated() {
                Swift.print("FCPath [\(index + 1)]: \(TerminalText.escaped(SAPDistinguishedName.format(ca.subject)))")
                if verbose { CertificateSummary(ca).lines(indent: "  ").forEach { Swift.print($0) } }
            }
            Swift.print("PKRoot: \(TerminalText.escaped(SAPDistinguishedName.format(root.subject))) (trusted)")
            Swift.print("Trusted certificates: \(trusted.count)")
            CertificateWarnings.warn(about: [certificate] + chain)
        }
    }

    static func refuseExisting(_ path: String, force: Bool) throws {
        if !force && StoredPSE.exists(path) {
            throw CLIError("\(path): already exists; nothing was changed",
                           hint: "Remove it first, choose another name, or add --force to replace it.")
        }
    }

    /// Reads a key or PKCS#12 file whole (at most 16 MiB).
    static func readInputFile(_ path: String) throws -> [UInt8] {
        let data: [UInt8]
        do { data = try RegularFile.read(path, limit: maximumInputSize) } catch { throw CLIError(ErrorText.of(error)) }
        guard !data.isEmpty else { throw CLIError("\(path): the file is empty") }
        return data
    }

    /// The RSA key a PSE can hold, or a clear error for other key types.
    static func rsaKey(_ key: PKCS8PrivateKey, source: String) throws -> _RSA.Signing.PrivateKey {
        guard key.isRSA else {
            throw CLIError("\(source): the private key is \(key.keyType); a PSE as psekit writes it holds RSA keys only. No PSE was created.",
                           hint: "Use an RSA key (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048).")
        }
        do {
            return try key.rsaPrivateKey()
        } catch {
            throw CLIError("\(source): \(ErrorText.of(error)); no PSE was created")
        }
    }

    /// Checks everything, asks for the new PIN, and writes the PSE in one atomic step.
    static func createPSE(options: PSEOptions, force: Bool, check: Bool, source: String, key: PKCS8PrivateKey,
                          certificate: Certificate, candidates: [Certificate], extraTrusted: [Certificate],
                          weakTrusted: [[UInt8]] = []) throws -> Result {
        let rsaKey = try rsaKey(key, source: source)
        guard key.matches(certificate) else {
            throw CLIError("\(source): the certificate \(SAPDistinguishedName.format(certificate.subject)) is not for the private key; no PSE was created")
        }
        let chain: [Certificate]
        do {
            chain = try OwnCertificateChain.build(for: certificate, from: candidates)
        } catch let error as PSEKitError where error.code.family == .ownCertificateChain {
            throw CLIError("\(source): \(ErrorText.of(error)); no PSE was created",
                           hint: weakTrusted.isEmpty ? "Give the missing CA certificates with -r FILE (PEM, DER, .p7b or .zip)."
                               : "Give the missing CA certificates with -r FILE; a CA with an RSA key under 2048 bits cannot be part of the own certificate's chain.")
        }
        if let problem = ServerChainValidator.ownCertificatePathProblem(certificate: certificate, chain: chain) {
            throw CLIError("\(source): \(problem); no PSE was created", hint: "Ask the CA for a correctly issued certificate and chain.")
        }
        let pin = try options.pinOptions.pinForCreating(check: check)

        let algorithm = PSEEncryptionAlgorithm.random()
        var content = try PSEContent(algorithm: algorithm)
        do {
            try content.setIdentity(privateKey: rsaKey, certificate: certificate, chain: chain)
            for authority in extraTrusted where authority != certificate {
                try content.addTrustedCertificate(authority)
            }
            for der in weakTrusted { try content.addWeakTrustedCertificate(der) }
        } catch let error as PSEKitError where error.code.family == .pse {
            throw CLIError("\(source): \(ErrorText.of(error)); no PSE was created")
        }
        let path = options.path
        var changes = ChangeReport(check: check)
        try changes.createPSE(PSEFile(version: 2, algorithm: algorithm, content: content), at: path, pin: pin, overwrite: force)
        return Result(path: path, layout: pin.isEmpty ? .v2Plain : .v2Encrypted, certificate: certificate, chain: chain,
                      trusted: try content.trustedCertificates(), changes: changes)
    }
}
