import Crypto
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
import PSELegacyCrypto
import PSEStore
import SwiftASN1
import X509

/// The parsers psekit exposes to hostile input, one fuzz target each. A target feeds bytes to a
/// parser, uses what comes out the way a command would, and stops the process (a finding) only
/// when a property that must hold for every input does not: thrown errors are the expected
/// outcome for most inputs and are ignored.
enum FuzzTarget: String, CaseIterable {
    /// `PSEFile.layout(of:)` and `PSEFile.decode(_:pin: nil)`, then every content accessor and a
    /// round trip through `encoded(pin: nil)`.
    case psePlain = "pse-plain"
    /// `PSEFile.decode(_:pin:)` with a PIN. The first input byte chooses: even, the rest is a whole
    /// PSE file decoded with the vectors' PIN (container, key derivation, decryption); odd, the
    /// rest is the plaintext content, encrypted here into a v2 or v4 container with one iteration
    /// so that the fuzzer reaches the content parser through the decryption path quickly.
    case psePIN = "pse-pin"
    /// `PKCS12.parse(_:password:)` with the password the seeds use.
    case pkcs12 = "pkcs12"
    /// `CertificateBundle.parse(_:)`: PEM, DER, Base64, PKCS#7 (DER, BER, PEM).
    case certificateBundle = "certificate-bundle"
    /// `CredentialsFile(derEncoded:)`, lookups and decryption for a user, and a round trip.
    case credentials = "cred-v2"
    /// `SAPDistinguishedName.parse(_:)` on the input as UTF-8 text; what is formatted must parse
    /// again and format the same.
    case sapName = "sap-dn"
    /// `CertificateArchive.entries(inZip:)` and `CertificateFileReader.certificates(in:fileName:)`.
    case zip = "zip"

    /// The PIN of SAP's PIN-protected PSE files (pysap 0.2.1's test data, scripts/fetch-sap-testdata).
    static let vectorPIN = "1234567980"
    /// The password of the PKCS#12 seeds in fuzz/corpus/pkcs12.
    static let pkcs12Password = "fuzz"

    func run(_ bytes: [UInt8]) {
        switch self {
        case .psePlain: Self.decodePSE(bytes, pin: nil)
        case .psePIN: Self.decodePSEWithPIN(bytes)
        case .pkcs12: Self.parsePKCS12(bytes)
        case .certificateBundle: Self.parseBundle(bytes)
        case .credentials: Self.parseCredentials(bytes)
        case .sapName: Self.parseSAPName(bytes)
        case .zip: Self.readZip(bytes)
        }
    }

    /// Stops the process with a message: a property that must hold for every input did not.
    static func finding(_ message: String) -> Never {
        // abort() rather than fatalError: libFuzzer reports SIGABRT as a crash and saves the input,
        // without the Swift runtime's backtracer running under AddressSanitizer.
        StandardStreams.writeError("psekit fuzz finding: \(message)\n")
        abort()
    }

    // MARK: PSE

    static func decodePSE(_ bytes: [UInt8], pin: String?) {
        _ = try? PSEFile.layout(of: bytes)
        guard var file = try? PSEFile.decode(bytes, pin: pin) else { return }
        useContent(file.content)
        // What psekit reads it must be able to write and read back, with the same objects. (With
        // one iteration: the count read from the file costs time and is not what this checks.)
        if pin != nil { file.algorithm = PSEEncryptionAlgorithm(salt: file.algorithm.salt, iterations: 1) }
        let encoded: [UInt8]
        do { encoded = try file.encoded(pin: pin) } catch { finding("a decoded PSE does not encode: \(error)") }
        do {
            let again = try PSEFile.decode(encoded, pin: pin)
            guard try sortedDER(again.content.objects) == sortedDER(file.content.objects) else {
                finding("a re-encoded PSE has other objects than the one it was written from")
            }
        } catch {
            finding("a re-encoded PSE does not decode: \(error)")
        }
    }

