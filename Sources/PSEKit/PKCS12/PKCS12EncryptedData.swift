import SwiftASN1

/// The PKCS#7 EncryptedData as PKCS#12 uses it for password-encrypted SafeContents (RFC 2315
/// section 13).
///
/// ```
/// EncryptedData ::= SEQUENCE {
///     version               INTEGER,   -- 0
///     encryptedContentInfo  EncryptedContentInfo }
/// ```
struct PKCS12EncryptedData: DERImplicitlyTaggable, BERImplicitlyTaggable, Hashable, Sendable {
    static var defaultIdentifier: ASN1Identifier { .sequence }

    var version: Int
    var encryptedContentInfo: PKCS12EncryptedContentInfo

    init(encryptedContentInfo: PKCS12EncryptedContentInfo) {
        self.version = 0
        self.encryptedContentInfo = encryptedContentInfo
    }

    init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        try self.init(berEncoded: rootNode, withIdentifier: identifier)
    }

    init(berEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try BER.sequence(rootNode, identifier: identifier) { nodes in
            let version = try Int(berEncoded: &nodes)
            guard version == 0 || version == 2 else { throw PSEKitError.unsupportedVersion(version) }
            var data = PKCS12EncryptedData(encryptedContentInfo: try PKCS12EncryptedContentInfo(berEncoded: &nodes))
            data.version = version
            // unprotectedAttrs [1] (CMS) are ignored.
            while nodes.next() != nil {}
            return data
        }
    }

    func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(version)
            try coder.serialize(encryptedContentInfo)
        }
    }
}
