#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOTLS
import PSEKit
import SwiftASN1
import X509

/// One certificate as the server sent it: its DER bytes, and the parsed certificate or why it
/// cannot be read.
public struct PresentedCertificate: Sendable, Hashable {
    public var der: [UInt8]
    public var certificate: Certificate?
    /// Why the certificate cannot be read (nil when it could).
    public var problem: String?

    /// SHA-256 of the DER bytes as colon-separated upper-case hex.
    public var sha256Fingerprint: String { CertificateFingerprint.sha256(der: der) }
}

/// What one TLS connection attempt saw. Written on the channel's event loop, read after the
/// channel has closed.
final class TLSExchangeRecorder: @unchecked Sendable {
    var presented: [PresentedCertificate] = []
    var presentedChain: [Certificate]? = nil
    var verificationFailure: ConnectionDiagnosis? = nil
    var trustedPath: [Certificate] = []
    var serverSpokeTLS: Bool? = nil
    var firstServerBytes: [UInt8] = []
    /// A TLS 1.2 CertificateRequest seen in the clear.
    var serverRequestedCertificate = false
    /// The TLS library asked for the client certificate (any TLS version).
    var clientCertificateRequested = false
    var plaintextAlert: TLSAlert? = nil
    var handshakeCompleted = false
    var negotiatedProtocol: String? = nil
    var tlsVersion: TLSVersion? = nil
    var cipherSuite: UInt16? = nil
    var responseHead: NIOHTTP1.HTTPResponseHead? = nil
    var responseBody: [UInt8] = []
    var responseComplete = false
    var httpError: Error? = nil
    var error: Error? = nil
    var timedOut = false
    var proxyFailure: ConnectionDiagnosis? = nil
    var proxyStatusLine: String? = nil
    var tunnelEstablished = false
}

/// Runs one TLS connection: connect, handshake (the verifier decides about the server's chain),
/// optionally send an HTTP request (NIOHTTP1) and collect the answer, close.
///
/// Every buffer is bounded: response headers (64 KiB in all), the body kept (`responseBodyLimit`),
/// handshake messages watched in the clear; the whole exchange ends at `timeout`.
struct TLSExchange {
    var endpoint: ServerEndpoint
    var timeout: TimeInterval
    var identity: ClientIdentity?
    /// Decides about the presented chain (leaf first).
    var verifier: @Sendable ([Certificate]) async -> ServerChainValidation
    /// Whether a presented certificate that cannot be parsed fails the handshake (it does for
    /// a connection check; a probe only records it).
    var failOnUnreadableCertificate = true
    /// The request to send once the handshake is done; nil closes right after the handshake.
    var request: HTTPRequestHead?
    /// Stop reading once this much of the body is in.
    var responseBodyLimit = 4096
    /// Tunnel through this HTTP proxy (CONNECT).
    var proxy: HTTPProxy? = nil

    static let maximumHeaderBytes = 64 * 1024
    static let maximumTimeout: TimeInterval = 24 * 3600

    /// The outcome, or a diagnosis when the connection could not even be opened.
    func run() throws -> TLSExchangeRecorder {
        try start().wait()
    }

    func run() async throws -> TLSExchangeRecorder {
        try await start().get()
    }

