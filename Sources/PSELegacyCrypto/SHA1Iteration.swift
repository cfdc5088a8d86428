/// Iterated SHA-1 for the PKCS#12 key derivation: `H(H(...H(x)))`, where every input after the
/// first is the 20-byte digest before it. The derivation runs 10000 such rounds per output block
/// (three blocks for a PSE's key and IV), and through swift-crypto's general hashing interface
/// each costs two heap allocations besides the compression. A 20-byte message always fills one
/// block with the same padding, so here it is a single SHA-1 compression (FIPS 180-4, 6.1.2) on
/// five words in registers: about 2.5 times as fast (bench/RESULTS.md, scenario 1). The tests
/// check it against swift-crypto's SHA-1.
enum SHA1Iteration {
    /// A SHA-1 digest as five big-endian words.
    typealias Digest = (UInt32, UInt32, UInt32, UInt32, UInt32)

    /// Hashes `digest` `count` times: each time the digest is replaced by its own SHA-1.
    static func rehash(_ digest: inout Digest, count: Int) {
        for _ in 0..<max(count, 0) { digest = hashOfDigest(digest) }
    }

    static func digest(fromBytes bytes: UnsafeRawBufferPointer) -> Digest {
        precondition(bytes.count == 20)
        func word(_ index: Int) -> UInt32 {
            (0..<4).reduce(0) { $0 << 8 | UInt32(bytes[index * 4 + $1]) }
        }
        return (word(0), word(1), word(2), word(3), word(4))
    }

    static func bytes(of digest: Digest) -> [UInt8] {
        [digest.0, digest.1, digest.2, digest.3, digest.4].flatMap { word in
            [UInt8(truncatingIfNeeded: word >> 24), UInt8(truncatingIfNeeded: word >> 16),
             UInt8(truncatingIfNeeded: word >> 8), UInt8(truncatingIfNeeded: word)]
        }
    }

