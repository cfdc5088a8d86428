import SwiftASN1

/// The PKCS#7 ContentInfo as PKCS#12 uses it (RFC 7292 section 4.1; RFC 2315 section 7): the
/// `data` type carries an OCTET STRING (the DER of an AuthenticatedSafe or of a SafeContents),
/// the `encryptedData` type an EncryptedData.
///
/// ```
/// ContentInfo ::= SEQUENCE {
///     contentType  OBJECT IDENTIFIER,
///     content      [0] EXPLICIT ANY DEFINED BY contentType OPTIONAL }
/// ```
struct PKCS12ContentInfo: DERImplicitlyTaggable, BERImplicitlyTaggable, Hashable, Sendable {
    static var defaultIdentifier: ASN1Identifier { .sequence }

    var contentType: ASN1ObjectIdentifier
    var content: ASN1Any?

    init(contentType: ASN1ObjectIdentifier, content: ASN1Any?) {
        self.contentType = contentType
        self.content = content
    }

    /// A `data` ContentInfo around `bytes`.
    init(data bytes: [UInt8]) throws {
        self.init(contentType: PKCS12ObjectIdentifier.data, content: try ASN1Any(erasing: ASN1OctetString(contentBytes: bytes[...])))
    }

    /// An `encryptedData` ContentInfo.
    init(encryptedData: PKCS12EncryptedData) throws {
        self.init(contentType: PKCS12ObjectIdentifier.encryptedData, content: try ASN1Any(erasing: encryptedData))
    }

    /// The bytes of a `data` ContentInfo (a constructed BER OCTET STRING is joined).
    var dataContent: [UInt8] {
        get throws {
            guard contentType == PKCS12ObjectIdentifier.data else {
                throw PKCS12Error.malformed("content type \(contentType) where data was expected")
            }
            guard let content else { return [] }
            return Array(try ASN1OctetString(berASN1Any: content, withIdentifier: .octetString).bytes)
        }
    }

    /// The EncryptedData of an `encryptedData` ContentInfo.
    var encryptedDataContent: PKCS12EncryptedData {
        get throws {
            guard contentType == PKCS12ObjectIdentifier.encryptedData, let content else {
                throw PKCS12Error.malformed("content type \(contentType) where encryptedData was expected")
            }
            return try PKCS12EncryptedData(berASN1Any: content, withIdentifier: .sequence)
        }
    }

    init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        try self.init(berEncoded: rootNode, withIdentifier: identifier)
    }

    init(berEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try BER.sequence(rootNode, identifier: identifier) { nodes in
            let type = try ASN1ObjectIdentifier(berEncoded: &nodes)
            let content = try BER.optionalExplicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) {
                ASN1Any(berEncoded: $0)
            }
            return PKCS12ContentInfo(contentType: type, content: content)
        }
    }

    func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(contentType)
            if let content {
                try coder.serialize(explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) { coder in
                    try coder.serialize(content)
                }
            }
        }
    }
}
