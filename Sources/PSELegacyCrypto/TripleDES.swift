/// DES-EDE3-CBC (TDEA, NIST SP 800-67) as used by PSE files and the PKCS#12
/// `pbeWithSHAAnd3-KeyTripleDES-CBC` / `pbeWithSHAAnd2-KeyTripleDES-CBC` schemes.
///
/// Encryption is E(K3, D(K2, E(K1, block))); a 16-byte key is the two-key variant with K3 = K1.
package enum TripleDESCBC {
    /// Encrypts with PKCS#7 padding.
    /// - Parameters:
    ///   - key: 24 bytes (three-key) or 16 bytes (two-key, K3 = K1).
    ///   - iv: 8 bytes.
    package static func encrypt(_ plaintext: [UInt8], key: [UInt8], iv: [UInt8]) throws -> [UInt8] {
        try encryptBlocks(BlockCipherMode.pad(plaintext), key: key, iv: iv)
    }

    /// Decrypts and strips the PKCS#7 padding; throws `LegacyCryptoError.badPadding` when it is not valid.
    package static func decrypt(_ ciphertext: [UInt8], key: [UInt8], iv: [UInt8]) throws -> [UInt8] {
        guard !ciphertext.isEmpty else { throw LegacyCryptoError.invalidDataLength }
        return try BlockCipherMode.unpad(decryptBlocks(ciphertext, key: key, iv: iv))
    }

    /// Encrypts without padding; the data length must be a multiple of 8.
    package static func encryptBlocks(_ data: [UInt8], key: [UInt8], iv: [UInt8]) throws -> [UInt8] {
        let keys = try TripleDESKeys(key)
        return try BlockCipherMode.cbcEncrypt(data, iv: iv) { block in
            keys.third.encrypt(keys.second.decrypt(keys.first.encrypt(block)))
        }
    }

    /// Decrypts without removing padding; the data length must be a multiple of 8.
    package static func decryptBlocks(_ data: [UInt8], key: [UInt8], iv: [UInt8]) throws -> [UInt8] {
        let keys = try TripleDESKeys(key)
        return try BlockCipherMode.cbcDecrypt(data, iv: iv) { block in
            keys.first.decrypt(keys.second.encrypt(keys.third.decrypt(block)))
        }
    }
}

/// The three DES key schedules of a DES-EDE3 key.
private struct TripleDESKeys {
    let first: DESKeySchedule
    let second: DESKeySchedule
    let third: DESKeySchedule

    init(_ key: [UInt8]) throws {
        guard key.count == 24 || key.count == 16 else { throw LegacyCryptoError.invalidKeyLength }
        first = DESKeySchedule(BlockCipherMode.load(key, at: 0))
        second = DESKeySchedule(BlockCipherMode.load(key, at: 8))
        third = key.count == 24 ? DESKeySchedule(BlockCipherMode.load(key, at: 16)) : first
    }
}

/// Single DES (FIPS 46-3) on 64-bit big-endian blocks. Bit numbers in the tables are 1-based
/// from the most significant bit, as in the standard.
struct DESKeySchedule {
    /// 16 round keys of 48 bits, each kept as eight 6-bit chunks (S-box inputs), round by round.
    private let roundKeyChunks: [UInt8]

    init(_ key: UInt64) {
        let permuted = DESTables.permute(key, inputWidth: 64, table: DESTables.permutedChoice1)
        var left = UInt32(truncatingIfNeeded: permuted >> 28) & 0x0fff_ffff
        var right = UInt32(truncatingIfNeeded: permuted) & 0x0fff_ffff
        var chunks = [UInt8]()
        chunks.reserveCapacity(128)
        for shift in DESTables.keyShifts {
            left = ((left << shift) | (left >> (28 - shift))) & 0x0fff_ffff
            right = ((right << shift) | (right >> (28 - shift))) & 0x0fff_ffff
            let joined = UInt64(left) << 28 | UInt64(right)
            let roundKey = DESTables.permute(joined, inputWidth: 56, table: DESTables.permutedChoice2)
            for chunk in 0..<8 { chunks.append(UInt8(truncatingIfNeeded: roundKey >> (42 - 6 * chunk)) & 0x3f) }
        }
        roundKeyChunks = chunks
    }

