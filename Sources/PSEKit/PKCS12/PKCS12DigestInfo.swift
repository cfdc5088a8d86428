import SwiftASN1

/// The MAC value of a PFX with its digest algorithm (RFC 7292 section 4; PKCS#1 DigestInfo).
///
/// ```
/// DigestInfo ::= SEQUENCE {
///     digestAlgorithm  AlgorithmIdentifier,   -- sha1, sha256, sha384, sha512 (parameters NULL or absent)
///     digest           OCTET STRING }         -- the HMAC value
/// ```
struct PKCS12DigestInfo: DERImplicitlyTaggable, BERImplicitlyTaggable, Hashable, Sendable {
    static var defaultIdentifier: ASN1Identifier { .sequence }

    var digestAlgorithm: AlgorithmIdentifier
    var digest: [UInt8]

    init(digestAlgorithm: AlgorithmIdentifier, digest: [UInt8]) {
        self.digestAlgorithm = digestAlgorithm
        self.digest = digest
    }

    init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        try self.init(berEncoded: rootNode, withIdentifier: identifier)
    }

    init(berEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try BER.sequence(rootNode, identifier: identifier) { nodes in
            let algorithm = try AlgorithmIdentifier(berEncoded: &nodes)
            let digest = try ASN1OctetString(berEncoded: &nodes)
            return PKCS12DigestInfo(digestAlgorithm: algorithm, digest: Array(digest.bytes))
        }
    }

    func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(digestAlgorithm)
            try coder.serialize(ASN1OctetString(contentBytes: digest[...]))
        }
    }
}
