import SwiftASN1

/// The body of a version 2 PSE protected by a PIN.
///
/// ```
/// V2Encrypted ::= [0] IMPLICIT SEQUENCE {
///     encryptedPIN      OCTET STRING,          -- the PIN itself, encrypted with the content key
///     algorithm         AlgorithmIdentifier,   -- the PBE
///     encryptedContent  OCTET STRING }         -- DER of PSEContent, encrypted
/// ```
package struct V2EncryptedBody: DERImplicitlyTaggable, Hashable, Sendable {
    package static var defaultIdentifier: ASN1Identifier { ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) }

    package var encryptedPIN: [UInt8]
    package var algorithm: PSEEncryptionAlgorithm
    package var encryptedContent: [UInt8]

    package init(encryptedPIN: [UInt8], algorithm: PSEEncryptionAlgorithm, encryptedContent: [UInt8]) {
        self.encryptedPIN = encryptedPIN
        self.algorithm = algorithm
        self.encryptedContent = encryptedContent
    }

    package init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            let pin = try ASN1OctetString(derEncoded: &nodes)
            let algorithm = try PSEEncryptionAlgorithm(derEncoded: &nodes)
            let content = try ASN1OctetString(derEncoded: &nodes)
            return V2EncryptedBody(encryptedPIN: Array(pin.bytes), algorithm: algorithm,
                                   encryptedContent: Array(content.bytes))
        }
    }

    package func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(ASN1OctetString(contentBytes: encryptedPIN[...]))
            try coder.serialize(algorithm)
            try coder.serialize(ASN1OctetString(contentBytes: encryptedContent[...]))
        }
    }
}
