import SwiftASN1
import X509

/// The value of `CertList`: the trusted certificates (what `maintain_pk` lists and edits).
///
/// ```
/// TrustedCertificates ::= SET OF Certificate
/// ```
///
/// Certificates are kept as the DER they were read from and listed in file order.
public struct TrustedCertificates: DERImplicitlyTaggable, Hashable, Sendable {
    public static var defaultIdentifier: ASN1Identifier { .set }

    public var certificates: [Certificate]

    public init(_ certificates: [Certificate]) {
        self.certificates = certificates
    }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        guard rootNode.identifier == identifier, case .constructed(let members) = rootNode.content else {
            throw ASN1Error.unexpectedFieldType(rootNode.identifier)
        }
        self.certificates = try members.map { try Certificate(derEncoded: $0) }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.serializeSetOf(certificates, identifier: identifier)
    }
}
