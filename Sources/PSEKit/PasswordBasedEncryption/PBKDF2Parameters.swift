import SwiftASN1

/// The parameters of PBKDF2 (RFC 8018, appendix A.2).
///
/// ```
/// PBKDF2-params ::= SEQUENCE {
///     salt CHOICE {
///         specified    OCTET STRING,
///         otherSource  AlgorithmIdentifier {{PBKDF2-SaltSources}} },
///     iterationCount   INTEGER (1..MAX),
///     keyLength        INTEGER (1..MAX) OPTIONAL,
///     prf              AlgorithmIdentifier {{PBKDF2-PRFs}} DEFAULT algid-hmacWithSHA1 }
/// ```
/// Only the `specified` salt is supported (the other choice is reserved by the RFC).
struct PBKDF2Parameters: DERImplicitlyTaggable, BERImplicitlyTaggable, Hashable, Sendable {
    static var defaultIdentifier: ASN1Identifier { .sequence }

    var salt: [UInt8]
    var iterationCount: Int
    var keyLength: Int?
    var pseudoRandomFunction: AlgorithmIdentifier

    static let defaultPseudoRandomFunction = AlgorithmIdentifier.withNullParameters(PKCS12ObjectIdentifier.hmacWithSHA1)

    init(salt: [UInt8], iterationCount: Int, keyLength: Int?, pseudoRandomFunction: AlgorithmIdentifier) {
        self.salt = salt
        self.iterationCount = iterationCount
        self.keyLength = keyLength
        self.pseudoRandomFunction = pseudoRandomFunction
    }

    init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        try self.init(berEncoded: rootNode, withIdentifier: identifier)
    }

    init(berEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try BER.sequence(rootNode, identifier: identifier) { nodes in
            let salt = try ASN1OctetString(berEncoded: &nodes)
            let iterationCount = try Int(berEncoded: &nodes)
            var keyLength: Int?
            var prf = PBKDF2Parameters.defaultPseudoRandomFunction
            while let node = nodes.next() {
                if node.identifier == .integer, keyLength == nil {
                    keyLength = try Int(berEncoded: node)
                } else if node.identifier == .sequence {
                    prf = try AlgorithmIdentifier(berEncoded: node)
                } else {
                    throw ASN1Error.unexpectedFieldType(node.identifier)
                }
            }
            return PBKDF2Parameters(salt: Array(salt.bytes), iterationCount: iterationCount, keyLength: keyLength,
                                    pseudoRandomFunction: prf)
        }
    }

    func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(ASN1OctetString(contentBytes: salt[...]))
            try coder.serialize(iterationCount)
            if let keyLength { try coder.serialize(keyLength) }
            if pseudoRandomFunction.algorithm != PKCS12ObjectIdentifier.hmacWithSHA1 {   // DEFAULT is omitted in DER
                try coder.serialize(pseudoRandomFunction)
            }
        }
    }
}
