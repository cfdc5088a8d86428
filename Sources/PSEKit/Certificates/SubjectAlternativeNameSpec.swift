#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SwiftASN1
import X509

/// sapgenpse's notation for subject alternative names (`gen_pse -k GN-dNSName:host`):
/// `GN-dNSName:`, `GN-iPAddress:` (IPv4 or IPv6), `GN-rfc822Name:` and
/// `GN-uniformResourceIdentifier:`. The `GN-…` prefix is case-insensitive.
public enum SubjectAlternativeNameSpec {
    /// The general name a spec such as `GN-dNSName:host.example.com` stands for.
    public static func parse(_ spec: String) throws -> GeneralName {
        guard let colon = spec.firstIndex(of: ":") else {
            throw SubjectAlternativeNameSpecError.missingColon(spec)
        }
        let kind = spec[..<colon].trimmingCharacters(in: " ")
        let value = String(spec[spec.index(after: colon)...].trimmingCharacters(in: " "))
        guard !value.isEmpty else { throw SubjectAlternativeNameSpecError.emptyValue(spec) }
        switch kind.lowercased() {
        case "gn-dnsname":
            guard value.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw SubjectAlternativeNameSpecError.invalidValue(spec, reason: "a DNS name must be ASCII without spaces")
            }
            return .dnsName(value)
        case "gn-rfc822name":
            guard value.allSatisfy({ $0.isASCII && !$0.isWhitespace }), value.contains("@") else {
                throw SubjectAlternativeNameSpecError.invalidValue(spec, reason: "an e-mail address must be ASCII and contain '@'")
            }
            return .rfc822Name(value)
        case "gn-uniformresourceidentifier":
            guard value.allSatisfy({ $0.isASCII && !$0.isWhitespace }), value.contains(":") else {
                throw SubjectAlternativeNameSpecError.invalidValue(spec, reason: "a URI must be ASCII and have a scheme such as https:")
            }
            return .uniformResourceIdentifier(value)
        case "gn-ipaddress":
            guard let bytes = IPAddressText.parse(value) else {
                throw SubjectAlternativeNameSpecError.invalidValue(spec, reason: "not an IPv4 or IPv6 address")
            }
            return .ipAddress(ASN1OctetString(contentBytes: bytes[...]))
        default:
            throw SubjectAlternativeNameSpecError.unsupportedKind(String(kind))
        }
    }

    /// A general name in sapgenpse's notation, or `nil` for kinds it has none for.
    public static func format(_ name: GeneralName) -> String? {
        switch name {
        case .dnsName(let value): return "GN-dNSName:\(value)"
        case .rfc822Name(let value): return "GN-rfc822Name:\(value)"
        case .uniformResourceIdentifier(let value): return "GN-uniformResourceIdentifier:\(value)"
        case .ipAddress(let octets):
            guard let text = IPAddressText.format(Array(octets.bytes)) else { return nil }
            return "GN-iPAddress:\(text)"
        default: return nil
        }
    }
}

/// Why a `GN-…` subject alternative name could not be read.
public enum SubjectAlternativeNameSpecError: Error, CustomStringConvertible, Equatable, Sendable {
    case missingColon(String)
    case emptyValue(String)
    case unsupportedKind(String)
    case invalidValue(String, reason: String)

    public var description: String {
        switch self {
        case .missingColon(let spec):
            return "invalid alternative name \"\(spec)\": expected KIND:VALUE such as GN-dNSName:host.example.com"
        case .emptyValue(let spec):
            return "invalid alternative name \"\(spec)\": the value after ':' is empty"
        case .unsupportedKind(let kind):
            return "unsupported alternative name kind \"\(kind)\" (supported: GN-dNSName, GN-iPAddress, GN-rfc822Name, GN-uniformResourceIdentifier)"
        case .invalidValue(let spec, let reason):
            return "invalid alternative name \"\(spec)\": \(reason)"
        }
    }
}

/// Textual IPv4 (`192.0.2.1`) and IPv6 (`2001:db8::1`, `::ffff:192.0.2.1`) addresses.
enum IPAddressText {
    static func parse(_ text: String) -> [UInt8]? {
        text.contains(":") ? parseIPv6(text) : parseIPv4(Substring(text))
    }

    static func parseIPv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let value = UInt8(part) else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    static func parseIPv6(_ text: String) -> [UInt8]? {
        var text = Substring(text)
        if text.hasPrefix("[") && text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt8]? {
            if part.isEmpty { return [] }
            var bytes: [UInt8] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains(".") {
                    guard let v4 = parseIPv4(piece) else { return nil }
                    bytes += v4
                    continue
                }
                guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                bytes += [UInt8(value >> 8), UInt8(value & 0xFF)]
            }
            return bytes
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 {
            return head.count == 16 ? head : nil
        }
        guard let tail = groups(halves[1]), head.count + tail.count <= 14 else { return nil }
        return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }

    static func format(_ bytes: [UInt8]) -> String? {
        switch bytes.count {
        case 4:
            return bytes.map(String.init).joined(separator: ".")
        case 16:
            let groups = stride(from: 0, to: 16, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
            // RFC 5952: compress the longest run (of at least two) of zero groups.
            var bestStart = -1, bestLength = 0, index = 0
            while index < 8 {
                if groups[index] == 0 {
                    var end = index
                    while end < 8 && groups[end] == 0 { end += 1 }
                    if end - index > bestLength { bestStart = index; bestLength = end - index }
                    index = end
                } else {
                    index += 1
                }
            }
            let hex = groups.map { String($0, radix: 16) }
            if bestLength < 2 { return hex.joined(separator: ":") }
            let head = hex[..<bestStart].joined(separator: ":")
            let tail = hex[(bestStart + bestLength)...].joined(separator: ":")
            return head + "::" + tail
        default:
            return nil
        }
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in character: Character) -> Substring {
        var slice = self
        while slice.first == character { slice = slice.dropFirst() }
        while slice.last == character { slice = slice.dropLast() }
        return slice
    }
}
