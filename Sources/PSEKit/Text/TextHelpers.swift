// Text helpers for what FoundationEssentials lacks (String(format:), CharacterSet,
// trimmingCharacters, caseInsensitiveCompare): the package's modules import FoundationEssentials
// so that the release binary does not link Foundation's ICU (docs/platforms.md). Written once here
// for every module of the package.

/// Hexadecimal numbers and bytes.
package enum Hex {
    /// `value` in hexadecimal, zero-padded on the left to at least `digits` digits
    /// (`String(format: "%0*X", digits, value)`).
    package static func number(_ value: some BinaryInteger, digits: Int, uppercase: Bool = true) -> String {
        let text = String(value, radix: 16, uppercase: uppercase)
        return text.count >= digits ? text : String(repeating: "0", count: digits - text.count) + text
    }

    /// Each byte as two hexadecimal digits, joined by `separator` (`AB:CD` for `[0xAB, 0xCD]`
    /// and `":"`).
    package static func bytes(_ bytes: some Sequence<UInt8>, separator: String = "", uppercase: Bool = true) -> String {
        bytes.map { number($0, digits: 2, uppercase: uppercase) }.joined(separator: separator)
    }
}

extension StringProtocol {
    /// Without the leading and trailing characters that match `predicate`.
    package func trimming(where predicate: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !predicate($0) }) else { return "" }
        let last = lastIndex(where: { !predicate($0) })!
        return String(self[first...last])
    }

    /// Without leading and trailing spaces and tabs, line breaks kept (Foundation's
    /// `trimmingCharacters(in: .whitespaces)`).
    package func trimmingWhitespace() -> String {
        trimming { $0.isWhitespace && !$0.isNewline }
    }

    /// Without leading and trailing white space and line breaks (Foundation's
    /// `trimmingCharacters(in: .whitespacesAndNewlines)`).
    package func trimmingWhitespaceAndNewlines() -> String {
        trimming(where: \.isWhitespace)
    }

    /// Padded with spaces on the right to `width` characters; longer text is left as it is.
    package func padded(to width: Int) -> String {
        count >= width ? String(self) : String(self) + String(repeating: " ", count: width - count)
    }

    /// Whether the two are equal ignoring case (Foundation's `caseInsensitiveCompare(_:) == .orderedSame`).
    package func equalsIgnoringCase(_ other: some StringProtocol) -> Bool {
        lowercased() == other.lowercased()
    }

    /// Whether `other` occurs in this text ignoring case (Foundation's
    /// `range(of:options: .caseInsensitive) != nil`).
    package func containsIgnoringCase(_ other: some StringProtocol) -> Bool {
        lowercased().contains(other.lowercased())
    }
}
