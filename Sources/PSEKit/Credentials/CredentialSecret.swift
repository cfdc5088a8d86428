import SwiftASN1

/// The decrypted content of an LPS-off credential: the PIN of the PSE and, optionally, the name of a
/// provider that wraps it further (`MSCryptProtect` for Windows DPAPI).
///
/// ```
/// CredentialSecret ::= SEQUENCE {
///     pin      IA5String,
///     option1  IA5String OPTIONAL,
///     ... }                      -- pysap reads option2 and option3 here too; they are ignored
/// ```
///
/// `description` never shows the PIN.
public struct CredentialSecret: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The PSE's PIN.
    public var pin: String
    /// The provider that wraps the PIN further, when there is one.
    public var option1: String?

    public init(pin: String, option1: String? = nil) {
        self.pin = pin
        self.option1 = option1
    }

    /// The provider name SAP writes when the PIN is wrapped by Windows DPAPI (`CryptProtectData`).
    public static let windowsDPAPIProvider = "MSCryptProtect"

    /// Whether `pin` is not the PIN but a Windows DPAPI blob (`option1` is `MSCryptProtect`): only
    /// the Windows account that stored it can unwrap it, so it must never be used as a PIN.
    public var isWindowsDPAPIProtected: Bool { option1 == Self.windowsDPAPIProvider }

    public var description: String {
        "CredentialSecret(pin: <\(pin.utf8.count) bytes>\(option1.map { ", option1: \($0)" } ?? ""))"
    }

    public var debugDescription: String { description }
}

extension CredentialSecret: DERImplicitlyTaggable {
    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            let pin = try ASN1IA5String(derEncoded: &nodes)
            var option1: ASN1IA5String?
            if let next = nodes.next() {
                option1 = try ASN1IA5String(derEncoded: next)
            }
            // Further options (pysap's option2, option3) are not used.
            while nodes.next() != nil {}
            return CredentialSecret(pin: String(pin), option1: option1.map { String($0) })
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        let pin: ASN1IA5String
        do { pin = try ASN1IA5String(self.pin) } catch { throw PSEKitError.notRepresentable(field: "PIN") }
        var option1: ASN1IA5String?
        if let text = self.option1 {
            do { option1 = try ASN1IA5String(text) } catch { throw PSEKitError.notRepresentable(field: "option1") }
        }
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(pin)
            if let option1 { try coder.serialize(option1) }
        }
    }
}
