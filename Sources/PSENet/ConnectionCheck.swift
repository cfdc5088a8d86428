import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOHTTP1
import PSEKit
import X509

/// Tests a connection the way SAP's SM59 "connection test" or Postman would, with the trust
/// decisions of a PSE: TLS handshake trusting only the PSE's trusted list, host name check,
/// client certificate from the PSE's own identity when the server asks, then `GET` with
/// optional basic authentication.
///
/// On failure `run()` throws a ``PSENetError`` with code ``PSENetError/Code/connectionFailed``
/// whose ``PSENetError/diagnosis`` says precisely what went wrong.
public struct ConnectionCheck: Sendable {
    public var endpoint: ServerEndpoint
    /// The trust anchors: the PSE's trusted list (every certificate is an anchor).
    public var trustedCertificates: [Certificate]
    /// The client certificate and key sent when the server asks for one.
    public var identity: ClientIdentity?
    public var credentials: BasicCredentials?
    /// Seconds for connecting, and again for the whole exchange.
    public var timeout: TimeInterval
    /// When set, any other HTTP status is a failure (``ConnectionDiagnosis/unexpectedStatus(expected:statusLine:)``).
    public var expectedStatus: Int?
    /// How much of the body to keep.
    public var bodyPrefixLength: Int
    /// The time certificates are checked at (now when nil).
    public var validationDate: Date?
    /// Tunnel through this HTTP proxy (CONNECT); nil connects directly.
    public var proxy: HTTPProxy? = nil

    public init(endpoint: ServerEndpoint, trustedCertificates: [Certificate], identity: ClientIdentity? = nil,
                credentials: BasicCredentials? = nil, timeout: TimeInterval = 10, expectedStatus: Int? = nil,
                bodyPrefixLength: Int = 512, validationDate: Date? = nil) {
        self.endpoint = endpoint
        self.trustedCertificates = trustedCertificates
        self.identity = identity
        self.credentials = credentials
        self.timeout = timeout
        self.expectedStatus = expectedStatus
        self.bodyPrefixLength = bodyPrefixLength
        self.validationDate = validationDate
    }

    /// Connects, verifies, sends the GET and returns the start of the response.
    /// - Throws: ``PSENetError`` with code ``PSENetError/Code/connectionFailed`` and a
    ///   ``PSENetError/diagnosis`` for every failure of the connection itself; another
    ///   ``PSENetError`` or NIOSSL errors when the identity cannot be loaded.
    public func run() throws -> ConnectionCheckResult {
        let key = Self.webSocketKey()
        return try evaluate(try exchange(webSocketKey: key).run(), webSocketKey: key)
    }

    /// Connects, verifies, sends the GET and returns the start of the response.
    public func run() async throws -> ConnectionCheckResult {
        let key = Self.webSocketKey()
        return try evaluate(try await exchange(webSocketKey: key).run(), webSocketKey: key)
    }

    private func exchange(webSocketKey: String) -> TLSExchange {
        let trusted = trustedCertificates
        let host = endpoint.host
        let date = validationDate
        return TLSExchange(
            endpoint: endpoint, timeout: timeout, identity: identity,
            verifier: { presented in
                await ServerChainValidator.validate(presented: presented, trusted: trusted, host: host, at: date)
            },
            request: requestHead(webSocketKey: webSocketKey),
            responseBodyLimit: min(max(bodyPrefixLength, 0), 1 << 20), proxy: proxy)
    }

