/// Why a `cred_v2` credentials file or one of its credentials could not be read, decrypted or written.
///
/// Messages never contain a PIN.
public enum CredentialError: Error, Equatable, CustomStringConvertible {
    /// The bytes are not a DER `SEQUENCE OF Credential`.
    case malformedFile(String)
    /// A credential's cipher blob is too short or inconsistent.
    case malformedCipher(String)
    /// The format-1 cipher header names an algorithm other than 0 (3DES) or 1 (AES-256).
    case unsupportedCipherAlgorithm(UInt8)
    /// The cipher did not decrypt to a valid credential: the user name is not the one it was stored for,
    /// or the blob is damaged.
    case decryptionFailed(user: String)
    /// The LPS blob is not one this reader understands.
    case malformedLPSBlob(String)
    /// The LPS blob's CRC-32 does not match its content.
    case lpsChecksumMismatch(stored: UInt32, computed: UInt32)
    /// The LPS blob is protected by a mechanism only the machine that wrote it can use (DPAPI, TPM).
    case lpsProtectionNotDecryptable(String)
    /// The LPS blob is restricted to another user.
    case lpsRestrictedToAnotherUser(restriction: String, user: String)
    /// The credential's PIN is wrapped by Windows DPAPI (`MSCryptProtect`): only that Windows account can use it.
    case windowsDPAPIProtected
    /// The credential entry is not one of the known shapes and cannot be decrypted.
    case unrecognizedCredential
    /// A text field does not fit the ASN.1 string type the format needs (IA5String is ASCII only).
    case notRepresentable(field: String)

    public var description: String {
        switch self {
        case .malformedFile(let reason):
            return "malformed credentials file: \(reason)"
        case .malformedCipher(let reason):
            return "malformed credential cipher: \(reason)"
        case .unsupportedCipherAlgorithm(let algorithm):
            return "unsupported credential cipher algorithm \(algorithm) (known: 0 = 3DES, 1 = AES-256)"
        case .decryptionFailed(let user):
            return "the credential does not decrypt for user '\(user)' (stored for another user, or damaged)"
        case .malformedLPSBlob(let reason):
            return "malformed LPS blob: \(reason)"
        case .lpsChecksumMismatch(let stored, let computed):
            return "LPS blob checksum mismatch: stored CRC-32 \(Hex.number(stored, digits: 8)), computed \(Hex.number(computed, digits: 8)) (damaged data)"
        case .lpsProtectionNotDecryptable(let mechanism):
            return "the credential is protected by LPS \(mechanism), which only the machine that wrote it can decrypt"
        case .lpsRestrictedToAnotherUser(let restriction, let user):
            return "the LPS credential is restricted to \(restriction), not to user '\(user)'"
        case .windowsDPAPIProtected:
            return "the credential's PIN is protected by Windows DPAPI (MSCryptProtect); only the Windows account "
                + "that stored it can open it, on that host"
        case .unrecognizedCredential:
            return "the credential entry has an unrecognized structure and cannot be decrypted"
        case .notRepresentable(let field):
            return "the \(field) contains characters the credentials file cannot store (ASCII only)"
        }
    }
}
