import Crypto
import CryptoExtras
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSELegacyCrypto
import SwiftASN1

/// A password-based encryption scheme for what `PKCS12.build` and `EncryptedPrivateKeyInfo` write.
public enum PasswordBasedEncryptionScheme: Sendable, Hashable {
    /// PBES2: PBKDF2 with HMAC-SHA256, AES-256-CBC (what OpenSSL 3 writes by default).
    case pbes2AES256CBC
    /// PBES2: PBKDF2 with HMAC-SHA256, AES-128-CBC.
    case pbes2AES128CBC
    /// PKCS#12 `pbeWithSHAAnd3-KeyTripleDES-CBC` (what older tools and `openssl -legacy` use for keys).
    case pbeWithSHAAnd3KeyTripleDESCBC
    /// PKCS#12 `pbeWithSHAAnd40BitRC2-CBC` (what `openssl -legacy` uses for certificates).
    case pbeWithSHAAnd40BitRC2CBC
}

/// Decryption and encryption under the algorithms PKCS#8 and PKCS#12 files use: PBES2 (RFC 8018)
/// and the PKCS#12 PBE schemes (RFC 7292, appendix C).
///
/// PBES2 takes the password as UTF-8 bytes; the PKCS#12 schemes take it as BMPString with two
/// trailing zero bytes, as OpenSSL does.
enum PasswordBasedEncryption {
    /// Iteration counts outside this range are refused as implausible (a guard against a file that
    /// would keep the CPU busy for hours).
    static let plausibleIterations = 1...10_000_000

    /// Decrypts; a padding failure (the usual symptom of a wrong password) is reported as `wrongPassword`.
    /// `budget`, when given, is charged with the derivation's iterations before it runs.
    static func decrypt(_ ciphertext: [UInt8], algorithm: AlgorithmIdentifier, password: String,
                        budget: KeyDerivationBudget? = nil) throws -> [UInt8] {
        if algorithm.algorithm == PKCS12ObjectIdentifier.pbes2 {
            return try decryptPBES2(ciphertext, parameters: algorithm.decodeParameters(as: PBES2Parameters.self), password: password,
                                    budget: budget)
        }
        guard let cipher = PKCS12PBECipher(algorithm.algorithm) else {
            throw PSEKitError.unsupportedAlgorithm(PasswordBasedEncryption.name(of: algorithm.algorithm))
        }
        let parameters = try algorithm.decodeParameters(as: PKCS12PBEParameters.self)
        guard plausibleIterations.contains(parameters.iterations) else {
            throw PSEKitError.malformedPKCS12("implausible iteration count \(parameters.iterations)")
        }
        try budget?.charge(parameters.iterations)
        let (key, iv) = try cipher.keyAndIV(parameters: parameters, password: password)
        return try wrongPasswordOnFailure { try cipher.decrypt(ciphertext, key: key, iv: iv) }
    }

    /// The iteration count an algorithm identifier declares (PBES2 with PBKDF2, or a PKCS#12 PBE
    /// scheme), bounded to the plausible range's upper end plus one; 0 when it declares none.
    static func declaredIterations(of algorithm: AlgorithmIdentifier) -> Int {
        let ceiling = plausibleIterations.upperBound + 1
        if algorithm.algorithm == PKCS12ObjectIdentifier.pbes2 {
            guard let parameters = try? algorithm.decodeParameters(as: PBES2Parameters.self),
                  parameters.keyDerivationFunction.algorithm == PKCS12ObjectIdentifier.pbkdf2,
                  let kdf = try? parameters.keyDerivationFunction.decodeParameters(as: PBKDF2Parameters.self) else { return 0 }
            return min(max(kdf.iterationCount, 0), ceiling)
        }
        guard PKCS12PBECipher(algorithm.algorithm) != nil,
              let parameters = try? algorithm.decodeParameters(as: PKCS12PBEParameters.self) else { return 0 }
        return min(max(parameters.iterations, 0), ceiling)
    }

