import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials  // ContiguousBytes, which the digests conform to
#else
import Foundation
#endif

/// The key derivation of PKCS#12 v1.1 (RFC 7292, Appendix B.2), used for the keys and IVs of the
/// PKCS#12 PBE schemes, for the PKCS#12 MAC key, and for PSE files.
package enum PKCS12KeyDerivation {
    /// The "ID" byte that makes the derived material distinct per use.
    package enum Purpose: UInt8 {
        case encryptionKey = 1
        case iv = 2
        case macKey = 3
    }

    /// The hash function H of the derivation.
    package enum Hash {
        case sha1, sha256, sha384, sha512
    }

    /// The password as PKCS#12 wants it: UTF-16 big-endian plus two zero bytes (empty password -> [0, 0]).
    package static func passwordBytes(_ password: String) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(2 * password.utf16.count + 2)
        for unit in password.utf16 {
            bytes.append(UInt8(unit >> 8))
            bytes.append(UInt8(unit & 0xff))
        }
        bytes.append(0)
        bytes.append(0)
        return bytes
    }

    /// Derives `length` bytes for `purpose` from the password bytes (already in the form of
    /// `passwordBytes(_:)`) and the salt, with `iterations` rounds of `hash` (at least one).
    package static func derive(password: [UInt8], salt: [UInt8], iterations: Int, purpose: Purpose,
                              length: Int, hash: Hash = .sha1) -> [UInt8] {
        switch hash {
        case .sha1:
            // SHA-1, the hash of every PSE and of most PKCS#12 files: PKCS12SHA1 iterates on the
            // state without a hash context per round (bench/findings.md).
            return derive(blockLength: PKCS12SHA1.blockByteCount, digestLength: PKCS12SHA1.digestByteCount,
                          password, salt, purpose, length) { PKCS12SHA1.iteratedHash($0, count: iterations) }
        case .sha256: return derive(SHA256.self, password, salt, iterations, purpose, length)
        case .sha384: return derive(SHA384.self, password, salt, iterations, purpose, length)
        case .sha512: return derive(SHA512.self, password, salt, iterations, purpose, length)
        }
    }

    /// The key and the IV of a PKCS#12 PBE scheme (purposes 1 and 2) for one password and salt:
    /// the same as two calls of `derive`.
    ///
    /// Running the two chains on two threads was tried (bench/findings.md): on the 2-vCPU
    /// benchmark machine the median did not move, as waking the second CPU cost what it saved.
    package static func deriveKeyAndIV(password: [UInt8], salt: [UInt8], iterations: Int, keyLength: Int,
                                      ivLength: Int, hash: Hash = .sha1) -> (key: [UInt8], iv: [UInt8]) {
        (derive(password: password, salt: salt, iterations: iterations, purpose: .encryptionKey, length: keyLength, hash: hash),
         derive(password: password, salt: salt, iterations: iterations, purpose: .iv, length: ivLength, hash: hash))
    }

    private static func derive<H: HashFunction>(_: H.Type, _ password: [UInt8], _ salt: [UInt8], _ iterations: Int,
                                                 _ purpose: Purpose, _ length: Int) -> [UInt8] {
        derive(blockLength: H.blockByteCount, digestLength: H.Digest.byteCount, password, salt, purpose, length) { message in
            var hasher = H()
            hasher.update(data: message)
            var digest = hasher.finalize()
            for _ in 1..<max(iterations, 1) {
                digest = digest.withUnsafeBytes { previous in
                    var rehash = H()
                    rehash.update(bufferPointer: previous)
                    return rehash.finalize()
                }
            }
            return Array(digest)
        }
    }

    /// The derivation with `iteratedHash(D || I)` = A_i, H applied `iterations` times.
    private static func derive(blockLength: Int, digestLength: Int, _ password: [UInt8], _ salt: [UInt8],
                               _ purpose: Purpose, _ length: Int, iteratedHash: ([UInt8]) -> [UInt8]) -> [UInt8] {
        guard length > 0 else { return [] }
        let diversifier = [UInt8](repeating: purpose.rawValue, count: blockLength)  // D  (v = blockLength, u = digestLength)

        // I = S || P, each the input repeated to a whole number of v-byte blocks.
        func fillBlocks(_ input: [UInt8]) -> [UInt8] {
            guard !input.isEmpty else { return [] }
            let count = blockLength * ((input.count + blockLength - 1) / blockLength)
            return (0..<count).map { input[$0 % input.count] }
        }
        var input = fillBlocks(salt) + fillBlocks(password)

        var output = [UInt8]()
        output.reserveCapacity(length + digestLength)
        while true {
            let digestBytes = iteratedHash(diversifier + input)   // A_i
            output.append(contentsOf: digestBytes.prefix(length - output.count))
            if output.count >= length { return output }

            // I_j = (I_j + B + 1) mod 2^(8v) for every v-byte block I_j, B = A_i repeated to v bytes.
            var blockStart = 0
            while blockStart < input.count {
                var carry: UInt16 = 1
                for offset in stride(from: blockLength - 1, through: 0, by: -1) {
                    let sum = UInt16(input[blockStart + offset]) + UInt16(digestBytes[offset % digestLength]) + carry
                    input[blockStart + offset] = UInt8(truncatingIfNeeded: sum)
                    carry = sum >> 8
                }
                blockStart += blockLength
            }
        }
    }
}
