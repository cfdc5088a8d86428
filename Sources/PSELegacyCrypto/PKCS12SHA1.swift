import CPKCS12SHA1

/// SHA-1 (FIPS 180-4, §6.1) for the PKCS#12 key derivation only: `PKCS12KeyDerivation` hashes a
/// 20-byte digest 10,000 times or more per key, and each call through a general hash API allocates,
/// copies and frees a hash context, which costs more than the block function itself
/// (bench/findings.md). Here the iteration runs on five words of state and one stack buffer,
/// and the rounds after the first use the CPU's SHA extensions where it has them (CPKCS12SHA1,
/// a C file, as Swift has no portable way to reach those instructions).
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

    /// How the rounds after the first are computed: the CPU's SHA extensions (x86-64 CPUs
    /// since about 2017 have them) or the portable compression below.
    enum Rehash: Sendable {
        case portable, shaExtensions

        /// The SHA extensions when this CPU has them, else the portable compression.
        static let fastest: Rehash = cpkcs12sha1_has_sha_extensions() == 1 ? .shaExtensions : .portable
    }

    /// SHA-1 applied `count` times (at least once): H(H(...H(message))).
    static func iteratedHash(_ message: [UInt8], count: Int, rehash: Rehash = .fastest) -> [UInt8] {
        withSchedule { w in
            var state = digest(of: message, schedule: w)
            var remaining = max(count, 1) - 1
            if rehash == .shaExtensions, remaining > 0 {
                var words = [state.h0, state.h1, state.h2, state.h3, state.h4]
                words.withUnsafeMutableBufferPointer { cpkcs12sha1_rehash($0.baseAddress!, remaining) }
                state = State(h0: words[0], h1: words[1], h2: words[2], h3: words[3], h4: words[4])
                remaining = 0
            }
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

    /// The compression function on W0...W15 (the first 16 words of `w`, overwritten: the message
    /// schedule runs in place as a ring of 16 words, W[t] = W[t mod 16]). The 80 rounds are
    /// written out, five to a line; each names the working variables in the order the previous
    /// round left them (a, b, c, d, e -> e, a, b, c, d), so no values move between rounds.
    @inline(__always)
    private static func compress(_ state: inout State, schedule w: UnsafeMutablePointer<UInt32>) {
        // W[t] for t >= 16, stored over W[t - 16].
        @inline(__always) func next(_ t: Int) -> UInt32 {
            let value = rotl(w[(t - 3) & 15] ^ w[(t - 8) & 15] ^ w[(t - 14) & 15] ^ w[t & 15], 1)
            w[t & 15] = value
            return value
        }
        // One round: e += rotl(a, 5) + f(b, c, d) + K + W[t]; b = rotl(b, 30).
        @inline(__always) func ch(_ a: UInt32, _ b: inout UInt32, _ c: UInt32, _ d: UInt32, _ e: inout UInt32, _ w: UInt32) {
            e = e &+ rotl(a, 5) &+ (d ^ (b & (c ^ d))) &+ 0x5A82_7999 &+ w; b = rotl(b, 30)
        }
        @inline(__always) func p1(_ a: UInt32, _ b: inout UInt32, _ c: UInt32, _ d: UInt32, _ e: inout UInt32, _ w: UInt32) {
            e = e &+ rotl(a, 5) &+ (b ^ c ^ d) &+ 0x6ED9_EBA1 &+ w; b = rotl(b, 30)
        }
        @inline(__always) func mj(_ a: UInt32, _ b: inout UInt32, _ c: UInt32, _ d: UInt32, _ e: inout UInt32, _ w: UInt32) {
            e = e &+ rotl(a, 5) &+ ((b & c) | (d & (b | c))) &+ 0x8F1B_BCDC &+ w; b = rotl(b, 30)
        }
        @inline(__always) func p2(_ a: UInt32, _ b: inout UInt32, _ c: UInt32, _ d: UInt32, _ e: inout UInt32, _ w: UInt32) {
            e = e &+ rotl(a, 5) &+ (b ^ c ^ d) &+ 0xCA62_C1D6 &+ w; b = rotl(b, 30)
        }
        var a = state.h0, b = state.h1, c = state.h2, d = state.h3, e = state.h4
        ch(a, &b, c, d, &e, w[0]); ch(e, &a, b, c, &d, w[1]); ch(d, &e, a, b, &c, w[2]); ch(c, &d, e, a, &b, w[3]); ch(b, &c, d, e, &a, w[4])
        ch(a, &b, c, d, &e, w[5]); ch(e, &a, b, c, &d, w[6]); ch(d, &e, a, b, &c, w[7]); ch(c, &d, e, a, &b, w[8]); ch(b, &c, d, e, &a, w[9])
        ch(a, &b, c, d, &e, w[10]); ch(e, &a, b, c, &d, w[11]); ch(d, &e, a, b, &c, w[12]); ch(c, &d, e, a, &b, w[13]); ch(b, &c, d, e, &a, w[14])
        ch(a, &b, c, d, &e, w[15]); ch(e, &a, b, c, &d, next(16)); ch(d, &e, a, b, &c, next(17)); ch(c, &d, e, a, &b, next(18)); ch(b, &c, d, e, &a, next(19))
        p1(a, &b, c, d, &e, next(20)); p1(e, &a, b, c, &d, next(21)); p1(d, &e, a, b, &c, next(22)); p1(c, &d, e, a, &b, next(23)); p1(b, &c, d, e, &a, next(24))
        p1(a, &b, c, d, &e, next(25)); p1(e, &a, b, c, &d, next(26)); p1(d, &e, a, b, &c, next(27)); p1(c, &d, e, a, &b, next(28)); p1(b, &c, d, e, &a, next(29))
        p1(a, &b, c, d, &e, next(30)); p1(e, &a, b, c, &d, next(31)); p1(d, &e, a, b, &c, next(32)); p1(c, &d, e, a, &b, next(33)); p1(b, &c, d, e, &a, next(34))
        p1(a, &b, c, d, &e, next(35)); p1(e, &a, b, c, &d, next(36)); p1(d, &e, a, b, &c, next(37)); p1(c, &d, e, a, &b, next(38)); p1(b, &c, d, e, &a, next(39))
        mj(a, &b, c, d, &e, next(40)); mj(e, &a, b, c, &d, next(41)); mj(d, &e, a, b, &c, next(42)); mj(c, &d, e, a, &b, next(43)); mj(b, &c, d, e, &a, next(44))
        mj(a, &b, c, d, &e, next(45)); mj(e, &a, b, c, &d, next(46)); mj(d, &e, a, b, &c, next(47)); mj(c, &d, e, a, &b, next(48)); mj(b, &c, d, e, &a, next(49))
        mj(a, &b, c, d, &e, next(50)); mj(e, &a, b, c, &d, next(51)); mj(d, &e, a, b, &c, next(52)); mj(c, &d, e, a, &b, next(53)); mj(b, &c, d, e, &a, next(54))
        mj(a, &b, c, d, &e, next(55)); mj(e, &a, b, c, &d, next(56)); mj(d, &e, a, b, &c, next(57)); mj(c, &d, e, a, &b, next(58)); mj(b, &c, d, e, &a, next(59))
        p2(a, &b, c, d, &e, next(60)); p2(e, &a, b, c, &d, next(61)); p2(d, &e, a, b, &c, next(62)); p2(c, &d, e, a, &b, next(63)); p2(b, &c, d, e, &a, next(64))
        p2(a, &b, c, d, &e, next(65)); p2(e, &a, b, c, &d, next(66)); p2(d, &e, a, b, &c, next(67)); p2(c, &d, e, a, &b, next(68)); p2(b, &c, d, e, &a, next(69))
        p2(a, &b, c, d, &e, next(70)); p2(e, &a, b, c, &d, next(71)); p2(d, &e, a, b, &c, next(72)); p2(c, &d, e, a, &b, next(73)); p2(b, &c, d, e, &a, next(74))
        p2(a, &b, c, d, &e, next(75)); p2(e, &a, b, c, &d, next(76)); p2(d, &e, a, b, &c, next(77)); p2(c, &d, e, a, &b, next(78)); p2(b, &c, d, e, &a, next(79))
        state.h0 = state.h0 &+ a
        state.h1 = state.h1 &+ b
        state.h2 = state.h2 &+ c
        state.h3 = state.h3 &+ d
        state.h4 = state.h4 &+ e
    }
}
