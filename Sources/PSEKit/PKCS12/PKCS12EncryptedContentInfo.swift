import SwiftASN1

/// The encrypted content of an EncryptedData (RFC 2315 section 10.1).
///
/// ```
/// EncryptedContentInfo ::= SEQUENCE {
///     contentType                 OBJECT IDENTIFIER,          -- data
///     contentEncryptionAlgorithm  AlgorithmIdentifier,        -- PBES2 or a PKCS#12 PBE scheme
///     encryptedContent            [0] IMPLICIT OCTET STRING OPTIONAL }
/// ```
struct PKCS12EncryptedContentInfo: DERImplicitlyTaggable, BERImplicitlyTaggable, Hashable, Sendable {
    static var defaultIdentifier: ASN1Identifier { .sequence }
    private static let encryptedContentIdentifier = ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)

    var contentType: ASN1ObjectIdentifier
    var contentEncryptionAlgorithm: AlgorithmIdentifier
    var encryptedContent: [UInt8]

    init(contentType: ASN1ObjectIdentifier, contentEncryptionAlgorithm: AlgorithmIdentifier, encryptedContent: [UInt8]) {
        self.contentType = contentType
        self.contentEncryptionAlgorithm = contentEncryptionAlgorithm
        self.encryptedContent = encryptedContent
    }

    init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        try self.init(berEncoded: rootNode, withIdentifier: identifier)
    }

    init(berEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try BER.sequence(rootNode, identifier: identifier) { nodes in
            let type = try ASN1ObjectIdentifier(berEncoded: &nodes)
            let algorithm = try AlgorithmIdentifier(berEncoded: &nodes)
            var content: [UInt8] = []
            if let node = nodes.next() {
                // Primitive in DER; BER writers (Windows, Java) may split it into a constructed string.
                content = Array(try ASN1OctetString(berEncoded: node, withIdentifier: Self.encryptedContentIdentifier).bytes)
            }
            return PKCS12EncryptedContentInfo(contentType: type, contentEncryptionAlgorithm: algorithm, encryptedContent: content)
        }
    }

    func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(contentType)
            try coder.serialize(contentEncryptionAlgorithm)
            try ASN1OctetString(contentBytes: encryptedContent[...]).serialize(into: &coder, withIdentifier: Self.encryptedContentIdentifier)
        }
    }
}
