/// SHA-1 (FIPS 180-4, §6.1) for the PKCS#12 key derivation only: `PKCS12KeyDerivation` hashes a
/// 20-byte digest 10,000 times or more per key, and each call through a general hash API allocates,
/// copies and frees a hash context, which costs more than the block function itself
/// (bench/findings.md). Here the iteration runs on five words of state and one stack buffer.
///
/// Internal to PSELegacyCrypto; every other use of SHA-1 goes through swift-crypto. Tested
/// against swift-crypto's `Insecure.SHA1` on random inputs and through the published PKCS#12
/// KDF vectors (Tests/PSELegacyCryptoTests/PKCS12SHA1Tests.swift).
enum PKCS12SHA1 {
    static let digestByteCount = 20
    static let blockByteCount = 64

    /// H0...H4.
    struct State {
        var h0: UInt32 = 0x6745_2301
        var h1: UInt32 = 0xEFCD_AB89
        var h2: UInt32 = 0x98BA_DCFE
        var h3: UInt32 = 0x1032_5476
        var h4: UInt32 = 0xC3D2_E1F0

        var bytes: [UInt8] {
            var result = [UInt8]()
            result.reserveCapacity(20)
            for word in [h0, h1, h2, h3, h4] {
                result.append(UInt8(truncatingIfNeeded: word >> 24))
                result.append(UInt8(truncatingIfNeeded: word >> 16))
                result.append(UInt8(truncatingIfNeeded: word >> 8))
                result.append(UInt8(truncatingIfNeeded: word))
            }
            return result
        }
    }

    /// SHA-1 of `message`.
    static func hash(_ message: [UInt8]) -> [UInt8] {
        withSchedule { w in digest(of: message, schedule: w).bytes }
    }

    /// SHA-1 applied `count` times (at least once): H(H(...H(message))).
    static func iteratedHash(_ message: [UInt8], count: Int) -> [UInt8] {
        withSchedule { w in
            var state = digest(of: message, schedule: w)
            var remaining = max(count, 1) - 1
            while remaining > 0 {
                // The next message is the 20-byte digest: one block with the padding fixed
                // (0x80, zeros, the length 160 bits).
                w[0] = state.h0; w[1] = state.h1; w[2] = state.h2; w[3] = state.h3; w[4] = state.h4
                w[5] = 0x8000_0000
                for index in 6..<15 { w[index] = 0 }
                w[15] = 160
                state = State()
                compress(&state, schedule: w)
                remaining -= 1
            }
            return state.bytes
        }
    }

    /// Runs `body` with an 80-word message schedule on the stack.
    private static func withSchedule<R>(_ body: (UnsafeMutablePointer<UInt32>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 80) { buffer in
            body(buffer.baseAddress!)
        }
    }

    /// The digest of a whole message: its blocks, then the padding (0x80, zeros, the bit length).
    private static func digest(of message: [UInt8], schedule w: UnsafeMutablePointer<UInt32>) -> State {
        var state = State()
        message.withUnsafeBufferPointer { bytes in
            let fullBlocks = bytes.count / blockByteCount
            for block in 0..<fullBlocks {
                load(UnsafeBufferPointer(rebasing: bytes[(block * blockByteCount)..<((block + 1) * blockByteCount)]), into: w)
                compress(&state, schedule: w)
            }
            // The tail: the remaining bytes, 0x80, zeros and the 64-bit length, in one or two blocks.
            var tail = [UInt8](bytes[(fullBlocks * blockByteCount)...])
            tail.append(0x80)
            while tail.count % blockByteCount != blockByteCount - 8 { tail.append(0) }
            let bitLength = UInt64(bytes.count) &* 8
            for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
            tail.withUnsafeBufferPointer { tailBytes in
                for block in 0..<(tailBytes.count / blockByteCount) {
                    load(UnsafeBufferPointer(rebasing: tailBytes[(block * blockByteCount)..<((block + 1) * blockByteCount)]), into: w)
                    compress(&state, schedule: w)
                }
            }
        }
        return state
    }

    /// W0...W15 from a 64-byte block, big-endian.
    @inline(__always)
    private static func load(_ block: UnsafeBufferPointer<UInt8>, into w: UnsafeMutablePointer<UInt32>) {
        for index in 0..<16 {
            let offset = index * 4
            w[index] = UInt32(block[offset]) << 24 | UInt32(block[offset + 1]) << 16
                | UInt32(block[offset + 2]) << 8 | UInt32(block[offset + 3])
        }
    }

    @inline(__always)
    private static func rotl(_ x: UInt32, _ n: UInt32) -> UInt32 { (x << n) | (x >> (32 - n)) }

    /// The compression function on W0...W15 (the schedule's first 16 words; it fills the rest).
    @inline(__always)
    private static func compress(_ state: inout State, schedule w: UnsafeMutablePointer<UInt32>) {
        for t in 16..<80 { w[t] = rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1) }
        var a = state.h0, b = state.h1, c = state.h2, d = state.h3, e = state.h4
        for t in 0..<20 {
            let temp = rotl(a, 5) &+ ((b & c) | (~b & d)) &+ e &+ 0x5A82_7999 &+ w[t]
            e = d; d = c; c = rotl(b, 30); b = a; a = temp
        }
        for t in 20..<40 {
            let temp = rotl(a, 5) &+ (b ^ c ^ d) &+ e &+ 0x6ED9_EBA1 &+ w[t]
            e = d; d = c; c = rotl(b, 30); b = a; a = temp
        }
        for t in 40..<60 {
            let temp = rotl(a, 5) &+ ((b & c) | (b & d) | (c & d)) &+ e &+ 0x8F1B_BCDC &+ w[t]
            e = d; d = c; c = rotl(b, 30); b = a; a = temp
        }
        for t in 60..<80 {
            let temp = rotl(a, 5) &+ (b ^ c ^ d) &+ e &+ 0xCA62_C1D6 &+ w[t]
            e = d; d = c; c = rotl(b, 30); b = a; a = temp
        }
        state.h0 = state.h0 &+ a
        state.h1 = state.h1 &+ b
        state.h2 = state.h2 &+ c
        state.h3 = state.h3 &+ d
        state.h4 = state.h4 &+ e
    }
}
