import SwiftASN1

/// The value of a PKCS#12 `certBag` (RFC 7292 section 4.2.3). Only X.509 certificates are
/// read; other certificate types (SDSI) are reported as unsupported by the caller.
///
/// ```
/// CertBag ::= SEQUENCE {
///     certId     OBJECT IDENTIFIER,              -- x509Certificate: 1.2.840.113549.1.9.22.1
///     certValue  [0] EXPLICIT ANY DEFINED BY certId }  -- for X.509: OCTET STRING with the DER
/// ```
struct PKCS12CertBag: DERImplicitlyTaggable, BERImplicitlyTaggable, Hashable, Sendable {
    static var defaultIdentifier: ASN1Identifier { .sequence }

    var certificateType: ASN1ObjectIdentifier
    var certificateValue: ASN1Any

    /// A bag for the DER of an X.509 certificate.
    init(x509Certificate der: [UInt8]) throws {
        certificateType = PKCS12ObjectIdentifier.x509Certificate
        certificateValue = try ASN1Any(erasing: ASN1OctetString(contentBytes: der[...]))
    }

    private init(certificateType: ASN1ObjectIdentifier, certificateValue: ASN1Any) {
        self.certificateType = certificateType
        self.certificateValue = certificateValue
    }

    /// The DER of the X.509 certificate, or nil for another certificate type.
    var x509CertificateDER: [UInt8]? {
        get throws {
            guard certificateType == PKCS12ObjectIdentifier.x509Certificate else { return nil }
            return Array(try ASN1OctetString(berASN1Any: certificateValue, withIdentifier: .octetString).bytes)
        }
    }

    init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        try self.init(berEncoded: rootNode, withIdentifier: identifier)
    }

    init(berEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try BER.sequence(rootNode, identifier: identifier) { nodes in
            let type = try ASN1ObjectIdentifier(berEncoded: &nodes)
            let value = try BER.explicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) { ASN1Any(berEncoded: $0) }
            return PKCS12CertBag(certificateType: type, certificateValue: value)
        }
    }

    func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(certificateType)
            try coder.serialize(explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) { coder in
                try coder.serialize(certificateValue)
            }
        }
    }
}
