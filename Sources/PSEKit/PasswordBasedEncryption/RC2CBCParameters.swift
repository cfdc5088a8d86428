import SwiftASN1

/// The parameters of `rc2-cbc` under PBES2 (RFC 8018, appendix B.2.3).
///
/// ```
/// RC2-CBC-Parameter ::= SEQUENCE {
///     rc2ParameterVersion  INTEGER OPTIONAL,   -- encodes the effective key bits
///     iv                   OCTET STRING (SIZE(8)) }
/// ```
/// The version encodes the effective key length: 160 → 40 bits, 120 → 64 bits, 58 → 128 bits,
/// a value of 256 or more is the bit count itself; absent means 32 bits.
struct RC2CBCParameters: DERImplicitlyTaggable, BERImplicitlyTaggable, Hashable, Sendable {
    static var defaultIdentifier: ASN1Identifier { .sequence }

    var parameterVersion: Int?
    var iv: [UInt8]

    init(parameterVersion: Int?, iv: [UInt8]) {
        self.parameterVersion = parameterVersion
        self.iv = iv
    }

    /// The effective key bits the version stands for.
    var effectiveKeyBits: Int {
        get throws {
            guard let parameterVersion else { return 32 }
            switch parameterVersion {
            case 160: return 40
            case 120: return 64
            case 58: return 128
            case 256...1024: return parameterVersion
            default: throw PSEKitError.unsupportedAlgorithm("RC2 parameter version \(parameterVersion)")
            }
        }
    }

    init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        try self.init(berEncoded: rootNode, withIdentifier: identifier)
    }

    init(berEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try BER.sequence(rootNode, identifier: identifier) { nodes in
            let version: Int? = try BER.optionalImplicitlyTagged(&nodes)
            let iv = try ASN1OctetString(berEncoded: &nodes)
            return RC2CBCParameters(parameterVersion: version, iv: Array(iv.bytes))
        }
    }

    func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            if let parameterVersion { try coder.serialize(parameterVersion) }
            try coder.serialize(ASN1OctetString(contentBytes: iv[...]))
        }
    }
}