    private func start() throws -> EventLoopFuture<TLSExchangeRecorder> {
        let timeout = Self.clamp(self.timeout)
        let recorder = TLSExchangeRecorder()
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .noHostnameVerification
        configuration.trustRoots = .certificates([])
        // Closing is psekit's decision (answer read, limit hit): do not wait long for the
        // server's close_notify (a flooding server never sends one).
        configuration.shutdownTimeout = .milliseconds(500)
        if let identity {
            configuration.certificateChain = try identity.nioCertificateChain()
            configuration.privateKey = try identity.nioPrivateKey()
        }
        // BoringSSL calls this on a client only when the server sent a CertificateRequest
        // (TLS 1.2 and 1.3): that is how a request hidden in TLS 1.3's encryption is seen.
        configuration.sslContextCallback = { _, promise in
            recorder.clientCertificateRequested = true
            promise.succeed(.noChanges)
        }
        let context = try NIOSSLContext(configuration: configuration)
        let verifier = self.verifier
        let failOnUnreadable = failOnUnreadableCertificate
        let request = self.request
        let bodyLimit = max(0, self.responseBodyLimit)
        let serverName = endpoint.serverNameIndication
        let group = MultiThreadedEventLoopGroup.singleton
        let endpoint = self.endpoint

        let proxy = self.proxy
        let installTLS: (Channel) throws -> Void = { channel in
            let sslHandler = try NIOSSLClientHandler(
                context: context, serverHostname: serverName,
                customVerificationCallback: { certificates, promise in
                    Self.verify(certificates, promise: promise, recorder: recorder,
                                failOnUnreadable: failOnUnreadable, verifier: verifier)
                })
            let sync = channel.pipeline.syncOperations
            try sync.addHandler(TLSRecordObserver(recorder: recorder))
            try sync.addHandler(sslHandler)
            var limits = NIOHTTPDecoderLimitConfiguration()
            limits.maxHeaderListSize = Self.maximumHeaderBytes
            limits.maxHeaderFieldSize = Self.maximumHeaderBytes
            limits.maxHeaderFieldCount = 200
            try sync.addHandler(HTTPRequestEncoder())
            try sync.addHandler(ByteToMessageHandler(HTTPResponseDecoder(
                leftOverBytesStrategy: .dropBytes, informationalResponseStrategy: .drop,
                limitConfiguration: limits)))
            try sync.addHandler(TLSExchangeHandler(recorder: recorder, request: request, bodyLimit: bodyLimit))
        }
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.nanoseconds(Int64(timeout * 1_000_000_000)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let proxy {
                        try channel.pipeline.syncOperations.addHandler(
                            HTTPProxyConnectHandler(target: endpoint, proxy: proxy, recorder: recorder, installTLS: installTLS))
                    } else {
                        try installTLS(channel)
                    }
                }
            }

