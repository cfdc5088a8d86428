import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import PSENet
import PSEStore
import X509
import XCTest

/// Probe, chain completion and connection checks against `openssl s_server` and an in-process
/// NIO TLS server on 127.0.0.1, each with its own generated PKI.
final class PSENetConnectionTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try ExternalTools.temporaryDirectory(self)
    }

    private func certificates(_ urls: URL...) throws -> [Certificate] {
        try urls.flatMap { try TestPKI.certificates($0) }
    }

    // MARK: openssl s_server

    func testTrustThenCheckSucceeds() throws {
        let pki = try TestPKI(in: directory, name: "Trusted")
        let server = try OpenSSLTestServer(self, directory: directory, arguments: OpenSSLTestServer.serving(pki))
        let presented = try TLSProbe.presentedChain(of: server.endpoint, timeout: 10)
        XCTAssertEqual(presented, try certificates(pki.leafCertificate, pki.intermediateCertificate))
        let completion = CertificateChainBuilder.complete(presented: presented, candidates: try certificates(pki.rootCertificate))
        XCTAssertTrue(completion.isComplete)
        XCTAssertEqual(completion.certificates.count, 3)

        let trusted = [completion.root!] + completion.intermediates
        let result = try ConnectionCheck(endpoint: server.endpoint, trustedCertificates: trusted).run()
        XCTAssertEqual(result.response.statusCode, 200)
        XCTAssertTrue(result.response.statusLine.hasPrefix("HTTP/1.0 200"), result.response.statusLine)
        XCTAssertTrue(result.response.bodyText.contains("<HTML>") || result.response.bodyText.contains("<html>"),
                      result.response.bodyText)
        XCTAssertEqual(result.trustedPath.last, completion.intermediates.first)
        XCTAssertEqual(result.presentedChain, presented)
    }

    func testCheckBeforeTrustNamesTheMissingRoot() throws {
        let pki = try TestPKI(in: directory, name: "Unknown")
        let other = try TestPKI(in: directory, name: "Other")
        let server = try OpenSSLTestServer(self, directory: directory, arguments: OpenSSLTestServer.serving(pki))
        let diagnosis = diagnosis(of: ConnectionCheck(endpoint: server.endpoint,
                                                      trustedCertificates: try certificates(other.rootCertificate)))
        let root = try certificates(pki.rootCertificate)[0]
        guard case .untrustedChain(let missing, let presented)? = diagnosis else {
            return XCTFail("expected an untrusted chain, got \(String(describing: diagnosis))")
        }
        XCTAssertEqual(missing, root.subject)
        XCTAssertEqual(presented.count, 2)
        XCTAssertEqual(diagnosis?.name, "untrusted-chain")
        XCTAssertTrue(diagnosis!.cause.contains("CN=Unknown Root CA"), diagnosis!.cause)
    }

    func testServerWithoutIntermediate() throws {
        let pki = try TestPKI(in: directory, name: "Bare")
        let server = try OpenSSLTestServer(self, directory: directory,
                                           arguments: OpenSSLTestServer.serving(pki, sendIntermediate: false))
        let presented = try TLSProbe.presentedChain(of: server.endpoint)
        XCTAssertEqual(presented, try certificates(pki.leafCertificate))

        // Completion with a CA file holding intermediate and root still builds the whole chain.
        let caFile = directory.appendingPathComponent("ca-bundle.pem")
        try (String(contentsOf: pki.intermediateCertificate, encoding: .utf8) + String(contentsOf: pki.rootCertificate, encoding: .utf8))
            .write(to: caFile, atomically: true, encoding: .utf8)
        let completion = CertificateChainBuilder.complete(
            presented: presented, candidates: try CertificateFileReader.certificates(atPath: caFile.path))
        XCTAssertEqual(completion.certificates, try certificates(pki.leafCertificate, pki.intermediateCertificate, pki.rootCertificate))

        // With only the root trusted, the check names the intermediate the server did not send.
        let diagnosis = diagnosis(of: ConnectionCheck(endpoint: server.endpoint,
                                                      trustedCertificates: try certificates(pki.rootCertificate)))
        XCTAssertEqual(diagnosis, .untrustedChain(missingIssuer: try certificates(pki.intermediateCertificate)[0].subject,
                                                  presented: presented))
        // Trusting the intermediate too (what `psekit trust --add chain` does) makes it work.
        let result = try ConnectionCheck(endpoint: server.endpoint,
                                         trustedCertificates: try certificates(pki.rootCertificate, pki.intermediateCertificate)).run()
        XCTAssertEqual(result.response.statusCode, 200)
    }

    private func clientCertificateServer(tls12: Bool = false) throws -> (server: OpenSSLTestServer, pki: TestPKI, clients: TestPKI) {
        let pki = try TestPKI(in: directory, name: "Mutual")
        let clients = try TestPKI(in: directory, name: "Clients")
        let clientCA = directory.appendingPathComponent("client-ca.pem")
        try (String(contentsOf: clients.intermediateCertificate, encoding: .utf8) + String(contentsOf: clients.rootCertificate, encoding: .utf8))
            .write(to: clientCA, atomically: true, encoding: .utf8)
        var arguments = OpenSSLTestServer.serving(pki) + ["-Verify", "1", "-verify_return_error", "-CAfile", clientCA.path]
        if tls12 { arguments.append("-tls1_2") }
        return (try OpenSSLTestServer(self, directory: directory, arguments: arguments), pki, clients)
    }

    func testServerRequiringClientCertificate() throws {
        let (server, pki, clients) = try clientCertificateServer()
        let trusted = try certificates(pki.rootCertificate)
        let client = try clients.issueClient("client-one")
        let identity = try TestPKI.identity(certificate: client.certificate, key: client.key)

        let result = try ConnectionCheck(endpoint: server.endpoint, trustedCertificates: trusted, identity: identity).run()
        XCTAssertEqual(result.response.statusCode, 200)

        let withoutIdentity = diagnosis(of: ConnectionCheck(endpoint: server.endpoint, trustedCertificates: trusted))
        XCTAssertEqual(withoutIdentity, .clientCertificateRequired(alert: .certificateRequired))
        XCTAssertEqual(withoutIdentity?.name, "client-certificate-required")

        let strangers = try TestPKI(in: directory, name: "Strangers")
        let stranger = try strangers.issueClient("stranger")
        let strangerIdentity = try TestPKI.identity(certificate: stranger.certificate, key: stranger.key)
        let rejected = diagnosis(of: ConnectionCheck(endpoint: server.endpoint, trustedCertificates: trusted,
                                                     identity: strangerIdentity))
        guard case .clientCertificateRejected(let alert, let subject)? = rejected else {
            return XCTFail("expected a rejected client certificate, got \(String(describing: rejected))")
        }
        XCTAssertEqual(subject, strangerIdentity.subject)
        XCTAssertEqual(alert, .unknownCA)  // what openssl s_server -verify_return_error sends
        XCTAssertEqual(rejected?.name, "client-certificate-rejected")
        XCTAssertTrue(rejected!.cause.contains("server rejected our client certificate"), rejected!.cause)
    }

    func testServerRequiringClientCertificateOverTLS12() throws {
        let (server, pki, clients) = try clientCertificateServer(tls12: true)
        let trusted = try certificates(pki.rootCertificate)
        let withoutIdentity = diagnosis(of: ConnectionCheck(endpoint: server.endpoint, trustedCertificates: trusted))
        // TLS 1.2 has no certificate_required alert: the CertificateRequest seen in the clear tells.
        XCTAssertEqual(withoutIdentity, .clientCertificateRequired(alert: .handshakeFailure))
        let client = try clients.issueClient("client-two")
        let identity = try TestPKI.identity(certificate: client.certificate, key: client.key)
        let result = try ConnectionCheck(endpoint: server.endpoint, trustedCertificates: trusted, identity: identity).run()
        XCTAssertEqual(result.response.statusCode, 200)
        XCTAssertTrue(result.serverRequestedClientCertificate)
    }

    func testExpiredServerCertificate() throws {
        let pki = try TestPKI(in: directory, name: "Expired", leafExpired: true)
        let server = try OpenSSLTestServer(self, directory: directory, arguments: OpenSSLTestServer.serving(pki))
        let leaf = try certificates(pki.leafCertificate)[0]
        let diagnosis = diagnosis(of: ConnectionCheck(endpoint: server.endpoint,
                                                      trustedCertificates: try certificates(pki.rootCertificate)))
        XCTAssertEqual(diagnosis, .certificateExpired(subject: leaf.subject, notValidAfter: leaf.notValidAfter))
        XCTAssertEqual(diagnosis?.name, "certificate-expired")
    }

    func testWrongHostName() throws {
        let pki = try TestPKI(in: directory, name: "Elsewhere", leafNames: "DNS:www.example.org")
        let server = try OpenSSLTestServer(self, directory: directory, arguments: OpenSSLTestServer.serving(pki))
        let diagnosis = diagnosis(of: ConnectionCheck(endpoint: server.endpoint,
                                                      trustedCertificates: try certificates(pki.rootCertificate)))
        XCTAssertEqual(diagnosis, .hostNameMismatch(host: "127.0.0.1", certificateNames: ["DNS:www.example.org"]))
        XCTAssertEqual(diagnosis?.name, "host-name-mismatch")
        XCTAssertEqual(diagnosis?.cause, "host name 127.0.0.1 is not in the server certificate (it names DNS:www.example.org)")
    }

    func testBasicAuthenticationHeaderIsSent() throws {
        let pki = try TestPKI(in: directory, name: "Auth")
        let server = try NIOTestServer(self, pki: pki)
        let check = ConnectionCheck(endpoint: ServerEndpoint(host: "127.0.0.1", port: server.port, path: "/ping?a=1"),
                                    trustedCertificates: try certificates(pki.rootCertificate),
                                    credentials: BasicCredentials(user: "alice", password: "s3cret"), expectedStatus: 200)
        let result = try check.run()
        XCTAssertEqual(result.response.statusLine, "HTTP/1.1 200 OK")
        XCTAssertTrue(result.response.bodyText.contains("GET /ping?a=1 HTTP/1.1"), result.response.bodyText)
        XCTAssertTrue(result.response.bodyText.contains("Authorization: Basic YWxpY2U6czNjcmV0"), result.response.bodyText)
        XCTAssertFalse(String(describing: check.credentials!).contains("s3cret"))

        var wrongStatus = check
        wrongStatus.expectedStatus = 204
        XCTAssertEqual(diagnosis(of: wrongStatus), .unexpectedStatus(expected: 204, statusLine: "HTTP/1.1 200 OK"))
    }

    // MARK: in-process NIO TLS server

    func testNIOServerTrustThenCheck() throws {
        let pki = try TestPKI(in: directory, name: "NIO")
        let server = try NIOTestServer(self, pki: pki)
        let endpoint = ServerEndpoint(host: "127.0.0.1", port: server.port)
        let presented = try TLSProbe.presentedChain(of: endpoint)
        XCTAssertEqual(presented, try certificates(pki.leafCertificate, pki.intermediateCertificate))
        let missing = diagnosis(of: ConnectionCheck(endpoint: endpoint, trustedCertificates: []))
        XCTAssertEqual(missing, .untrustedChain(missingIssuer: try certificates(pki.rootCertificate)[0].subject, presented: presented))
        let result = try ConnectionCheck(endpoint: endpoint, trustedCertificates: try certificates(pki.rootCertificate)).run()
        XCTAssertEqual(result.response.statusCode, 200)
        // Via the DNS name the certificate also lists.
        let byName = try ConnectionCheck(endpoint: ServerEndpoint(host: "localhost", port: server.port),
                                         trustedCertificates: try certificates(pki.rootCertificate)).run()
        XCTAssertEqual(byName.response.statusCode, 200)
    }

    func testNIOServerRequiringClientCertificate() throws {
        let pki = try TestPKI(in: directory, name: "NIOMutual")
        let clients = try TestPKI(in: directory, name: "NIOClients")
        let server = try NIOTestServer(self, pki: pki, clientCA: clients.rootCertificate)
        let endpoint = ServerEndpoint(host: "127.0.0.1", port: server.port)
        let trusted = try certificates(pki.rootCertificate)
        let client = try clients.issueClient("nio-client")
        let identity = try TestPKI.identity(certificate: client.certificate, key: client.key,
                                            extraChain: [clients.intermediateCertificate])
        XCTAssertEqual(try ConnectionCheck(endpoint: endpoint, trustedCertificates: trusted, identity: identity).run().response.statusCode, 200)
        XCTAssertEqual(diagnosis(of: ConnectionCheck(endpoint: endpoint, trustedCertificates: trusted)),
                       .clientCertificateRequired(alert: .certificateRequired))
        let strangers = try TestPKI(in: directory, name: "NIOStrangers")
        let stranger = try strangers.issueClient("nio-stranger")
        let strangerIdentity = try TestPKI.identity(certificate: stranger.certificate, key: stranger.key)
        let rejected = diagnosis(of: ConnectionCheck(endpoint: endpoint, trustedCertificates: trusted, identity: strangerIdentity))
        XCTAssertEqual(rejected, .clientCertificateRejected(alert: .unknownCA, subject: strangerIdentity.subject))
    }

    // MARK: failures before TLS

    func testConnectionRefused() throws {
        let port = try NIOTestServer.freePort()
        let endpoint = ServerEndpoint(host: "127.0.0.1", port: port)
        XCTAssertEqual(diagnosis(of: ConnectionCheck(endpoint: endpoint, trustedCertificates: [])),
                       .connectionRefused(host: "127.0.0.1", port: port))
        XCTAssertThrowsError(try TLSProbe.presentedChain(of: endpoint)) {
            XCTAssertEqual(($0 as? PSENetError)?.diagnosis?.name, "connection-refused")
        }
    }

    func testTimeoutWhenServerNeverAnswers() throws {
        let server = try NIOTestServer(self, pki: nil, behaviour: .silent)
        let started = Date()
        let diagnosis = diagnosis(of: ConnectionCheck(endpoint: ServerEndpoint(host: "127.0.0.1", port: server.port),
                                                      trustedCertificates: [], timeout: 1))
        XCTAssertEqual(diagnosis, .timedOut(seconds: 1, phase: "during the TLS handshake"))
        XCTAssertEqual(diagnosis?.name, "timeout")
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }

    func testPlainHTTPIsNotTLS() throws {
        let server = try NIOTestServer(self, pki: nil, behaviour: .plainHTTP)
        let diagnosis = diagnosis(of: ConnectionCheck(endpoint: ServerEndpoint(host: "127.0.0.1", port: server.port),
                                                      trustedCertificates: []))
        guard case .notTLS(let firstBytes)? = diagnosis else {
            return XCTFail("expected not TLS, got \(String(describing: diagnosis))")
        }
        XCTAssertTrue(firstBytes.hasPrefix("HTTP/1.1 400"), firstBytes)
        XCTAssertEqual(diagnosis?.name, "not-tls")
    }
}

