import Foundation
import CryptoExtras

/// Rebuilds a full RSA private key from what a PSE stores in `SKnew`: the two primes p and q, with
/// the public exponent e taken from the own certificate.
///
/// n = p·q; d is the inverse of e modulo φ(n) = (p−1)(q−1), computed as d = (1 + k·φ) / e with
/// k = −φ⁻¹ mod e. That needs only multiplication, and division by a word-sized e, so no general
/// big-number library is required. swift-crypto (BoringSSL) then derives the CRT values and checks
/// the key for consistency; an inconsistent key is rejected there.
enum RSAPrivateKeyReconstruction {
    /// The largest prime accepted: 8192 bits, for RSA keys up to 16384 bits. The schoolbook
    /// multiplication below takes time quadratic in the size, so a hostile SKnew with megabyte
    /// "primes" must be refused before it is multiplied.
    static let maximumPrimeBytes = 1024

    static func privateKey(p: [UInt8], q: [UInt8], publicExponent e: [UInt8]) throws -> _RSA.Signing.PrivateKey {
        guard PrivateKeyObject.unsigned(p[...]).count <= maximumPrimeBytes, PrivateKeyObject.unsigned(q[...]).count <= maximumPrimeBytes else {
            throw PSEError.unsupportedKey("SKnew holds primes of more than \(maximumPrimeBytes * 8) bits (an RSA key of more than \(maximumPrimeBytes * 16) bits)")
        }
        let pNumber = UnsignedInteger(bigEndian: p), qNumber = UnsignedInteger(bigEndian: q)
        let eNumber = UnsignedInteger(bigEndian: e)
        guard eNumber.limbs.count == 1, let eWord = eNumber.limbs.first, eWord > 2, eWord & 1 == 1 else {
            throw PSEError.unsupportedKey("RSA public exponent is not a small odd number")
        }
        guard !pNumber.isZero, !qNumber.isZero else { throw PSEError.malformed("SKnew holds a zero prime") }
        let n = pNumber * qNumber
        let phi = (pNumber - 1) * (qNumber - 1)
        let phiModE = phi.remainder(dividingBy: eWord)
        guard let inverse = modularInverse(UInt64(phiModE), modulo: UInt64(eWord)) else {
            throw PSEError.malformed("SKnew primes do not fit the certificate's public exponent")
        }
        let k = (UInt64(eWord) - inverse) % UInt64(eWord)
        let numerator = phi.multiplied(byWord: UInt32(k)) + 1
        let (d, remainder) = numerator.divided(byWord: eWord)
        guard remainder == 0 else { throw PSEError.malformed("SKnew primes do not fit the certificate's public exponent") }
        do {
            return try _RSA.Signing.PrivateKey(n: n.bigEndianBytes, e: e, d: d.bigEndianBytes,
                                                p: pNumber.bigEndianBytes, q: qNumber.bigEndianBytes)
        } catch {
            throw PSEError.malformed("SKnew does not hold a valid RSA key for the own certificate")
        }
    }

    private static func modularInverse(_ a: UInt64, modulo m: UInt64) -> UInt64? {
        var (oldR, r) = (Int64(a), Int64(m))
        var (oldS, s) = (Int64(1), Int64(0))
        while r != 0 {
            let quotient = oldR / r
            (oldR, r) = (r, oldR - quotient * r)
            (oldS, s) = (s, oldS - quotient * s)
        }
        guard oldR == 1 else { return nil }
        let result = oldS % Int64(m)
        return UInt64(result < 0 ? result + Int64(m) : result)
    }
}

/// A minimal unsigned integer (32-bit limbs, least significant first): just the operations the key
/// reconstruction needs.
struct UnsignedInteger: Equatable {
    var limbs: [UInt32]

    init(limbs: [UInt32]) {
        self.limbs = limbs
        normalize()
    }

