import SwiftASN1

/// An algorithm and its parameters, as PKCS#5, PKCS#8, PKCS#12 and the PSE objects use them.
///
/// ```
/// AlgorithmIdentifier ::= SEQUENCE {
///     algorithm   OBJECT IDENTIFIER,
///     parameters  ANY DEFINED BY algorithm OPTIONAL }
/// ```
package struct AlgorithmIdentifier: DERImplicitlyTaggable, BERImplicitlyTaggable, Hashable, Sendable {
    package static var defaultIdentifier: ASN1Identifier { .sequence }

    package var algorithm: ASN1ObjectIdentifier
    package var parameters: ASN1Any?

    package init(algorithm: ASN1ObjectIdentifier, parameters: ASN1Any?) {
        self.algorithm = algorithm
        self.parameters = parameters
    }

    /// An algorithm whose parameters are an explicit NULL (e.g. rsaEncryption, the HMAC PRFs, the digests).
    package static func withNullParameters(_ algorithm: ASN1ObjectIdentifier) -> AlgorithmIdentifier {
        AlgorithmIdentifier(algorithm: algorithm, parameters: try? ASN1Any(erasing: ASN1Null()))
    }

    package init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        try self.init(berEncoded: rootNode, withIdentifier: identifier)
    }

    package init(berEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try BER.sequence(rootNode, identifier: identifier) { nodes in
            let algorithm = try ASN1ObjectIdentifier(berEncoded: &nodes)
            let parameters = nodes.next().map { ASN1Any(berEncoded: $0) }
            return AlgorithmIdentifier(algorithm: algorithm, parameters: parameters)
        }
    }

    package func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(algorithm)
            if let parameters { try coder.serialize(parameters) }
        }
    }

    /// The parameters decoded as `T`, or a `malformed` error naming the algorithm.
    package func decodeParameters<T: BERImplicitlyTaggable>(as type: T.Type) throws -> T {
        guard let parameters else { throw PSEKitError.malformedPKCS12("\(algorithm) without parameters") }
        do {
            return try T(berASN1Any: parameters, withIdentifier: T.defaultIdentifier)
        } catch {
            throw PSEKitError.malformedPKCS12("parameters of \(algorithm) are not valid")
        }
    }
}
