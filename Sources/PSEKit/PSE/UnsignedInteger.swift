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
