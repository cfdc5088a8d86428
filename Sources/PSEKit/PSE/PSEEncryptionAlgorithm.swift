import Crypto
import PSELegacyCrypto
import SwiftASN1

/// The password-based encryption a PSE uses: PKCS#12 `pbeWithSHAAnd3-KeyTripleDES-CBC`.
///
/// ```
/// AlgorithmIdentifier ::= SEQUENCE {
///     algorithm   OBJECT IDENTIFIER,  -- 1.2.840.113549.1.12.1.3
///     parameters  PKCS12PBEParams }
///
/// PKCS12PBEParams ::= SEQUENCE {
///     salt        OCTET STRING,       -- 8 bytes
///     iterations  INTEGER }
/// ```
///
/// Key and IV come from the PKCS#12 key derivation with SHA-1 over the PIN as big-endian UTF-16
/// with two trailing zero bytes: ID 1 gives the 24-byte DES-EDE3 key, ID 2 the 8-byte IV.
public struct PSEEncryptionAlgorithm: DERImplicitlyTaggable, Hashable, Sendable {
    public static var defaultIdentifier: ASN1Identifier { .sequence }

    /// The iteration count sapgenpse writes.
    public static let defaultIterations = 10_000
    /// The most iterations psekit accepts when reading (100 times what sapgenpse writes; older
    /// tools wrote 2048). Each iteration costs two SHA-1 computations per PIN attempt, so the
    /// limit bounds the time a hostile file can make psekit spend.
    public static let maximumIterations = 1_000_000

    public var algorithm: ASN1ObjectIdentifier
    public var salt: [UInt8]
    public var iterations: Int

    public init(salt: [UInt8], iterations: Int = PSEEncryptionAlgorithm.defaultIterations) {
        self.algorithm = PKCS12ObjectIdentifier.pbeWithSHAAnd3KeyTripleDESCBC
        self.salt = salt
        self.iterations = iterations
    }

    /// A fresh algorithm with a random 8-byte salt.
    public static func random(iterations: Int = defaultIterations) -> PSEEncryptionAlgorithm {
        var generator = SystemRandomNumberGenerator()
        return PSEEncryptionAlgorithm(salt: (0..<8).map { _ in UInt8.random(in: 0...255, using: &generator) },
                                      iterations: iterations)
    }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            let algorithm = try ASN1ObjectIdentifier(derEncoded: &nodes)
            guard let parametersNode = nodes.next() else {
                throw ASN1Error.invalidASN1Object(reason: "PBE algorithm without parameters")
            }
            return try DER.sequence(parametersNode, identifier: .sequence) { parameters in
                let salt = try ASN1OctetString(derEncoded: &parameters)
                let iterations = try Int(derEncoded: &parameters)
                return PSEEncryptionAlgorithm(algorithm: algorithm, salt: Array(salt.bytes), iterations: iterations)
            }
        }
    }

    private init(algorithm: ASN1ObjectIdentifier, salt: [UInt8], iterations: Int) {
        self.algorithm = algorithm
        self.salt = salt
        self.iterations = iterations
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(algorithm)
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                try coder.serialize(ASN1OctetString(contentBytes: salt[...]))
                try coder.serialize(iterations)
            }
        }
    }

    /// The DES-EDE3 key and IV for a PIN.
    public func keyAndIV(pin: String) throws -> (key: [UInt8], iv: [UInt8]) {
        guard algorithm == PKCS12ObjectIdentifier.pbeWithSHAAnd3KeyTripleDESCBC else {
            throw PSEKitError.unsupportedPSE("encryption algorithm \(algorithm)")
        }
        guard iterations > 0, iterations <= Self.maximumIterations else {
            throw PSEKitError.malformedPSE("implausible iteration count \(iterations)")
        }
        let password = PKCS12KeyDerivation.passwordBytes(pin)
        return PKCS12KeyDerivation.deriveKeyAndIV(password: password, salt: salt, iterations: iterations,
                                                  keyLength: 24, ivLength: 8)
    }
}
