import SwiftASN1
import X509

/// The value of `FCPath`: the CA chain of the own certificate, one level per SET, starting with
/// the issuer of the own certificate.
///
/// ```
/// CertificationPath ::= SEQUENCE OF SET OF Certificate
/// ```
///
/// (Reported by public reverse-engineering work; no sample file shows it.)
package struct CertificationPath: DERImplicitlyTaggable, Hashable, Sendable {
    package static var defaultIdentifier: ASN1Identifier { .sequence }

    /// Each level's certificates; usually one per level.
    package var levels: [[Certificate]]

    package init(levels: [[Certificate]]) {
        self.levels = levels
    }

    /// A chain with one certificate per level, issuer of the own certificate first.
    package init(chain: [Certificate]) {
        self.levels = chain.map { [$0] }
    }

    package var certificates: [Certificate] { levels.flatMap { $0 } }

    package init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        guard rootNode.identifier == identifier, case .constructed(let levelNodes) = rootNode.content else {
            throw ASN1Error.unexpectedFieldType(rootNode.identifier)
        }
        self.levels = try levelNodes.map { level in
            guard level.identifier == .set, case .constructed(let members) = level.content else {
                throw ASN1Error.unexpectedFieldType(level.identifier)
            }
            return try members.map { try Certificate(derEncoded: $0) }
        }
    }

    package func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            for level in levels { try coder.serializeSetOf(level) }
        }
    }
}
