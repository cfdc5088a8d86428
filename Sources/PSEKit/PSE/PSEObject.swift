import SwiftASN1

/// One named object of a PSE: a key, a certificate, a list of trusted certificates, ...
///
/// ```
/// PSEObject ::= SEQUENCE {
///     name      PrintableString,        -- "SKnew", "Cert", "PKRoot", "CertList", ...
///     modified  GeneralizedTime,
///     type      OBJECT IDENTIFIER,
///     value     ANY DEFINED BY type }
/// ```
///
/// The value is kept as the DER it was read from, so that objects psekit does not understand are
/// written back unchanged. The package-internal `PSEObjectType` names the known types.
public struct PSEObject: DERImplicitlyTaggable, Hashable, Sendable {
    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public var name: String
    public var modified: GeneralizedTime
    public var type: ASN1ObjectIdentifier
    public var value: ASN1Any

    public init(name: String, modified: GeneralizedTime, type: ASN1ObjectIdentifier, value: ASN1Any) {
        self.name = name
        self.modified = modified
        self.type = type
        self.value = value
    }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            let name = try ASN1PrintableString(derEncoded: &nodes)
            let modified = try GeneralizedTime(derEncoded: &nodes)
            let type = try ASN1ObjectIdentifier(derEncoded: &nodes)
            guard let valueNode = nodes.next() else {
                throw ASN1Error.invalidASN1Object(reason: "PSE object \(String(name)) has no value")
            }
            return PSEObject(name: String(name), modified: modified, type: type, value: ASN1Any(derEncoded: valueNode))
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(ASN1PrintableString(name))
            try coder.serialize(modified)
            try coder.serialize(type)
            try coder.serialize(value)
        }
    }

    /// The DER of the value.
    public var valueDER: [UInt8] {
        get throws { try PSEDER.encode(value) }
    }
}