    /// SHA-1 of the 20-byte message `message`: one block of the message, the 0x80 byte, zeros
    /// and the length, 160 bits.
    @inline(__always)
    static func hashOfDigest(_ message: Digest) -> Digest {
        var w0 = message.0, w1 = message.1, w2 = message.2, w3 = message.3, w4 = message.4
        var w5: UInt32 = 0x8000_0000, w6: UInt32 = 0, w7: UInt32 = 0, w8: UInt32 = 0, w9: UInt32 = 0
        var w10: UInt32 = 0, w11: UInt32 = 0, w12: UInt32 = 0, w13: UInt32 = 0, w14: UInt32 = 0
        var w15: UInt32 = 160
        var a: UInt32 = 0x6745_2301, b: UInt32 = 0xEFCD_AB89, c: UInt32 = 0x98BA_DCFE
        var d: UInt32 = 0x1032_5476, e: UInt32 = 0xC3D2_E1F0
        // 80 rounds; instead of moving a..e along after each round, the next round names them
        // one place further (the fifth round after this one uses them as this one does).
        chooseRound(a, &b, c, d, &e, w0)
        chooseRound(e, &a, b, c, &d, w1)
        chooseRound(d, &e, a, b, &c, w2)
        chooseRound(c, &d, e, a, &b, w3)
        chooseRound(b, &c, d, e, &a, w4)
        chooseRound(a, &b, c, d, &e, w5)
        chooseRound(e, &a, b, c, &d, w6)
        chooseRound(d, &e, a, b, &c, w7)
        chooseRound(c, &d, e, a, &b, w8)
        chooseRound(b, &c, d, e, &a, w9)
        chooseRound(a, &b, c, d, &e, w10)
        chooseRound(e, &a, b, c, &d, w11)
        chooseRound(d, &e, a, b, &c, w12)
        chooseRound(c, &d, e, a, &b, w13)
        chooseRound(b, &c, d, e, &a, w14)
        chooseRound(a, &b, c, d, &e, w15)
        chooseRound(e, &a, b, c, &d, expand(&w0, w13, w8, w2))
        chooseRound(d, &e, a, b, &c, expand(&w1, w14, w9, w3))
        chooseRound(c, &d, e, a, &b, expand(&w2, w15, w10, w4))
        chooseRound(b, &c, d, e, &a, expand(&w3, w0, w11, w5))
        parityRound(a, &b, c, d, &e, expand(&w4, w1, w12, w6))
        parityRound(e, &a, b, c, &d, expand(&w5, w2, w13, w7))
        parityRound(d, &e, a, b, &c, expand(&w6, w3, w14, w8))
        parityRound(c, &d, e, a, &b, expand(&w7, w4, w15, w9))
        parityRound(b, &c, d, e, &a, expand(&w8, w5, w0, w10))
        parityRound(a, &b, c, d, &e, expand(&w9, w6, w1, w11))
        parityRound(e, &a, b, c, &d, expand(&w10, w7, w2, w12))
        parityRound(d, &e, a, b, &c, expand(&w11, w8, w3, w13))
        parityRound(c, &d, e, a, &b, expand(&w12, w9, w4, w14))
        parityRound(b, &c, d, e, &a, expand(&w13, w10, w5, w15))
        parityRound(a, &b, c, d, &e, expand(&w14, w11, w6, w0))
        parityRound(e, &a, b, c, &d, expand(&w15, w12, w7, w1))
        parityRound(d, &e, a, b, &c, expand(&w0, w13, w8, w2))
        parityRound(c, &d, e, a, &b, expand(&w1, w14, w9, w3))
        parityRound(b, &c, d, e, &a, expand(&w2, w15, w10, w4))
        parityRound(a, &b, c, d, &e, expand(&w3, w0, w11, w5))
        parityRound(e, &a, b, c, &d, expand(&w4, w1, w12, w6))
        parityRound(d, &e, a, b, &c, expand(&w5, w2, w13, w7))
        parityRound(c, &d, e, a, &b, expand(&w6, w3, w14, w8))
        parityRound(b, &c, d, e, &a, expand(&w7, w4, w15, w9))
        majorityRound(a, &b, c, d, &e, expand(&w8, w5, w0, w10))
        majorityRound(e, &a, b, c, &d, expand(&w9, w6, w1, w11))
        majorityRound(d, &e, a, b, &c, expand(&w10, w7, w2, w12))
        majorityRound(c, &d, e, a, &b, expand(&w11, w8, w3, w13))
        majorityRound(b, &c, d, e, &a, expand(&w12, w9, w4, w14))
        majorityRound(a, &b, c, d, &e, expand(&w13, w10, w5, w15))
        majorityRound(e, &a, b, c, &d, expand(&w14, w11, w6, w0))
        majorityRound(d, &e, a, b, &c, expand(&w15, w12, w7, w1))
        majorityRound(c, &d, e, a, &b, expand(&w0, w13, w8, w2))
        majorityRound(b, &c, d, e, &a, expand(&w1, w14, w9, w3))
        majorityRound(a, &b, c, d, &e, expand(&w2, w15, w10, w4))
        majorityRound(e, &a, b, c, &d, expand(&w3, w0, w11, w5))
        majorityRound(d, &e, a, b, &c, expand(&w4, w1, w12, w6))
        majorityRound(c, &d, e, a, &b, expand(&w5, w2, w13, w7))
        majorityRound(b, &c, d, e, &a, expand(&w6, w3, w14, w8))
        majorityRound(a, &b, c, d, &e, expand(&w7, w4, w15, w9))
        majorityRound(e, &a, b, c, &d, expand(&w8, w5, w0, w10))
        majorityRound(d, &e, a, b, &c, expand(&w9, w6, w1, w11))
        majorityRound(c, &d, e, a, &b, expand(&w10, w7, w2, w12))
        majorityRound(b, &c, d, e, &a, expand(&w11, w8, w3, w13))
        lastParityRound(a, &b, c, d, &e, expand(&w12, w9, w4, w14))
        lastParityRound(e, &a, b, c, &d, expand(&w13, w10, w5, w15))
        lastParityRound(d, &e, a, b, &c, expand(&w14, w11, w6, w0))
        lastParityRound(c, &d, e, a, &b, expand(&w15, w12, w7, w1))
        lastParityRound(b, &c, d, e, &a, expand(&w0, w13, w8, w2))
        lastParityRound(a, &b, c, d, &e, expand(&w1, w14, w9, w3))
        lastParityRound(e, &a, b, c, &d, expand(&w2, w15, w10, w4))
        lastParityRound(d, &e, a, b, &c, expand(&w3, w0, w11, w5))
        lastParityRound(c, &d, e, a, &b, expand(&w4, w1, w12, w6))
        lastParityRound(b, &c, d, e, &a, expand(&w5, w2, w13, w7))
        lastParityRound(a, &b, c, d, &e, expand(&w6, w3, w14, w8))
        lastParityRound(e, &a, b, c, &d, expand(&w7, w4, w15, w9))
        lastParityRound(d, &e, a, b, &c, expand(&w8, w5, w0, w10))
        lastParityRound(c, &d, e, a, &b, expand(&w9, w6, w1, w11))
        lastParityRound(b, &c, d, e, &a, expand(&w10, w7, w2, w12))
        lastParityRound(a, &b, c, d, &e, expand(&w11, w8, w3, w13))
        lastParityRound(e, &a, b, c, &d, expand(&w12, w9, w4, w14))
        lastParityRound(d, &e, a, b, &c, expand(&w13, w10, w5, w15))
        lastParityRound(c, &d, e, a, &b, expand(&w14, w11, w6, w0))
        lastParityRound(b, &c, d, e, &a, expand(&w15, w12, w7, w1))
        return (0x6745_2301 &+ a, 0xEFCD_AB89 &+ b, 0x98BA_DCFE &+ c, 0x1032_5476 &+ d, 0xC3D2_E1F0 &+ e)
    }