    /// Encrypts with a fresh random salt (and IV).
    static func encrypt(_ plaintext: [UInt8], scheme: PasswordBasedEncryptionScheme, iterations: Int,
                        password: String) throws -> (algorithm: AlgorithmIdentifier, ciphertext: [UInt8]) {
        guard plausibleIterations.contains(iterations) else {
            throw PSEKitError.malformedPKCS12("implausible iteration count \(iterations)")
        }
        switch scheme {
        case .pbes2AES256CBC, .pbes2AES128CBC:
            let keyLength = scheme == .pbes2AES256CBC ? 32 : 16
            let cipherOID = scheme == .pbes2AES256CBC ? PKCS12ObjectIdentifier.aes256CBC : PKCS12ObjectIdentifier.aes128CBC
            let salt = PKCS12Encoding.randomBytes(16), iv = PKCS12Encoding.randomBytes(16)
            let prf = AlgorithmIdentifier.withNullParameters(PKCS12ObjectIdentifier.hmacWithSHA256)
            let kdfParameters = PBKDF2Parameters(salt: salt, iterationCount: iterations, keyLength: nil, pseudoRandomFunction: prf)
            let key = try pbkdf2(password: password, parameters: kdfParameters, keyLength: keyLength)
            let ciphertext = try AES._CBC.encrypt(plaintext, using: SymmetricKey(data: key), iv: AES._CBC.IV(ivBytes: iv))
            let parameters = PBES2Parameters(
                keyDerivationFunction: AlgorithmIdentifier(algorithm: PKCS12ObjectIdentifier.pbkdf2,
                                                                 parameters: try ASN1Any(erasing: kdfParameters)),
                encryptionScheme: AlgorithmIdentifier(algorithm: cipherOID,
                                                            parameters: try ASN1Any(erasing: ASN1OctetString(contentBytes: iv[...]))))
            return (AlgorithmIdentifier(algorithm: PKCS12ObjectIdentifier.pbes2, parameters: try ASN1Any(erasing: parameters)),
                    Array(ciphertext))
        case .pbeWithSHAAnd3KeyTripleDESCBC, .pbeWithSHAAnd40BitRC2CBC:
            let oid = scheme == .pbeWithSHAAnd3KeyTripleDESCBC
                ? PKCS12ObjectIdentifier.pbeWithSHAAnd3KeyTripleDESCBC : PKCS12ObjectIdentifier.pbeWithSHAAnd40BitRC2CBC
            let cipher = PKCS12PBECipher(oid)!
            let parameters = PKCS12PBEParameters(salt: PKCS12Encoding.randomBytes(8), iterations: iterations)
            let (key, iv) = try cipher.keyAndIV(parameters: parameters, password: password)
            let ciphertext = try cipher.encrypt(plaintext, key: key, iv: iv)
            return (AlgorithmIdentifier(algorithm: oid, parameters: try ASN1Any(erasing: parameters)), ciphertext)
        }
    }

    // MARK: PBES2

    private static func decryptPBES2(_ ciphertext: [UInt8], parameters: PBES2Parameters, password: String,
                                     budget: KeyDerivationBudget?) throws -> [UInt8] {
        guard parameters.keyDerivationFunction.algorithm == PKCS12ObjectIdentifier.pbkdf2 else {
            throw PSEKitError.unsupportedAlgorithm("PBES2 key derivation \(name(of: parameters.keyDerivationFunction.algorithm))")
        }
        let kdfParameters = try parameters.keyDerivationFunction.decodeParameters(as: PBKDF2Parameters.self)
        guard plausibleIterations.contains(kdfParameters.iterationCount) else {
            throw PSEKitError.malformedPKCS12("implausible iteration count \(kdfParameters.iterationCount)")
        }
        try budget?.charge(kdfParameters.iterationCount)
        let scheme = parameters.encryptionScheme
        switch scheme.algorithm {
        case PKCS12ObjectIdentifier.aes128CBC, PKCS12ObjectIdentifier.aes192CBC, PKCS12ObjectIdentifier.aes256CBC:
            let keyLength = scheme.algorithm == PKCS12ObjectIdentifier.aes128CBC ? 16
                : scheme.algorithm == PKCS12ObjectIdentifier.aes192CBC ? 24 : 32
            let iv = try scheme.decodeParameters(as: ASN1OctetString.self).bytes
            guard iv.count == 16 else { throw PSEKitError.malformedPKCS12("AES-CBC IV is not 16 bytes") }
            let key = try pbkdf2(password: password, parameters: kdfParameters, keyLength: keyLength)
            return try wrongPasswordOnFailure {
                Array(try AES._CBC.decrypt(ciphertext, using: SymmetricKey(data: key), iv: AES._CBC.IV(ivBytes: iv)))
            }
        case PKCS12ObjectIdentifier.desEDE3CBC, PKCS12ObjectIdentifier.desCBC:
            let iv = Array(try scheme.decodeParameters(as: ASN1OctetString.self).bytes)
            guard iv.count == 8 else { throw PSEKitError.malformedPKCS12("DES IV is not 8 bytes") }
            let singleDES = scheme.algorithm == PKCS12ObjectIdentifier.desCBC
            let key = try pbkdf2(password: password, parameters: kdfParameters, keyLength: singleDES ? 8 : 24)
            // Single DES is DES-EDE3 with three equal keys.
            let tripleKey = singleDES ? key + key + key : key
            return try wrongPasswordOnFailure { try TripleDESCBC.decrypt(ciphertext, key: tripleKey, iv: iv) }
        case PKCS12ObjectIdentifier.rc2CBC:
            let rc2 = try scheme.decodeParameters(as: RC2CBCParameters.self)
            guard rc2.iv.count == 8 else { throw PSEKitError.malformedPKCS12("RC2 IV is not 8 bytes") }
            let key = try pbkdf2(password: password, parameters: kdfParameters, keyLength: kdfParameters.keyLength ?? 16)
            let bits = try rc2.effectiveKeyBits
            return try wrongPasswordOnFailure { try RC2CBC.decrypt(ciphertext, key: key, effectiveKeyBits: bits, iv: rc2.iv) }
        default:
            throw PSEKitError.unsupportedAlgorithm("PBES2 cipher \(name(of: scheme.algorithm))")
        }
    }