    static func sortedDER(_ objects: [PSEObject]) throws -> [[UInt8]] {
        try objects.map { object in
            var coder = DER.Serializer()
            try coder.serialize(object)
            return coder.serializedBytes
        }.sorted { $0.lexicographicallyPrecedes($1) }
    }

    static func useContent(_ content: PSEContent) {
        _ = try? content.ownCertificate()
        _ = try? content.privateKey()
        _ = try? content.trustedCertificates()
        for unreadable in (try? content.unreadableTrustedCertificates()) ?? [] {
            _ = try? CertificateOutline(derEncoded: DER.parse(PSEKitFuzzDER.encode(unreadable)))
        }
        _ = try? content.rootCertificate()
        _ = try? content.certificationPath()
        for object in content.objects {
            _ = PSEObjectType.sapName(of: object.type)
            _ = try? object.valueDER
        }
    }

    static func decodePSEWithPIN(_ bytes: [UInt8]) {
        guard let mode = bytes.first else { return }
        let rest = Array(bytes.dropFirst())
        if mode & 1 == 0 {
            // Each iteration of the key derivation is time the fuzzer does not spend elsewhere;
            // counts above sapgenpse's are refused or merely slower (PSEEncryptionAlgorithm's limit
            // is tested in RobustnessTests), so such files are left to the plain target.
            if let iterations = containerIterations(rest), iterations > PSEEncryptionAlgorithm.defaultIterations { return }
            decodePSE(rest, pin: vectorPIN)
            return
        }
        // Encrypt the rest as the content of a PSE with one iteration, then decode it.
        let algorithm = PSEEncryptionAlgorithm(salt: [1, 2, 3, 4, 5, 6, 7, 8], iterations: 1)
        guard let (key, iv) = try? algorithm.keyAndIV(pin: vectorPIN),
              let ciphertext = try? TripleDESCBC.encrypt(rest, key: key, iv: iv),
              let encryptedPIN = try? TripleDESCBC.encrypt(Array(vectorPIN.utf8), key: key, iv: iv) else {
            finding("encryption with a valid key failed")
        }
        var coder = DER.Serializer()
        do {
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                if mode & 2 == 0 {
                    try coder.serialize(2)
                    try coder.serialize(V2EncryptedBody(encryptedPIN: encryptedPIN, algorithm: algorithm, encryptedContent: ciphertext))
                } else {
                    try coder.serialize(4)
                    try coder.serialize(V4Container(encrypted: 1, algorithm: algorithm, content: ciphertext,
                                                    contentHash: Array(Insecure.SHA1.hash(data: rest))))
                }
            }
        } catch {
            finding("a PSE container does not serialise: \(error)")
        }
        decodePSE(coder.serializedBytes, pin: vectorPIN)
    }

    /// The iteration count of an encrypted PSE container, when the bytes have one.
    static func containerIterations(_ bytes: [UInt8]) -> Int? {
        guard let root = try? DER.parse(bytes), case .constructed(let nodes) = root.content else { return nil }
        var iterator = nodes.makeIterator()
        _ = iterator.next()
        guard let body = iterator.next() else { return nil }
        if let v2 = try? V2EncryptedBody(derEncoded: body) { return v2.algorithm.iterations }
        if let v4 = try? V4Container(derEncoded: body) { return v4.algorithm.iterations }
        return nil
    }

    // MARK: PKCS#12

    static func parsePKCS12(_ bytes: [UInt8]) {
        guard let bundle = try? PKCS12.parse(bytes, password: pkcs12Password) else { return }
        _ = bundle.certificate.map { SAPDistinguishedName.format($0.subject) }
        _ = bundle.chain.map { SAPDistinguishedName.format($0.subject) }
        _ = bundle.privateKey.map { $0.keyType }
    }

    // MARK: Certificates

    static func parseBundle(_ bytes: [UInt8]) {
        guard let certificates = try? CertificateBundle.parse(bytes) else { return }
        useCertificates(certificates)
        // What psekit writes as PKCS#7 and PEM it must read back, with the same certificates.
        guard (try? CertificateBundle.parse(CertificateBundle.pkcs7(certificates))) == certificates else {
            finding("a PKCS#7 bundle psekit wrote does not read back the same")
        }
        guard (try? CertificateBundle.parse(Array(CertificateBundle.pem(certificates).utf8))) == certificates else {
            finding("a PEM bundle psekit wrote does not read back the same")
        }
    }

    static func useCertificates(_ certificates: [Certificate]) {
        for certificate in certificates {
            _ = SAPDistinguishedName.format(certificate.subject)
            _ = SAPDistinguishedName.format(certificate.issuer)
            _ = certificate.notValidAfter
            // Every certificate swift-certificates reads must have an outline with the same names.
            do {
                let outline = try CertificateOutline(derEncoded: DER.parse(CertificateBundle.derBytes(of: certificate)))
                guard outline.subject == certificate.subject, outline.issuer == certificate.issuer else {
                    finding("a certificate's outline has other names than the certificate")
                }
            } catch {
                finding("a certificate swift-certificates reads has no outline: \(error)")
            }
        }
    }

    static func readZip(_ bytes: [UInt8]) {
        // Every input reaches CertificateArchive: its ZipDirectory check keeps ZIPFoundation from
        // the positions past the end and the unterminated deflate streams it traps or spins on.
        if let entries = try? CertificateArchive.entries(inZip: bytes) {
            for entry in entries { useCertificates(entry.certificates) }
        }
        _ = try? CertificateFileReader.certificates(in: bytes, fileName: "fuzz.zip")
    }

    // MARK: cred_v2

    static func parseCredentials(_ bytes: [UInt8]) {
        guard let file = try? CredentialsFile(derEncoded: bytes) else { return }
        for credential in file.credentials {
            _ = credential.subject
            _ = credential.protection.description
            _ = credential.cipherDescription
            _ = try? credential.decrypt(forUser: "fuzz")
            if let path = credential.psePath { _ = try? file.secret(forPSEAt: path, user: "fuzz") }
        }
        let encoded: [UInt8]
        do { encoded = try file.serializedBytes() } catch { finding("a decoded cred_v2 does not encode: \(error)") }
        guard (try? CredentialsFile(derEncoded: encoded)) == file else {
            finding("a cred_v2 psekit wrote does not read back the same")
        }
    }

    // MARK: SAP names

    static func parseSAPName(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let name = try? SAPDistinguishedName.parse(text) else { return }
        let formatted = SAPDistinguishedName.format(name)
        // What psekit prints as a name it must accept as input, meaning the same name. (The
        // encoding may differ: `CN=#0C03616263` is a UTF8String, `CN=abc` a PrintableString.)
        guard let again = try? SAPDistinguishedName.parse(formatted) else {
            finding("the formatted name \(formatted.debugDescription) does not parse")
        }
        let formattedAgain = SAPDistinguishedName.format(again)
        guard formattedAgain != formatted else { return }
        // A multi-valued RDN is a DER SET OF, ordered by encoding: a value whose string type the
        // parser does not recreate (a T61String read from a certificate becomes a UTF8String) may
        // move inside it. After one round trip every encoding is the parser's own, so the next
        // round trip must be exact.
        guard let third = try? SAPDistinguishedName.parse(formattedAgain),
              SAPDistinguishedName.format(third) == formattedAgain else {
            finding("the formatted name \(formatted.debugDescription) formats as \(formattedAgain.debugDescription) when parsed again, and that does not round-trip")
        }
    }
}

enum PSEKitFuzzDER {
    static func encode(_ value: ASN1Any) throws -> [UInt8] {
        var coder = DER.Serializer()
        try coder.serialize(value)
        return coder.serializedBytes
    }
}
