/// PKCS#7 padding and CBC chaining shared by the 8-byte block ciphers of this module.
enum BlockCipherMode {
    static let blockSize = 8

    static func pad(_ data: [UInt8]) -> [UInt8] {
        let padLength = blockSize - data.count % blockSize
        return data + [UInt8](repeating: UInt8(padLength), count: padLength)
    }

    static func unpad(_ data: [UInt8]) throws -> [UInt8] {
        guard let last = data.last, last >= 1, Int(last) <= blockSize, Int(last) <= data.count else {
            throw LegacyCryptoError.badPadding
        }
        let padLength = Int(last)
        for byte in data[(data.count - padLength)...] where byte != last {
            throw LegacyCryptoError.badPadding
        }
        return Array(data[..<(data.count - padLength)])
    }

    /// An IV of one block and data of whole blocks, or the error that says which is wrong.
    private static func checkLengths(_ data: [UInt8], iv: [UInt8]) throws {
        guard iv.count == blockSize else { throw LegacyCryptoError.invalidIVLength }
        guard data.count % blockSize == 0 else { throw LegacyCryptoError.invalidDataLength }
    }

    /// CBC encryption of whole blocks with a block function working on a 64-bit big-endian value.
    static func cbcEncrypt(_ data: [UInt8], iv: [UInt8], block: (UInt64) -> UInt64) throws -> [UInt8] {
        try checkLengths(data, iv: iv)
        var output = [UInt8](repeating: 0, count: data.count)
        var chain = load(iv, at: 0)
        var offset = 0
        while offset < data.count {
            chain = block(load(data, at: offset) ^ chain)
            store(chain, into: &output, at: offset)
            offset += blockSize
        }
        return output
    }

    /// CBC decryption of whole blocks with a block function working on a 64-bit big-endian value.
    static func cbcDecrypt(_ data: [UInt8], iv: [UInt8], block: (UInt64) -> UInt64) throws -> [UInt8] {
        try checkLengths(data, iv: iv)
        var output = [UInt8](repeating: 0, count: data.count)
        var chain = load(iv, at: 0)
        var offset = 0
        while offset < data.count {
            let cipherBlock = load(data, at: offset)
            store(block(cipherBlock) ^ chain, into: &output, at: offset)
            chain = cipherBlock
            offset += blockSize
        }
        return output
    }

    @inline(__always)
    static func load(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in offset..<(offset + blockSize) { value = value << 8 | UInt64(bytes[index]) }
        return value
    }

    @inline(__always)
    static func store(_ value: UInt64, into bytes: inout [UInt8], at offset: Int) {
        for index in 0..<blockSize { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (56 - 8 * index)) }
    }
}
