import SwiftASN1

/// The shape `ContentInfo` and `EncapsulatedContentInfo` share (RFC 5652, sections 3 and 5.2):
/// ```
/// SEQUENCE {
///     contentType  OBJECT IDENTIFIER,
///     content      [0] EXPLICIT ANY DEFINED BY contentType OPTIONAL }
/// ```
/// The two stay separate types (they mean different things); this reads and writes their DER.
enum PKCS7TypedContent {
    static func decode(_ rootNode: ASN1Node, identifier: ASN1Identifier) throws
        -> (contentType: ASN1ObjectIdentifier, content: ASN1Any?) {
        try DER.sequence(rootNode, identifier: identifier) { nodes in
            let contentType = try ASN1ObjectIdentifier(derEncoded: &nodes)
            let content = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) { node in
                ASN1Any(derEncoded: node)
            }
            return (contentType, content)
        }
    }

    static func serialize(contentType: ASN1ObjectIdentifier, content: ASN1Any?, into coder: inout DER.Serializer,
                          identifier: ASN1Identifier) throws {
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
