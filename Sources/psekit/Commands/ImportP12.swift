import ArgumentParser
import CryptoExtras
import Foundation
import PSEKit
import PSENet
import PSEStore
import X509

struct ImportP12: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import_p12",
        abstract: "Create a PSE from a PKCS#12 file (.p12/.pfx): its RSA key, certificate and chain.",
        discussion: """
        Reads a PKCS#12 file as OpenSSL, Windows, Java or SAP tools write it (PBES2 with AES or \
        the older SHA-1/3DES and RC2 schemes) and creates a new PSE holding its private key \
        (SKnew), certificate (Cert), chain (FCPath), root (PKRoot) and trusted certificates. \
        -r adds CA certificates (repeatable) when the file lacks part of the chain; they are \
        trusted too. Without -z the PKCS#12 password is asked for (without echo on a terminal, \
        or read as one line from standard input). A wrong password, an EC or DSA key (a PSE as \
        psekit writes it holds RSA keys only) or an incomplete chain stop the command before \
        anything is written.

        Examples:
          psekit import_p12 -p SAPSSLS.pse -x secret -z p12secret server.p12
          psekit import_p12 -p client.pse --pin-env PSE_PIN -r root.cer client.pfx
        """
    ).psekitSubcommand

    @OptionGroup var options: PSEOptions

    @Option(name: .customShort("z"), help: ArgumentHelp("The PKCS#12 password; asked for when missing.", valueName: "P12PASSWORD"))
    var password: String?

    @OptionGroup var importOptions: IdentityImportOptions

    @Argument(help: ArgumentHelp("The PKCS#12 file.", valueName: "FILE.p12"))
    var file: String

    func run() throws {
        try IdentityImport.refuseExisting(options.path, force: importOptions.force)
        let bytes = try IdentityImport.readInputFile(file)
        let authorities = try importOptions.authorities()
        let password = try self.password ?? SecretReader.read(prompt: "Please enter PKCS#12 password: ")

        let bundle: PKCS12Bundle
        do {
            bundle = try PKCS12.parse(bytes, password: password)
        } catch PKCS12Error.wrongPassword {
            throw CLIError("\(file): wrong password for the PKCS#12 file; no PSE was created",
                           hint: "Give the password with -z, or type it when asked.")
        } catch {
            throw CLIError("\(file): \(error); no PSE was created")
        }
        guard let key = bundle.privateKey else {
            throw CLIError("\(file): the PKCS#12 file holds no private key; no PSE was created",
                           hint: "To trust its certificates instead use: psekit maintain_pk -a FILE -p PSE")
        }
        guard let certificate = bundle.certificate else {
            throw CLIError("\(file): the PKCS#12 file holds no certificate for its private key; no PSE was created")
        }
        let result = try IdentityImport.createPSE(options: options, force: importOptions.force, source: file, key: key,
                                                  certificate: certificate, candidates: bundle.chain + authorities,
                                                  extraTrusted: authorities)
        try result.print(json: importOptions.json, verbose: importOptions.verbose, source: file)
    }
}

/// Creating a new PSE from an imported key and certificate: shared by import_p12 and import_p8.
/// The options `import_p12` and `import_p8` share: CA certificates to add, replacing, output.
struct IdentityImportOptions: ParsableArguments {
    @Option(name: .customShort("r"), help: ArgumentHelp("A CA certificate (or chain) to add and trust (repeatable).", valueName: "CACERT"))
    var caFiles: [String] = []

    @Flag(name: .customLong("force"), help: "Replace an existing PSE file.")
    var force = false

    @Flag(name: .customShort("v"), help: "Show the imported chain in detail.")
    var verbose = false

    @Flag(help: "Print what was imported as JSON.")
    var json = false

    /// The certificates of every `-r` file, in order.
    func authorities() throws -> [Certificate] {
        try caFiles.flatMap { try CertificateFileReader.certificates(atPath: $0) }
    }
}

enum IdentityImport {
    static let maximumInputSize = 16 << 20

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

