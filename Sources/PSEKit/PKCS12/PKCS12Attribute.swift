import SwiftASN1

/// An attribute of a PKCS#12 safe bag (RFC 7292 section 4.2); psekit reads and writes
/// `friendlyName` (a BMPString) and `localKeyId` (an OCTET STRING) and keeps others as they are.
///
/// ```
/// PKCS12Attribute ::= SEQUENCE {
///     attrId      OBJECT IDENTIFIER,
///     attrValues  SET OF ANY DEFINED BY attrId }
/// ```
struct PKCS12Attribute: DERImplicitlyTaggable, BERImplicitlyTaggable, Hashable, Sendable {
    static var defaultIdentifier: ASN1Identifier { .sequence }

    var type: ASN1ObjectIdentifier
    var values: [ASN1Any]

    init(type: ASN1ObjectIdentifier, values: [ASN1Any]) {
        self.type = type
        self.values = values
    }

    static func friendlyName(_ name: String) throws -> PKCS12Attribute {
        PKCS12Attribute(type: PKCS12ObjectIdentifier.friendlyName, values: [try ASN1Any(erasing: PKCS12Encoding.bmpString(name))])
    }

    static func localKeyID(_ id: [UInt8]) throws -> PKCS12Attribute {
        PKCS12Attribute(type: PKCS12ObjectIdentifier.localKeyID, values: [try ASN1Any(erasing: ASN1OctetString(contentBytes: id[...]))])
    }

    /// The value of a `friendlyName` attribute.
    var friendlyName: String? {
        guard type == PKCS12ObjectIdentifier.friendlyName, let value = values.first,
              let bmp = try? ASN1BMPString(berASN1Any: value, withIdentifier: .bmpString) else { return nil }
        return PKCS12Encoding.string(fromBMP: bmp.bytes)
    }

    /// The value of a `localKeyId` attribute.
    var localKeyID: [UInt8]? {
        guard type == PKCS12ObjectIdentifier.localKeyID, let value = values.first,
              let octets = try? ASN1OctetString(berASN1Any: value, withIdentifier: .octetString) else { return nil }
        return Array(octets.bytes)
    }

    init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        try self.init(berEncoded: rootNode, withIdentifier: identifier)
    }

    init(berEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try BER.sequence(rootNode, identifier: identifier) { nodes in
            let type = try ASN1ObjectIdentifier(berEncoded: &nodes)
            let values = try BER.set(of: ASN1Any.self, identifier: .set, nodes: &nodes)
            return PKCS12Attribute(type: type, values: values)
        }
    }

    func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(type)
            try coder.serializeSetOf(values)
        }
    }
}
