import SwiftASN1

/// The list of ContentInfos a PFX protects (RFC 7292 section 4.1): each is `data` (a plain
/// SafeContents) or `encryptedData` (a password-encrypted SafeContents).
///
/// ```
/// AuthenticatedSafe ::= SEQUENCE OF ContentInfo
/// ```
struct PKCS12AuthenticatedSafe: DERImplicitlyTaggable, BERImplicitlyTaggable, Hashable, Sendable {
    static var defaultIdentifier: ASN1Identifier { .sequence }

    var contents: [ContentInfo]

    init(contents: [ContentInfo]) {
        self.contents = contents
    }

    init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        try self.init(berEncoded: rootNode, withIdentifier: identifier)
    }

    init(berEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        contents = try BER.sequence(of: ContentInfo.self, identifier: identifier, rootNode: rootNode)
    }

    func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.serializeSequenceOf(contents, identifier: identifier)
    }
}
