/// How `PKCS12.build` protects what it writes.
public struct PKCS12Options: Hashable, Sendable {
    /// The digest of the password integrity MAC (HMAC with a PKCS#12-derived key).
    public enum MACAlgorithm: Hashable, Sendable {
        case sha1, sha256, sha384, sha512
    }

    /// The encryption of the private key (a pkcs8ShroudedKeyBag).
    public var keyEncryption: PasswordBasedEncryptionScheme
    /// The encryption of the certificates; nil leaves them unencrypted.
    public var certificateEncryption: PasswordBasedEncryptionScheme?
    /// The iteration count of the key derivation for key and certificate encryption.
    public var iterations: Int
    /// The MAC; nil writes no MAC.
    public var macAlgorithm: MACAlgorithm?
    /// The iteration count of the MAC key derivation.
    public var macIterations: Int

    public init(keyEncryption: PasswordBasedEncryptionScheme, certificateEncryption: PasswordBasedEncryptionScheme?,
                iterations: Int, macAlgorithm: MACAlgorithm?, macIterations: Int) {
        self.keyEncryption = keyEncryption
        self.certificateEncryption = certificateEncryption
        self.iterations = iterations
        self.macAlgorithm = macAlgorithm
        self.macIterations = macIterations
    }

    /// What OpenSSL 3 writes by default: PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) for key and
    /// certificates, 2048 iterations, a SHA-256 MAC.
    public static let modern = PKCS12Options(keyEncryption: .pbes2AES256CBC, certificateEncryption: .pbes2AES256CBC,
                                             iterations: 2048, macAlgorithm: .sha256, macIterations: 2048)

    /// For old readers (Windows before 2019, Java 8, older SAP tools): PKCS#12 PBE with SHA-1 and
    /// three-key triple DES for key and certificates, 2048 iterations, a SHA-1 MAC.
    public static let legacy = PKCS12Options(keyEncryption: .pbeWithSHAAnd3KeyTripleDESCBC,
                                             certificateEncryption: .pbeWithSHAAnd3KeyTripleDESCBC,
                                             iterations: 2048, macAlgorithm: .sha1, macIterations: 2048)
}
