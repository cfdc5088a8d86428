import SwiftASN1

/// The outer wrapper of a PKCS#7 / CMS message (RFC 5652, section 3):
/// ```
/// ContentInfo ::= SEQUENCE {
///     contentType  ContentType,
///     content      [0] EXPLICIT ANY DEFINED BY contentType OPTIONAL }
///
/// ContentType ::= OBJECT IDENTIFIER
/// ```
/// Certificate bundles (`.p7b`, `.p7c`, `-----BEGIN PKCS7-----`) carry a ``PKCS7SignedData`` here.
package struct PKCS7ContentInfo: DERImplicitlyTaggable, Hashable, Sendable {
    /// id-data, 1.2.840.113549.1.7.1
    package static let dataContentType: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 7, 1]
    /// id-signedData, 1.2.840.113549.1.7.2
    package static let signedDataContentType: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 7, 2]

    package static var defaultIdentifier: ASN1Identifier { .sequence }

    package var contentType: ASN1ObjectIdentifier
    package var content: ASN1Any?

    package init(contentType: ASN1ObjectIdentifier, content: ASN1Any?) {
        self.contentType = contentType
        self.content = content
    }

    /// A ContentInfo holding `signedData`.
    package init(_ signedData: PKCS7SignedData) throws {
        self.contentType = Self.signedDataContentType
        self.content = try ASN1Any(erasing: signedData)
    }

    package init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        let decoded = try PKCS7TypedContent.decode(rootNode, identifier: identifier)
        self.init(contentType: decoded.contentType, content: decoded.content)
    }

    package func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try PKCS7TypedContent.serialize(contentType: contentType, content: content, into: &coder, identifier: identifier)
    }

    /// The signed data inside, or `nil` when the content is of another type or absent.
    package func signedData() throws -> PKCS7SignedData? {
        guard contentType == Self.signedDataContentType, let content else { return nil }
        return try PKCS7SignedData(asn1Any: content)
    }
}
