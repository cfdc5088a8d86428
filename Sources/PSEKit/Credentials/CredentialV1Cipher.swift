import Crypto
import CryptoExtras
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSELegacyCrypto
import SwiftASN1

/// The cipher blob of an LPS-off credential (`CredentialV1.cipher`). Not ASN.1: a byte layout.
///
/// Format 1 (at least 36 bytes, first byte 1):
/// ```
/// version(1) = 1 | algorithm(1): 0 = 3DES, 1 = AES-256 | unknown(2) = 0 | salt(16) | iv(16) | ciphertext
/// ```
/// Key = Scramble(SHA-256(keyString || blob[0..<4] || salt || Scramble(user, salt[0])), salt[1]).
/// AES-256-CBC uses `iv`; DES-EDE3-CBC uses the first 24 key bytes, iv[0..<8] as IV, and iv[8..<16] is
/// the first ciphertext block. The plaintext, after PKCS#7 unpadding, is
/// Scramble(DER of `CredentialSecret`, 0x64FB914E).
///
/// Format 0 (anything else): the blob is only ciphertext, DES-EDE3-CBC with a zero IV under the first
/// 24 bytes of the key string with `%s` replaced by the user name; the plaintext is the DER of
/// `CredentialSecret` with PKCS#7 padding, not scrambled.
package struct CredentialV1Cipher: Hashable, Sendable {
    package enum Format: Int, Hashable, Sendable {
        case zero = 0
        case one = 1
    }

    static let headerLength = 4
    static let saltLength = 16
    static let ivLength = 16
    static let formatOneMinimumLength = headerLength + saltLength + ivLength

    /// The whole blob, as stored.
    package let blob: [UInt8]

    package init(blob: [UInt8]) {
        self.blob = blob
    }

    package var format: Format {
        blob.count >= Self.formatOneMinimumLength && blob[0] == 1 ? .one : .zero
    }

    /// The algorithm byte of a format-1 header; 0 (3DES) for format 0.
    package var algorithmCode: UInt8 {
        format == .one ? blob[1] : 0
    }

    /// The cipher, or nil when a format-1 header names an unknown algorithm.
    package var algorithm: CredentialCipherAlgorithm? {
        CredentialCipherAlgorithm(headerByte: algorithmCode)
    }

    /// Decrypts the blob with the key for `user`. Fails with `PSEKitError.credentialDecryptionFailed` when
    /// the user is not the one the credential was stored for.
    package func decrypt(forUser user: String) throws -> CredentialSecret {
        let plaintext: [UInt8]
        switch format {
        case .one:
            plaintext = try decryptFormatOne(user: user)
        case .zero:
            guard !blob.isEmpty, blob.count % 8 == 0 else {
                throw PSEKitError.malformedCredentialCipher("format-0 cipher is not a whole number of 8-byte blocks")
            }
            do {
                plaintext = try TripleDESCBC.decrypt(blob, key: CredentialScramble.formatZeroKey(user: user),
                                                     iv: [UInt8](repeating: 0, count: 8))
            } catch {
                throw PSEKitError.credentialDecryptionFailed(user: user)
            }
        }
        do {
            return try CredentialSecret(derEncoded: plaintext)
        } catch {
            throw PSEKitError.credentialDecryptionFailed(user: user)
        }
    }

    private func decryptFormatOne(user: String) throws -> [UInt8] {
        guard let algorithm else { throw PSEKitError.unsupportedCredentialCipher(algorithmCode) }
        let header = Array(blob[0..<Self.headerLength])
        let salt = Array(blob[Self.headerLength..<(Self.headerLength + Self.saltLength)])
        let iv = Array(blob[(Self.headerLength + Self.saltLength)..<Self.formatOneMinimumLength])
        let ciphertext = Array(blob[Self.formatOneMinimumLength...])
        let key = CredentialScramble.formatOneKey(header: header, salt: salt, user: user)
        let padded: [UInt8]
        do {
            switch algorithm {
            case .aes256:
                guard !ciphertext.isEmpty, ciphertext.count % 16 == 0 else {
                    throw PSEKitError.malformedCredentialCipher("AES-256 ciphertext is not a whole number of 16-byte blocks")
                }
                padded = Array(try AES._CBC.decrypt(ciphertext, using: SymmetricKey(data: key),
                                                    iv: AES._CBC.IV(ivBytes: iv)))
            case .tripleDES:
                let chained = Array(iv[8...]) + ciphertext
                guard chained.count % 8 == 0 else {
                    throw PSEKitError.malformedCredentialCipher("3DES ciphertext is not a whole number of 8-byte blocks")
                }
                padded = try TripleDESCBC.decrypt(chained, key: Array(key.prefix(24)), iv: Array(iv[0..<8]))
            }
        } catch let error as PSEKitError where error.code.family == .credential {
            throw error
        } catch {
            throw PSEKitError.credentialDecryptionFailed(user: user)
        }
        return CredentialScramble.scramble(padded, start: CredentialScramble.plaintextStart)
    }

    /// Encrypts `secret` for `user` in format 1.
    ///
    /// - Parameters:
    ///   - secret: the PIN (and option) to store.
    ///   - user: the OS user the credential is for; the key is derived from the name.
    ///   - algorithm: AES-256 (what psekit writes) or 3DES (what older SAP libraries wrote).
    ///   - salt: 16 bytes; random when nil.
    ///   - iv: 16 bytes; random when nil.
    package static func encrypt(_ secret: CredentialSecret, forUser user: String,
                               algorithm: CredentialCipherAlgorithm = .aes256,
                               salt: [UInt8]? = nil, iv: [UInt8]? = nil) throws -> CredentialV1Cipher {
        let salt = salt ?? randomBytes(saltLength)
        let iv = iv ?? randomBytes(ivLength)
        guard salt.count == saltLength else { throw PSEKitError.malformedCredentialCipher("the salt must be 16 bytes") }
        guard iv.count == ivLength else { throw PSEKitError.malformedCredentialCipher("the IV must be 16 bytes") }
        let header: [UInt8] = [1, algorithm.headerByte, 0, 0]
        let key = CredentialScramble.formatOneKey(header: header, salt: salt, user: user)
        var serializer = DER.Serializer()
        try serializer.serialize(secret)
        let plaintext = CredentialScramble.scramble(serializer.serializedBytes, start: CredentialScramble.plaintextStart)
        let ciphertext: [UInt8]
        switch algorithm {
        case .aes256:
            ciphertext = Array(try AES._CBC.encrypt(plaintext, using: SymmetricKey(data: key),
                                                    iv: AES._CBC.IV(ivBytes: iv)))
            return CredentialV1Cipher(blob: header + salt + iv + ciphertext)
        case .tripleDES:
            // The second half of the stored IV is the first ciphertext block.
            let chained = try TripleDESCBC.encrypt(plaintext, key: Array(key.prefix(24)), iv: Array(iv[0..<8]))
            return CredentialV1Cipher(blob: header + salt + Array(iv[0..<8]) + chained)
        }
    }

    /// Encrypts `secret` for `user` in format 0 (what the oldest SAP libraries wrote). For tests and
    /// compatibility only: psekit writes format 1.
    package static func encryptFormatZero(_ secret: CredentialSecret, forUser user: String) throws -> CredentialV1Cipher {
        var serializer = DER.Serializer()
        try serializer.serialize(secret)
        let ciphertext = try TripleDESCBC.encrypt(serializer.serializedBytes,
                                                  key: CredentialScramble.formatZeroKey(user: user),
                                                  iv: [UInt8](repeating: 0, count: 8))
        return CredentialV1Cipher(blob: ciphertext)
    }

    private static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
