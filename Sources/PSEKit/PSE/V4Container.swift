import SwiftASN1

/// The body of a version 4 PSE, with or without a PIN.
///
/// ```
/// V4Container ::= [3] IMPLICIT SEQUENCE {
///     encrypted    INTEGER,                -- 1: content is encrypted; 0: content is plain DER
///     algorithm    AlgorithmIdentifier,    -- the PBE, also present when encrypted = 0
///     content      OCTET STRING,           -- ciphertext, or the DER of PSEContent
///     contentHash  OCTET STRING }          -- SHA-1 over the DER of PSEContent (plaintext)
/// ```
package struct V4Container: DERImplicitlyTaggable, Hashable, Sendable {
    package static var defaultIdentifier: ASN1Identifier { ASN1Identifier(tagWithNumber: 3, tagClass: .contextSpecific) }

    package var encrypted: Int
    package var algorithm: PSEEncryptionAlgorithm
    package var content: [UInt8]
    package var contentHash: [UInt8]

    package init(encrypted: Int, algorithm: PSEEncryptionAlgorithm, content: [UInt8], contentHash: [UInt8]) {
        self.encrypted = encrypted
        self.algorithm = algorithm
        self.content = content
        self.contentHash = contentHash
    }

    package init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            let encrypted = try Int(derEncoded: &nodes)
            let algorithm = try PSEEncryptionAlgorithm(derEncoded: &nodes)
            let content = try ASN1OctetString(derEncoded: &nodes)
            let hash = try ASN1OctetString(derEncoded: &nodes)
            return V4Container(encrypted: encrypted, algorithm: algorithm, content: Array(content.bytes),
                               contentHash: Array(hash.bytes))
        }
    }

    package func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(encrypted)
            try coder.serialize(algorithm)
            try coder.serialize(ASN1OctetString(contentBytes: content[...]))
            try coder.serialize(ASN1OctetString(contentBytes: contentHash[...]))
        }
    }
}
