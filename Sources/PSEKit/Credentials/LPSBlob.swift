import Crypto
import CryptoExtras
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An LPS ("local protection storage") blob: a content key wrapped by a local mechanism, and data
/// encrypted under that key. Not ASN.1: a byte layout, all lengths big-endian.
///
/// ```
/// version(1) = 2 | type(1): 0 fallback, 1 DPAPI, 2 TPM
/// context(len16 + bytes)          -- "CredEncryption", "PSEEncryption"
/// restriction(len16 + bytes)      -- "(user=NAME)" for a credential
/// encryptedKey(len16 + bytes)
/// unknown(len16 + bytes)
/// encryptedData(len16 + bytes)
/// hmac(20)                        -- HMAC-SHA1; how it is computed is not known
/// crc32(4)                        -- CRC-32 (zlib) over all bytes before it, big-endian
/// ```
///
/// Fallback mode: the key-encryption key is the first 16 bytes of
/// HMAC-SHA1(key: SHA-1(constant), data: context); AES-128-CBC with a zero IV decrypts the content key;
/// the data is AES-CBC under the content key with a zero IV (a 48-byte content key is 32 key bytes then
/// 16 IV bytes). psekit reads LPS blobs and never writes them.
package struct LPSBlob: Hashable, Sendable {
    /// The 24-byte constant embedded in SAP's library for fallback mode.
    static let fallbackConstant: [UInt8] = [
        0xE7, 0x6A, 0xD2, 0xCE, 0x4B, 0xA7, 0xC7, 0x9E, 0xF9, 0x79, 0x5F, 0xA8,
        0x2E, 0x6E, 0xAA, 0x1D, 0x76, 0x02, 0x2E, 0xCD, 0xD7, 0x74, 0x38, 0x51,
    ]
    static let hmacLength = 20
    static let checksumLength = 4

    package var version: UInt8
    package var protection: LPSProtection
    package var context: [UInt8]
    package var restriction: [UInt8]
    package var encryptedKey: [UInt8]
    package var unknown: [UInt8]
    package var encryptedData: [UInt8]
    package var hmac: [UInt8]
    package var checksum: UInt32

    /// Parses a blob and verifies its CRC-32.
    package init(bytes: [UInt8]) throws {
        var reader = Reader(bytes: bytes)
        version = try reader.byte()
        guard version == 2 else { throw PSEKitError.malformedLPSBlob("version \(version), expected 2") }
        protection = LPSProtection(typeByte: try reader.byte())
        context = try reader.lengthPrefixed("context")
        restriction = try reader.lengthPrefixed("restriction")
        encryptedKey = try reader.lengthPrefixed("encrypted key")
        unknown = try reader.lengthPrefixed("unknown field")
        encryptedData = try reader.lengthPrefixed("encrypted data")
        hmac = try reader.fixed(Self.hmacLength, "HMAC")
        let checksumBytes = try reader.fixed(Self.checksumLength, "CRC-32")
        guard reader.isAtEnd else {
            throw PSEKitError.malformedLPSBlob("\(bytes.count - reader.offset) bytes after the CRC-32")
        }
        checksum = checksumBytes.reduce(0) { $0 << 8 | UInt32($1) }
        let computed = CRC32.checksum(bytes[..<(bytes.count - Self.checksumLength)])
        guard computed == checksum else {
            throw PSEKitError.lpsChecksumMismatch(stored: checksum, computed: computed)
        }
    }

    /// The context as text ("CredEncryption").
    package var contextText: String { String(decoding: context, as: UTF8.self) }

    /// The restriction as text ("(user=NAME)").
    package var restrictionText: String { String(decoding: restriction, as: UTF8.self) }

    /// The user named by a `(user=NAME)` restriction, if there is one.
    package var restrictedUser: String? {
        let text = restrictionText
        guard let range = text.firstRange(of: "(user=") else { return nil }
        let rest = text[range.upperBound...]
        guard let end = rest.firstIndex(of: ")") else { return nil }
        return String(rest[..<end])
    }

    /// Decrypts the data (fallback mode only). DPAPI and TPM blobs throw
    /// `PSEKitError.lpsProtectionNotDecryptable`.
    package func decryptData() throws -> [UInt8] {
        guard !encryptedData.isEmpty, encryptedData.count % 16 == 0 else {
            throw PSEKitError.malformedLPSBlob("the encrypted data is not a whole number of 16-byte blocks")
        }
        let contentKey = try unwrapContentKey()
        let key: [UInt8]
        let iv: AES._CBC.IV
        switch contentKey.count {
        case 16, 24, 32:
            key = contentKey
            iv = try AES._CBC.IV(ivBytes: [UInt8](repeating: 0, count: 16))
        case 48:
            key = Array(contentKey[0..<32])
            iv = try AES._CBC.IV(ivBytes: contentKey[32..<48])
        default:
            throw PSEKitError.malformedLPSBlob("content key of \(contentKey.count) bytes")
        }
        return Array(try AES._CBC.decrypt(encryptedData, using: SymmetricKey(data: key), iv: iv, noPadding: true))
    }

    /// The size in bytes of the AES key protecting the data (fallback mode only).
    package func dataKeyLength() throws -> Int {
        let length = try unwrapContentKey().count
        return length == 48 ? 32 : length
    }

    /// The content key, unwrapped with the fallback key-encryption key.
    private func unwrapContentKey() throws -> [UInt8] {
        guard protection == .fallback else {
            throw PSEKitError.lpsProtectionNotDecryptable(protection.description)
        }
        guard !encryptedKey.isEmpty, encryptedKey.count % 16 == 0 else {
            throw PSEKitError.malformedLPSBlob("the encrypted key is not a whole number of 16-byte blocks")
        }
        let hashedConstant = Insecure.SHA1.hash(data: Self.fallbackConstant)
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: context, using: SymmetricKey(data: Array(hashedConstant)))
        let wrappingKey = SymmetricKey(data: Array(Array(mac).prefix(16)))
        let zeroIV = try AES._CBC.IV(ivBytes: [UInt8](repeating: 0, count: 16))
        return Array(try AES._CBC.decrypt(encryptedKey, using: wrappingKey, iv: zeroIV, noPadding: true))
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        var isAtEnd: Bool { offset == bytes.count }

        mutating func byte() throws -> UInt8 {
            guard offset < bytes.count else { throw PSEKitError.malformedLPSBlob("truncated header") }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func fixed(_ count: Int, _ name: String) throws -> [UInt8] {
            guard bytes.count - offset >= count else { throw PSEKitError.malformedLPSBlob("truncated \(name)") }
            defer { offset += count }
            return Array(bytes[offset..<(offset + count)])
        }

        mutating func lengthPrefixed(_ name: String) throws -> [UInt8] {
            let length = try fixed(2, "\(name) length")
            return try fixed(Int(length[0]) << 8 | Int(length[1]), name)
        }
    }
}
