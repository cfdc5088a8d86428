import SwiftASN1

/// The parameters of the PKCS#12 password-based encryption schemes (RFC 7292, appendix C),
/// e.g. `pbeWithSHAAnd3-KeyTripleDES-CBC`.
///
/// ```
/// pkcs-12PbeParams ::= SEQUENCE {
///     salt        OCTET STRING,
///     iterations  INTEGER }
/// ```
struct PKCS12PBEParameters: DERImplicitlyTaggable, BERImplicitlyTaggable, Hashable, Sendable {
    static var defaultIdentifier: ASN1Identifier { .sequence }

    var salt: [UInt8]
    var iterations: Int

    init(salt: [UInt8], iterations: Int) {
        self.salt = salt
        self.iterations = iterations
    }

    init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        try self.init(berEncoded: rootNode, withIdentifier: identifier)
    }

    init(berEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try BER.sequence(rootNode, identifier: identifier) { nodes in
            let salt = try ASN1OctetString(berEncoded: &nodes)
            let iterations = try Int(berEncoded: &nodes)
            return PKCS12PBEParameters(salt: Array(salt.bytes), iterations: iterations)
        }
    }

    func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(ASN1OctetString(contentBytes: salt[...]))
            try coder.serialize(iterations)
        }
    }
}
