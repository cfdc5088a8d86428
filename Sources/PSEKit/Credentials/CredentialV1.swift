import SwiftASN1

/// A credential written with LPS off: the PIN of the PSE at `psePath`, encrypted under a key derived
/// from the OS user name (see `CredentialV1Cipher`).
///
/// ```
/// CredentialV1 ::= SEQUENCE {
///     subject   IA5String,     -- "CN=PSEOwner"
///     unknown1  IA5String,     -- empty
///     psePath   IA5String,     -- absolute path of the PSE
///     unknown2  IA5String,     -- empty
///     cipher    BIT STRING }   -- CredentialV1Cipher, 0 unused bits
/// ```
public struct CredentialV1: Hashable, Sendable {
    /// The subject of the PSE's own certificate, as text.
    public var subject: String
    public var unknown1: String
    /// The absolute path of the PSE.
    public var psePath: String
    public var unknown2: String
    /// The cipher blob (the BIT STRING's bytes).
    public var cipher: [UInt8]

    public init(subject: String, unknown1: String = "", psePath: String, unknown2: String = "", cipher: [UInt8]) {
        self.subject = subject
        self.unknown1 = unknown1
        self.psePath = psePath
        self.unknown2 = unknown2
        self.cipher = cipher
    }
}

extension CredentialV1: DERImplicitlyTaggable {
    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            let subject = try ASN1IA5String(derEncoded: &nodes)
            let unknown1 = try ASN1IA5String(derEncoded: &nodes)
            let psePath = try ASN1IA5String(derEncoded: &nodes)
            let unknown2 = try ASN1IA5String(derEncoded: &nodes)
            let cipher = try ASN1BitString(derEncoded: &nodes)
            guard cipher.paddingBits == 0 else {
                throw ASN1Error.invalidASN1Object(reason: "credential cipher BIT STRING has unused bits")
            }
            return CredentialV1(subject: String(subject), unknown1: String(unknown1), psePath: String(psePath),
                                unknown2: String(unknown2), cipher: Array(cipher.bytes))
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        let subject = try Self.ia5(self.subject, field: "subject")
        let unknown1 = try Self.ia5(self.unknown1, field: "first unknown field")
        let psePath = try Self.ia5(self.psePath, field: "PSE path")
        let unknown2 = try Self.ia5(self.unknown2, field: "second unknown field")
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(subject)
            try coder.serialize(unknown1)
            try coder.serialize(psePath)
            try coder.serialize(unknown2)
            try coder.serialize(ASN1BitString(bytes: self.cipher[...]))
        }
    }

    private static func ia5(_ text: String, field: String) throws -> ASN1IA5String {
        do { return try ASN1IA5String(text) } catch { throw PSEKitError.notRepresentable(field: field) }
    }
}
