#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit

/// The server a probe or connection check talks to: host, TCP port and the HTTP path to request.
///
/// Built from what a user types: `https://host[:port][/path]`, `host:port` or a bare `host`
/// (port 443, path `/`).
public struct ServerEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// The host name or IP address literal (IPv6 without brackets).
    public var host: String
    public var port: Int
    /// The HTTP request target, starting with `/`.
    public var path: String
    /// A `wss://` URL: the check runs the WebSocket opening handshake (RFC 6455).
    public var isWebSocket: Bool
    /// Connect to this address instead of resolving `host` (as `curl --resolve`); the host name
    /// still goes into SNI, the `Host` header and the certificate's name check.
    public var connectAddress: String? = nil

    /// Where the TCP connection goes.
    public var connectHost: String { connectAddress ?? host }

    public init(host: String, port: Int = 443, path: String = "/", isWebSocket: Bool = false) {
        self.host = host
        self.port = port
        self.path = path.hasPrefix("/") ? path : "/" + path
        self.isWebSocket = isWebSocket
    }

    /// Parses `https://host[:port][/path]`, `wss://host[:port][/path]`, `host:port` or `host`.
    /// A user or password in the URL is refused (and never repeated in the error).
    public init(url: String) throws {
        let text = url.trimmingWhitespace()
        guard !text.isEmpty else { throw PSENetError.invalidServerURL(url) }
        let withScheme = text.contains("://") ? text : "https://" + text
        let authority = withScheme.components(separatedBy: "://").dropFirst().first?
            .split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        guard !authority.contains("@") else { throw PSENetError.credentialsInURL }
        guard let components = URLComponents(string: withScheme), let scheme = components.scheme?.lowercased()
        else { throw PSENetError.invalidServerURL(url) }
        guard components.user == nil, components.password == nil else { throw PSENetError.credentialsInURL }
        guard scheme == "https" || scheme == "wss" else { throw PSENetError.unsupportedServerScheme(scheme) }
        guard var host = components.host, !host.isEmpty else { throw PSENetError.invalidServerURL(url) }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let port = components.port ?? 443
        guard (1...65535).contains(port) else { throw PSENetError.invalidServerURL(url) }
        var path = components.percentEncodedPath
        if path.isEmpty { path = "/" }
        if let query = components.percentEncodedQuery { path += "?" + query }
        self.init(host: host, port: port, path: path, isWebSocket: scheme == "wss")
    }

    /// Whether `host` is an IPv4 or IPv6 address literal rather than a DNS name.
    public var hostIsIPAddress: Bool { IPAddressText.parse(host) != nil }

    /// The name sent in the TLS server name indication: the host, unless it is an IP address.
    public var serverNameIndication: String? { hostIsIPAddress ? nil : host }

    /// `https://host:port/path`, with brackets around an IPv6 host.
    public var url: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "\(isWebSocket ? "wss" : "https")://\(hostPart):\(port)\(path)"
    }

    /// The `Host` header value.
    var hostHeader: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return port == 443 ? hostPart : "\(hostPart):\(port)"
    }

    public var description: String { url }
}