/// A tiny server on 127.0.0.1 in this process: TLS (NIOSSL) with an HTTP responder that echoes
/// the request in the body, or plain misbehaviour for the failure tests.
final class NIOTestServer {
    enum Behaviour { case https, silent, plainHTTP }

    let channel: Channel
    var port: Int { channel.localAddress!.port! }

    init(_ testCase: XCTestCase, pki: TestPKI?, clientCA: URL? = nil, behaviour: Behaviour = .https) throws {
        var sslContext: NIOSSLContext? = nil
        if let pki {
            let chain = try NIOSSLCertificate.fromPEMFile(pki.serverChain.path).map { NIOSSLCertificateSource.certificate($0) }
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain, privateKey: .privateKey(try NIOSSLPrivateKey(file: pki.leafKey.path, format: .pem)))
            if let clientCA {
                configuration.certificateVerification = .noHostnameVerification
                configuration.trustRoots = .file(clientCA.path)
            }
            sslContext = try NIOSSLContext(configuration: configuration)
        }
        let context = sslContext
        channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    if let context { try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context)) }
                    try child.pipeline.syncOperations.addHandler(TestResponder(behaviour: behaviour))
                }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
        let channel = self.channel
        testCase.addTeardownBlock { try? channel.close().wait() }
    }

    /// A port nothing listens on (bound, then released).
    static func freePort() throws -> Int {
        let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).wait()
        let port = channel.localAddress!.port!
        try channel.close().wait()
        return port
    }

    private final class TestResponder: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let behaviour: Behaviour
        var received = ""

        init(behaviour: Behaviour) { self.behaviour = behaviour }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            received += buffer.readString(length: buffer.readableBytes) ?? ""
            switch behaviour {
            case .silent:
                return
            case .plainHTTP:
                respond(context, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            case .https:
                guard received.contains("\r\n\r\n") else { return }
                respond(context, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: \(received.utf8.count)\r\n\r\n\(received)")
            }
        }

        private func respond(_ context: ChannelHandlerContext, _ text: String) {
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: text))).whenComplete { _ in
                context.close(promise: nil)
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: Error) { context.close(promise: nil) }
    }
}
