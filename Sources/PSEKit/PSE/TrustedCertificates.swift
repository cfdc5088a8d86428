import SwiftASN1
import X509

/// The value of `CertList`: the trusted certificates (what `maintain_pk` lists and edits).
///
/// ```
/// TrustedCertificates ::= SET OF Certificate
/// ```
///
/// Certificates are kept as the DER they were read from and listed in file order. Members that
/// swift-certificates cannot read (it rejects, for example, RSA keys under 2048 bits, which older
/// PSEs do trust) are kept as their DER in ``unreadableCertificates`` and written back unchanged,
/// so that such a PSE still opens and psekit never drops what it does not understand.
package struct TrustedCertificates: DERImplicitlyTaggable, Hashable, Sendable {
    package static var defaultIdentifier: ASN1Identifier { .set }

    package var certificates: [Certificate]
    /// The members that are not certificates swift-certificates can read, as read, in file order.
    package var unreadableCertificates: [ASN1Any]

    package init(_ certificates: [Certificate], unreadableCertificates: [ASN1Any] = []) {
        self.certificates = certificates
        self.unreadableCertificates = unreadableCertificates
    }

    package init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        guard rootNode.identifier == identifier, case .constructed(let members) = rootNode.content else {
            throw ASN1Error.unexpectedFieldType(rootNode.identifier)
        }
        var certificates: [Certificate] = []
        var unreadable: [ASN1Any] = []
        for member in members {
            if member.identifier == .sequence, let certificate = try? Certificate(derEncoded: member) {
                certificates.append(certificate)
            } else {
                unreadable.append(ASN1Any(derEncoded: member))
            }
        }
        self.init(certificates, unreadableCertificates: unreadable)
    }

    package func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        if unreadableCertificates.isEmpty {
            try coder.serializeSetOf(certificates, identifier: identifier)
        } else {
            try coder.serializeSetOf(try certificates.map { try ASN1Any(erasing: $0) } + unreadableCertificates, identifier: identifier)
        }
    }
}
