import SwiftASN1

/// An RSA private key in PKCS#1 form (RFC 8017, appendix A.1.2). Integers are kept as unsigned
/// big-endian magnitudes without leading zero bytes.
///
/// ```
/// RSAPrivateKey ::= SEQUENCE {
///     version           Version,   -- 0 (two-prime) or 1 (multi-prime)
///     modulus           INTEGER,   -- n
///     publicExponent    INTEGER,   -- e
///     privateExponent   INTEGER,   -- d
///     prime1            INTEGER,   -- p
///     prime2            INTEGER,   -- q
///     exponent1         INTEGER,   -- d mod (p-1)
///     exponent2         INTEGER,   -- d mod (q-1)
///     coefficient       INTEGER,   -- (inverse of q) mod p
///     otherPrimeInfos   OtherPrimeInfos OPTIONAL }
/// ```
package struct PKCS1RSAPrivateKey: DERImplicitlyTaggable, BERImplicitlyTaggable, Hashable, Sendable {
    package static var defaultIdentifier: ASN1Identifier { .sequence }

    package var modulus: [UInt8]
    package var publicExponent: [UInt8]
    package var privateExponent: [UInt8]
    package var prime1: [UInt8]
    package var prime2: [UInt8]
    package var exponent1: [UInt8]
    package var exponent2: [UInt8]
    package var coefficient: [UInt8]

    /// Parses the DER of an `RSAPrivateKey`.
    package init(derRepresentation: [UInt8]) throws {
        self = try PKCS12Encoding.parse(derRepresentation, as: PKCS1RSAPrivateKey.self, "RSAPrivateKey")
    }

    package init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        try self.init(berEncoded: rootNode, withIdentifier: identifier)
    }

    package init(berEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try BER.sequence(rootNode, identifier: identifier) { nodes in
            let version = try Int(berEncoded: &nodes)
            guard version == 0 else {
                throw PSEKitError.unsupportedVersion(version)   // multi-prime keys are not supported
            }
            func integer() throws -> [UInt8] {
                let value = try ArraySlice<UInt8>(berEncoded: &nodes)
                return Array(value.drop { $0 == 0 })
            }
            return try PKCS1RSAPrivateKey(
                modulus: integer(), publicExponent: integer(), privateExponent: integer(),
                prime1: integer(), prime2: integer(), exponent1: integer(), exponent2: integer(),
                coefficient: integer())
        }
    }

    private init(modulus: [UInt8], publicExponent: [UInt8], privateExponent: [UInt8], prime1: [UInt8],
                 prime2: [UInt8], exponent1: [UInt8], exponent2: [UInt8], coefficient: [UInt8]) {
        self.modulus = modulus
        self.publicExponent = publicExponent
        self.privateExponent = privateExponent
        self.prime1 = prime1
        self.prime2 = prime2
        self.exponent1 = exponent1
        self.exponent2 = exponent2
        self.coefficient = coefficient
    }

    package func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(0)
            for value in [modulus, publicExponent, privateExponent, prime1, prime2, exponent1, exponent2, coefficient] {
                try coder.serialize(ArraySlice(value))   // the serializer adds the sign byte where needed
            }
        }
    }
}
