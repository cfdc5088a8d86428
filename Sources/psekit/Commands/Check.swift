import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit
import PSENet
import PSEStore
import X509

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Test an HTTPS connection with a PSE, like SM59's connection test or Postman.",
        discussion: """
        Connects with TLS trusting only the PSE's trusted list (as SAP's crypto library does), \
        checks the host name, presents a client certificate when the server asks for one (the \
        PSE's own certificate and key, as SM59 does, or those of --identity; none with \
        --anonymous), sends GET (with basic authentication when --user is given) and prints the \
        status line and the start of the body. On failure it prints the cause and the fix on \
        standard error and exits with the diagnosis' code:

          10 chain not anchored in the trusted list (the missing issuer is named)
          11 certificate expired          12 certificate not yet valid
          13 host name not in the certificate
          14 server requires a client certificate, none configured
          15 server rejected our client certificate
          16 connection refused   17 timeout   18 not TLS   19 host not found
          20 other TLS handshake failure   21 answer is not HTTP
          22 status differs from --expect-status
          23 chain breaks an RFC 5280 rule (issuer not a CA, path length, name constraints)
          24 a certificate the server sent cannot be read (connection refused)
          25 server certificate not for TLS servers (extendedKeyUsage without serverAuth)
          26 HTTP 401   27 HTTP 403   28 HTTP 404   29 HTTP 5xx   30 other HTTP 4xx
          31 wss:// URL, but no WebSocket upgrade (101) with a valid Sec-WebSocket-Accept
          32 the proxy wants authentication (407)   33 the proxy is unreachable or refused CONNECT

        The chain is validated by swift-certificates' RFC 5280 verifier: every certificate of \
        the PSE's trusted list is an anchor; basic constraints, path length, name constraints, \
        validity dates, the host name (wildcards, IP addresses) and extendedKeyUsage serverAuth \
        are checked. An HTTP status of 400 or more fails unless --expect-status names it. With \
        -v (or --json) the negotiated TLS version and cipher suite are shown, whether the server \
        asked for a client certificate, and which one was sent. A wss:// URL runs the WebSocket \
        opening handshake (RFC 6455) and succeeds on 101 Switching Protocols. --timeout bounds \
        the whole exchange. A user or password inside the URL is refused: use --user and \
        --password-env.

        Proxies: --proxy http://host:port, else HTTPS_PROXY (or https_proxy) unless NO_PROXY \
        (or no_proxy) lists the host; the connection is tunnelled with CONNECT. The proxy's \
        user and password come from the proxy URL or from --proxy-user and \
        --proxy-password-env.

        --identity takes another PSE (its own certificate and key) or a PKCS#12 file \
        (.pfx/.p12, read by psekit's own PKCS#12 reader); their PIN or password comes from \
        --identity-password-env. Without -p, --identity is required and the server is \
        validated against the system's CA store (as Postman does) or the certificates of \
        --ca-file.

        Examples:
          psekit check https://sap.example.com:44300/sap/bc/ping -p client.pse
          psekit check https://127.0.0.1:8443/ -p client.pse --expect-status 200
          PFX_PASSWORD=... psekit check https://api.example.com/ --identity alice.pfx --identity-password-env PFX_PASSWORD
          PFX_PASSWORD=... psekit check https://127.0.0.1:8443/ -p client.pse --identity alice.pfx --identity-password-env PFX_PASSWORD
          API_PASSWORD=... psekit check https://api.example.com/ -p client.pse --user alice --password-env API_PASSWORD
          psekit check wss://sap.example.com:44300/sap/bc/apc/ping -p client.pse -v
          PROXY_PW=... psekit check https://x.hana.ondemand.com/ -p client.pse --proxy http://proxy:3128 --proxy-user me --proxy-password-env PROXY_PW
          psekit check https://api.example.com/missing -p client.pse --expect-status 404 --json
        """
    )

    @Argument(help: ArgumentHelp("The URL: https://host[:port][/path] or wss://host[:port][/path].", valueName: "URL"))
    var url: String

    @Option(name: .customShort("p"),
            help: ArgumentHelp("The PSE whose trusted list decides and whose own certificate is the identity. Without it, --identity is required and the server is checked against --ca-file or the system's CA store.", valueName: "PSE"))
    var pse: String?

    @OptionGroup var pinOptions: PINOptions

    @Option(name: .customLong("ca-file"),
            help: ArgumentHelp("Without -p: trust these CA certificates (PEM, DER) instead of the system's CA store.", valueName: "FILE"))
    var caFile: String?

    @Option(help: ArgumentHelp("Client identity instead of the PSE's own: another PSE or a PKCS#12 file (.pfx, .p12).", valueName: "PSE|PFX"))
    var identity: String?

    @Flag(help: "Present no client certificate, even when the PSE has one.")
    var anonymous = false

    @Option(name: .customLong("identity-password-env"),
            help: ArgumentHelp("Environment variable holding the PIN of the identity PSE or the PKCS#12 password.", valueName: "VAR"))
    var identityPasswordEnvironmentVariable: String?

    @OptionGroup var proxyOptions: ProxyOptions

    @Option(help: ArgumentHelp("User for HTTP basic authentication.", valueName: "ID"))
    var user: String?

    @Option(name: .customLong("password-env"),
            help: ArgumentHelp("Environment variable holding the basic-authentication password.", valueName: "VAR"))
    var passwordEnvironmentVariable: String?

    @Option(name: .customLong("expect-status"), help: ArgumentHelp("Fail unless the HTTP status is this.", valueName: "N"))
    var expectedStatus: Int?

    @Option(help: ArgumentHelp("Seconds the whole exchange may take (connect, handshake, answer); 0 < S <= 86400.", valueName: "S"))
    var timeout: Double = 10

    @Option(name: .customLong("body-bytes"), help: ArgumentHelp("How much of the body to print.", valueName: "N"))
    var bodyBytes: Int = 512

    @Flag(name: .customShort("v"), help: "Also print the server's chain, the trusted anchor and the response headers.")
    var verbose = false

    @Flag(help: "Print the result (or the diagnosis) as JSON.")
    var json = false

    func validate() throws {
        guard timeout.isFinite, timeout > 0, timeout <= 86400 else {
            throw ValidationError("--timeout must be a number of seconds more than 0 and at most 86400")
        }
        if anonymous && identity != nil { throw ValidationError("--anonymous and --identity exclude each other") }
        if pse == nil && identity == nil && !anonymous {
            throw ValidationError("give the PSE with -p, or a client identity with --identity (then the system's CA store or --ca-file decides trust), or --anonymous")
        }
        if pse != nil && caFile != nil { throw ValidationError("--ca-file is for checks without -p (with -p, the PSE's trusted list decides)") }
        if passwordEnvironmentVariable != nil && user == nil { throw ValidationError("--password-env needs --user") }
        if let expectedStatus, !(100...599).contains(expectedStatus) { throw ValidationError("--expect-status must be an HTTP status (100-599)") }
        guard bodyBytes >= 0 else { throw ValidationError("--body-bytes must not be negative") }
    }

    struct Success: Encodable {
        var url: String
        var ok = true
        var statusLine: String
        var status: Int
        var headers: [String: String]
        var body: String
        var presentedChain: [CertificateSummary]
        var trustedAnchor: CertificateSummary?
        var clientCertificate: String?
        var tlsVersion: String?
        var cipherSuite: String?
        var clientCertificateRequested: Bool
        /// The subject of the client certificate sent, or null.
        var clientCertificateSent: Nullable<String>
    }

    /// Encodes nil as JSON null rather than leaving the key out.
    struct Nullable<Value: Encodable>: Encodable {
        var value: Value?
        func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            if let value { try container.encode(value) } else { try container.encodeNil() }
        }
    }

    struct Failure: Encodable {
        var url: String
        var ok = false
        var diagnosis: String
        var exitCode: Int32
        var cause: String
        var fix: String
    }

    func run() throws {
        let endpoint: ServerEndpoint
        do { endpoint = try ServerEndpoint(url: url) } catch {
            throw CLIError(ErrorText.of(error), hint: (error as? PSENetError)?.code == .credentialsInURL ? "Pass them with --user ID --password-env VAR." : nil)
        }
        let stored: StoredPSE?
        let trusted: [Certificate]
        if let pse {
            let path = PSELocation.path(forPSE: pse)
            let opened = try StoredPSE.open(at: path) { _ in try pinOptions.pinForOpening(path: path).pin }
            trusted = try opened.file.content.trustedCertificates()
            if trusted.isEmpty {
                Console.warning("\(path) trusts no certificate yet; add the server's chain with: psekit trust \(url) -p \(pse)")
            }
            stored = opened
        } else if let caFile {
            do { trusted = try CertificateFileReader.certificates(atPath: caFile) } catch { throw CLIError(ErrorText.of(error)) }
            stored = nil
        } else {
            do { trusted = try SystemTrustStore.certificates() } catch {
                throw CLIError(ErrorText.of(error), hint: "Pass the CA certificates with --ca-file FILE, or a PSE with -p.")
            }
            stored = nil
        }
        let clientIdentity = try loadIdentity(openedPSE: stored)
        if let leaf = clientIdentity?.certificateChain.first, leaf.notValidAfter < Date() {
            Console.warning("the client certificate \(SAPDistinguishedName.format(leaf.subject)) expired on \(CertificateSummary.sapTime(leaf.notValidAfter)); servers will reject it: renew it (a new request with psekit gen_pse -r, then psekit import_own_cert), trusting anything more does not help")
        }
        var credentials: BasicCredentials? = nil
        if let user {
            guard let variable = passwordEnvironmentVariable else {
                throw CLIError("--user needs --password-env VAR (the password is never taken from the command line)")
            }
            credentials = BasicCredentials(user: user, password: try EnvironmentSecret.value(of: variable, option: "--password-env"))
        }

        var check = ConnectionCheck(endpoint: endpoint, trustedCertificates: trusted, identity: clientIdentity,
                                    credentials: credentials, timeout: timeout, expectedStatus: expectedStatus,
                                    bodyPrefixLength: bodyBytes)
        check.proxy = try proxyOptions.proxy(for: endpoint)
        let result: ConnectionCheckResult
        do {
            result = try check.run()
        } catch let error as PSENetError where error.code == .connectionFailed {
            let diagnosis = error.diagnosis ?? .handshakeFailed(reason: error.reason)
            let fix = diagnosis.fix(url: url, pse: pse ?? "PSE")
            if json {
                try Console.printJSON(Failure(url: endpoint.url, diagnosis: diagnosis.name, exitCode: diagnosis.exitCode,
                                              cause: diagnosis.cause, fix: fix))
            }
            throw Console.fail(CLIError(diagnosis.cause, hint: "Fix: " + fix, exitCode: diagnosis.exitCode))
        }
        report(result, identity: clientIdentity)
    }

    private func report(_ result: ConnectionCheckResult, identity: ClientIdentity?) {
        let response = result.response
        if json {
            var headers: [String: String] = [:]
            for field in response.headers { headers[field.name.lowercased()] = field.value }
            try? Console.printJSON(Success(
                url: result.endpoint.url, statusLine: response.statusLine, status: response.statusCode, headers: headers,
                body: response.bodyText, presentedChain: result.presentedChain.map(CertificateSummary.init),
                trustedAnchor: result.trustedPath.last.map(CertificateSummary.init),
                clientCertificate: identity.map { SAPDistinguishedName.format($0.subject) },
                tlsVersion: result.tlsVersion, cipherSuite: result.cipherSuite,
                clientCertificateRequested: result.serverRequestedClientCertificate,
                clientCertificateSent: Nullable(value: result.clientCertificateSent.map(SAPDistinguishedName.format))))
            return
        }
        if result.isBelowTLS12 {
            Console.warning("the server negotiated \(result.tlsVersion ?? "an old TLS version"), below TLS 1.2; SAP and BTP require TLS 1.2 or later")
        }
        if verbose {
            Console.note("Server chain (\(result.presentedChain.count) certificate(s)):")
            for certificate in result.presentedChain {
                Console.note("  \(SAPDistinguishedName.format(certificate.subject))")
            }
            if let anchor = result.trustedPath.last {
                Console.note("Trusted via: \(SAPDistinguishedName.format(anchor.subject))")
            }
            Console.note("TLS version: \(result.tlsVersion ?? "unknown"), cipher suite: \(result.cipherSuite ?? "unknown")")
            Console.note("Server asked for a client certificate: \(result.serverRequestedClientCertificate ? "yes" : "no")")
            Console.note("Client certificate sent: \(result.clientCertificateSent.map(SAPDistinguishedName.format) ?? "none")")
        }
        print(TerminalText.escaped(response.statusLine, limit: nil))
        if verbose {
            for field in response.headers { print("\(TerminalText.escaped(field.name)): \(TerminalText.escaped(field.value))") }
            print("")
        }
        let body = response.bodyText
        if !body.isEmpty { print(TerminalText.escaped(body, limit: nil, keepingLineBreaks: true), terminator: body.hasSuffix("\n") ? "" : "\n") }
    }

    /// The client identity: that of `--identity` (a PSE's own certificate and key, or a PKCS#12
    /// file's), else the PSE's own when it has a certificate and key, none with `--anonymous`.
    private func loadIdentity(openedPSE: StoredPSE?) throws -> ClientIdentity? {
        if anonymous { return nil }
        guard let identity else {
            guard let openedPSE, (try? openedPSE.file.content.ownCertificate()) != nil,
                  (try? openedPSE.file.content.privateKey()) != nil else { return nil }
            return try Self.identity(of: openedPSE)
        }
        let lowered = identity.lowercased()
        if lowered.hasSuffix(".pfx") || lowered.hasSuffix(".p12") {
            guard let variable = identityPasswordEnvironmentVariable else {
                throw CLIError("the PKCS#12 file \(identity) needs its password", hint: "Pass --identity-password-env VAR.")
            }
            let password = try EnvironmentSecret.value(of: variable, option: "--identity-password-env")
            let bytes: [UInt8]
            do { bytes = try RegularFile.read(identity, limit: CertificateBundle.maximumInputSize) } catch {
                throw CLIError("cannot read the identity file: \(ErrorText.of(error))")
            }
            do {
                return try ClientIdentity(pkcs12: Array(bytes), password: password)
            } catch {
                throw CLIError("\(identity): not a usable PKCS#12 identity (wrong password, or no RSA key and certificate): \(ErrorText.of(error))")
            }
        }
        let path = PSELocation.path(forPSE: identity)
        let stored: StoredPSE
        if let openedPSE, path == openedPSE.path {
            stored = openedPSE
        } else {
            stored = try StoredPSE.open(at: path) { _ in
                if let variable = identityPasswordEnvironmentVariable {
                    return try EnvironmentSecret.value(of: variable, option: "--identity-password-env")
                }
                if let stored = try? CredentialStore.pin(forPSEAt: path, user: CredentialStore.currentUser) { return stored }
                return try SecretReader.read(prompt: "Please enter the PIN of \(path): ")
            }
        }
        return try Self.identity(of: stored)
    }

    /// The own certificate, its CA chain (without the root) and the private key of a PSE.
    private static func identity(of stored: StoredPSE) throws -> ClientIdentity {
        guard let certificate = try stored.file.content.ownCertificate(),
              let key = try stored.file.content.privateKey() else {
            throw CLIError("\(stored.path) has no own certificate and key to present as client identity")
        }
        let chain = try stored.file.content.certificationPath()
        return try ClientIdentity(certificateChain: [certificate] + chain.filter { $0 != certificate && !IssuerWalk.isSelfSigned($0) },
                                  privateKey: key)
    }
}

