import ArgumentParser
import CryptoExtras
import Foundation
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

    func run() throws {
        if onlyRequest { return try runOnlyRequest() }
        let path = options.path
        if !force && StoredPSE.exists(path) {
            throw CLIError("\(path): already exists; nothing was changed",
                           hint: "Remove it first, choose another name, or add --force to replace it.")
        }

        // What to build, all checked before a key is generated or a PIN asked for.
        let choice = try algorithm.map { try SignatureAlgorithmChoice.parse($0) } ?? .default
        if let size = choice.keySize, let keySize, size != keySize {
            throw CLIError("-a \(algorithm!) asks for a \(size)-bit key but -s asks for \(keySize) bits")
        }
        let bits = choice.keySize ?? keySize ?? 2048
        let names = try alternativeNames.map { try SubjectAlternativeNameSpec.parse($0) }
        let dnText = try distinguishedName ?? SecretReader.readLine(prompt: "Distinguished name of PSE owner: ")
        let subject = try SAPDistinguishedName.parse(dnText)
        if choice.isWeak {
            Console.warning("\(choice) signatures are weak: browsers and current TLS stacks refuse SHA-1 certificates. Prefer sha256WithRsaEncryption.")
        }
        let pin = try options.pinOptions.pinForCreating(check: checkOption.check)

        if verbose { Console.note("Generating a \(bits)-bit RSA key...") }
        let key = try progressOptions.whileRunning("Generating a \(bits)-bit RSA key") {
            try _RSA.Signing.PrivateKey(keySize: .init(bitCount: bits))
        }
        let certificate = try SelfSignedCertificateBuilder.make(
            privateKey: key, subject: subject, alternativeNames: names, signatureAlgorithm: choice, days: days)
        let request = noRequest ? nil
            : try CertificateRequestBuilder.make(privateKey: key, subject: subject, alternativeNames: names, signatureAlgorithm: choice)

        let algorithm = PSEEncryptionAlgorithm.random()
        var content = try PSEContent(algorithm: algorithm)
        try content.setIdentity(privateKey: key, certificate: certificate, chain: [])
        let file = PSEFile(version: 2, algorithm: algorithm, content: content)
        var changes = ChangeReport(check: checkOption.check)
        try changes.createPSE(file, at: path, pin: pin, overwrite: force)
        let layout: PSEFile.Layout = pin.isEmpty ? .v2Plain : .v2Encrypted

        var requestPEM: String?
        if let request {
            let pem = try CertificateRequestBuilder.pem(request)
            requestPEM = pem
            if let requestFile, !checkOption.check {
                try AtomicFile.write(Array(pem.utf8), to: requestFile, newFileMode: 0o644)
            }
        }

        if json {
            try Console.printJSON(ReportWithChanges(report: Report(
                file: path, layout: layout.rawValue, subject: SAPDistinguishedName.format(subject),
                alternativeNames: alternativeNames, keySize: bits, signatureAlgorithm: choice.description,
                certificate: CertificateSummary(certificate), requestFile: requestFile, request: requestPEM), changes: changes))
            return
        }
        if checkOption.check { return changes.printCheckSummary() }
        print("Created PSE \(path) (\(layout.rawValue)) for \(TerminalText.escaped(SAPDistinguishedName.format(subject))): "
              + "RSA \(bits)-bit, \(choice), self-signed, valid until \(CertificateSummary.sapTime(certificate.notValidAfter)).")
        if let request, let requestPEM {
            if let requestFile { print("Certificate request written to \(requestFile); send it to your CA, then install the answer with: psekit import_own_cert -p \(options.pse) -c RESPONSE") }
            print("Certificate request:")
            print("  Subject            : \(TerminalText.escaped(SAPDistinguishedName.format(request.subject)))")
            print("  Key                : RSA, \(bits)-bit")
            print("  Signature algorithm: \(choice)")
            for name in alternativeNames { print("  Alternative name   : \(name)") }
            print(requestPEM, terminator: "")
        }
    }
}

struct GenPSE: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gen_pse",
        abstract: "Create a PSE with a new RSA key and a self-signed certificate, and a certificate request.",
        discussion: """
        Generates an RSA key (2048 bits unless -s or -a RSA:SIZE:HASH say otherwise), a \
        self-signed certificate valid for --days (365 by default, as sapgenpse's), and a PSE \
        holding the key (SKnew), the certificate (Cert), the root (PKRoot) and the trusted list \
        (CertList) with the own certificate, as SAP's tools write them. The distinguished name \
        is in SAP's syntax, first attribute printed first (LDAP order). Unless -noreq is given, \
        a PKCS#10 request for a CA is shown, and written to REQFILE with -r. An empty PIN \
        (-x "" or Enter at the prompt) creates a PSE without PIN.

        Examples:
          psekit gen_pse -x "" -p client.pse -noreq "CN=COMPUTER.theobald.local, C=DE, S=BW, O=TS, OU=DEV"
          psekit gen_pse -p SAPSSLS.pse -r SAPSSLS.req -s 4096 -k GN-dNSName:host.example.com "CN=host.example.com, O=Example, C=DE"
          psekit gen_pse -p SAPSSLS.pse -a RSA:2048:SHA512 -x "" -noreq "CN=host.example.com, O=Example, C=DE"
          psekit get_pse -onlyreq -p SAPSSLS.pse -r renew.req

        get_pse is sapgenpse's other name for this command.
        """,
        aliases: ["get_pse"]
    )

    @OptionGroup var arguments: GenPSEArguments

    func run() throws { try arguments.run() }
}
