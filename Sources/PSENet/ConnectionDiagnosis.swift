#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit
import X509

/// Why a connection check failed, one case per kind of failure: the ``PSENetError/diagnosis`` of a
/// ``PSENetError`` with code ``PSENetError/Code/connectionFailed``.
///
/// `cause` says what happened in one line and `name` is a stable key for it; what to do about it
/// (with the command-line flags to use) and the exit code are the command-line tool's business.
public enum ConnectionDiagnosis: Sendable, Hashable, CustomStringConvertible {
    /// The server's chain does not lead to any certificate in the trusted list;
    /// `missingIssuer` is the first name along the chain that the list lacks.
    case untrustedChain(missingIssuer: DistinguishedName, presented: [Certificate])
    /// A certificate on the trusted path has expired.
    case certificateExpired(subject: DistinguishedName, notValidAfter: Date)
    /// A certificate on the trusted path is not valid yet.
    case certificateNotYetValid(subject: DistinguishedName, notValidBefore: Date)
    /// The server certificate is not issued for the host that was connected to.
    case hostNameMismatch(host: String, certificateNames: [String])
    /// The server asked for a client certificate and none was configured.
    case clientCertificateRequired(alert: TLSAlert?)
    /// The server did not accept the client certificate that was sent.
    case clientCertificateRejected(alert: TLSAlert?, subject: DistinguishedName)
    /// Nothing listens on the port.
    case connectionRefused(host: String, port: Int)
    /// The host name does not resolve.
    case hostNotFound(host: String)
    /// No answer within the time limit; `phase` says which step was waiting.
    case timedOut(seconds: Double, phase: String)
    /// The server answered, but not with TLS (plain HTTP, for instance).
    case notTLS(firstBytes: String)
    /// The TLS handshake failed for another reason (`reason` is the TLS library's).
    case handshakeFailed(reason: String)
    /// The server spoke TLS but its answer to the GET is not HTTP.
    case invalidHTTPResponse(firstBytes: String)
    /// The server answered with another HTTP status than expected.
    case unexpectedStatus(expected: Int, statusLine: String)
    /// A certificate the server presented (at `position`, 1 = the server certificate) cannot be
    /// read; the connection is refused rather than validated without it.
    case unreadableServerCertificate(position: Int, reason: String, sha256Fingerprint: String)
    /// The chain reaches the trusted list but breaks a rule of RFC 5280 (`reason` names the
    /// certificate and the rule: not a CA, path length, name constraints, critical extension).
    case invalidChain(reason: String)
    /// The server certificate's extended key usage does not include `serverAuth`.
    case notForServerAuthentication(subject: DistinguishedName, usages: [String])
    /// After a good handshake the server answered with an HTTP error status (400 and above).
    case httpError(status: Int, statusLine: String)
    /// A `wss://` URL: the server did not complete the WebSocket opening handshake.
    case webSocketUpgradeFailed(reason: String)
    /// The server's HTTP answer breaks the protocol or psekit's limits (`reason` says how).
    case malformedHTTPResponse(reason: String)
    /// The proxy answered CONNECT with 407.
    case proxyAuthenticationRequired(proxy: String, credentialsSent: Bool)
    /// The proxy cannot be reached or refused the tunnel (`reason` says which).
    case proxyFailed(proxy: String, reason: String)

    /// A short stable name, e.g. for JSON output: `untrusted-chain`.
    public var name: String {
        switch self {
        case .untrustedChain: return "untrusted-chain"
        case .certificateExpired: return "certificate-expired"
        case .certificateNotYetValid: return "certificate-not-yet-valid"
        case .hostNameMismatch: return "host-name-mismatch"
        case .clientCertificateRequired: return "client-certificate-required"
        case .clientCertificateRejected: return "client-certificate-rejected"
        case .connectionRefused: return "connection-refused"
        case .timedOut: return "timeout"
        case .notTLS: return "not-tls"
        case .hostNotFound: return "host-not-found"
        case .handshakeFailed: return "handshake-failed"
        case .invalidHTTPResponse: return "invalid-http-response"
        case .unexpectedStatus: return "unexpected-status"
        case .invalidChain: return "invalid-chain"
        case .unreadableServerCertificate: return "unreadable-server-certificate"
        case .notForServerAuthentication: return "not-for-server-authentication"
        case .httpError(let status, _):
            switch status {
            case 401: return "http-unauthorized"
            case 403: return "http-forbidden"
            case 404: return "http-not-found"
            case 500...599: return "http-server-error"
            default: return "http-client-error"
            }
        case .webSocketUpgradeFailed: return "websocket-upgrade-failed"
        case .proxyAuthenticationRequired: return "proxy-authentication-required"
        case .proxyFailed: return "proxy-failed"
        case .malformedHTTPResponse: return "invalid-http-response"
        }
    }