        func print(json: Bool, verbose: Bool, source: String) throws {
            let root = chain.last ?? certificate
            if json {
                try Console.printJSON(Report(
                    file: path, layout: layout.rawValue, source: source, certificate: CertificateSummary(certificate),
                    certificationPath: chain.map(CertificateSummary.init), root: CertificateSummary(root),
                    trustedCertificates: trusted.map(CertificateSummary.init)))
                return
            }
            // Only the names here: a whole CertificateSummary (fingerprint, key) is for -v and --json.
            Swift.print("Created PSE \(path) (\(layout.rawValue)) from \(source) for \(SAPDistinguishedName.format(certificate.subject)), "
                        + "issued by \(SAPDistinguishedName.format(certificate.issuer)), "
                        + "valid until \(CertificateSummary.sapTime(certificate.notValidAfter)).")
            if verbose { CertificateSummary(certificate).lines(indent: "  ").forEach { Swift.print($0) } }
            if chain.isEmpty { Swift.print("FCPath: (empty: the certificate is self-signed)") }
            for (index, ca) in chain.enumerated() {
                Swift.print("FCPath [\(index + 1)]: \(SAPDistinguishedName.format(ca.subject))")
                if verbose { CertificateSummary(ca).lines(indent: "  ").forEach { Swift.print($0) } }
            }
            Swift.print("PKRoot: \(SAPDistinguishedName.format(root.subject)) (trusted)")
            Swift.print("Trusted certificates: \(trusted.count)")
            CertificateWarnings.warn(about: [certificate] + chain)
        }
    }

    static func refuseExisting(_ path: String, force: Bool) throws {
        if !force && FileManager.default.fileExists(atPath: path) {
            throw CLIError("\(path): already exists; nothing was changed",
                           hint: "Remove it first, choose another name, or add --force to replace it.")
        }
    }

    /// Reads a key or PKCS#12 file whole (at most 16 MiB).
    static func readInputFile(_ path: String) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CLIError("\(path): cannot be read (no such file or no permission)")
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: maximumInputSize + 1)) ?? Data()
        guard data.count <= maximumInputSize else { throw CLIError("\(path): larger than 16 MiB; not a key or PKCS#12 file") }
        guard !data.isEmpty else { throw CLIError("\(path): the file is empty") }
        return [UInt8](data)
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
            throw CLIError("\(source): \(error); no PSE was created")
        }
    }

    /// Checks everything, asks for the new PIN, and writes the PSE in one atomic step.
    static func createPSE(options: PSEOptions, force: Bool, source: String, key: PKCS8PrivateKey, certificate: Certificate,
                          candidates: [Certificate], extraTrusted: [Certificate]) throws -> Result {
        let rsaKey = try rsaKey(key, source: source)
        guard key.matches(certificate) else {
            throw CLIError("\(source): the certificate \(SAPDistinguishedName.format(certificate.subject)) is not for the private key; no PSE was created")
        }
        let chain: [Certificate]
        do {
            chain = try OwnCertificateChain.build(for: certificate, from: candidates)
        } catch let error as OwnCertificateChainError {
            throw CLIError("\(source): \(error); no PSE was created",
                           hint: "Give the missing CA certificates with -r FILE (PEM, DER, .p7b or .zip).")
        }
        if let problem = ServerChainValidator.ownCertificatePathProblem(certificate: certificate, chain: chain) {
            throw CLIError("\(source): \(problem); no PSE was created", hint: "Ask the CA for a correctly issued certificate and chain.")
        }
        let pin = try options.pinOptions.pinForCreating()

        let algorithm = PSEEncryptionAlgorithm.random()
        var content = try PSEContent(algorithm: algorithm)
        do {
            try content.setIdentity(privateKey: rsaKey, certificate: certificate, chain: chain)
            for authority in extraTrusted where authority != certificate {
                try content.addTrustedCertificate(authority)
            }
        } catch let error as PSEError {
            throw CLIError("\(source): \(error); no PSE was created")
        }
        let path = options.path
        try StoredPSE.create(PSEFile(version: 2, algorithm: algorithm, content: content), at: path, pin: pin, overwrite: force)
        return Result(path: path, layout: pin.isEmpty ? .v2Plain : .v2Encrypted, certificate: certificate, chain: chain,
                      trusted: try content.trustedCertificates())
    }
}
