import CryptoExtras
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SwiftASN1

/// The value of `SKnew`: an RSA private key stored as its two primes.
///
/// ```
/// PrivateKeyObject ::= SEQUENCE {
///     algorithm  AlgorithmIdentifier,   -- rsaEncryption, NULL
///     key        BIT STRING }           -- DER of RSAPrimes
///
/// RSAPrimes ::= SEQUENCE {
///     p  INTEGER,                       -- the larger prime
///     q  INTEGER }
/// ```
///
/// The public exponent is not stored: it comes from the own certificate, and n, d and the CRT
/// values follow from p, q and e.
package struct PrivateKeyObject: DERImplicitlyTaggable, Hashable, Sendable {
    package static var defaultIdentifier: ASN1Identifier { .sequence }

    package var algorithm: ASN1ObjectIdentifier
    /// The primes as unsigned big-endian bytes, p > q.
    package var p: [UInt8]
    package var q: [UInt8]

    package init(p: [UInt8], q: [UInt8]) {
        self.algorithm = ASN1ObjectIdentifier.AlgorithmIdentifier.rsaEncryption
        self.p = p
        self.q = q
    }

    /// Takes the primes of a private key, larger first, as SAP stores them.
    package init(_ key: _RSA.Signing.PrivateKey) throws {
        let primes = try RSAPrivateKeyPrimes(pkcs1DER: Array(key.derRepresentation))
        let (larger, smaller) = UnsignedInteger(bigEndian: primes.p).isGreater(than: UnsignedInteger(bigEndian: primes.q))
            ? (primes.p, primes.q) : (primes.q, primes.p)
        self.init(p: larger, q: smaller)
    }

    package init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            let algorithm = try AlgorithmIdentifier(derEncoded: try PSEDER.next(&nodes, "SKnew algorithm")).algorithm
            let bits = try ASN1BitString(derEncoded: &nodes)
            let (p, q) = try DER.sequence(try DER.parse(bits.bytes), identifier: .sequence) { inner in
                (try ArraySlice<UInt8>(derEncoded: &inner), try ArraySlice<UInt8>(derEncoded: &inner))
            }
            var object = PrivateKeyObject(p: Self.unsigned(p), q: Self.unsigned(q))
            object.algorithm = algorithm
            return object
        }
    }

    package func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        var primes = DER.Serializer()
        try primes.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(Self.integerBytes(p))
            try coder.serialize(Self.integerBytes(q))
        }
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(AlgorithmIdentifier.withNullParameters(algorithm))
            try coder.serialize(ASN1BitString(bytes: primes.serializedBytes[...]))
        }
    }

    /// The full private key, with the public exponent of the own certificate.
    package func privateKey(publicExponent: [UInt8]) throws -> _RSA.Signing.PrivateKey {
        guard algorithm == ASN1ObjectIdentifier.AlgorithmIdentifier.rsaEncryption else {
            throw PSEKitError.unsupportedKey("the PSE's private key is not RSA (\(algorithm)); psekit handles RSA keys only")
        }
        return try RSAPrivateKeyReconstruction.privateKey(p: p, q: q, publicExponent: publicExponent)
    }

    static func unsigned(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        let start = bytes.firstIndex { $0 != 0 } ?? bytes.endIndex
        return Array(bytes[start...])
    }

    /// An unsigned big-endian number as the content of a DER INTEGER (a leading zero when the top bit is set).
    static func integerBytes(_ unsigned: [UInt8]) -> ArraySlice<UInt8> {
        let trimmed = Self.unsigned(unsigned[...])
        if trimmed.isEmpty { return [0] }
        return trimmed[0] & 0x80 != 0 ? ([0] + trimmed)[...] : trimmed[...]
    }
}

/// The fields of a PKCS#1 `RSAPrivateKey` psekit needs.
///
/// ```
/// RSAPrivateKey ::= SEQUENCE {
///     version INTEGER, modulus INTEGER, publicExponent INTEGER, privateExponent INTEGER,
///     prime1 INTEGER, prime2 INTEGER, exponent1 INTEGER, exponent2 INTEGER, coefficient INTEGER, ... }
/// ```
struct RSAPrivateKeyPrimes {
    var modulus: [UInt8]
    var publicExponent: [UInt8]
    var p: [UInt8]
    var q: [UInt8]

    init(pkcs1DER: [UInt8]) throws {
        (modulus, publicExponent, p, q) = try DER.sequence(try DER.parse(pkcs1DER), identifier: .sequence) { nodes in
            _ = try Int(derEncoded: &nodes)
            let n = try ArraySlice<UInt8>(derEncoded: &nodes)
            let e = try ArraySlice<UInt8>(derEncoded: &nodes)
            _ = try ArraySlice<UInt8>(derEncoded: &nodes)
            let p = try ArraySlice<UInt8>(derEncoded: &nodes)
            let q = try ArraySlice<UInt8>(derEncoded: &nodes)
            while nodes.next() != nil {}
            return (PrivateKeyObject.unsigned(n), PrivateKeyObject.unsigned(e), PrivateKeyObject.unsigned(p), PrivateKeyObject.unsigned(q))
        }
    }
}

extension UnsignedInteger {
    func isGreater(than other: UnsignedInteger) -> Bool {
        if limbs.count != other.limbs.count { return limbs.count > other.limbs.count }
        for (a, b) in zip(limbs.reversed(), other.limbs.reversed()) where a != b { return a > b }
        return false
    }
}
