#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// psekit's one PEM reader, for certificates and keys alike: every `-----BEGIN LABEL-----` block
/// of the input with its label, anything between blocks ignored. It tolerates lines of any
/// length, CRLF, RFC 1421 header lines, and a PEM on one line with literal `\n` escapes (as JSON
/// holds it, e.g. a BTP service key).
///
/// One pass over the bytes: every byte is looked at a bounded number of times (`PEMScanner`
/// counts them), so the time grows linearly with the input, whatever its blocks (issue 20:
/// 16 MiB of tiny blocks took longer than 900 s with String searches).
package enum PEMReader {
    /// Calls `body` with the label and the undecoded body of each block, in order.
    static func forEachBlock(in bytes: ArraySlice<UInt8>, scanner: inout PEMScanner,
                             _ body: (_ label: String, _ body: ArraySlice<UInt8>) throws -> Void) throws {
        var position = bytes.startIndex
        while let begin = scanner.find(PEMScanner.beginPrefix, in: bytes, from: position) {
            let labelStart = begin + PEMScanner.beginPrefix.count
            guard let labelEnd = scanner.find(PEMScanner.dashes, in: bytes, from: labelStart) else {
                throw PSEKitError.invalidPEM(reason: "a BEGIN line is not closed by \"-----\"")
            }
            let labelBytes = bytes[labelStart..<labelEnd]
            guard labelBytes.count <= PEMScanner.maximumLabelLength,
                  !labelBytes.contains(where: { $0 == 0x0A || $0 == 0x0D }) else {
                throw PSEKitError.invalidPEM(reason: "a BEGIN line is not closed by \"-----\" on the same line")
            }
            let label = String(decoding: labelBytes, as: UTF8.self)
            let endMarker = Array("-----END \(label)-----".utf8)
            let bodyStart = labelEnd + PEMScanner.dashes.count
            guard let end = scanner.find(endMarker, in: bytes, from: bodyStart) else {
                throw PSEKitError.invalidPEM(reason: "\"-----BEGIN \(label)-----\" has no \"-----END \(label)-----\"")
            }
            position = end + endMarker.count
            try body(label, bytes[bodyStart..<end])
        }
    }

    /// Whether a block body has RFC 1421 header lines (`Proc-Type:`, `DEK-Info:`): OpenSSL's
    /// legacy encrypted keys.
    static func hasHeaders(_ body: ArraySlice<UInt8>) -> Bool {
        body.contains(UInt8(ascii: ":"))
    }

    /// The Base64 inside a PEM block: RFC 1421 header lines (`Name: value`) are dropped. One pass.
    static func decodeBase64(pemBody: ArraySlice<UInt8>) -> [UInt8]? {
        var base64: [UInt8] = []
        base64.reserveCapacity(pemBody.count)
        var lineStart = pemBody.startIndex
        var index = pemBody.startIndex
        // Lines end at CR, LF, or the two-character escapes \n and \r (PEM kept in JSON).
        func endLine(at lineEnd: Int) {
            let line = pemBody[lineStart..<lineEnd]
            if !line.contains(UInt8(ascii: ":")) { base64.append(contentsOf: line) }
        }
        while index < pemBody.endIndex {
            let byte = pemBody[index]
            if byte == 0x0A || byte == 0x0D {
                endLine(at: index)
                index += 1
                lineStart = index
            } else if byte == UInt8(ascii: "\\"), index + 1 < pemBody.endIndex,
                      pemBody[index + 1] == UInt8(ascii: "n") || pemBody[index + 1] == UInt8(ascii: "r") {
                endLine(at: index)
                index += 2
                lineStart = index
            } else {
                index += 1
            }
        }
        endLine(at: pemBody.endIndex)
        return decodeBase64(base64[...])
    }

    /// Base64 with whitespace (and literal `\n`) anywhere and optional padding; `nil` when any
    /// other character is not in the Base64 alphabet.
    static func decodeBase64(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        var alphabet: [UInt8] = []
        alphabet.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.endIndex,
               bytes[index + 1] == UInt8(ascii: "n") || bytes[index + 1] == UInt8(ascii: "r") {
                index += 2
                continue
            }
            index += 1
            if isWhitespace(byte) { continue }
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="):
                alphabet.append(byte)
            default:
                return nil
            }
        }
        guard !alphabet.isEmpty else { return nil }
        while alphabet.count % 4 != 0 { alphabet.append(UInt8(ascii: "=")) }
        guard let data = Data(base64Encoded: Data(alphabet)) else { return nil }
        return [UInt8](data)
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }

}

/// A byte-pattern finder for the PEM reader that counts the bytes it compares, so that tests can
/// show the reading is linear (work bounded by a constant times the input size) without timing it.
struct PEMScanner {
    static let beginPrefix = Array("-----BEGIN ".utf8)
    static let dashes = Array("-----".utf8)
    /// The longest label read (RFC 7468 labels are short words: "CERTIFICATE", "PKCS7").
    static let maximumLabelLength = 64

    /// Byte comparisons made so far.
    var comparisons = 0

    /// The first index at or after `start` where `pattern` begins in `bytes`.
    mutating func find(_ pattern: [UInt8], in bytes: ArraySlice<UInt8>, from start: Int) -> Int? {
        guard let first = pattern.first, pattern.count <= bytes.endIndex - start else { return nil }
        var index = start
        let last = bytes.endIndex - pattern.count
        while index <= last {
            comparisons += 1
            if bytes[index] == first {
                var matched = 1
                while matched < pattern.count {
                    comparisons += 1
                    if bytes[index + matched] != pattern[matched] { break }
                    matched += 1
                }
                if matched == pattern.count { return index }
            }
            index += 1
        }
        return nil
    }

    /// `find` without counting.
    static func firstIndex(of pattern: [UInt8], in bytes: ArraySlice<UInt8>, from start: Int) -> Int? {
        var scanner = PEMScanner()
        return scanner.find(pattern, in: bytes, from: start)
    }
}