    init(bigEndian bytes: [UInt8]) {
        var limbs: [UInt32] = []
        limbs.reserveCapacity(bytes.count / 4 + 1)
        var index = bytes.count
        while index > 0 {
            let start = max(0, index - 4)
            var limb: UInt32 = 0
            for byte in bytes[start..<index] { limb = limb << 8 | UInt32(byte) }
            limbs.append(limb)
            index = start
        }
        self.init(limbs: limbs)
    }

    var isZero: Bool { limbs.isEmpty }

    var bigEndianBytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(limbs.count * 4)
        for limb in limbs.reversed() {
            bytes.append(UInt8(truncatingIfNeeded: limb >> 24))
            bytes.append(UInt8(truncatingIfNeeded: limb >> 16))
            bytes.append(UInt8(truncatingIfNeeded: limb >> 8))
            bytes.append(UInt8(truncatingIfNeeded: limb))
        }
        let firstNonZero = bytes.firstIndex { $0 != 0 } ?? bytes.endIndex
        let trimmed = Array(bytes[firstNonZero...])
        return trimmed.isEmpty ? [0] : trimmed
    }

    private mutating func normalize() {
        while let last = limbs.last, last == 0 { limbs.removeLast() }
    }

    static func * (lhs: UnsignedInteger, rhs: UnsignedInteger) -> UnsignedInteger {
        guard !lhs.isZero, !rhs.isZero else { return UnsignedInteger(limbs: []) }
        var result = [UInt32](repeating: 0, count: lhs.limbs.count + rhs.limbs.count)
        for (i, a) in lhs.limbs.enumerated() {
            var carry: UInt64 = 0
            for (j, b) in rhs.limbs.enumerated() {
                let value = UInt64(a) * UInt64(b) + UInt64(result[i + j]) + carry
                result[i + j] = UInt32(truncatingIfNeeded: value)
                carry = value >> 32
            }
            result[i + rhs.limbs.count] = UInt32(carry)
        }
        return UnsignedInteger(limbs: result)
    }

    /// Subtracts a word; the caller guarantees the result is not negative.
    static func - (lhs: UnsignedInteger, rhs: UInt32) -> UnsignedInteger {
        var limbs = lhs.limbs
        var borrow = UInt64(rhs)
        var index = 0
        while borrow != 0 && index < limbs.count {
            let value = Int64(limbs[index]) - Int64(borrow)
            if value < 0 {
                limbs[index] = UInt32(truncatingIfNeeded: value + (1 << 32))
                borrow = 1
            } else {
                limbs[index] = UInt32(value)
                borrow = 0
            }
            index += 1
        }
        return UnsignedInteger(limbs: limbs)
    }

    static func + (lhs: UnsignedInteger, rhs: UInt32) -> UnsignedInteger {
        var limbs = lhs.limbs
        var carry = UInt64(rhs)
        var index = 0
        while carry != 0 {
            if index == limbs.count { limbs.append(0) }
            let value = UInt64(limbs[index]) + carry
            limbs[index] = UInt32(truncatingIfNeeded: value)
            carry = value >> 32
            index += 1
        }
        return UnsignedInteger(limbs: limbs)
    }

    func multiplied(byWord word: UInt32) -> UnsignedInteger {
        self * UnsignedInteger(limbs: [word])
    }

    func divided(byWord divisor: UInt32) -> (quotient: UnsignedInteger, remainder: UInt32) {
        var quotient = [UInt32](repeating: 0, count: limbs.count)
        var remainder: UInt64 = 0
        for index in stride(from: limbs.count - 1, through: 0, by: -1) {
            let value = remainder << 32 | UInt64(limbs[index])
            quotient[index] = UInt32(value / UInt64(divisor))
            remainder = value % UInt64(divisor)
        }
        return (UnsignedInteger(limbs: quotient), UInt32(remainder))
    }

    func remainder(dividingBy divisor: UInt32) -> UInt32 { divided(byWord: divisor).remainder }
}