    func encrypt(_ block: UInt64) -> UInt64 { crypt(block, decrypting: false) }
    func decrypt(_ block: UInt64) -> UInt64 { crypt(block, decrypting: true) }

    private func crypt(_ block: UInt64, decrypting: Bool) -> UInt64 {
        let permuted = DESTables.permute(block, inputWidth: 64, table: DESTables.initialPermutation)
        var left = UInt32(truncatingIfNeeded: permuted >> 32)
        var right = UInt32(truncatingIfNeeded: permuted)
        let spBoxes = DESTables.spBoxes
        roundKeyChunks.withUnsafeBufferPointer { keys in
            spBoxes.withUnsafeBufferPointer { sp in
                for round in 0..<16 {
                    let keyOffset = 8 * (decrypting ? 15 - round : round)
                    var feistel: UInt32 = 0
                    for chunk in 0..<8 {
                        // Expansion E: chunk i takes bits 4i .. 4i+5 (1-based, bit 0 meaning bit 32).
                        let rotation = UInt32((4 * chunk + 31) % 32)
                        let rotated = (right << rotation) | (right >> ((32 - rotation) % 32))
                        let input = Int((rotated >> 26) & 0x3f ^ UInt32(keys[keyOffset + chunk]))
                        feistel |= sp[chunk * 64 + input]
                    }
                    (left, right) = (right, left ^ feistel)
                }
            }
        }
        let preOutput = UInt64(right) << 32 | UInt64(left)
        return DESTables.permute(preOutput, inputWidth: 64, table: DESTables.finalPermutation)
    }
}

private enum DESTables {
    static func permute(_ input: UInt64, inputWidth: Int, table: [Int]) -> UInt64 {
        var output: UInt64 = 0
        for position in table { output = output << 1 | (input >> UInt64(inputWidth - position)) & 1 }
        return output
    }

    static let initialPermutation = [
        58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4,
        62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32, 24, 16, 8,
        57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3,
        61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31, 23, 15, 7,
    ]

    /// IP⁻¹, computed from IP.
    static let finalPermutation: [Int] = {
        var inverse = [Int](repeating: 0, count: 64)
        for (index, position) in initialPermutation.enumerated() { inverse[position - 1] = index + 1 }
        return inverse
    }()

    static let permutedChoice1 = [
        57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18,
        10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36,
        63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22,
        14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
    ]

    static let permutedChoice2 = [
        14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10,
        23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2,
        41, 52, 31, 37, 47, 55, 30, 40, 51, 45, 33, 48,
        44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
    ]

    static let keyShifts: [UInt32] = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1]

    static let permutation = [
        16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10,
        2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25,
    ]

    static let sBoxes: [[UInt8]] = [
        [14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7,
         0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8,
         4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0,
         15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13],
        [15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10,
         3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5,
         0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15,
         13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9],
        [10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8,
         13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1,
         13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7,
         1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12],
        [7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15,
         13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9,
         10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4,
         3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14],
        [2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9,
         14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6,
         4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14,
         11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3],
        [12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11,
         10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8,
         9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6,
         4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13],
        [4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1,
         13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6,
         1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2,
         6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12],
        [13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7,
         1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2,
         7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8,
         2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11],
    ]

    /// S-box followed by the permutation P, for each of the eight boxes and 64 inputs.
    static let spBoxes: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 8 * 64)
        for box in 0..<8 {
            for input in 0..<64 {
                let row = (input >> 4) & 0b10 | input & 1
                let column = (input >> 1) & 0xf
                let value = UInt64(sBoxes[box][row * 16 + column]) << UInt64(28 - 4 * box)
                table[box * 64 + input] = UInt32(permute(value, inputWidth: 32, table: permutation))
            }
        }
        return table
    }()
}