    private func evaluate(_ recorder: TLSExchangeRecorder, webSocketKey: String) throws -> ConnectionCheckResult {
        if let failure = recorder.proxyFailure { throw PSENetError.connectionFailed(failure) }
        if let failure = recorder.verificationFailure { throw PSENetError.connectionFailed(failure) }
        guard recorder.handshakeCompleted else { throw PSENetError.connectionFailed(Self.diagnose(recorder, identity: identity, timeout: timeout)) }
        guard let head = recorder.responseHead else {
            if let httpError = recorder.httpError as? HTTPParserError {
                let reason: String
                switch httpError {
                case .headerOverflow: reason = "its header section is longer than \(TLSExchange.maximumHeaderBytes / 1024) KiB"
                default: reason = "it is not valid HTTP/1.x (\(httpError))"
                }
                throw PSENetError.connectionFailed(.malformedHTTPResponse(reason: reason))
            }
            if recorder.timedOut {
                throw PSENetError.connectionFailed(.timedOut(seconds: timeout, phase: "waiting for the HTTP response"))
            }
            throw PSENetError.connectionFailed(Self.diagnose(recorder, identity: identity, timeout: timeout))
        }
        var headers: [HTTPHeaderField] = []
        for (name, value) in head.headers { headers.append(HTTPHeaderField(name: name, value: value)) }
        let response = HTTPResponseHead(
            statusLine: "HTTP/\(head.version.major).\(head.version.minor) \(head.status.code) \(head.status.reasonPhrase)",
            statusCode: Int(head.status.code), headers: headers, bodyPrefix: Array(recorder.responseBody.prefix(max(bodyPrefixLength, 0))))
        if endpoint.isWebSocket {
            guard response.statusCode == 101 else {
                throw PSENetError.connectionFailed(.webSocketUpgradeFailed(
                    reason: "the server answered \"\(response.statusLine)\" instead of 101 Switching Protocols"))
            }
            let expectedAccept = Self.webSocketAccept(forKey: webSocketKey)
            guard response.header("Sec-WebSocket-Accept") == expectedAccept else {
                throw PSENetError.connectionFailed(.webSocketUpgradeFailed(
                    reason: "Sec-WebSocket-Accept is \(response.header("Sec-WebSocket-Accept") ?? "missing"), expected \(expectedAccept)"))
            }
            guard response.header("Upgrade")?.lowercased() == "websocket" else {
                throw PSENetError.connectionFailed(.webSocketUpgradeFailed(reason: "the 101 answer lacks \"Upgrade: websocket\""))
            }
        }
        if let expectedStatus {
            if response.statusCode != expectedStatus {
                throw PSENetError.connectionFailed(.unexpectedStatus(expected: expectedStatus, statusLine: response.statusLine))
            }
        } else if response.statusCode >= 400 {
            throw PSENetError.connectionFailed(.httpError(status: response.statusCode, statusLine: response.statusLine))
        }
        let requested = recorder.clientCertificateRequested || recorder.serverRequestedCertificate
        return ConnectionCheckResult(
            endpoint: endpoint, presentedChain: recorder.presentedChain ?? [], trustedPath: recorder.trustedPath,
            serverRequestedClientCertificate: requested, response: response,
            tlsVersion: recorder.tlsVersion.map(TLSNames.version), cipherSuite: recorder.cipherSuite.map(TLSNames.cipherSuite),
            clientCertificateSent: requested ? identity?.subject : nil)
    }

    /// The diagnosis for an exchange that did not end in a response.
    static func diagnose(_ recorder: TLSExchangeRecorder, identity: ClientIdentity?, timeout: TimeInterval) -> ConnectionDiagnosis {
        if let failure = recorder.proxyFailure { return failure }
        if recorder.serverSpokeTLS == false {
            return .notTLS(firstBytes: printable(recorder.firstServerBytes))
        }
        let alert = recorder.error.flatMap(TLSAlert.received(in:)) ?? recorder.plaintextAlert
        if let alert, alert.concernsClientCertificate {
            if let identity {
                if recorder.serverRequestedCertificate || recorder.handshakeCompleted || alert != .handshakeFailure {
                    return .clientCertificateRejected(alert: alert, subject: identity.subject)
                }
            } else if alert == .certificateRequired || recorder.serverRequestedCertificate {
                return .clientCertificateRequired(alert: alert)
            }
            return .handshakeFailed(reason: "the server sent alert \(alert)")
        }
        if let alert {
            return .handshakeFailed(reason: "the server sent alert \(alert)")
        }
        if recorder.timedOut {
            return .timedOut(seconds: timeout,
                             phase: recorder.handshakeCompleted ? "waiting for the HTTP response" : "during the TLS handshake")
        }
        if recorder.handshakeCompleted {
            // TLS 1.3 servers judge the client certificate after the client's handshake is done;
            // one that drops the connection instead of sending an alert looks like this.
            return .handshakeFailed(reason: "the server closed the connection right after the handshake without answering"
                + (identity == nil ? " (it may require a client certificate)" : " (it may have rejected our client certificate)"))
        }
        if let error = recorder.error {
            return .handshakeFailed(reason: describe(error))
        }
        return .handshakeFailed(reason: "the server closed the connection during the handshake")
    }

