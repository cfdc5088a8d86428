import Foundation
import X509

/// Tests a connection the way SAP's SM59 "connection test" or Postman would, with the trust
/// decisions of a PSE: TLS handshake trusting only the PSE's trusted list, host name check,
/// client certificate from the PSE's own identity when the server asks, then `GET` with
/// optional basic authentication.
///
/// On failure ``run()`` throws a ``ConnectionDiagnosis`` that says precisely what went wrong.
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
    /// - Throws: ``ConnectionDiagnosis`` for every failure of the connection itself;
    ///   ``ClientIdentityError`` or NIOSSL errors when the identity cannot be loaded.
    public func run() throws -> ConnectionCheckResult {
        let trusted = trustedCertificates
        let host = endpoint.host
        let date = validationDate
        let exchange = TLSExchange(
            endpoint: endpoint, timeout: timeout, identity: identity,
            verifier: { presented, recorder in
                switch CertificateChainBuilder.evaluate(presented: presented, trusted: trusted, at: date ?? Date()) {
                case .noCertificate:
                    return .handshakeFailed(reason: "the server presented no certificate")
                case .untrusted(let missingIssuer, _):
                    return .untrustedChain(missingIssuer: missingIssuer, presented: presented)
                case .invalidDates(.notYetValid(let certificate), _):
                    return .certificateNotYetValid(subject: certificate.subject, notValidBefore: certificate.notValidBefore)
                case .invalidDates(let problem, _):
                    guard case .expired(let certificate) = problem else { return .handshakeFailed(reason: "\(problem)") }
                    return .certificateExpired(subject: certificate.subject, notValidAfter: certificate.notValidAfter)
                case .trusted(let path):
                    recorder.trustedPath = path
                    guard ServerIdentity.matches(path[0], host: host) else {
                        return .hostNameMismatch(host: host, certificateNames: ServerIdentity.names(in: path[0]))
                    }
                    return nil
                }
            },
            request: Array(requestBytes().utf8),
            responseBodyLimit: max(bodyPrefixLength, 1))
        let recorder = try exchange.run()
        if let failure = recorder.verificationFailure { throw failure }

        if !recorder.response.isEmpty, recorder.handshakeCompleted {
            guard let head = HTTPResponseHead(parsing: recorder.response, bodyLimit: bodyPrefixLength) else {
                if recorder.timedOut && !recorder.responseComplete && !recorder.response.contains(13) {
                    throw ConnectionDiagnosis.timedOut(seconds: timeout, phase: "waiting for the HTTP response")
                }
                throw ConnectionDiagnosis.invalidHTTPResponse(firstBytes: Self.printable(recorder.response))
            }
            if let expectedStatus, head.statusCode != expectedStatus {
                throw ConnectionDiagnosis.unexpectedStatus(expected: expectedStatus, statusLine: head.statusLine)
            }
            return ConnectionCheckResult(
                endpoint: endpoint, presentedChain: recorder.presentedChain ?? [], trustedPath: recorder.trustedPath,
                serverRequestedClientCertificate: recorder.serverRequestedCertificate, response: head)
        }
        throw Self.diagnose(recorder, identity: identity, timeout: timeout)
    }

    /// The diagnosis for an exchange that did not end in a response.
    static func diagnose(_ recorder: TLSExchangeRecorder, identity: ClientIdentity?, timeout: TimeInterval) -> ConnectionDiagnosis {
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
        if let range = text.range(of: "OPENSSL_internal:") {
            let reason = text[range.upperBound...].prefix { $0 != " " && $0 != "," && $0 != "]" && $0 != ")" }
            return reason.lowercased().replacingOccurrences(of: "_", with: " ")
        }
        if text.contains("uncleanShutdown") { return "the server closed the connection without answering" }
        return text
    }

    /// Up to 40 bytes as text, non-printable bytes as `.`.
    static func printable(_ bytes: [UInt8]) -> String {
        String(bytes.prefix(40).map { (32...126).contains($0) ? Character(UnicodeScalar($0)) : "." })
    }

    func requestBytes() -> String {
        var lines = [
            "GET \(endpoint.path) HTTP/1.1",
            "Host: \(endpoint.hostHeader)",
            "User-Agent: psekit",
            "Accept: */*",
            "Connection: close",
        ]
        if let credentials { lines.append("Authorization: Basic \(credentials.base64Token)") }
        return lines.joined(separator: "\r\n") + "\r\n\r\n"
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
    /// True when a TLS 1.2 server was seen asking for a client certificate (TLS 1.3 hides that).
    public var serverRequestedClientCertificate: Bool
    public var response: HTTPResponseHead
}
