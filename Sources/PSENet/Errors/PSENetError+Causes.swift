/// The errors PSENet throws, one factory per cause, each with the reason it gives. Package-only:
/// code outside the package matches on ``PSENetError/code`` and reads ``PSENetError/reason``.
extension PSENetError {
    /// `url` is not a usable server URL.
    package static func invalidServerURL(_ url: String) -> PSENetError {
        PSENetError(code: .invalidServerURL, reason: "not a usable server URL: \(url) (expected https://host[:port][/path])")
    }

    /// `scheme` is neither `https` nor `wss`.
    package static func unsupportedServerScheme(_ scheme: String) -> PSENetError {
        PSENetError(
            code: .unsupportedServerScheme, reason: "unsupported URL scheme \(scheme): only https and wss are checked")
    }

    /// The URL contains a user or password.
    package static let credentialsInURL = PSENetError(
        code: .credentialsInURL,
        reason: "the URL contains a user or password, which is refused (it would show in process lists and shell history)")

    /// Not a usable proxy URL.
    package static let invalidProxyURL = PSENetError(
        code: .invalidProxyURL, reason: "not a usable proxy URL (expected http://host[:port])")

    /// The proxy's `scheme` is not `http`.
    package static func unsupportedProxyScheme(_ scheme: String) -> PSENetError {
        PSENetError(
            code: .unsupportedProxyScheme,
            reason: "unsupported proxy scheme \(scheme): only http:// proxies (CONNECT) are supported")
    }

    /// The client identity has no certificate.
    package static let noClientCertificate = PSENetError(
        code: .noClientCertificate, reason: "the client identity has no certificate")

    /// The client identity's key is not an RSA key in PKCS#8 or PKCS#1 DER.
    package static let unreadableClientKey = PSENetError(
        code: .unreadableClientKey,
        reason: "the client identity's private key is not an RSA key in PKCS#8 or PKCS#1 DER")

    /// The private key does not belong to the client certificate of `subject`.
    package static func clientKeyDoesNotMatchCertificate(_ subject: String) -> PSENetError {
        PSENetError(
            code: .clientKeyDoesNotMatchCertificate,
            reason: "the private key does not belong to the client certificate \(subject)")
    }

    /// The connection failed as `diagnosis` says; the reason is its cause.
    package static func connectionFailed(_ diagnosis: ConnectionDiagnosis) -> PSENetError {
        PSENetError(code: .connectionFailed, reason: diagnosis.cause, diagnosis: diagnosis)
    }
}
