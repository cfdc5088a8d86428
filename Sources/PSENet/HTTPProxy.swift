#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore
import PSEKit

/// An HTTP proxy that carries the TLS connection through `CONNECT host:port` (RFC 9110 §9.3.6).
public struct HTTPProxy: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// Sent as `Proxy-Authorization: Basic …`; never printed.
    public var credentials: BasicCredentials?

    public init(host: String, port: Int = 8080, credentials: BasicCredentials? = nil) {
        self.host = host
        self.port = port
        self.credentials = credentials
    }

    /// Parses `http://[user:password@]host[:port]` (the scheme may be left out). A password in
    /// the URL is taken, as `HTTPS_PROXY` conventionally carries one, but never shown.
    public init(url: String) throws {
        let text = url.trimmingWhitespace()
        let withScheme = text.contains("://") ? text : "http://" + text
        guard let components = URLComponents(string: withScheme), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty
        else { throw PSENetError.invalidProxyURL }
        guard scheme == "http" else { throw PSENetError.unsupportedProxyScheme(scheme) }
        let port = components.port ?? 8080
        guard (1...65535).contains(port) else { throw PSENetError.invalidProxyURL }
        var credentials: BasicCredentials? = nil
        if let user = components.user {
            // URLComponents' user and password are percent-decoded already.
            credentials = BasicCredentials(user: user, password: components.password ?? "")
        }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.init(host: bare, port: port, credentials: credentials)
    }

    /// The proxy the environment names for an HTTPS connection to `host`: `HTTPS_PROXY` or
    /// `https_proxy`, unless `NO_PROXY`/`no_proxy` lists the host (`*`, a name, a domain
    /// suffix such as `.example.com` or `example.com`, or an IP address; ports are ignored).
    public static func fromEnvironment(_ environment: [String: String], for host: String) throws -> HTTPProxy? {
        guard let value = environment["https_proxy"] ?? environment["HTTPS_PROXY"], !value.isEmpty else { return nil }
        let noProxy = environment["no_proxy"] ?? environment["NO_PROXY"] ?? ""
        if bypasses(host: host, noProxy: noProxy) { return nil }
        return try HTTPProxy(url: value)
    }

    static func bypasses(host: String, noProxy: String) -> Bool {
        let host = host.lowercased()
        for entry in noProxy.split(separator: ",") {
            var pattern = entry.trimmingWhitespace().lowercased()
            if pattern.isEmpty { continue }
            if pattern == "*" { return true }
            if let colon = pattern.lastIndex(of: ":"), !pattern.contains("]"), pattern.filter({ $0 == ":" }).count == 1 {
                pattern = String(pattern[..<colon])
            }
            if pattern.hasPrefix("*.") { pattern = String(pattern.dropFirst()) }
            if pattern.hasPrefix(".") {
                if host.hasSuffix(pattern) || host == String(pattern.dropFirst()) { return true }
            } else if host == pattern || host.hasSuffix("." + pattern) {
                return true
            }
        }
        return false
    }

    public var description: String { "\(host.contains(":") ? "[\(host)]" : host):\(port)" }
}

/// Opens the tunnel: sends `CONNECT`, reads the proxy's answer (at most 16 KiB), then installs
/// the TLS pipeline and steps aside.
final class HTTPProxyConnectHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let target: ServerEndpoint
    private let proxy: HTTPProxy
    private let recorder: TLSExchangeRecorder
    private let installTLS: (Channel) throws -> Void
    private var received: [UInt8] = []
    private var done = false

    init(target: ServerEndpoint, proxy: HTTPProxy, recorder: TLSExchangeRecorder, installTLS: @escaping (Channel) throws -> Void) {
        self.target = target
        self.proxy = proxy
        self.recorder = recorder
        self.installTLS = installTLS
    }

    func channelActive(context: ChannelHandlerContext) {
        let authority = (target.host.contains(":") ? "[\(target.host)]" : target.host) + ":\(target.port)"
        var request = "CONNECT \(authority) HTTP/1.1\r\nHost: \(authority)\r\nUser-Agent: psekit\r\n"
        if let credentials = proxy.credentials {
            request += "Proxy-Authorization: Basic \(credentials.base64Token)\r\n"
        }
        request += "\r\n"
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: request)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !done else { return }
        let buffer = unwrapInboundIn(data)
        received.append(contentsOf: buffer.readableBytesView)
        guard let end = Self.headerEnd(received) else {
            if received.count > 16 * 1024 {
                recorder.proxyFailure = .proxyFailed(proxy: proxy.description, reason: "its answer to CONNECT is longer than 16 KiB")
                context.close(promise: nil)
            }
            return
        }
        done = true
        let head = String(decoding: received[..<end], as: UTF8.self)
        let statusLine = head.components(separatedBy: "\r\n").first ?? ""
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        let status = parts.count >= 2 ? Int(parts[1]) : nil
        recorder.proxyStatusLine = statusLine
        guard let status, (200..<300).contains(status) else {
            if status == 407 {
                recorder.proxyFailure = .proxyAuthenticationRequired(proxy: proxy.description, credentialsSent: proxy.credentials != nil)
            } else {
                recorder.proxyFailure = .proxyFailed(proxy: proxy.description, reason: "it answered CONNECT with \"\(statusLine)\"")
            }
            context.close(promise: nil)
            return
        }
        recorder.tunnelEstablished = true
        do {
            try installTLS(context.channel)
            context.pipeline.syncOperations.removeHandler(self, promise: nil)
        } catch {
            recorder.error = error
            context.close(promise: nil)
        }
    }

    private static func headerEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }
}