    /// A short reading of a TLS library error.
    static func describe(_ error: Error) -> String {
        let text = String(describing: error)
        // BoringSSL: "error:10000416:SSL routines:OPENSSL_internal:REASON at file:line".
        if let range = text.firstRange(of: "OPENSSL_internal:") {
            let reason = text[range.upperBound...].prefix { $0 != " " && $0 != "," && $0 != "]" && $0 != ")" }
            return reason.lowercased().replacing("_", with: " ")
        }
        if text.contains("uncleanShutdown") { return "the server closed the connection without answering" }
        return text
    }

    /// Up to 40 bytes as text, non-printable bytes as `.`.
    static func printable(_ bytes: [UInt8]) -> String {
        String(bytes.prefix(40).map { (32...126).contains($0) ? Character(UnicodeScalar($0)) : "." })
    }

    func requestHead(webSocketKey: String) -> NIOHTTP1.HTTPRequestHead {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: endpoint.hostHeader)
        headers.add(name: "User-Agent", value: "psekit")
        if endpoint.isWebSocket {
            headers.add(name: "Upgrade", value: "websocket")
            headers.add(name: "Connection", value: "Upgrade")
            headers.add(name: "Sec-WebSocket-Key", value: webSocketKey)
            headers.add(name: "Sec-WebSocket-Version", value: "13")
        } else {
            headers.add(name: "Accept", value: "*/*")
            headers.add(name: "Connection", value: "close")
        }
        if let credentials { headers.add(name: "Authorization", value: "Basic \(credentials.base64Token)") }
        return NIOHTTP1.HTTPRequestHead(version: .http1_1, method: .GET, uri: endpoint.path, headers: headers)
    }

    /// 16 random bytes, base64 (RFC 6455 §4.1).
    static func webSocketKey() -> String {
        Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
    }

    /// base64(SHA-1(key + the RFC 6455 GUID)) (§4.2.2).
    static func webSocketAccept(forKey key: String) -> String {
        Data(Insecure.SHA1.hash(data: Data((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8))).base64EncodedString()
    }
}

/// A user name and password for HTTP basic authentication. The password is never printed.
public struct BasicCredentials: Sendable, Hashable, CustomStringConvertible {
    public var user: String
    public var password: String

    public init(user: String, password: String) {
        self.user = user
        self.password = password
    }

    var base64Token: String { Data("\(user):\(password)".utf8).base64EncodedString() }

    public var description: String { "user \(user)" }
}

/// A successful connection check.
public struct ConnectionCheckResult: Sendable {
    public var endpoint: ServerEndpoint
    /// The chain as the server sent it, leaf first.
    public var presentedChain: [Certificate]
    /// Leaf → … → the trusted certificate that anchored it.
    public var trustedPath: [Certificate]
    /// True when the server asked for a client certificate (TLS 1.2 and 1.3).
    public var serverRequestedClientCertificate: Bool
    public var response: PSENet.HTTPResponseHead
    /// The negotiated protocol version: `TLS 1.3`.
    public var tlsVersion: String?
    /// The negotiated cipher suite: `TLS_AES_256_GCM_SHA384`.
    public var cipherSuite: String?
    /// The subject of the client certificate sent, nil when none was sent.
    public var clientCertificateSent: DistinguishedName?

    /// Whether the negotiated version is below TLS 1.2.
    public var isBelowTLS12: Bool { tlsVersion.map { ["TLS 1.0", "TLS 1.1"].contains($0) } ?? false }
}
