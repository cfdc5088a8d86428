#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import PSEKit
import SwiftASN1
import X509

/// Whether a server certificate names the host the client connected to (RFC 6125 §6).
///
/// DNS names are compared case-insensitively, with a `*` allowed as the whole left-most label
/// (`*.example.com` matches `a.example.com`, not `example.com` or `a.b.example.com`). An IP
/// address matches only an IP address entry of the subjectAltName. The subject's common name
/// counts only when the certificate has no DNS or IP subjectAltName at all.
public enum ServerIdentity {
    /// Every name the certificate is valid for, for messages: `DNS:…`, `IP:…`, or `CN:…`.
    public static func names(in certificate: Certificate) -> [String] {
        var result: [String] = []
        for name in subjectAlternativeNames(certificate) {
            switch name {
            case .dnsName(let dns): result.append("DNS:\(dns)")
            case .ipAddress(let bytes): result.append("IP:\(ipAddressText(Array(bytes.bytes)))")
            default: continue
            }
        }
        if result.isEmpty, let cn = SAPDistinguishedName.commonName(of: certificate.subject) {
            result.append("CN:\(cn)")
        }
        return result
    }

    /// Whether `certificate` is valid for `host` (a DNS name or an IP address literal).
    public static func matches(_ certificate: Certificate, host: String) -> Bool {
        let sans = subjectAlternativeNames(certificate).filter {
            if case .dnsName = $0 { return true }
            if case .ipAddress = $0 { return true }
            return false
        }
        if let ip = IPAddressText.parse(host) {
            return sans.contains {
                if case .ipAddress(let bytes) = $0 { return Array(bytes.bytes) == ip }
                return false
            }
        }
        let wanted = host.lowercased().trimming { $0 == "." }
        if sans.isEmpty {
            guard let cn = SAPDistinguishedName.commonName(of: certificate.subject) else { return false }
            return dnsNameMatches(pattern: cn, host: wanted)
        }
        return sans.contains {
            if case .dnsName(let dns) = $0 { return dnsNameMatches(pattern: dns, host: wanted) }
            return false
        }
    }

    static func dnsNameMatches(pattern: String, host: String) -> Bool {
        let pattern = pattern.lowercased().trimming { $0 == "." }
        if pattern == host { return true }
        guard pattern.hasPrefix("*.") else { return false }
        let patternRest = pattern.dropFirst(2)
        guard patternRest.contains("."), let dot = host.firstIndex(of: ".") else { return false }
        let hostFirstLabel = host[..<dot]
        return !hostFirstLabel.isEmpty && host[host.index(after: dot)...] == patternRest
    }

    private static func subjectAlternativeNames(_ certificate: Certificate) -> [GeneralName] {
        guard let sans = try? certificate.extensions.subjectAlternativeNames else { return [] }
        return Array(sans)
    }

    private static func ipAddressText(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        if bytes.count == 16 {
            var address = in6_addr()
            withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: bytes) }
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            if inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)) != nil {
                return String(cString: buffer)
            }
        }
        return Hex.bytes(bytes, uppercase: false)
    }
}
