import ArgumentParser
import CryptoExtras
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit
import PSEStore
import X509

/// The arguments of `gen_pse` (and its other name `get_pse`), in sapgenpse's spelling.
struct GenPSEArguments: ParsableArguments {
    @OptionGroup var options: PSEOptions
    @OptionGroup var progressOptions: ProgressOptions
    @OptionGroup var checkOption: CheckOption

    @Option(name: .customShort("r"),
            help: ArgumentHelp("Write the PKCS#10 certificate request (PEM) to this file.", valueName: "REQFILE"))
    var requestFile: String?

    @Flag(name: .customLong("noreq", withSingleDash: true), help: "Do not create a certificate request.")
    var noRequest = false

    @Option(name: .customShort("s"), help: ArgumentHelp("RSA key size: 2048 (default), 3072 or 4096.", valueName: "BITS"))
    var keySize: Int?

    @Option(name: .customShort("a"),
            help: ArgumentHelp("Signature algorithm: sha256WithRsaEncryption (default), sha384…, sha512…, sha1… (weak), RSA, or RSA:SIZE:HASH such as RSA:2048:SHA512; DSA and ECDSA are refused.",
                               valueName: "ALG"))
    var algorithm: String?

    @Option(name: .customShort("k"),
            help: ArgumentHelp("Subject alternative name: GN-dNSName:, GN-iPAddress:, GN-rfc822Name: or GN-uniformResourceIdentifier: (repeatable).",
                               valueName: "GN-TYPE:VALUE"))
    var alternativeNames: [String] = []

    @Option(name: .customLong("days"),
            help: ArgumentHelp("Validity of the self-signed certificate in days (default 365, as sapgenpse's certificates).", valueName: "N"))
    var days: Int = SelfSignedCertificateBuilder.defaultValidityDays

    @Flag(name: .customLong("onlyreq", withSingleDash: true),
          help: "Only make a new certificate request for the PSE's existing key (its own name unless DN is given); the PSE is not changed.")
    var onlyRequest = false

    @Flag(name: .customLong("force"), help: "Replace an existing PSE file, even a read-only one (psekit extension; sapgenpse refuses). The new file is 0600, owned by the user running psekit.")
    var force = false

    @Flag(name: .customShort("v"), help: "Say what is being done.")
    var verbose = false

    @Flag(help: "Print what was created as JSON.")
    var json = false

    @Argument(help: ArgumentHelp("Distinguished name of the PSE owner, e.g. \"CN=host.example.com, O=Example, C=DE\"; asked for when missing.",
                                 valueName: "DN"))
    var distinguishedName: String?

    func validate() throws {
        if let keySize, !SignatureAlgorithmChoice.supportedKeySizes.contains(keySize) {
            throw ValidationError("-s \(keySize): use 2048, 3072 or 4096")
        }
        if noRequest && requestFile != nil {
            throw ValidationError("-noreq and -r exclude each other")
        }
    }

    struct Report: Encodable {
        var file: String
        var layout: String
        var subject: String
        var alternativeNames: [String]
        var keySize: Int
        var signatureAlgorithm: String
        var certificate: CertificateSummary
        var requestFile: String?
        var request: String?
    }

    /// What `gen_pse` makes, all checked before a key is generated or a PIN asked for.
    private struct Plan {
        var choice: SignatureAlgorithmChoice
        var bits: Int
        var names: [GeneralName]
        var subject: DistinguishedName
        var pin: String
    }

    /// The key, its self-signed certificate and (unless -noreq) the request.
    private struct Made {
        var key: _RSA.Signing.PrivateKey
        var certificate: Certificate
        var request: CertificateSigningRequest?
        var requestPEM: String?
    }

