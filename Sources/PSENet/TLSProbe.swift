import Foundation
import X509

/// Connects to a TLS server without deciding anything about trust, to see the certificate
/// chain it presents (as `openssl s_client -showcerts` does).
public enum TLSProbe {
    /// The chain the server sent, leaf first, in the order sent.
    ///
    /// SNI carries the endpoint's host name (not for IP addresses). No client certificate is
    /// offered; when a server insists on one, the chain it already sent is still returned.
    /// - Throws: ``ConnectionDiagnosis`` (refused, timeout, not TLS, handshake failure).
    public static func presentedChain(of endpoint: ServerEndpoint, timeout: TimeInterval = 10) throws -> [Certificate] {
        let exchange = TLSExchange(endpoint: endpoint, timeout: timeout, identity: nil,
                                   verifier: { _, _ in nil }, request: nil)
        let recorder = try exchange.run()
        if let chain = recorder.presentedChain, !chain.isEmpty { return chain }
        throw ConnectionCheck.diagnose(recorder, identity: nil, timeout: timeout)
    }
}
