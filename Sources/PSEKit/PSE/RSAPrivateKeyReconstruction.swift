#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
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
            throw PSEKitError.unsupportedKey("SKnew holds primes of more than \(maximumPrimeBytes * 8) bits (an RSA key of more than \(maximumPrimeBytes * 16) bits)")
        }
        let pNumber = UnsignedInteger(bigEndian: p), qNumber = UnsignedInteger(bigEndian: q)
        let eNumber = UnsignedInteger(bigEndian: e)
        guard eNumber.limbs.count == 1, let eWord = eNumber.limbs.first, eWord > 2, eWord & 1 == 1 else {
            throw PSEKitError.unsupportedKey("RSA public exponent is not a small odd number")
        }
        guard !pNumber.isZero, !qNumber.isZero else { throw PSEKitError.malformedPSE("SKnew holds a zero prime") }
        let n = pNumber * qNumber
        let phi = (pNumber - 1) * (qNumber - 1)
        let phiModE = phi.remainder(dividingBy: eWord)
        guard let inverse = modularInverse(UInt64(phiModE), modulo: UInt64(eWord)) else {
            throw PSEKitError.malformedPSE("SKnew primes do not fit the certificate's public exponent")
        }
        let k = (UInt64(eWord) - inverse) % UInt64(eWord)
        let numerator = phi.multiplied(byWord: UInt32(k)) + 1
        let (d, remainder) = numerator.divided(byWord: eWord)
        guard remainder == 0 else { throw PSEKitError.malformedPSE("SKnew primes do not fit the certificate's public exponent") }
        do {
            return try _RSA.Signing.PrivateKey(n: n.bigEndianBytes, e: e, d: d.bigEndianBytes,
                                                p: pNumber.bigEndianBytes, q: qNumber.bigEndianBytes)
        } catch {
            throw PSEKitError.malformedPSE("SKnew does not hold a valid RSA key for the own certificate")
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
