import SwiftASN1
import X509

/// One entry of a `cred_v2` file.
///
/// ```
/// Credential ::= CHOICE {
///     v1   CredentialV1,     -- LPS off: SEQUENCE { IA5String, ... }
///     lps  CredentialLPS }   -- LPS on:  SEQUENCE { INTEGER 2, ... }
/// ```
///
/// An entry of neither shape is kept as its raw DER (`unrecognized`) and written back unchanged.
public enum Credential: Hashable, Sendable {
    case v1(CredentialV1)
    case lps(CredentialLPS)
    case unrecognized(ASN1Any)

    /// The subject of the PSE's own certificate, as text; nil for an unrecognized entry.
    public var subject: String? {
        switch self {
        case .v1(let credential): return credential.subject
        case .lps(let credential): return SAPDistinguishedName.format(credential.subject)
        case .unrecognized: return nil
        }
    }

    /// The path of the PSE; nil for an unrecognized entry.
    public var psePath: String? {
        switch self {
        case .v1(let credential): return credential.psePath
        case .lps(let credential): return credential.psePath
        case .unrecognized: return nil
        }
    }

    /// How the PIN is protected.
    public var protection: CredentialProtection {
        switch self {
        case .v1: return .lpsOff
        case .lps(let credential):
            guard credential.cipher.count >= 2 else { return .unrecognized }
            return .lps(LPSProtection(typeByte: credential.cipher[1]))
        case .unrecognized: return .unrecognized
        }
    }

    /// The cipher, in words: "AES-256", "3DES", "3DES (format 0)", "LPS".
    public var cipherDescription: String {
        switch self {
        case .v1(let credential):
            let cipher = CredentialV1Cipher(blob: credential.cipher)
            switch cipher.format {
            case .zero: return "3DES (format 0)"
            case .one: return cipher.algorithm?.description ?? "unknown algorithm \(cipher.algorithmCode)"
            }
        case .lps(let credential):
            // The content key's size is only known after unwrapping it.
            if let blob = try? credential.lpsBlob(), blob.protection == .fallback, let keyLength = try? blob.dataKeyLength() {
                return "AES-\(keyLength * 8)"
            }
            return "AES"
        case .unrecognized:
            return "unknown"
        }
    }

    /// How the PIN is protected, in words, for `user`: the protection and cipher, and
    /// "Windows DPAPI" when the decrypted PIN is a DPAPI blob (`MSCryptProtect`).
    public func protectionDescription(forUser user: String) -> String {
        var text = "\(protection), \(cipherDescription)"
        if let secret = try? decrypt(forUser: user), secret.isWindowsDPAPIProtected {
            text += ", PIN protected by Windows DPAPI (MSCryptProtect): opens only for that Windows account on its host"
        }
        return text
    }

    /// Decrypts the credential's PIN for the OS user `user`.
    public func decrypt(forUser user: String) throws -> CredentialSecret {
        switch self {
        case .v1(let credential): return try CredentialV1Cipher(blob: credential.cipher).decrypt(forUser: user)
        case .lps(let credential): return try credential.decrypt(forUser: user)
        case .unrecognized: throw PSEKitError.unrecognizedCredential
        }
    }

    /// An LPS-off credential (format 1, AES-256, random salt and IV) holding `pin` for `user`.
    /// The subject, path and PIN must be ASCII (the format stores them as IA5String).
    public static func make(pin: String, forUser user: String, subject: String, psePath: String) throws -> Credential {
        let cipher = try CredentialV1Cipher.encrypt(CredentialSecret(pin: pin), forUser: user)
        let credential = CredentialV1(subject: subject, psePath: psePath, cipher: cipher.blob)
        var serializer = DER.Serializer()
        try serializer.serialize(credential)  // rejects non-ASCII subject or path now, not at write time
        return .v1(credential)
    }
}

extension Credential: DERParseable, DERSerializable {
    public init(derEncoded node: ASN1Node) throws {
        if let credential = try? CredentialV1(derEncoded: node) {
            self = .v1(credential)
        } else if let credential = try? CredentialLPS(derEncoded: node) {
            self = .lps(credential)
        } else {
            self = .unrecognized(ASN1Any(derEncoded: node))
        }
    }

    public func serialize(into coder: inout DER.Serializer) throws {
        switch self {
        case .v1(let credential): try coder.serialize(credential)
        case .lps(let credential): try coder.serialize(credential)
        case .unrecognized(let raw): try coder.serialize(raw)
        }
    }
}

/// How a credential's PIN is protected.
public enum CredentialProtection: Hashable, Sendable, CustomStringConvertible {
    /// LPS off: encrypted under a key derived from the user name.
    case lpsOff
    /// LPS on, with the given mechanism.
    case lps(LPSProtection)
    /// An entry psekit does not recognize.
    case unrecognized

    public var description: String {
        switch self {
        case .lpsOff: return "LPS off"
        case .lps(let mechanism): return "LPS \(mechanism)"
        case .unrecognized: return "unknown"
        }
    }
}