    func run() throws {
        if onlyRequest { return try runOnlyRequest() }
        let path = options.path
        if !force && StoredPSE.exists(path) {
            throw CLIError("\(path): already exists; nothing was changed",
                           hint: "Remove it first, choose another name, or add --force to replace it.")
        }
        let plan = try makePlan()
        let made = try generate(plan)

        let algorithm = PSEEncryptionAlgorithm.random()
        var content = try PSEContent(algorithm: algorithm)
        try content.setIdentity(privateKey: made.key, certificate: made.certificate, chain: [])
        let file = PSEFile(version: 2, algorithm: algorithm, content: content)
        var changes = ChangeReport(check: checkOption.check)
        try changes.createPSE(file, at: path, pin: plan.pin, overwrite: force)
        if let requestPEM = made.requestPEM, let requestFile, !checkOption.check {
            try AtomicFile.write(Array(requestPEM.utf8), to: requestFile, newFileMode: 0o644)
        }
        try report(plan, made, layout: plan.pin.isEmpty ? .v2Plain : .v2Encrypted, changes: changes)
    }

    private func makePlan() throws -> Plan {
        let choice = try algorithm.map { try SignatureAlgorithmChoice.parse($0) } ?? .default
        if let size = choice.keySize, let keySize, size != keySize {
            throw CLIError("-a \(algorithm!) asks for a \(size)-bit key but -s asks for \(keySize) bits")
        }
        let names = try alternativeNames.map { try SubjectAlternativeNameSpec.parse($0) }
        let dnText = try distinguishedName ?? SecretReader.readLine(prompt: "Distinguished name of PSE owner: ")
        let subject = try SAPDistinguishedName.parse(dnText)
        if choice.isWeak {
            Console.warning("\(choice) signatures are weak: browsers and current TLS stacks refuse SHA-1 certificates. Prefer sha256WithRsaEncryption.")
        }
        let pin = try options.pinOptions.pinForCreating(check: checkOption.check)
        return Plan(choice: choice, bits: choice.keySize ?? keySize ?? 2048, names: names, subject: subject, pin: pin)
    }

    private func generate(_ plan: Plan) throws -> Made {
        if verbose { Console.note("Generating a \(plan.bits)-bit RSA key...") }
        let key = try progressOptions.whileRunning("Generating a \(plan.bits)-bit RSA key") {
            try _RSA.Signing.PrivateKey(keySize: .init(bitCount: plan.bits))
        }
        let certificate = try SelfSignedCertificateBuilder.make(
            privateKey: key, subject: plan.subject, alternativeNames: plan.names, signatureAlgorithm: plan.choice, days: days)
        let request = noRequest ? nil
            : try CertificateRequestBuilder.make(privateKey: key, subject: plan.subject, alternativeNames: plan.names,
                                                 signatureAlgorithm: plan.choice)
        return Made(key: key, certificate: certificate, request: request,
                    requestPEM: try request.map { try CertificateRequestBuilder.pem($0) })
    }

    private func report(_ plan: Plan, _ made: Made, layout: PSEFile.Layout, changes: ChangeReport) throws {
        let path = options.path
        if json {
            try Console.printJSON(ReportWithChanges(report: Report(
                file: path, layout: layout.rawValue, subject: SAPDistinguishedName.format(plan.subject),
                alternativeNames: alternativeNames, keySize: plan.bits, signatureAlgorithm: plan.choice.description,
                certificate: CertificateSummary(made.certificate), requestFile: requestFile, request: made.requestPEM), changes: changes))
            return
        }
        if checkOption.check { return changes.printCheckSummary() }
        print("Created PSE \(path) (\(layout.rawValue)) for \(TerminalText.escaped(SAPDistinguishedName.format(plan.subject))): "
              + "RSA \(plan.bits)-bit, \(plan.choice), self-signed, valid until \(CertificateSummary.sapTime(made.certificate.notValidAfter)).")
        if let request = made.request, let requestPEM = made.requestPEM {
            if let requestFile { print("Certificate request written to \(requestFile); send it to your CA, then install the answer with: psekit import_own_cert -p \(options.pse) -c RESPONSE") }
            print("Certificate request:")
            print("  Subject            : \(TerminalText.escaped(SAPDistinguishedName.format(request.subject)))")
            print("  Key                : RSA, \(plan.bits)-bit")
            print("  Signature algorithm: \(plan.choice)")
            for name in alternativeNames { print("  Alternative name   : \(name)") }
            print(requestPEM, terminator: "")
        }
    }
}
