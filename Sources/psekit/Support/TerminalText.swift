import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit

/// Text from certificates, files and servers made safe for a terminal (issue 20, item 1: a root
/// whose CN held `ESC[2J ESC[H` and a redrawn listing made `trust` show another fingerprint).
///
/// One function, `escaped`, applied wherever such text reaches text output (`--json` output is
/// not touched: JSONEncoder escapes control characters itself, and the values stay exact).
enum TerminalText {
    /// The most characters of one name (subject, issuer, file name from a certificate) printed;
    /// the rest is replaced by a note of how much was left out.
    static let nameLimit = 512

    /// `text` with every control character (C0, DEL, C1) and every invisible format or
    /// bidirectional character (U+061C, U+200B–U+200F, U+2028/2029, U+202A–U+202E,
    /// U+2060–U+206F, U+FEFF, U+FFF9–U+FFFB, tag characters: general categories Cf, Zl, Zp)
    /// written as OpenSSL writes them (`ASN1_STRFLGS_ESC_CTRL`): `\1B`, `\U202E`, `\W000E0001`.
    /// With `limit`, at most that many characters are kept; with `keepingLineBreaks`, `\n` is
    /// kept (for messages of several lines; never for a name).
    static func escaped(_ text: String, limit: Int? = nameLimit, keepingLineBreaks: Bool = false) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        var kept = 0
        var index = text.unicodeScalars.startIndex
        let scalars = text.unicodeScalars
        while index < scalars.endIndex {
            if let limit, kept >= limit {
                let left = scalars.distance(from: index, to: scalars.endIndex)
                result += "…[\(left) more characters]"
                break
            }
            let scalar = scalars[index]
            index = scalars.index(after: index)
            kept += 1
            if keepingLineBreaks && scalar == "\n" {
                result.unicodeScalars.append(scalar)
                continue
            }
            let value = scalar.value
            let isControl = value < 0x20 || (0x7F...0x9F).contains(value)
            let category = scalar.properties.generalCategory
            let isInvisible = category == .format || category == .lineSeparator || category == .paragraphSeparator
            guard isControl || isInvisible else {
                result.unicodeScalars.append(scalar)
                continue
            }
            if value <= 0xFF {
                result += "\\" + Hex.number(value, digits: 2)
            } else if value <= 0xFFFF {
                result += "\\U" + Hex.number(value, digits: 4)
            } else {
                result += "\\W" + Hex.number(value, digits: 8)
            }
        }
        return result
    }
}

/// An error whose message reaches the terminal with its control and bidirectional characters
/// escaped (file names and subjects in messages come from files and servers). The errors of
/// swift-argument-parser (exit codes, clean exits, validation, help) pass unchanged.
struct TerminalSafeError: Error, CustomStringConvertible {
    var description: String

    static func wrapping(_ error: Error) -> Error {
        // swift-argument-parser's own errors (help requests among them, some of its types are
        // internal) are its business: they pass unchanged.
        if error is ExitCode || error is CleanExit || error is ValidationError
            || String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") { return error }
        // The message swift-argument-parser would print for the error itself.
        let message: String
        if let localized = error as? LocalizedError, let text = localized.errorDescription {
            message = text
        } else {
            #if canImport(FoundationEssentials)
            message = ErrorText.of(error)
            #else
            if type(of: error) is NSError.Type {
                message = error.localizedDescription
            } else {
                message = ErrorText.of(error)
            }
            #endif
        }
        return TerminalSafeError(description: TerminalText.escaped(message, limit: nil, keepingLineBreaks: true))
    }
}
