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
            throw PSEKitError.invalidSubjectAlternativeName(spec, "expected KIND:VALUE such as GN-dNSName:host.example.com")
        }
        let kind = spec[..<colon].trimmingCharacters(in: " ")
        let value = String(spec[spec.index(after: colon)...].trimmingCharacters(in: " "))
        guard !value.isEmpty else { throw PSEKitError.invalidSubjectAlternativeName(spec, "the value after ':' is empty") }
        switch kind.lowercased() {
        case "gn-dnsname":
            guard value.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw PSEKitError.invalidSubjectAlternativeName(spec, "a DNS name must be ASCII without spaces")
            }
            return .dnsName(value)
        case "gn-rfc822name":
            guard value.allSatisfy({ $0.isASCII && !$0.isWhitespace }), value.contains("@") else {
                throw PSEKitError.invalidSubjectAlternativeName(spec, "an e-mail address must be ASCII and contain '@'")
            }
            return .rfc822Name(value)
        case "gn-uniformresourceidentifier":
            guard value.allSatisfy({ $0.isASCII && !$0.isWhitespace }), value.contains(":") else {
                throw PSEKitError.invalidSubjectAlternativeName(spec, "a URI must be ASCII and have a scheme such as https:")
            }
            return .uniformResourceIdentifier(value)
        case "gn-ipaddress":
            guard let bytes = IPAddressText.parse(value) else {
                throw PSEKitError.invalidSubjectAlternativeName(spec, "not an IPv4 or IPv6 address")
            }
            return .ipAddress(ASN1OctetString(contentBytes: bytes[...]))
        default:
            throw PSEKitError.unsupportedSubjectAlternativeNameKind(String(kind))
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

extension Substring {
    fileprivate func trimmingCharacters(in character: Character) -> Substring {
        var slice = self
        while slice.first == character { slice = slice.dropFirst() }
        while slice.last == character { slice = slice.dropLast() }
        return slice
    }
}
