import PSEKit
import PSENet

/// The exit code and the fix text (naming psekit's flags and commands) of each diagnosis.
extension ConnectionDiagnosis {
    /// The process exit code for this diagnosis.
    var exitCode: Int32 {
        switch self {
        case .untrustedChain: return 10
        case .certificateExpired: return 11
        case .certificateNotYetValid: return 12
        case .hostNameMismatch: return 13
        case .clientCertificateRequired: return 14
        case .clientCertificateRejected: return 15
        case .connectionRefused: return 16
        case .timedOut: return 17
        case .notTLS: return 18
        case .hostNotFound: return 19
        case .handshakeFailed: return 20
        case .invalidHTTPResponse: return 21
        case .unexpectedStatus: return 22
        case .invalidChain: return 23
        case .unreadableServerCertificate: return 24
        case .notForServerAuthentication: return 25
        case .httpError(let status, _):
            switch status {
            case 401: return 26
            case 403: return 27
            case 404: return 28
            case 500...599: return 29
            default: return 30
            }
        case .webSocketUpgradeFailed: return 31
        case .proxyAuthenticationRequired: return 32
        case .proxyFailed: return 33
        case .malformedHTTPResponse: return 21
        }
    }

    /// What to do about it, in one line; `url` and `pse` are put into the suggested commands.
    func fix(url: String = "URL", pse: String = "PSE") -> String {
        switch self {
        case .untrustedChain(let missingIssuer, _):
            let file = CertificateFileName.fileName(for: missingIssuer)
            return "review and trust the server's chain: psekit trust \(url) -p \(pse) "
                + "(or add the issuer: psekit maintain_pk -a \(Self.quoted(file)) -p \(pse))"
        case .certificateExpired:
            return "the certificate's owner must renew it; check the clock of this machine too"
        case .certificateNotYetValid:
            return "check the clock of this machine; otherwise wait until the certificate's validity starts"
        case .hostNameMismatch(_, let names):
            let suggestion = names.first.map { " (e.g. \($0.split(separator: ":", maxSplits: 1).last.map(String.init) ?? $0))" } ?? ""
            return "connect with a name the certificate lists\(suggestion), or have the server certificate reissued with this name"
        case .clientCertificateRequired:
            return "present a client certificate: import one into the PSE (psekit import_own_cert -p \(pse)) or pass --identity CLIENT.pse|CLIENT.pfx"
        case .clientCertificateRejected(let alert, _) where alert == TLSAlert(code: 45):
            return "renew the client certificate (psekit gen_pse -r for a new request, then psekit import_own_cert -p \(pse)); trusting anything more does not help"
        case .clientCertificateRejected:
            return "have the server trust the client certificate's issuer, or use an identity issued by a CA the server trusts"
        case .connectionRefused:
            return "check the URL's host and port, and that the service is running"
        case .hostNotFound:
            return "check the host name in the URL (DNS, /etc/hosts)"
        case .timedOut:
            return "check firewalls and proxies between here and the server, or raise --timeout"
        case .notTLS:
            return "use the port of the HTTPS service (the URL may need http:// or another port)"
        case .handshakeFailed:
            return "compare the TLS versions and cipher suites the server accepts (openssl s_client -connect HOST:PORT)"
        case .invalidHTTPResponse:
            return "the port speaks TLS but not HTTP; check the URL's port"
        case .unexpectedStatus:
            return "check the URL path and the credentials (--user, --password-env)"
        case .unreadableServerCertificate:
            return "do not use this connection: a man in the middle may be presenting its own certificate; compare with a connection from another network, or have the server use a certificate with a supported key (RSA 2048 bits or more, or EC)"
        case .invalidChain:
            return "have the server's owner fix the certificate chain (a CA must issue it; trusting more certificates does not help)"
        case .notForServerAuthentication:
            return "have the server certificate reissued with extendedKeyUsage serverAuth"
        case .httpError(let status, _):
            switch status {
            case 401: return "check user and password (--user, --password-env), or have the client certificate mapped to a user on the server (e.g. SAP transaction CERTRULE, or the BTP service instance's certificate)"
            case 403: return "have the user or certificate's user given the role the resource needs (e.g. ESBMessaging.send)"
            case 404: return "check the URL path; deploy or start the iFlow/service"
            case 500...599: return "look at the server's log; the TLS connection and authentication worked"
            default: return "check the URL and the request (--expect-status \(status) accepts this status)"
            }
        case .webSocketUpgradeFailed:
            return "check the wss:// path and that the service accepts WebSocket connections (SM59 type G/WebSocket RFC destination)"
        case .proxyAuthenticationRequired:
            return "give the proxy's user and password (--proxy-user with --proxy-password-env, or in the proxy URL)"
        case .malformedHTTPResponse:
            return "the port speaks TLS but its HTTP is broken or oversized; check the URL's port and the server"
        case .proxyFailed:
            return "check the proxy address (--proxy, HTTPS_PROXY) and that it allows CONNECT to this host and port; NO_PROXY bypasses it"
        }
    }

    private static func quoted(_ text: String) -> String {
        text.contains(" ") ? "\"\(text)\"" : text
    }
}
