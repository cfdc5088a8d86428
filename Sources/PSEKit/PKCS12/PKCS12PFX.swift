import SwiftASN1

/// The outermost structure of a PKCS#12 file (RFC 7292 section 4).
///
/// ```
/// PFX ::= SEQUENCE {
///     version   INTEGER {v3(3)}(v3,...),
///     authSafe  ContentInfo,              -- data: the DER of an AuthenticatedSafe
///     macData   MacData OPTIONAL }
/// ```
/// Only password integrity (a `data` authSafe with MacData, or none) is supported, not the
/// public-key integrity mode (`signedData`).
struct PKCS12PFX: DERImplicitlyTaggable, BERImplicitlyTaggable, Hashable, Sendable {
    static var defaultIdentifier: ASN1Identifier { .sequence }

    var version: Int
    var authSafe: ContentInfo
    var macData: PKCS12MacData?

    init(authSafe: ContentInfo, macData: PKCS12MacData?) {
        self.version = 3
        self.authSafe = authSafe
        self.macData = macData
    }

    init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        try self.init(berEncoded: rootNode, withIdentifier: identifier)
    }

    init(berEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try BER.sequence(rootNode, identifier: identifier) { nodes in
            let version = try Int(berEncoded: &nodes)
            guard version == 3 else { throw PSEKitError.unsupportedVersion(version) }
            let authSafe = try ContentInfo(berEncoded: &nodes)
            let macData = try nodes.next().map { try PKCS12MacData(berEncoded: $0) }
            return PKCS12PFX(authSafe: authSafe, macData: macData)
        }
    }

    func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(version)
            try coder.serialize(authSafe)
            if let macData { try coder.serialize(macData) }
        }
    }
}
