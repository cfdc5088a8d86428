import SwiftASN1

/// The body of an LPS-protected PSE (version 256, what STRUST writes in "Protected" mode), as
/// pysap's `SAPPSEFile.decrypt_lps` reads it.
///
/// ```
/// LPSProtected ::= [0] IMPLICIT SEQUENCE {
///     lpsBlob           OCTET STRING,          -- an LPS blob (LPSBlob) wrapping the content key
///     algorithm         AlgorithmIdentifier,   -- aes256-CBC (2.16.840.1.101.3.4.1.42)
///     encryptedContent  OCTET STRING }         -- DER of PSEContent, encrypted
/// ```
///
/// The LPS blob's data is 48 bytes: the AES-256 key, then the IV.
package struct LPSProtectedBody: DERImplicitlyTaggable, Hashable, Sendable {
    package static var defaultIdentifier: ASN1Identifier { ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) }

    package var lpsBlob: [UInt8]
    /// The content algorithm's OID (its parameters, if any, are not used).
    package var algorithm: ASN1ObjectIdentifier
    package var encryptedContent: [UInt8]

    package init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            let blob = try ASN1OctetString(derEncoded: &nodes)
            let algorithm = try AlgorithmIdentifier(derEncoded: try PSEDER.next(&nodes, "LPS PSE algorithm")).algorithm
            let content = try ASN1OctetString(derEncoded: &nodes)
            return LPSProtectedBody(lpsBlob: Array(blob.bytes), algorithm: algorithm, encryptedContent: Array(content.bytes))
        }
    }

    private init(lpsBlob: [UInt8], algorithm: ASN1ObjectIdentifier, encryptedContent: [UInt8]) {
        self.lpsBlob = lpsBlob
        self.algorithm = algorithm
        self.encryptedContent = encryptedContent
    }

    package func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(ASN1OctetString(contentBytes: lpsBlob[...]))
            try coder.serialize(AlgorithmIdentifier(algorithm: algorithm, parameters: nil))
            try coder.serialize(ASN1OctetString(contentBytes: encryptedContent[...]))
        }
    }
}
