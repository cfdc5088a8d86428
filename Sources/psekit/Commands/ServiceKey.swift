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

struct ServiceKey: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service-key",
        abstract: "Print the SAP BTP service-key parameters for a client certificate (Cloud Integration).",
        discussion: """
        Takes the certificate from a certificate file (PEM, DER, Base64, PKCS#7), the own \
        certificate of a PSE, or the certificate of a PKCS#12 file (.pfx/.p12, password with \
        -z), and prints the JSON to \
        paste into a service key of type certificate_external, the certificate on one line. \
        With --instance it prints the parameters for the service instance instead. \
        The output is always JSON (--json is accepted for uniformity). From a bundle of \
        several certificates (a chain .p7b, in any order) the end-entity certificate is taken: \
        not a CA, and not the issuer of another certificate of the bundle; a bundle of CA \
        certificates only is refused.

        Examples:
          psekit service-key client.pse -x secret > key.json
          psekit service-key client.crt --validity 365
          psekit service-key client.p7b
          psekit service-key client.pfx -z secret
          psekit service-key --instance --role ESBMessaging.send --role MyRole
        """
    )

    @Argument(help: ArgumentHelp("A certificate file, a PSE or a PKCS#12 file (not needed with --instance).", valueName: "CERT|PSE|PFX"))
    var input: String?

    @OptionGroup var pinOptions: PINOptions

    @Option(name: .customShort("z"), help: ArgumentHelp("The password of a PKCS#12 file.", valueName: "PASSWORD"))
    var password: String?

    @Option(help: ArgumentHelp("Add \"validity\": N (days).", valueName: "N"))
    var validity: Int?

    @Option(name: .customLong("key-length"), help: ArgumentHelp("Add \"key-length\": N (bits).", valueName: "N"))
    var keyLength: Int?

    @Flag(help: "Print the service-instance parameters (grant type client_x509 and the roles) instead.")
    var instance = false

    @Option(name: .customLong("role"), help: ArgumentHelp("A role for --instance (repeatable; default ESBMessaging.send).", valueName: "ROLE"))
    var roles: [String] = []

    @Flag(name: .customShort("v"), help: "Say which certificate was used (on standard error).")
    var verbose = false

    @Flag(help: "Print JSON (the output is always JSON).")
    var json = false

    func validate() throws {
        if !instance && input == nil { throw ValidationError("give a certificate, PSE or PKCS#12 file, or --instance") }
        if instance && input != nil { throw ValidationError("--instance takes no file") }
        if !roles.isEmpty && !instance { throw ValidationError("--role goes with --instance") }
        if let validity, validity <= 0 { throw ValidationError("--validity must be a positive number of days") }
        if let keyLength, keyLength <= 0 { throw ValidationError("--key-length must be a positive number of bits") }
        if instance && (validity != nil || keyLength != nil) {
            throw ValidationError("--validity and --key-length go with a service key, not --instance")
        }
    }

    /// The parameters of a service key of type certificate_external.
    struct KeyParameters: Encodable {
        var keyType = "certificate_external"
        var certificate: String
        var validity: Int?
        var keyLength: Int?

        enum CodingKeys: String, CodingKey {
            case keyType = "key-type", certificate = "X.509", validity, keyLength = "key-length"
        }
    }

    /// The parameters of a service instance that accepts client certificates.
    struct InstanceParameters: Encodable {
        var grantTypes = ["client_x509"]
        var redirectURIs: [String] = []
        var roles: [String]

        enum CodingKeys: String, CodingKey {
            case grantTypes = "grant-types", redirectURIs = "redirect-uris", roles
        }
    }

    func run() throws {
        if instance {
            try Self.printJSON(InstanceParameters(roles: roles.isEmpty ? ["ESBMessaging.send"] : roles))
            return
        }
        guard let input else { return }
        let certificate = try Self.certificate(from: input, pinOptions: pinOptions, password: password)
        if verbose {
            Console.note("Certificate: \(SAPDistinguishedName.format(certificate.subject)), "
                + "valid until \(CertificateSummary.sapTime(certificate.notValidAfter))")
        }
        if certificate.notValidAfter < Date() {
            Console.warning("the certificate expired on \(CertificateSummary.sapTime(certificate.notValidAfter)).")
        }
        try Self.printJSON(KeyParameters(certificate: Self.oneLinePEM(certificate), validity: validity, keyLength: keyLength))
    }

    /// Pretty JSON with sorted keys, an empty array written `[]` (Foundation on Linux breaks it
    /// over two lines; JSON strings hold no raw line feed, so the replacement touches no value).
    static func printJSON<Value: Encodable>(_ value: Value) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let text = String(decoding: try encoder.encode(value), as: UTF8.self)
        print(text.replacing(#/\[\n\s*\]/#, with: "[]"))
    }

    /// The certificate as PEM on one line: the armour lines around Base64 without line breaks.
    static func oneLinePEM(_ certificate: Certificate) -> String {
        "-----BEGIN CERTIFICATE-----" + Data(CertificateBundle.derBytes(of: certificate)).base64EncodedString()
            + "-----END CERTIFICATE-----"
    }

    /// The end-entity certificate of a bundle: not a CA (basic constraints), and not named as
    /// issuer by another certificate of the bundle. A bundle of CAs only is refused.
    static func endEntity(of certificates: [Certificate], path: String) throws -> Certificate {
        if certificates.count == 1 { return certificates[0] }
        let candidates = certificates.filter { certificate in
            if case .isCertificateAuthority = (try? certificate.extensions.basicConstraints) ?? .notCertificateAuthority { return false }
            return !certificates.contains { $0 != certificate && $0.issuer == certificate.subject && $0.subject != certificate.subject }
        }
        guard let chosen = candidates.first else {
            throw CLIError("\(path): holds \(certificates.count) certificates, all of them CAs; a service key needs the client (end-entity) certificate",
                           hint: "Give the file with the client certificate itself, or the PSE or PKCS#12 file that holds it.")
        }
        if candidates.count > 1 {
            throw CLIError("\(path): holds \(candidates.count) end-entity certificates (\(candidates.map { SAPDistinguishedName.format($0.subject) }.joined(separator: "; ")))",
                           hint: "Give a file with only the client certificate and its chain.")
        }
        return chosen
    }

    /// The certificate of `path`: the own certificate of a PSE, the key's certificate of a PKCS#12
    /// file, or the end-entity certificate of a certificate file.
    static func certificate(from path: String, pinOptions: PINOptions, password given: String? = nil) throws -> Certificate {
        let bytes = try StoredPSE.readBytes(at: path)
        let fileExtension = URL(fileURLWithPath: path).pathExtension.lowercased()
        let looksLikePKCS12 = ["pfx", "p12"].contains(fileExtension)

        if !looksLikePKCS12, (try? PSEFile.layout(of: bytes)) != nil {
            let stored = try StoredPSE.open(at: path) { _ in try pinOptions.pinForOpening(path: path).pin }
            return try stored.requiredOwnCertificate()
        }
        if !looksLikePKCS12, let certificates = try? CertificateFileReader.certificates(in: bytes, fileName: path),
           !certificates.isEmpty {
            return try endEntity(of: certificates, path: path)
        }
        guard bytes.first == 0x30 else {
            throw CLIError("\(path): neither a certificate, a PSE nor a PKCS#12 file")
        }
        let password: String
        if let given { password = given } else if let explicit = try pinOptions.explicitPIN() {
            password = explicit.pin
        } else {
            do {
                password = try SecretReader.read(prompt: "Please enter the PKCS#12 password: ")
            } catch let error as PSEStoreError where error.code.family == .secret {
                throw CLIError("\(path): no PKCS#12 password given", hint: "Give it with -z PASSWORD (-z \"\" for none).")
            }
        }
        let bundle: PKCS12Bundle
        do {
            bundle = try PKCS12.parse(bytes, password: password)
        } catch let error as PSEKitError where error.code.family == .pkcs12 {
            if looksLikePKCS12 || error.code == .wrongPassword {
                throw CLIError("\(path): \(ErrorText.of(error))")
            }
            throw CLIError("\(path): neither a certificate, a PSE nor a PKCS#12 file (\(ErrorText.of(error)))")
        }
        guard let certificate = bundle.certificate ?? bundle.chain.first else {
            throw CLIError("\(path): the PKCS#12 file holds no certificate")
        }
        return certificate
    }
}
