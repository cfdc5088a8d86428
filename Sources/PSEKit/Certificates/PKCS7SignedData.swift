import SwiftASN1
import X509

/// PKCS#7 / CMS `SignedData` (RFC 5652, section 5.1), read only as far as certificate bundles need:
/// ```
/// SignedData ::= SEQUENCE {
///     version           CMSVersion,
///     digestAlgorithms  DigestAlgorithmIdentifiers,
///     encapContentInfo  EncapsulatedContentInfo,
///     certificates      [0] IMPLICIT CertificateSet OPTIONAL,
///     crls              [1] IMPLICIT RevocationInfoChoices OPTIONAL,
///     signerInfos       SignerInfos }
///
/// DigestAlgorithmIdentifiers ::= SET OF DigestAlgorithmIdentifier
/// CertificateSet ::= SET OF CertificateChoices
/// CertificateChoices ::= CHOICE {
///     certificate          Certificate,
///     extendedCertificate  [0] IMPLICIT ExtendedCertificate,   -- obsolete
///     v1AttrCert           [1] IMPLICIT AttributeCertificateV1, -- obsolete
///     v2AttrCert           [2] IMPLICIT AttributeCertificateV2,
///     other                [3] IMPLICIT OtherCertificateFormat }
/// SignerInfos ::= SET OF SignerInfo
/// ```
/// The digest algorithms and signer infos are kept raw; CRLs are skipped; of the certificate
/// choices only plain X.509 certificates are kept. Certificates keep the order they are written
/// in (OpenSSL and Windows write chains unsorted, so no SET OF ordering is enforced or imposed).
package struct PKCS7SignedData: DERImplicitlyTaggable, Hashable, Sendable {
    package static var defaultIdentifier: ASN1Identifier { .sequence }

    static let certificatesTag = ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)

    package var version: Int
    /// The `DigestAlgorithmIdentifiers`, each an `AlgorithmIdentifier` kept as written.
    package var digestAlgorithms: [ASN1Any]
    package var encapContentInfo: PKCS7EncapsulatedContentInfo
    /// The X.509 certificates of the `certificates` field, in file order; `nil` when it is absent.
    package var certificates: [Certificate]?
    /// Certificates of the `certificates` field that swift-certificates refuses for an RSA key
    /// under 2048 bits, as DER (read only; never written).
    package var weakCertificates: [[UInt8]] = []
    /// The `SignerInfos` SET, kept as written.
    package var signerInfos: ASN1Any

    package init(version: Int, digestAlgorithms: [ASN1Any], encapContentInfo: PKCS7EncapsulatedContentInfo,
                certificates: [Certificate]?, signerInfos: ASN1Any) {
        self.version = version
        self.digestAlgorithms = digestAlgorithms
        self.encapContentInfo = encapContentInfo
        self.certificates = certificates
        self.signerInfos = signerInfos
    }

    /// A certificates-only ("degenerate") SignedData, as `openssl crl2pkcs7 -nocrl` writes it:
    /// version 1, no digest algorithms, id-data without content, no signers.
    package static func certificatesOnly(_ certificates: [Certificate]) -> PKCS7SignedData {
        PKCS7SignedData(
            version: 1,
            digestAlgorithms: [],
            encapContentInfo: PKCS7EncapsulatedContentInfo(contentType: ContentInfo.dataType),
            certificates: certificates,
            signerInfos: emptySet
        )
    }

    static let emptySet: ASN1Any = ASN1Any(derEncoded: try! DER.parse([0x31, 0x00]))  // an empty SET is valid DER

    package init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            let version = try Int(derEncoded: &nodes)
            guard let digestSet = nodes.next(), digestSet.identifier == .set,
                  case .constructed(let digestNodes) = digestSet.content else {
                throw ASN1Error.invalidASN1Object(reason: "SignedData.digestAlgorithms is not a SET")
            }
            let digestAlgorithms = digestNodes.map { ASN1Any(derEncoded: $0) }
            let encapContentInfo = try PKCS7EncapsulatedContentInfo(derEncoded: &nodes)
            var weakCertificates: [[UInt8]] = []
            let certificates = try DER.optionalImplicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) {
                node -> [Certificate] in
                guard case .constructed(let choices) = node.content else {
                    throw ASN1Error.invalidASN1Object(reason: "SignedData.certificates is not constructed")
                }
                // Only the `certificate` choice (a universal SEQUENCE); attribute certificates are skipped.
                return try choices.filter { $0.identifier == .sequence }.compactMap { choice -> Certificate? in
                    do {
                        return try Certificate(derEncoded: choice)
                    } catch where CertificateOutline.isWeak(Array(choice.encodedBytes)) {
                        weakCertificates.append(Array(choice.encodedBytes))
                        return nil
                    }
                }
            }
            _ = DER.optionalImplicitlyTagged(&nodes, tagNumber: 1, tagClass: .contextSpecific) { _ in }
            guard let signerInfosNode = nodes.next(), signerInfosNode.identifier == .set else {
                throw ASN1Error.invalidASN1Object(reason: "SignedData.signerInfos is not a SET")
            }
            var signedData = PKCS7SignedData(
                version: version, digestAlgorithms: digestAlgorithms, encapContentInfo: encapContentInfo,
                certificates: certificates, signerInfos: ASN1Any(derEncoded: signerInfosNode))
            signedData.weakCertificates = weakCertificates
            return signedData
        }
    }

    package func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(self.version)
            try coder.serializeSetOf(self.digestAlgorithms)
            try coder.serialize(self.encapContentInfo)
            if let certificates = self.certificates {
                try coder.appendConstructedNode(identifier: Self.certificatesTag) { coder in
                    for certificate in certificates {
                        try coder.serialize(certificate)
                    }
                }
            }
            try coder.serialize(self.signerInfos)
        }
    }
}