    /// What happened, in one line.
    public var cause: String {
        switch self {
        case .untrustedChain(let missingIssuer, _):
            return "server certificate chain is not trusted: issuer \(SAPDistinguishedName.format(missingIssuer)) is not in the PSE's trusted list"
        case .certificateExpired(let subject, let date):
            return "certificate \(SAPDistinguishedName.format(subject)) expired on \(UTCDateText.dateAndTime(date))"
        case .certificateNotYetValid(let subject, let date):
            return "certificate \(SAPDistinguishedName.format(subject)) is not valid before \(UTCDateText.dateAndTime(date))"
        case .hostNameMismatch(let host, let names):
            let list = names.isEmpty ? "no names" : names.joined(separator: ", ")
            return "host name \(host) is not in the server certificate (it names \(list))"
        case .clientCertificateRequired(let alert):
            return "client certificate required: the server asked for one and none is configured"
                + (alert.map { " (server alert \($0))" } ?? "")
        case .clientCertificateRejected(let alert, let subject):
            return "server rejected our client certificate \(SAPDistinguishedName.format(subject))"
                + (alert.map { " with alert \($0)" } ?? "")
        case .connectionRefused(let host, let port):
            return "connection refused: nothing listens on \(host) port \(port)"
        case .hostNotFound(let host):
            return "host \(host) not found (name does not resolve)"
        case .timedOut(let seconds, let phase):
            return "timed out after \(Self.seconds(seconds)) s \(phase)"
        case .notTLS(let firstBytes):
            return "the server does not speak TLS on this port (it answered \"\(firstBytes)\")"
        case .handshakeFailed(let reason):
            return "TLS handshake failed: \(reason)"
        case .invalidHTTPResponse(let firstBytes):
            return "the server's answer is not HTTP (it began \"\(firstBytes)\")"
        case .unexpectedStatus(let expected, let statusLine):
            return "expected HTTP status \(expected), got \"\(statusLine)\""
        case .unreadableServerCertificate(let position, let reason, let fingerprint):
            let which = position == 1 ? "the server certificate (the one whose key authenticated the handshake)" : "certificate #\(position) of the chain"
            return "connection refused by psekit: \(which) cannot be read (\(reason); SHA-256 \(fingerprint))"
        case .invalidChain(let reason):
            return "server certificate chain is invalid: \(reason)"
        case .notForServerAuthentication(let subject, let usages):
            return "the server certificate \(SAPDistinguishedName.format(subject)) is not for TLS servers: its extended key usage (\(usages.joined(separator: ", "))) excludes serverAuth"
        case .httpError(let status, let statusLine):
            let meaning: String
            switch status {
            case 401: meaning = "not authenticated: the credentials or the client certificate were not accepted, or the certificate is not mapped to a user"
            case 403: meaning = "authenticated but not authorised for this resource (e.g. a missing role such as ESBMessaging.send)"
            case 404: meaning = "nothing at this path (wrong path, or the iFlow/service is not deployed or not active)"
            case 500...599: meaning = "the server failed on its side"
            default: meaning = "the server refused the request"
            }
            return "the server answered \"\(statusLine)\": \(meaning)"
        case .webSocketUpgradeFailed(let reason):
            return "WebSocket opening handshake failed: \(reason)"
        case .proxyAuthenticationRequired(let proxy, let sent):
            return "the proxy \(proxy) requires authentication (407)" + (sent ? " and did not accept the credentials sent" : " and none was sent")
        case .proxyFailed(let proxy, let reason):
            return "the proxy \(proxy) did not open a tunnel to the server: \(reason)"
        case .malformedHTTPResponse(let reason):
            return "the server's HTTP answer was refused: \(reason)"
        }
    }

    public var description: String { cause }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

}