    /// The message schedule: W[t] = ROTL1(W[t-3] ^ W[t-8] ^ W[t-14] ^ W[t-16]), in a ring of 16.
    @inline(__always)
    private static func expand(_ w: inout UInt32, _ w3: UInt32, _ w8: UInt32, _ w14: UInt32) -> UInt32 {
        w = rotateLeft(w3 ^ w8 ^ w14 ^ w, 1)
        return w
    }

    @inline(__always)
    private static func rotateLeft(_ x: UInt32, _ n: UInt32) -> UInt32 { (x << n) | (x >> (32 - n)) }

    // One round: e += ROTL5(a) + f(b, c, d) + K + W; b = ROTL30(b).

    @inline(__always)
    private static func chooseRound(_ a: UInt32, _ b: inout UInt32, _ c: UInt32, _ d: UInt32, _ e: inout UInt32, _ w: UInt32) {
        e = e &+ rotateLeft(a, 5) &+ ((b & c) | (~b & d)) &+ 0x5A82_7999 &+ w
        b = rotateLeft(b, 30)
    }

    @inline(__always)
    private static func parityRound(_ a: UInt32, _ b: inout UInt32, _ c: UInt32, _ d: UInt32, _ e: inout UInt32, _ w: UInt32) {
        e = e &+ rotateLeft(a, 5) &+ (b ^ c ^ d) &+ 0x6ED9_EBA1 &+ w
        b = rotateLeft(b, 30)
    }

    @inline(__always)
    private static func lastParityRound(_ a: UInt32, _ b: inout UInt32, _ c: UInt32, _ d: UInt32, _ e: inout UInt32, _ w: UInt32) {
        e = e &+ rotateLeft(a, 5) &+ (b ^ c ^ d) &+ 0xCA62_C1D6 &+ w
        b = rotateLeft(b, 30)
    }

    @inline(__always)
    private static func majorityRound(_ a: UInt32, _ b: inout UInt32, _ c: UInt32, _ d: UInt32, _ e: inout UInt32, _ w: UInt32) {
        e = e &+ rotateLeft(a, 5) &+ ((b & c) | (b & d) | (c & d)) &+ 0x8F1B_BCDC &+ w
        b = rotateLeft(b, 30)
    }
}
