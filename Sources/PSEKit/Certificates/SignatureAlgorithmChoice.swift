#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import X509

/// The `-a` argument of `sapgenpse gen_pse`: a signature algorithm such as
/// `sha256WithRsaEncryption`, or `RSA:SIZE:HASH` (`RSA:4096:SHA512`), which also sets the key size.
/// Names are case-insensitive; only RSA keys are supported.
public struct SignatureAlgorithmChoice: Hashable, Sendable, CustomStringConvertible {
    public enum Hash: String, Hashable, Sendable, CaseIterable {
        case sha1 = "SHA1", sha256 = "SHA256", sha384 = "SHA384", sha512 = "SHA512"
    }

    /// The RSA key size the choice asks for, when it names one (`RSA:3072:SHA256`).
    public var keySize: Int?
    public var hash: Hash

    public init(keySize: Int? = nil, hash: Hash) {
        self.keySize = keySize
        self.hash = hash
    }

    /// sapgenpse's default: SHA-256 with the key size of `-s` (2048 by default).
    public static let `default` = SignatureAlgorithmChoice(hash: .sha256)

    /// RSA key sizes that can be generated.
    public static let supportedKeySizes = [2048, 3072, 4096]

    /// SHA-1 signatures are accepted but weak: certificates signed so are refused by browsers and
    /// current TLS stacks.
    public var isWeak: Bool { hash == .sha1 }

    /// The X.509 signature algorithm (PKCS#1 v1.5 RSA with the hash).
    public var signatureAlgorithm: Certificate.SignatureAlgorithm {
        switch hash {
        case .sha1: return .sha1WithRSAEncryption
        case .sha256: return .sha256WithRSAEncryption
        case .sha384: return .sha384WithRSAEncryption
        case .sha512: return .sha512WithRSAEncryption
        }
    }

    /// The name as sapgenpse spells it (`sha256WithRsaEncryption`).
    public var description: String {
        "\(hash.rawValue.lowercased())WithRsaEncryption"
    }

    public static func parse(_ text: String) throws -> SignatureAlgorithmChoice {
        let trimmed = text.trimmingWhitespace()
        let lowered = trimmed.lowercased()
        for hash in Hash.allCases {
            let name = hash.rawValue.lowercased()
            if lowered == "\(name)withrsaencryption" || lowered == "\(name)withrsa" {
                return SignatureAlgorithmChoice(hash: hash)
            }
        }
        let parts = trimmed.split(separator: ":", omittingEmptySubsequences: false).map { String($0) }
        // sapgenpse's -a also names the key type alone (`RSA`, `DSA`, `ECDSA`) or with a curve.
        if ["DSA", "ECDSA", "EC"].contains(parts[0].uppercased()) {
            throw PSEKitError.unsupportedKeyType(parts[0])
        }
        if parts.count == 1 && parts[0].uppercased() == "RSA" { return .default }
        guard parts.count >= 2, parts.count <= 3 else {
            throw PSEKitError.unknownSignatureAlgorithm(trimmed)
        }
        guard parts[0].uppercased() == "RSA" else {
            throw PSEKitError.unsupportedKeyType(parts[0])
        }
        guard let size = Int(parts[1]), supportedKeySizes.contains(size) else {
            throw PSEKitError.unsupportedKeySize(parts[1])
        }
        var hash = Hash.sha256
        if parts.count == 3 {
            let name = parts[2].uppercased().replacing("-", with: "")
            guard let chosen = Hash(rawValue: name) else {
                throw PSEKitError.unsupportedHash(parts[2])
            }
            hash = chosen
        }
        return SignatureAlgorithmChoice(keySize: size, hash: hash)
    }
}