        let started = NIODeadline.now()
        return bootstrap.connect(host: proxy?.host ?? endpoint.connectHost, port: proxy?.port ?? endpoint.port)
            .flatMapErrorThrowing { error in
                var diagnosis = Self.diagnoseConnectError(error, endpoint: endpoint, timeout: timeout)
                if let proxy {
                    // The connection went to the proxy: say so where it did not answer.
                    switch diagnosis {
                    case .connectionRefused:
                        diagnosis = .proxyFailed(proxy: proxy.description, reason: "nothing listens there (connection refused)")
                    case .hostNotFound:
                        diagnosis = .proxyFailed(proxy: proxy.description, reason: "its host name does not resolve")
                    case .timedOut:
                        diagnosis = .proxyFailed(proxy: proxy.description, reason: "no answer within \(timeout) s")
                    default: break
                    }
                }
                throw PSENetError.connectionFailed(diagnosis)
            }
            .flatMap { channel in
                let deadline = started + .nanoseconds(Int64(timeout * 1_000_000_000))
                let task = channel.eventLoop.scheduleTask(deadline: deadline) {
                    recorder.timedOut = true
                    channel.close(promise: nil)
                }
                return channel.closeFuture.map { _ in
                    task.cancel()
                    return recorder
                }
            }
    }

    /// A finite timeout within 1 ms … 24 h (callers validate what users type; this keeps the
    /// library from trapping on infinity or NaN).
    static func clamp(_ timeout: TimeInterval) -> TimeInterval {
        guard timeout.isFinite, timeout > 0 else { return timeout.isNaN || timeout <= 0 ? 0.001 : maximumTimeout }
        return min(max(timeout, 0.001), maximumTimeout)
    }

    /// Parses every presented certificate (one that cannot be parsed fails the handshake with
    /// its reason), then lets the verifier decide about the chain led by the first: the one
    /// whose key authenticated the handshake.
    private static func verify(_ certificates: [NIOSSLCertificate], promise: EventLoopPromise<NIOSSLVerificationResult>,
                               recorder: TLSExchangeRecorder, failOnUnreadable: Bool,
                               verifier: @escaping @Sendable ([Certificate]) async -> ServerChainValidation) {
        var presented: [PresentedCertificate] = []
        for certificate in certificates {
            let der = (try? certificate.toDERBytes()) ?? []
            do {
                presented.append(PresentedCertificate(der: der, certificate: try Certificate(derEncoded: der), problem: nil))
            } catch {
                presented.append(PresentedCertificate(der: der, certificate: nil, problem: ErrorText.of(error)))
            }
        }
        recorder.presented = presented
        let chain = presented.compactMap(\.certificate)
        recorder.presentedChain = chain
        if failOnUnreadable, let index = presented.firstIndex(where: { $0.certificate == nil }) {
            recorder.verificationFailure = .unreadableServerCertificate(
                position: index + 1, reason: presented[index].problem ?? "unreadable",
                sha256Fingerprint: presented[index].sha256Fingerprint)
            promise.succeed(.failed)
            return
        }
        let eventLoop = promise.futureResult.eventLoop
        Task {
            let outcome = await verifier(chain)
            eventLoop.execute {
                switch outcome {
                case .trusted(let path):
                    recorder.trustedPath = path
                    promise.succeed(.certificateVerified)
                case .failed(let diagnosis):
                    recorder.verificationFailure = diagnosis
                    promise.succeed(.failed)
                }
            }
        }
    }

    static func diagnoseConnectError(_ error: Error, endpoint: ServerEndpoint, timeout: TimeInterval) -> ConnectionDiagnosis {
        var errors: [Error] = [error]
        if let connectionError = error as? NIOConnectionError {
            if connectionError.dnsAError != nil, connectionError.dnsAAAAError != nil,
               connectionError.connectionErrors.isEmpty {
                return ConnectionDiagnosis.hostNotFound(host: endpoint.host)
            }
            errors = connectionError.connectionErrors.map(\.error)
            if errors.isEmpty { return ConnectionDiagnosis.hostNotFound(host: endpoint.host) }
        }
        for error in errors {
            if let ioError = error as? IOError, ioError.errnoCode == ECONNREFUSED {
                return ConnectionDiagnosis.connectionRefused(host: endpoint.host, port: endpoint.port)
            }
            if let channelError = error as? ChannelError, case .connectTimeout = channelError {
                return ConnectionDiagnosis.timedOut(seconds: timeout, phase: "connecting")
            }
        }
        if String(describing: error).contains("ECONNREFUSED") || String(describing: error).contains("Connection refused") {
            return ConnectionDiagnosis.connectionRefused(host: endpoint.host, port: endpoint.port)
        }
        return ConnectionDiagnosis.handshakeFailed(reason: "cannot connect to \(endpoint.host):\(endpoint.port): \(ErrorText.of(error))")
    }
}

/// Sends the request once the handshake is done and collects the response head and the start
/// of the body.
final class TLSExchangeHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let recorder: TLSExchangeRecorder
    private let request: HTTPRequestHead?
    private let bodyLimit: Int

    init(recorder: TLSExchangeRecorder, request: HTTPRequestHead?, bodyLimit: Int) {
        self.recorder = recorder
        self.request = request
        self.bodyLimit = bodyLimit
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted(let negotiated) = event {
            recorder.handshakeCompleted = true
            recorder.negotiatedProtocol = negotiated
            recorder.tlsVersion = try? context.pipeline.syncOperations.nioSSL_tlsVersion()
            if let request {
                context.write(wrapOutboundOut(.head(request)), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            } else {
                context.close(promise: nil)
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            recorder.responseHead = head
            if head.status == .switchingProtocols || bodyLimit == 0 { finish(context) }
        case .body(let buffer):
            let room = bodyLimit - recorder.responseBody.count
            recorder.responseBody.append(contentsOf: buffer.readableBytesView.prefix(max(0, room)))
            if recorder.responseBody.count >= bodyLimit { finish(context) }
        case .end:
            finish(context)
        }
    }

    private func finish(_ context: ChannelHandlerContext) {
        guard !recorder.responseComplete else { return }
        recorder.responseComplete = true
        context.close(promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if error is HTTPParserError {
            if recorder.httpError == nil { recorder.httpError = error }
        } else if recorder.error == nil {
            recorder.error = error
        }
        context.close(promise: nil)
    }
}
