import Crypto
import CryptoExtras
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SwiftASN1
import X509

/// A private key as the DER of a PKCS#8 `PrivateKeyInfo`, with what kind of key it is.
///
/// RSA keys convert to `_RSA.Signing.PrivateKey`; a PSE as psekit writes it holds RSA keys only,
/// but PKCS#12 files may carry EC, DSA or EdDSA keys, which are kept as they are.
public struct PKCS8PrivateKey: Hashable, Sendable {
    /// The key algorithm named by `privateKeyAlgorithm`.
    public enum KeyType: Hashable, Sendable, CustomStringConvertible {
        case rsa, ec, dsa, ed25519
        case other(String)

        public var description: String {
            switch self {
            case .rsa: return "RSA"
            case .ec: return "EC"
            case .dsa: return "DSA"
            case .ed25519: return "Ed25519"
            case .other(let oid): return "algorithm \(oid)"
            }
        }
    }

    /// The DER of the `PrivateKeyInfo`.
    public let derRepresentation: [UInt8]
    /// The object identifier of the key algorithm (e.g. 1.2.840.113549.1.1.1 for rsaEncryption).
    public let algorithm: ASN1ObjectIdentifier
    public let keyType: KeyType
    /// The content of the `privateKey` OCTET STRING (for RSA: the DER of a PKCS#1 RSAPrivateKey).
    let privateKeyBytes: [UInt8]

    /// Reads the DER of a `PrivateKeyInfo`.
    public init(derRepresentation: [UInt8]) throws {
        let info = try PKCS12Encoding.parse(derRepresentation, as: PrivateKeyInfo.self, "PrivateKeyInfo")
        self.init(info: info, derRepresentation: try PKCS12Encoding.derBytes(info))
    }

    init(info: PrivateKeyInfo, derRepresentation: [UInt8]) {
        self.derRepresentation = derRepresentation
        self.algorithm = info.privateKeyAlgorithm.algorithm
        self.privateKeyBytes = info.privateKey
        switch info.privateKeyAlgorithm.algorithm {
        case ASN1ObjectIdentifier.AlgorithmIdentifier.rsaEncryption: keyType = .rsa
        case ASN1ObjectIdentifier.AlgorithmIdentifier.idEcPublicKey: keyType = .ec
        case PKCS12ObjectIdentifier.dsa: keyType = .dsa
        case PKCS12ObjectIdentifier.ed25519: keyType = .ed25519
        default: keyType = .other("\(info.privateKeyAlgorithm.algorithm)")
        }
    }

    /// Wraps a PKCS#1 `RSAPrivateKey` (DER) as a PKCS#8 key with `rsaEncryption`.
    public init(pkcs1RSAPrivateKey der: [UInt8]) throws {
        _ = try PKCS1RSAPrivateKey(derRepresentation: der)   // validate
        let info = PrivateKeyInfo(privateKeyAlgorithm: .withNullParameters(ASN1ObjectIdentifier.AlgorithmIdentifier.rsaEncryption),
                                  privateKey: der)
        self.init(info: info, derRepresentation: try PKCS12Encoding.derBytes(info))
    }

    /// The PKCS#8 form of an RSA key.
    public init(rsaKey: _RSA.Signing.PrivateKey) throws {
        try self.init(derRepresentation: Array(rsaKey.pkcs8DERRepresentation))
    }

    public var isRSA: Bool { keyType == .rsa }

    /// The PKCS#1 structure of an RSA key (modulus, exponents, primes).
    package func pkcs1RSAPrivateKey() throws -> PKCS1RSAPrivateKey {
        guard keyType == .rsa else { throw PSEKitError.unsupportedAlgorithm("\(keyType) key where RSA is required") }
        return try PKCS1RSAPrivateKey(derRepresentation: privateKeyBytes)
    }

    /// The key for swift-crypto. Keys of 1024 to 2047 bits are accepted too (old PSEs have them).
    public func rsaPrivateKey() throws -> _RSA.Signing.PrivateKey {
        let pkcs1 = try pkcs1RSAPrivateKey()
        do {
            if pkcs1.modulus.count * 8 >= 2048 {
                return try _RSA.Signing.PrivateKey(derRepresentation: derRepresentation)
            }
            return try _RSA.Signing.PrivateKey(unsafeDERRepresentation: derRepresentation)
        } catch {
            throw PSEKitError.malformedPKCS12("the RSA key is not usable (\(pkcs1.modulus.count * 8) bits)")
        }
    }

