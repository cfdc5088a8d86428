import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSELegacyCrypto
import SwiftASN1

/// The password integrity check of a PFX (RFC 7292 section 4): an HMAC over the content of the
/// authSafe `data`, keyed with the PKCS#12 key derivation (ID 3) using the same hash as the HMAC.
///
/// ```
/// MacData ::= SEQUENCE {
///     mac         DigestInfo,
///     macSalt     OCTET STRING,
///     iterations  INTEGER DEFAULT 1 }
/// ```
struct PKCS12MacData: DERImplicitlyTaggable, BERImplicitlyTaggable, Hashable, Sendable {
    static var defaultIdentifier: ASN1Identifier { .sequence }

    var mac: PKCS12DigestInfo
    var macSalt: [UInt8]
    var iterations: Int

    init(mac: PKCS12DigestInfo, macSalt: [UInt8], iterations: Int) {
        self.mac = mac
        self.macSalt = macSalt
        self.iterations = iterations
    }

    /// Computes the MAC of `content` under `password` with a fresh salt.
    init(authenticating content: [UInt8], password: String, hash: PKCS12KeyDerivation.Hash, iterations: Int) throws {
        let salt = PKCS12Encoding.randomBytes(hash == .sha1 ? 8 : 16)
        let digest = Self.hmac(content, password: PKCS12KeyDerivation.passwordBytes(password), salt: salt,
                               iterations: iterations, hash: hash)
        self.init(mac: PKCS12DigestInfo(digestAlgorithm: .withNullParameters(Self.digestIdentifier(hash)), digest: digest),
                  macSalt: salt, iterations: iterations)
    }

    /// Whether the MAC verifies under `password`. An empty password is also tried as no password
    /// at all (an empty byte string), which is what some writers use.
    func verify(_ content: [UInt8], password: String, budget: KeyDerivationBudget? = nil) throws -> Bool {
        let hash = try Self.hash(for: mac.digestAlgorithm.algorithm)
        guard PasswordBasedEncryption.plausibleIterations.contains(iterations) else {
            throw PSEKitError.malformedPKCS12("implausible MAC iteration count \(iterations)")
        }
        var candidates = [PKCS12KeyDerivation.passwordBytes(password)]
        if password.isEmpty { candidates.append([]) }
        try budget?.charge(iterations * candidates.count)
        return candidates.contains { candidate in
            let expected = Self.hmac(content, password: candidate, salt: macSalt, iterations: iterations, hash: hash)
            return Self.constantTimeEqual(expected, mac.digest)
        }
    }

    private static func hmac(_ content: [UInt8], password: [UInt8], salt: [UInt8], iterations: Int,
                             hash: PKCS12KeyDerivation.Hash) -> [UInt8] {
        func compute<H: HashFunction>(_: H.Type) -> [UInt8] {
            let key = PKCS12KeyDerivation.derive(password: password, salt: salt, iterations: iterations, purpose: .macKey,
                                                 length: H.Digest.byteCount, hash: hash)
            return Array(HMAC<H>.authenticationCode(for: content, using: SymmetricKey(data: key)))
        }
        switch hash {
        case .sha1: return compute(Insecure.SHA1.self)
        case .sha256: return compute(SHA256.self)
        case .sha384: return compute(SHA384.self)
        case .sha512: return compute(SHA512.self)
        }
    }

    private static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func hash(for digestAlgorithm: ASN1ObjectIdentifier) throws -> PKCS12KeyDerivation.Hash {
        switch digestAlgorithm {
        case PKCS12ObjectIdentifier.sha1: return .sha1
        case PKCS12ObjectIdentifier.sha256: return .sha256
        case PKCS12ObjectIdentifier.sha384: return .sha384
        case PKCS12ObjectIdentifier.sha512: return .sha512
        default: throw PSEKitError.unsupportedAlgorithm("MAC digest \(digestAlgorithm)")
        }
    }

    static func digestIdentifier(_ hash: PKCS12KeyDerivation.Hash) -> ASN1ObjectIdentifier {
        switch hash {
        case .sha1: return PKCS12ObjectIdentifier.sha1
        case .sha256: return PKCS12ObjectIdentifier.sha256
        case .sha384: return PKCS12ObjectIdentifier.sha384
        case .sha512: return PKCS12ObjectIdentifier.sha512
        }
    }

    init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        try self.init(berEncoded: rootNode, withIdentifier: identifier)
    }

    init(berEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try BER.sequence(rootNode, identifier: identifier) { nodes in
            let mac = try PKCS12DigestInfo(berEncoded: &nodes)
            let salt = try ASN1OctetString(berEncoded: &nodes)
            let iterations = try nodes.next().map { try Int(berEncoded: $0) } ?? 1
            return PKCS12MacData(mac: mac, macSalt: Array(salt.bytes), iterations: iterations)
        }
    }

    func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(mac)
            try coder.serialize(ASN1OctetString(contentBytes: macSalt[...]))
            if iterations != 1 { try coder.serialize(iterations) }   // DEFAULT 1 is omitted in DER
        }
    }
}