/// `--proxy`, `--proxy-user`, `--proxy-password-env`, and the HTTPS_PROXY/NO_PROXY environment.
struct ProxyOptions: ParsableArguments {
    @Option(help: ArgumentHelp("HTTP proxy to tunnel through (CONNECT), instead of HTTPS_PROXY.", valueName: "http://HOST:PORT"))
    var proxy: String?

    @Option(name: .customLong("proxy-user"), help: ArgumentHelp("User for the proxy (Proxy-Authorization: Basic).", valueName: "ID"))
    var proxyUser: String?

    @Option(name: .customLong("proxy-password-env"),
            help: ArgumentHelp("Environment variable holding the proxy password.", valueName: "VAR"))
    var proxyPasswordEnvironmentVariable: String?

    func validate() throws {
        if proxyPasswordEnvironmentVariable != nil && proxyUser == nil {
            throw ValidationError("--proxy-password-env needs --proxy-user")
        }
    }

    /// The proxy to use for `endpoint`: --proxy, else the environment's; nil for a direct connection.
    func proxy(for endpoint: ServerEndpoint) throws -> HTTPProxy? {
        let environment = ProcessInfo.processInfo.environment
        var result: HTTPProxy?
        do {
            if let proxy {
                result = try HTTPProxy(url: proxy)
            } else {
                result = try HTTPProxy.fromEnvironment(environment, for: endpoint.host)
            }
        } catch {
            throw CLIError("\(proxy == nil ? "HTTPS_PROXY" : "--proxy"): \(ErrorText.of(error))")
        }
        if var configured = result, let proxyUser {
            var password = ""
            if let variable = proxyPasswordEnvironmentVariable {
                password = try EnvironmentSecret.value(of: variable, option: "--proxy-password-env", in: environment)
            }
            configured.credentials = BasicCredentials(user: proxyUser, password: password)
            result = configured
        }
        return result
    }
}