    /// Whether `certificate` carries the public half of this key. RSA keys compare the modulus and
    /// exponent; EC and Ed25519 keys compare the derived public key.
    public func matches(_ certificate: Certificate) -> Bool {
        switch keyType {
        case .rsa:
            guard let pkcs1 = try? pkcs1RSAPrivateKey(),
                  let publicKey = _RSA.Signing.PublicKey(certificate.publicKey),
                  let primitives = try? publicKey.getKeyPrimitives() else { return false }
            return Array(primitives.modulus.drop { $0 == 0 }) == pkcs1.modulus
                && Array(primitives.publicExponent.drop { $0 == 0 }) == pkcs1.publicExponent
        case .ec, .ed25519:
            guard let key = try? Certificate.PrivateKey(derBytes: derRepresentation) else { return false }
            return key.publicKey == certificate.publicKey
        case .dsa, .other:
            return false
        }
    }

    /// PEM with the label "PRIVATE KEY".
    public var pemRepresentation: String {
        PEMDocument(type: "PRIVATE KEY", derBytes: derRepresentation).pemString
    }

    /// PEM with the label "ENCRYPTED PRIVATE KEY" (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC by default).
    public func encryptedPEMRepresentation(password: String, scheme: PasswordBasedEncryptionScheme = .pbes2AES256CBC,
                                           iterations: Int = 2048) throws -> String {
        let encrypted = try EncryptedPrivateKeyInfo(encrypting: self, password: password, scheme: scheme, iterations: iterations)
        return PEMDocument(type: "ENCRYPTED PRIVATE KEY", derBytes: try encrypted.derRepresentation).pemString
    }

    /// Reads a private key from PEM ("PRIVATE KEY", "ENCRYPTED PRIVATE KEY", plain "RSA PRIVATE KEY")
    /// or DER (PrivateKeyInfo, EncryptedPrivateKeyInfo, PKCS#1 RSAPrivateKey). Other PEM blocks in
    /// the same text (certificates) are skipped. An encrypted key needs `password`.
    public static func parse(pemOrDER bytes: [UInt8], password: String?) throws -> PKCS8PrivateKey {
        if PEMScanner.firstIndex(of: PEMScanner.beginPrefix, in: bytes[...], from: bytes.startIndex) != nil {
            return try parsePEM(bytes, password: password)
        }
        return try parseDER(bytes, password: password)
    }

    /// The first key block of PEM text, read by psekit's one PEM reader (``PEMReader``).
    private static func parsePEM(_ bytes: [UInt8], password: String?) throws -> PKCS8PrivateKey {
        var key: PKCS8PrivateKey?
        var scanner = PEMScanner()
        do {
            try PEMReader.forEachBlock(in: bytes[...], scanner: &scanner) { label, body in
                guard key == nil else { return }
                switch label {
                case "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY":
                    guard !PEMReader.hasHeaders(body) else {
                        throw PSEKitError.unsupportedPEM(
                            "a legacy encrypted PEM key (Proc-Type/DEK-Info); convert it with: openssl pkcs8 -topk8")
                    }
                    guard let der = PEMReader.decodeBase64(pemBody: body) else {
                        throw PSEKitError.unsupportedPEM("the Base64 text of the \(label) block does not decode")
                    }
                    switch label {
                    case "PRIVATE KEY":
                        key = try PKCS8PrivateKey(derRepresentation: der)
                    case "ENCRYPTED PRIVATE KEY":
                        guard let password else { throw PSEKitError.passwordRequired }
                        key = try EncryptedPrivateKeyInfo(derRepresentation: der).decrypt(password: password)
                    default:
                        key = try PKCS8PrivateKey(pkcs1RSAPrivateKey: der)
                    }
                case "EC PRIVATE KEY", "DSA PRIVATE KEY":
                    throw PSEKitError.unsupportedPEM("\(label) (a PSE holds RSA keys only)")
                default:
                    return
                }
            }
        } catch let error as PSEKitError where error.code.family == .certificateBundle {
            throw PSEKitError.unsupportedPEM("the PEM text is not valid (\(ErrorText.of(error)))")
        }
        guard let key else {
            throw PSEKitError.unsupportedPEM("no PRIVATE KEY, ENCRYPTED PRIVATE KEY or RSA PRIVATE KEY block")
        }
        return key
    }

    private static func parseDER(_ bytes: [UInt8], password: String?) throws -> PKCS8PrivateKey {
        if let key = try? PKCS8PrivateKey(derRepresentation: bytes) { return key }
        if let encrypted = try? EncryptedPrivateKeyInfo(derRepresentation: bytes) {
            guard let password else { throw PSEKitError.passwordRequired }
            return try encrypted.decrypt(password: password)
        }
        if let key = try? PKCS8PrivateKey(pkcs1RSAPrivateKey: bytes) { return key }
        throw PSEKitError.malformedPKCS12("neither PEM nor the DER of a PKCS#8 or PKCS#1 private key")
    }
}
