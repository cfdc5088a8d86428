import SwiftASN1

/// One item of a PKCS#12 file (RFC 7292 section 4.2): a key, a shrouded (encrypted) key, a
/// certificate, or nested safe contents, with optional attributes.
///
/// ```
/// SafeBag ::= SEQUENCE {
///     bagId          OBJECT IDENTIFIER,
///     bagValue       [0] EXPLICIT ANY DEFINED BY bagId,
///     bagAttributes  SET OF PKCS12Attribute OPTIONAL }
/// ```
/// bagValue is a PrivateKeyInfo (keyBag), an EncryptedPrivateKeyInfo (pkcs8ShroudedKeyBag), a
/// CertBag (certBag) or a SafeContents (safeContentsBag).
struct PKCS12SafeBag: DERImplicitlyTaggable, BERImplicitlyTaggable, Hashable, Sendable {
    static var defaultIdentifier: ASN1Identifier { .sequence }

    var bagType: ASN1ObjectIdentifier
    var bagValue: ASN1Any
    var attributes: [PKCS12Attribute]

    init(bagType: ASN1ObjectIdentifier, bagValue: ASN1Any, attributes: [PKCS12Attribute]) {
        self.bagType = bagType
        self.bagValue = bagValue
        self.attributes = attributes
    }

    var friendlyName: String? { attributes.lazy.compactMap(\.friendlyName).first }
    var localKeyID: [UInt8]? { attributes.lazy.compactMap(\.localKeyID).first }

    init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        try self.init(berEncoded: rootNode, withIdentifier: identifier)
    }

    init(berEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try BER.sequence(rootNode, identifier: identifier) { nodes in
            let type = try ASN1ObjectIdentifier(berEncoded: &nodes)
            let value = try BER.explicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) { ASN1Any(berEncoded: $0) }
            var attributes: [PKCS12Attribute] = []
            if let node = nodes.next() {
                attributes = try BER.set(of: PKCS12Attribute.self, identifier: .set, rootNode: node)
            }
            return PKCS12SafeBag(bagType: type, bagValue: value, attributes: attributes)
        }
    }

    func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(bagType)
            try coder.serialize(explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) { coder in
                try coder.serialize(bagValue)
            }
            if !attributes.isEmpty { try coder.serializeSetOf(attributes) }
        }
    }
}
