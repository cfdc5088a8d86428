#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SwiftASN1
import X509

/// A credential written with LPS on: the PIN of the PSE at `psePath`, inside an LPS blob.
///
/// ```
/// CredentialLPS ::= SEQUENCE {
///     version   INTEGER (2),
///     subject   Name,
///     psePath   UTF8String,
///     cipher    BIT STRING }   -- an LPS blob (LPSBlob), 0 unused bits
/// ```
///
/// The decrypted LPS data of a credential is one length byte n, n random bytes, then the PIN.
public struct CredentialLPS: Hashable, Sendable {
    public var version: Int
    /// The subject of the PSE's own certificate.
    public var subject: DistinguishedName
    /// The absolute path of the PSE.
    public var psePath: String
    /// The LPS blob (the BIT STRING's bytes).
    public var cipher: [UInt8]

    public init(version: Int = 2, subject: DistinguishedName, psePath: String, cipher: [UInt8]) {
        self.version = version
        self.subject = subject
        self.psePath = psePath
        self.cipher = cipher
    }

    /// The parsed LPS blob (its CRC-32 verified).
    package func lpsBlob() throws -> LPSBlob {
        try LPSBlob(bytes: cipher)
    }

    /// Decrypts the PIN. Fallback mode only; a blob restricted to another user than `user` fails.
    public func decrypt(forUser user: String) throws -> CredentialSecret {
        let blob = try lpsBlob()
        if let restrictedUser = blob.restrictedUser, restrictedUser != user {
            throw PSEKitError.lpsRestrictedToAnotherUser(restriction: blob.restrictionText, user: user)
        }
        let data = try blob.decryptData()
        guard let randomLength = data.first, data.count >= 1 + Int(randomLength) else {
            throw PSEKitError.malformedLPSBlob("the decrypted data is shorter than its random prefix")
        }
        let pinBytes = data[(1 + Int(randomLength))...]
        guard let pin = String(bytes: pinBytes, encoding: .utf8) else {
            throw PSEKitError.credentialDecryptionFailed(user: user)
        }
        return CredentialSecret(pin: pin)
    }
}

extension CredentialLPS: DERImplicitlyTaggable {
    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            let version = try Int(derEncoded: &nodes)
            let subject = try DistinguishedName(derEncoded: try PSEDER.next(&nodes, "subject"))
            let psePath = try ASN1UTF8String(derEncoded: &nodes)
            let cipher = try ASN1BitString(derEncoded: &nodes)
            guard cipher.paddingBits == 0 else {
                throw ASN1Error.invalidASN1Object(reason: "credential cipher BIT STRING has unused bits")
            }
            return CredentialLPS(version: version, subject: subject, psePath: String(psePath), cipher: Array(cipher.bytes))
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(self.version)
            try coder.serialize(self.subject)
            try coder.serialize(ASN1UTF8String(self.psePath))
            try coder.serialize(ASN1BitString(bytes: self.cipher[...]))
        }
    }
}
