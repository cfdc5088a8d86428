import SwiftASN1

/// The content a PKCS#7 / CMS `SignedData` signs (RFC 5652, section 5.2):
/// ```
/// EncapsulatedContentInfo ::= SEQUENCE {
///     eContentType  ContentType,
///     eContent      [0] EXPLICIT OCTET STRING OPTIONAL }
/// ```
/// PKCS#7 v1.5 allowed any type in `eContent`, so it is kept as written. A certificates-only
/// bundle has `eContentType` id-data and no `eContent`.
package struct PKCS7EncapsulatedContentInfo: DERImplicitlyTaggable, Hashable, Sendable {
    package static var defaultIdentifier: ASN1Identifier { .sequence }

    package var contentType: ASN1ObjectIdentifier
    package var content: ASN1Any?

    package init(contentType: ASN1ObjectIdentifier, content: ASN1Any? = nil) {
        self.contentType = contentType
        self.content = content
    }

    package init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        let decoded = try PKCS7TypedContent.decode(rootNode, identifier: identifier)
        self.init(contentType: decoded.contentType, content: decoded.content)
    }

    package func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try PKCS7TypedContent.serialize(contentType: contentType, content: content, into: &coder, identifier: identifier)
    }
}
