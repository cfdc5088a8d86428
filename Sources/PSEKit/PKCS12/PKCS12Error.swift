/// Why a PKCS#12 file, a PKCS#8 key or a PEM document could not be read or written.
/// A password never appears in a message.
public enum PKCS12Error: Error, CustomStringConvertible, Equatable, Sendable {
    /// The password does not fit: the MAC does not verify, or (without a MAC) the content does not decrypt.
    case wrongPassword
    /// The key is encrypted and no password was given.
    case passwordRequired
    /// The structure is not what the format prescribes.
    case malformed(String)
    /// An algorithm (given by name or object identifier) this implementation does not support.
    case unsupportedAlgorithm(String)
    /// A structure version this implementation does not support.
    case unsupportedVersion(Int)
    /// The PEM text holds no block this function accepts.
    case unsupportedPEM(String)
    /// The file holds no private key.
    case noPrivateKey
    /// The file holds no certificate for the private key.
    case noCertificate
    /// The certificate's public key is not the public half of the private key.
    case keyDoesNotMatchCertificate
    /// The file's key derivations together ask for more iterations than one file may use.
    case workLimitExceeded(requested: Int, limit: Int)

    public var description: String {
        switch self {
        case .wrongPassword: return "wrong password (the integrity check or the decryption failed)"
        case .passwordRequired: return "the private key is encrypted: a password is required"
        case .malformed(let reason): return "malformed PKCS#12/PKCS#8 data: \(reason)"
        case .unsupportedAlgorithm(let algorithm): return "unsupported algorithm: \(algorithm)"
        case .unsupportedVersion(let version): return "unsupported structure version \(version)"
        case .unsupportedPEM(let reason): return "unsupported PEM input: \(reason)"
        case .noPrivateKey: return "no private key found"
        case .noCertificate: return "no certificate matches the private key"
        case .keyDoesNotMatchCertificate: return "the certificate's public key does not belong to the private key"
        case .workLimitExceeded(let requested, let limit):
            return "the file's key derivations (MAC and encrypted contents) ask for at least \(requested) iterations in all, more than the \(limit) one file may use; refused so that a hostile file cannot keep the CPU busy for minutes (re-export it with fewer iterations, e.g. openssl pkcs12 -iter 2048)"
        }
    }
}
