import SwiftASN1

/// A list of safe bags (RFC 7292 section 4.2); the plaintext inside each ContentInfo of the
/// AuthenticatedSafe.
///
/// ```
/// SafeContents ::= SEQUENCE OF SafeBag
/// ```
struct PKCS12SafeContents: DERImplicitlyTaggable, BERImplicitlyTaggable, Hashable, Sendable {
    static var defaultIdentifier: ASN1Identifier { .sequence }

    var bags: [PKCS12SafeBag]

    init(bags: [PKCS12SafeBag]) {
        self.bags = bags
    }

    init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        try self.init(berEncoded: rootNode, withIdentifier: identifier)
    }

    init(berEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        bags = try BER.sequence(of: PKCS12SafeBag.self, identifier: identifier, rootNode: rootNode)
    }

    func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.serializeSequenceOf(bags, identifier: identifier)
    }
}
