import Crypto
@testable import PSELegacyCrypto
import XCTest

/// The SHA-1 inside the PKCS#12 key derivation against swift-crypto's `Insecure.SHA1`.
final class PKCS12SHA1Tests: XCTestCase {
    /// A fixed seed so that a failure replays; the inputs cover every tail case of the padding
    /// (0...300 bytes: empty, one block, 55/56/63/64 bytes at the block boundary, several blocks).
    func testAgreesWithSwiftCryptoOnRandomInputs() {
        var generator = SplitMix64(seed: 0x5053_454B_4954)
        for round in 0..<3000 {
            let length = round < 301 ? round : Int(generator.next() % 301)
            let message = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            XCTAssertEqual(PKCS12SHA1.hash(message), Array(Insecure.SHA1.hash(data: message)), "length \(length)")
        }
    }

    func testIteratedHashAgreesWithRepeatedSwiftCryptoHashes() {
        assertIteratedHashAgreesWithSwiftCrypto(rehash: .portable)
    }

    /// The same with the CPU's SHA extensions (CPKCS12SHA1), which the derivation uses where the
    /// CPU has them; on a CPU without them this test is reported as skipped, never passed.
    func testIteratedHashWithSHAExtensionsAgreesWithRepeatedSwiftCryptoHashes() throws {
        guard PKCS12SHA1.Rehash.fastest == .shaExtensions else {
            throw XCTSkip("this CPU has no SHA extensions; the portable path is tested above")
        }
        assertIteratedHashAgreesWithSwiftCrypto(rehash: .shaExtensions)
    }

    /// Thousands of chains from random messages: short chains (every count 1...40) and long ones.
    private func assertIteratedHashAgreesWithSwiftCrypto(rehash: PKCS12SHA1.Rehash, file: StaticString = #filePath, line: UInt = #line) {
        var generator = SplitMix64(seed: 42)
        // 2,000 chains of two compare one rehash of 2,000 random digests.
        let counts = Array(1...40) + Array(repeating: 2, count: 2000) + [1000, 10_000]
        for count in counts {
            let length = Int(generator.next() % 301)
            let message = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            var expected = Array(Insecure.SHA1.hash(data: message))
            for _ in 1..<count { expected = Array(Insecure.SHA1.hash(data: expected)) }
            XCTAssertEqual(PKCS12SHA1.iteratedHash(message, count: count, rehash: rehash), expected,
                           "\(rehash): count \(count), length \(length)", file: file, line: line)
        }
        XCTAssertEqual(PKCS12SHA1.iteratedHash([1, 2, 3], count: 0, rehash: rehash), Array(Insecure.SHA1.hash(data: [1, 2, 3] as [UInt8])),
                       "fewer than one iteration hashes once, as the derivation does", file: file, line: line)
    }

    /// FIPS 180-4's examples ("abc" and the 448-bit message) and the empty message.
    func testKnownAnswers() {
        XCTAssertEqual(Hex.string(PKCS12SHA1.hash([])), "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        XCTAssertEqual(Hex.string(PKCS12SHA1.hash(Array("abc".utf8))), "a9993e364706816aba3e25717850c26c9cd0d89d")
        XCTAssertEqual(Hex.string(PKCS12SHA1.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))),
                       "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
    }

    /// The derivation through PKCS12SHA1 equals the derivation through swift-crypto's SHA-1
    /// (the generic path, selected here by running the same algorithm by hand).
    func testDerivationMatchesGenericSHA1Path() {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<50 {
            let password = (0..<Int(generator.next() % 40)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let salt = (0..<Int(generator.next() % 20)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let iterations = Int(generator.next() % 50) + 1
            let length = Int(generator.next() % 70) + 1
            let derived = PKCS12KeyDerivation.derive(password: password, salt: salt, iterations: iterations,
                                                     purpose: .encryptionKey, length: length)
            XCTAssertEqual(derived, referenceDerive(password: password, salt: salt, iterations: iterations, id: 1, length: length))
        }
    }

    /// RFC 7292, Appendix B.2, written out with swift-crypto's SHA-1.
    private func referenceDerive(password: [UInt8], salt: [UInt8], iterations: Int, id: UInt8, length: Int) -> [UInt8] {
        let v = 64, u = 20
        func fill(_ bytes: [UInt8]) -> [UInt8] {
            bytes.isEmpty ? [] : (0..<(v * ((bytes.count + v - 1) / v))).map { bytes[$0 % bytes.count] }
        }
        var input = fill(salt) + fill(password)
        var output = [UInt8]()
        while output.count < length {
            var a = Array(Insecure.SHA1.hash(data: [UInt8](repeating: id, count: v) + input))
            for _ in 1..<iterations { a = Array(Insecure.SHA1.hash(data: a)) }
            output += a
            let b = (0..<v).map { a[$0 % u] }
            for start in stride(from: 0, to: input.count, by: v) {
                var carry = 1
                for offset in (0..<v).reversed() {
                    let sum = Int(input[start + offset]) + Int(b[offset]) + carry
                    input[start + offset] = UInt8(sum & 0xff)
                    carry = sum >> 8
                }
            }
        }
        return Array(output.prefix(length))
    }
}

/// A small deterministic generator (SplitMix64) for reproducible random inputs.
private struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
