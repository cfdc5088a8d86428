/// RC2-CBC (RFC 2268) with PKCS#7 padding, as used by the PKCS#12 schemes
/// `pbeWithSHAAnd40BitRC2-CBC` and `pbeWithSHAAnd128BitRC2-CBC` and by `rc2-cbc` under PBES2.
package enum RC2CBC {
    /// Encrypts with PKCS#7 padding.
    /// - Parameters:
    ///   - key: 1...128 bytes.
    ///   - effectiveKeyBits: the effective key length in bits (1...1024), e.g. 40, 64 or 128.
    ///   - iv: 8 bytes.
    package static func encrypt(_ plaintext: [UInt8], key: [UInt8], effectiveKeyBits: Int, iv: [UInt8]) throws -> [UInt8] {
        let schedule = try RC2KeySchedule(key: key, effectiveKeyBits: effectiveKeyBits)
        return try BlockCipherMode.cbcEncrypt(BlockCipherMode.pad(plaintext), iv: iv) { schedule.encrypt($0) }
    }

    /// Decrypts and strips the PKCS#7 padding; throws `LegacyCryptoError.badPadding` when it is not valid.
    package static func decrypt(_ ciphertext: [UInt8], key: [UInt8], effectiveKeyBits: Int, iv: [UInt8]) throws -> [UInt8] {
        let schedule = try RC2KeySchedule(key: key, effectiveKeyBits: effectiveKeyBits)
        guard !ciphertext.isEmpty else { throw LegacyCryptoError.invalidDataLength }
        return try BlockCipherMode.unpad(BlockCipherMode.cbcDecrypt(ciphertext, iv: iv) { schedule.decrypt($0) })
    }
}

/// The 64 expanded 16-bit key words of RFC 2268 section 2, and the block operations of sections 3 and 4.
struct RC2KeySchedule {
    private let words: [UInt16]

    init(key: [UInt8], effectiveKeyBits: Int) throws {
        guard (1...128).contains(key.count) else { throw LegacyCryptoError.invalidKeyLength }
        guard (1...1024).contains(effectiveKeyBits) else { throw LegacyCryptoError.invalidKeyLength }
        let table = RC2KeySchedule.piTable
        var expanded = [UInt8](repeating: 0, count: 128)
        expanded.replaceSubrange(0..<key.count, with: key)
        let keyLength = key.count
        for index in keyLength..<128 {
            expanded[index] = table[Int(expanded[index - 1] &+ expanded[index - keyLength])]
        }
        let effectiveBytes = (effectiveKeyBits + 7) / 8
        let mask = UInt8(0xff >> (8 * effectiveBytes - effectiveKeyBits))
        expanded[128 - effectiveBytes] = table[Int(expanded[128 - effectiveBytes] & mask)]
        var index = 127 - effectiveBytes
        while index >= 0 {
            expanded[index] = table[Int(expanded[index + 1] ^ expanded[index + effectiveBytes])]
            index -= 1
        }
        words = (0..<64).map { UInt16(expanded[2 * $0]) | UInt16(expanded[2 * $0 + 1]) << 8 }
    }

    private static let rotations: [UInt16] = [1, 2, 3, 5]

    /// Encrypts one block given as the big-endian value of its eight bytes.
    func encrypt(_ block: UInt64) -> UInt64 {
        var r = RC2KeySchedule.words(of: block)
        var j = 0
        func mixRound() {
            for i in 0..<4 {
                r[i] = r[i] &+ words[j] &+ (r[(i + 3) % 4] & r[(i + 2) % 4]) &+ (~r[(i + 3) % 4] & r[(i + 1) % 4])
                j += 1
                let s = RC2KeySchedule.rotations[i]
                r[i] = r[i] << s | r[i] >> (16 - s)
            }
        }
        func mashRound() {
            for i in 0..<4 { r[i] = r[i] &+ words[Int(r[(i + 3) % 4] & 63)] }
        }
        for _ in 0..<5 { mixRound() }
        mashRound()
        for _ in 0..<6 { mixRound() }
        mashRound()
        for _ in 0..<5 { mixRound() }
        return RC2KeySchedule.block(of: r)
    }

    /// Decrypts one block given as the big-endian value of its eight bytes.
    func decrypt(_ block: UInt64) -> UInt64 {
        var r = RC2KeySchedule.words(of: block)
        var j = 63
        func reverseMixRound() {
            for i in stride(from: 3, through: 0, by: -1) {
                let s = RC2KeySchedule.rotations[i]
                r[i] = r[i] >> s | r[i] << (16 - s)
                r[i] = r[i] &- words[j] &- (r[(i + 3) % 4] & r[(i + 2) % 4]) &- (~r[(i + 3) % 4] & r[(i + 1) % 4])
                j -= 1
            }
        }
        func reverseMashRound() {
            for i in stride(from: 3, through: 0, by: -1) { r[i] = r[i] &- words[Int(r[(i + 3) % 4] & 63)] }
        }
        for _ in 0..<5 { reverseMixRound() }
        reverseMashRound()
        for _ in 0..<6 { reverseMixRound() }
        reverseMashRound()
        for _ in 0..<5 { reverseMixRound() }
        return RC2KeySchedule.block(of: r)
    }