    private static func pbkdf2(password: String, parameters: PBKDF2Parameters, keyLength: Int) throws -> [UInt8] {
        guard plausibleIterations.contains(parameters.iterationCount) else {
            throw PSEKitError.malformedPKCS12("implausible iteration count \(parameters.iterationCount)")
        }
        if let declared = parameters.keyLength, declared != keyLength {
            throw PSEKitError.malformedPKCS12("PBKDF2 key length \(declared) does not fit the cipher")
        }
        let hash: KDF.Insecure.PBKDF2.HashFunction
        switch parameters.pseudoRandomFunction.algorithm {
        case PKCS12ObjectIdentifier.hmacWithSHA1: hash = .insecureSHA1
        case PKCS12ObjectIdentifier.hmacWithSHA224: hash = .insecureSHA224
        case PKCS12ObjectIdentifier.hmacWithSHA256: hash = .sha256
        case PKCS12ObjectIdentifier.hmacWithSHA384: hash = .sha384
        case PKCS12ObjectIdentifier.hmacWithSHA512: hash = .sha512
        default:
            throw PSEKitError.unsupportedAlgorithm("PBKDF2 PRF \(name(of: parameters.pseudoRandomFunction.algorithm))")
        }
        let key = try KDF.Insecure.PBKDF2.deriveKey(from: Array(password.utf8), salt: parameters.salt, using: hash,
                                                    outputByteCount: keyLength,
                                                    unsafeUncheckedRounds: parameters.iterationCount)
        return key.withUnsafeBytes { Array($0) }
    }

    private static func wrongPasswordOnFailure(_ body: () throws -> [UInt8]) throws -> [UInt8] {
        do {
            return try body()
        } catch {
            throw PSEKitError.wrongPassword
        }
    }

    /// A readable name for the algorithms error messages mention.
    static func name(of algorithm: ASN1ObjectIdentifier) -> String {
        let names: [ASN1ObjectIdentifier: String] = [
            PKCS12ObjectIdentifier.pbeWithSHAAnd128BitRC4: "pbeWithSHAAnd128BitRC4",
            PKCS12ObjectIdentifier.pbeWithSHAAnd40BitRC4: "pbeWithSHAAnd40BitRC4",
            PKCS12ObjectIdentifier.pbkdf2: "PBKDF2",
        ]
        return names[algorithm].map { "\($0) (\(algorithm))" } ?? "\(algorithm)"
    }
}

/// The ciphers of the PKCS#12 PBE schemes, with key and IV from the PKCS#12 key derivation (SHA-1).
private enum PKCS12PBECipher {
    case tripleDES(keyLength: Int)
    case rc2(keyLength: Int)

    init?(_ algorithm: ASN1ObjectIdentifier) {
        switch algorithm {
        case PKCS12ObjectIdentifier.pbeWithSHAAnd3KeyTripleDESCBC: self = .tripleDES(keyLength: 24)
        case PKCS12ObjectIdentifier.pbeWithSHAAnd2KeyTripleDESCBC: self = .tripleDES(keyLength: 16)
        case PKCS12ObjectIdentifier.pbeWithSHAAnd128BitRC2CBC: self = .rc2(keyLength: 16)
        case PKCS12ObjectIdentifier.pbeWithSHAAnd40BitRC2CBC: self = .rc2(keyLength: 5)
        default: return nil
        }
    }

    var keyLength: Int {
        switch self {
        case .tripleDES(let length), .rc2(let length): return length
        }
    }

    func keyAndIV(parameters: PKCS12PBEParameters, password: String) throws -> (key: [UInt8], iv: [UInt8]) {
        guard PasswordBasedEncryption.plausibleIterations.contains(parameters.iterations) else {
            throw PSEKitError.malformedPKCS12("implausible iteration count \(parameters.iterations)")
        }
        let passwordBytes = PKCS12KeyDerivation.passwordBytes(password)
        return PKCS12KeyDerivation.deriveKeyAndIV(password: passwordBytes, salt: parameters.salt,
                                                  iterations: parameters.iterations, keyLength: keyLength, ivLength: 8)
    }

    func decrypt(_ ciphertext: [UInt8], key: [UInt8], iv: [UInt8]) throws -> [UInt8] {
        switch self {
        case .tripleDES: return try TripleDESCBC.decrypt(ciphertext, key: key, iv: iv)
        case .rc2(let keyLength): return try RC2CBC.decrypt(ciphertext, key: key, effectiveKeyBits: 8 * keyLength, iv: iv)
        }
    }

    func encrypt(_ plaintext: [UInt8], key: [UInt8], iv: [UInt8]) throws -> [UInt8] {
        switch self {
        case .tripleDES: return try TripleDESCBC.encrypt(plaintext, key: key, iv: iv)
        case .rc2(let keyLength): return try RC2CBC.encrypt(plaintext, key: key, effectiveKeyBits: 8 * keyLength, iv: iv)
        }
    }
}
