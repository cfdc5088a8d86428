/// Why PSENet could not use what it was given: a server or proxy URL, or a client identity.
///
/// What goes wrong on the network itself is a ``ConnectionDiagnosis``, which names its cause
/// and the step that failed.
public enum PSENetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not a usable server URL (`https://host[:port][/path]` or `wss://…`).
    case invalidServerURL(String)
    /// A server URL whose scheme is neither `https` nor `wss`.
    case unsupportedServerScheme(String)
    /// `https://user:password@host/`: credentials in a URL show in process lists and histories.
    case credentialsInURL
    /// Not a usable proxy URL (`http://host[:port]`).
    case invalidProxyURL
    /// A proxy URL whose scheme is not `http`.
    case unsupportedProxyScheme(String)
    /// The client identity has no certificate.
    case noClientCertificate
    /// The client identity's key is not an RSA key psekit can read.
    case unreadableClientKey
    /// The client identity's key does not belong to its certificate (the certificate's subject).
    case clientKeyDoesNotMatchCertificate(String)

    public var description: String {
        switch self {
        case .invalidServerURL(let url): return "not a usable server URL: \(url) (expected https://host[:port][/path])"
        case .unsupportedServerScheme(let scheme): return "unsupported URL scheme \(scheme): only https and wss are checked"
        case .credentialsInURL: return "the URL contains a user or password, which is refused (it would show in process lists and shell history)"
        case .invalidProxyURL: return "not a usable proxy URL (expected http://host[:port])"
        case .unsupportedProxyScheme(let scheme): return "unsupported proxy scheme \(scheme): only http:// proxies (CONNECT) are supported"
        case .noClientCertificate: return "the client identity has no certificate"
        case .unreadableClientKey: return "the client identity's private key is not an RSA key in PKCS#8 or PKCS#1 DER"
        case .clientKeyDoesNotMatchCertificate(let subject): return "the private key does not belong to the client certificate \(subject)"
        }
    }
}
