import SwiftASN1

/// The parameters of PBES2 (RFC 8018, appendix A.4): a key derivation function (PBKDF2) and a
/// cipher with its own parameters (usually the IV).
///
/// ```
/// PBES2-params ::= SEQUENCE {
///     keyDerivationFunc  AlgorithmIdentifier {{PBES2-KDFs}},
///     encryptionScheme   AlgorithmIdentifier {{PBES2-Encs}} }
/// ```
struct PBES2Parameters: DERImplicitlyTaggable, BERImplicitlyTaggable, Hashable, Sendable {
    static var defaultIdentifier: ASN1Identifier { .sequence }

    var keyDerivationFunction: AlgorithmIdentifier
    var encryptionScheme: AlgorithmIdentifier

    init(keyDerivationFunction: AlgorithmIdentifier, encryptionScheme: AlgorithmIdentifier) {
        self.keyDerivationFunction = keyDerivationFunction
        self.encryptionScheme = encryptionScheme
    }

    init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        try self.init(berEncoded: rootNode, withIdentifier: identifier)
    }

    init(berEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try BER.sequence(rootNode, identifier: identifier) { nodes in
            PBES2Parameters(keyDerivationFunction: try AlgorithmIdentifier(berEncoded: &nodes),
                            encryptionScheme: try AlgorithmIdentifier(berEncoded: &nodes))
        }
    }

    func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(keyDerivationFunction)
            try coder.serialize(encryptionScheme)
        }
    }
}