    /// The four little-endian 16-bit words R[0..3] of a block.
    private static func words(of block: UInt64) -> [UInt16] {
        (0..<4).map { i in
            let low = UInt16(truncatingIfNeeded: block >> (56 - 16 * i))
            let high = UInt16(truncatingIfNeeded: block >> (48 - 16 * i))
            return (low & 0xff) | (high & 0xff) << 8
        }
    }

    private static func block(of words: [UInt16]) -> UInt64 {
        var value: UInt64 = 0
        for word in words { value = value << 16 | UInt64(word & 0xff) << 8 | UInt64(word >> 8) }
        return value
    }

    /// PITABLE of RFC 2268 section 2.
    private static let piTable: [UInt8] = [
        0xd9, 0x78, 0xf9, 0xc4, 0x19, 0xdd, 0xb5, 0xed, 0x28, 0xe9, 0xfd, 0x79, 0x4a, 0xa0, 0xd8, 0x9d,
        0xc6, 0x7e, 0x37, 0x83, 0x2b, 0x76, 0x53, 0x8e, 0x62, 0x4c, 0x64, 0x88, 0x44, 0x8b, 0xfb, 0xa2,
        0x17, 0x9a, 0x59, 0xf5, 0x87, 0xb3, 0x4f, 0x13, 0x61, 0x45, 0x6d, 0x8d, 0x09, 0x81, 0x7d, 0x32,
        0xbd, 0x8f, 0x40, 0xeb, 0x86, 0xb7, 0x7b, 0x0b, 0xf0, 0x95, 0x21, 0x22, 0x5c, 0x6b, 0x4e, 0x82,
        0x54, 0xd6, 0x65, 0x93, 0xce, 0x60, 0xb2, 0x1c, 0x73, 0x56, 0xc0, 0x14, 0xa7, 0x8c, 0xf1, 0xdc,
        0x12, 0x75, 0xca, 0x1f, 0x3b, 0xbe, 0xe4, 0xd1, 0x42, 0x3d, 0xd4, 0x30, 0xa3, 0x3c, 0xb6, 0x26,
        0x6f, 0xbf, 0x0e, 0xda, 0x46, 0x69, 0x07, 0x57, 0x27, 0xf2, 0x1d, 0x9b, 0xbc, 0x94, 0x43, 0x03,
        0xf8, 0x11, 0xc7, 0xf6, 0x90, 0xef, 0x3e, 0xe7, 0x06, 0xc3, 0xd5, 0x2f, 0xc8, 0x66, 0x1e, 0xd7,
        0x08, 0xe8, 0xea, 0xde, 0x80, 0x52, 0xee, 0xf7, 0x84, 0xaa, 0x72, 0xac, 0x35, 0x4d, 0x6a, 0x2a,
        0x96, 0x1a, 0xd2, 0x71, 0x5a, 0x15, 0x49, 0x74, 0x4b, 0x9f, 0xd0, 0x5e, 0x04, 0x18, 0xa4, 0xec,
        0xc2, 0xe0, 0x41, 0x6e, 0x0f, 0x51, 0xcb, 0xcc, 0x24, 0x91, 0xaf, 0x50, 0xa1, 0xf4, 0x70, 0x39,
        0x99, 0x7c, 0x3a, 0x85, 0x23, 0xb8, 0xb4, 0x7a, 0xfc, 0x02, 0x36, 0x5b, 0x25, 0x55, 0x97, 0x31,
        0x2d, 0x5d, 0xfa, 0x98, 0xe3, 0x8a, 0x92, 0xae, 0x05, 0xdf, 0x29, 0x10, 0x67, 0x6c, 0xba, 0xc9,
        0xd3, 0x00, 0xe6, 0xcf, 0xe1, 0x9e, 0xa8, 0x2c, 0x63, 0x16, 0x01, 0x3f, 0x58, 0xe2, 0x89, 0xa9,
        0x0d, 0x38, 0x34, 0x1b, 0xab, 0x33, 0xff, 0xb0, 0xbb, 0x48, 0x0c, 0x5f, 0xb9, 0xb1, 0xcd, 0x2e,
        0xc5, 0xf3, 0xdb, 0x47, 0xe5, 0xa5, 0x9c, 0x77, 0x0a, 0xa6, 0x20, 0x68, 0xfe, 0x7f, 0xc1, 0xad,
    ]
}
