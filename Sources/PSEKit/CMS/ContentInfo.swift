import SwiftASN1

/// The outer wrapper of a PKCS#7 / CMS message (RFC 5652, section 3; RFC 2315, section 7):
/// ```
/// ContentInfo ::= SEQUENCE {
///     contentType  ContentType,
///     content      [0] EXPLICIT ANY DEFINED BY contentType OPTIONAL }
///
/// ContentType ::= OBJECT IDENTIFIER
/// ```
/// Certificate bundles (`.p7b`, `.p7c`, `-----BEGIN PKCS7-----`) carry a ``PKCS7SignedData``
/// here; PKCS#12 files use the `data` type (an OCTET STRING holding the DER of an
/// AuthenticatedSafe or a SafeContents) and the `encryptedData` type. Read as BER (Windows and
/// Java write indefinite lengths), written as DER.
package struct ContentInfo: DERImplicitlyTaggable, BERImplicitlyTaggable, Hashable, Sendable {
    /// id-data, 1.2.840.113549.1.7.1
    package static let dataType: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 7, 1]
    /// id-signedData, 1.2.840.113549.1.7.2
    package static let signedDataType: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 7, 2]
    /// id-encryptedData, 1.2.840.113549.1.7.6
    package static let encryptedDataType: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 7, 6]

    package static var defaultIdentifier: ASN1Identifier { .sequence }

    package var contentType: ASN1ObjectIdentifier
    package var content: ASN1Any?

    package init(contentType: ASN1ObjectIdentifier, content: ASN1Any?) {
        self.contentType = contentType
        self.content = content
    }

    package init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        let decoded = try PKCS7TypedContent.decode(rootNode, identifier: identifier)
        self.init(contentType: decoded.contentType, content: decoded.content)
    }

    package init(berEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try BER.sequence(rootNode, identifier: identifier) { nodes in
            let type = try ASN1ObjectIdentifier(berEncoded: &nodes)
            let content = try BER.optionalExplicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) {
                ASN1Any(berEncoded: $0)
            }
            return ContentInfo(contentType: type, content: content)
        }
    }

    package func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try PKCS7TypedContent.serialize(contentType: contentType, content: content, into: &coder, identifier: identifier)
    }

    // MARK: signedData (certificate bundles)

    /// A ContentInfo holding `signedData`.
    package init(_ signedData: PKCS7SignedData) throws {
        self.init(contentType: Self.signedDataType, content: try ASN1Any(erasing: signedData))
    }

    /// The signed data inside, or `nil` when the content is of another type or absent.
    package func signedData() throws -> PKCS7SignedData? {
        guard contentType == Self.signedDataType, let content else { return nil }
        return try PKCS7SignedData(asn1Any: content)
    }

    // MARK: data and encryptedData (PKCS#12)

    /// A `data` ContentInfo around `bytes`.
    init(data bytes: [UInt8]) throws {
        self.init(contentType: Self.dataType, content: try ASN1Any(erasing: ASN1OctetString(contentBytes: bytes[...])))
    }

    /// An `encryptedData` ContentInfo.
    init(encryptedData: PKCS12EncryptedData) throws {
        self.init(contentType: Self.encryptedDataType, content: try ASN1Any(erasing: encryptedData))
    }

    /// The bytes of a `data` ContentInfo (a constructed BER OCTET STRING is joined).
    var dataContent: [UInt8] {
        get throws {
            guard contentType == Self.dataType else {
                throw PSEKitError.malformedPKCS12("content type \(contentType) where data was expected")
            }
            guard let content else { return [] }
            return Array(try ASN1OctetString(berASN1Any: content, withIdentifier: .octetString).bytes)
        }
    }

    /// The EncryptedData of an `encryptedData` ContentInfo.
    var encryptedDataContent: PKCS12EncryptedData {
        get throws {
            guard contentType == Self.encryptedDataType, let content else {
                throw PSEKitError.malformedPKCS12("content type \(contentType) where encryptedData was expected")
            }
            return try PKCS12EncryptedData(berASN1Any: content, withIdentifier: .sequence)
        }
    }
}
