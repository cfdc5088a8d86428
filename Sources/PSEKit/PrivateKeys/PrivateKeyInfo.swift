import SwiftASN1

/// A private key in PKCS#8 form (RFC 5208; version 1 is RFC 5958's OneAsymmetricKey).
///
/// ```
/// PrivateKeyInfo ::= SEQUENCE {
///     version              INTEGER,                 -- 0, or 1 with publicKey
///     privateKeyAlgorithm  AlgorithmIdentifier,
///     privateKey           OCTET STRING,            -- e.g. the DER of a PKCS#1 RSAPrivateKey
///     attributes       [0] IMPLICIT Attributes OPTIONAL,
///     publicKey        [1] IMPLICIT BIT STRING OPTIONAL }
/// ```
struct PrivateKeyInfo: DERImplicitlyTaggable, BERImplicitlyTaggable, Hashable, Sendable {
    static var defaultIdentifier: ASN1Identifier { .sequence }

    var version: Int
    var privateKeyAlgorithm: AlgorithmIdentifier
    var privateKey: [UInt8]
    /// The optional trailing fields (attributes, publicKey), kept as they are.
    var optionalFields: [ASN1Any]

    init(privateKeyAlgorithm: AlgorithmIdentifier, privateKey: [UInt8]) {
        self.version = 0
        self.privateKeyAlgorithm = privateKeyAlgorithm
        self.privateKey = privateKey
        self.optionalFields = []
    }

    init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        try self.init(berEncoded: rootNode, withIdentifier: identifier)
    }

    init(berEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try BER.sequence(rootNode, identifier: identifier) { nodes in
            let version = try Int(berEncoded: &nodes)
            guard version == 0 || version == 1 else { throw PSEKitError.unsupportedVersion(version) }
            let algorithm = try AlgorithmIdentifier(berEncoded: &nodes)
            let privateKey = try ASN1OctetString(berEncoded: &nodes)
            var optionalFields: [ASN1Any] = []
            while let node = nodes.next() {
                guard node.identifier.tagClass == .contextSpecific else {
                    throw ASN1Error.invalidASN1Object(reason: "unexpected field after the private key")
                }
                optionalFields.append(ASN1Any(berEncoded: node))
            }
            var info = PrivateKeyInfo(privateKeyAlgorithm: algorithm, privateKey: Array(privateKey.bytes))
            info.version = version
            info.optionalFields = optionalFields
            return info
        }
    }

    func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(version)
            try coder.serialize(privateKeyAlgorithm)
            try coder.serialize(ASN1OctetString(contentBytes: privateKey[...]))
            for field in optionalFields { try coder.serialize(field) }
        }
    }
}
