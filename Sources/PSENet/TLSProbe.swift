#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import X509

/// Connects to a TLS server without deciding anything about trust, to see the certificate
/// chain it presents (as `openssl s_client -showcerts` does).
public enum TLSProbe {
    /// The chain the server sent, leaf first, in the order sent.
    ///
    /// SNI carries the endpoint's host name (not for IP addresses). No client certificate is
    /// offered; when a server insists on one, the chain it already sent is still returned.
    /// - Throws: ``PSENetError`` with code ``PSENetError/Code/connectionFailed``, whose
    ///   ``PSENetError/diagnosis`` says why (refused, timeout, not TLS, handshake failure, and
    ///   ``ConnectionDiagnosis/unreadableServerCertificate(position:reason:sha256Fingerprint:)``
    ///   when any certificate cannot be parsed: use `presentedCertificates(of:timeout:proxy:)` to see those).
    public static func presentedChain(of endpoint: ServerEndpoint, timeout: TimeInterval = 10, proxy: HTTPProxy? = nil) throws -> [Certificate] {
        try chain(from: presentedCertificates(of: endpoint, timeout: timeout, proxy: proxy))
    }

    /// The chain the server sent, leaf first (async).
    public static func presentedChain(of endpoint: ServerEndpoint, timeout: TimeInterval = 10, proxy: HTTPProxy? = nil) async throws -> [Certificate] {
        try chain(from: await presentedCertificates(of: endpoint, timeout: timeout, proxy: proxy))
    }

    /// Every certificate the server sent, in the order sent, including those that cannot be parsed.
    public static func presentedCertificates(of endpoint: ServerEndpoint, timeout: TimeInterval = 10, proxy: HTTPProxy? = nil) throws -> [PresentedCertificate] {
        try certificates(from: exchange(endpoint, timeout: timeout, proxy: proxy).run(), timeout: timeout)
    }

    /// Every certificate the server sent (async).
    public static func presentedCertificates(of endpoint: ServerEndpoint, timeout: TimeInterval = 10, proxy: HTTPProxy? = nil) async throws -> [PresentedCertificate] {
        try certificates(from: await exchange(endpoint, timeout: timeout, proxy: proxy).run(), timeout: timeout)
    }

    private static func exchange(_ endpoint: ServerEndpoint, timeout: TimeInterval, proxy: HTTPProxy?) -> TLSExchange {
        TLSExchange(endpoint: endpoint, timeout: timeout, identity: nil,
                    verifier: { _ in .trusted(path: []) }, failOnUnreadableCertificate: false, request: nil, proxy: proxy)
    }

    private static func certificates(from recorder: TLSExchangeRecorder, timeout: TimeInterval) throws -> [PresentedCertificate] {
        if !recorder.presented.isEmpty { return recorder.presented }
        throw PSENetError.connectionFailed(ConnectionCheck.diagnose(recorder, identity: nil, timeout: timeout))
    }

    private static func chain(from presented: [PresentedCertificate]) throws -> [Certificate] {
        if let index = presented.firstIndex(where: { $0.certificate == nil }) {
            throw PSENetError.connectionFailed(.unreadableServerCertificate(
                position: index + 1, reason: presented[index].problem ?? "unreadable",
                sha256Fingerprint: presented[index].sha256Fingerprint))
        }
        return presented.compactMap(\.certificate)
    }
}
