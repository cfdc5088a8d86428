import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import X509

/// What one TLS connection attempt saw. Written on the channel's event loop, read after the
/// channel has closed.
final class TLSExchangeRecorder: @unchecked Sendable {
    var presentedChain: [Certificate]? = nil
    var verificationFailure: ConnectionDiagnosis? = nil
    var trustedPath: [Certificate] = []
    var serverSpokeTLS: Bool? = nil
    var firstServerBytes: [UInt8] = []
    var serverRequestedCertificate = false
    var plaintextAlert: TLSAlert? = nil
    var handshakeCompleted = false
    var negotiatedProtocol: String? = nil
    var response: [UInt8] = []
    var responseComplete = false
    var error: Error? = nil
    var timedOut = false
}

/// Runs one TLS connection: connect, handshake (the verifier decides about the server's chain),
/// optionally send a request and collect the answer, close.
struct TLSExchange {
    var endpoint: ServerEndpoint
    var timeout: TimeInterval
    var identity: ClientIdentity?
    /// Decides about the presented chain: nil accepts it, a diagnosis rejects it.
    var verifier: @Sendable ([Certificate], TLSExchangeRecorder) -> ConnectionDiagnosis?
    /// Bytes to send once the handshake is done; nil closes right after the handshake.
    var request: [UInt8]?
    /// Stop reading once this much of the response is in (after the headers).
    var responseBodyLimit = 4096

    /// The outcome, or a diagnosis when the connection could not even be opened.
    func run() throws -> TLSExchangeRecorder {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .noHostnameVerification
        configuration.trustRoots = .certificates([])
        if let identity {
            configuration.certificateChain = try identity.nioCertificateChain()
            configuration.privateKey = try identity.nioPrivateKey()
        }
        let context = try NIOSSLContext(configuration: configuration)
        let recorder = TLSExchangeRecorder()
        let verifier = self.verifier
        let request = self.request
        let bodyLimit = self.responseBodyLimit
        let serverName = endpoint.serverNameIndication
        let group = MultiThreadedEventLoopGroup.singleton

        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.nanoseconds(Int64(timeout * 1_000_000_000)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sslHandler = try NIOSSLClientHandler(
                        context: context, serverHostname: serverName,
                        customVerificationCallback: { certificates, promise in
                            let chain = certificates.compactMap { try? Certificate(derEncoded: $0.toDERBytes()) }
                            recorder.presentedChain = chain
                            if let failure = verifier(chain, recorder) {
                                recorder.verificationFailure = failure
                                promise.succeed(.failed)
                            } else {
                                promise.succeed(.certificateVerified)
                            }
                        })
                    try channel.pipeline.syncOperations.addHandler(TLSRecordObserver(recorder: recorder))
                    try channel.pipeline.syncOperations.addHandler(sslHandler)
                    try channel.pipeline.syncOperations.addHandler(
                        TLSExchangeHandler(recorder: recorder, request: request, bodyLimit: bodyLimit))
                }
            }

        let started = Date()
        let channel: Channel
        do {
            channel = try bootstrap.connect(host: endpoint.host, port: endpoint.port).wait()
        } catch {
            throw Self.diagnoseConnectError(error, endpoint: endpoint, timeout: timeout)
        }
        let remaining = max(0.1, timeout - Date().timeIntervalSince(started))
        let deadline = channel.eventLoop.scheduleTask(in: .nanoseconds(Int64(remaining * 1_000_000_000))) {
            recorder.timedOut = true
            channel.close(promise: nil)
        }
        try? channel.closeFuture.wait()
        deadline.cancel()
        // Read the recorder on the event loop that wrote it.
        return try channel.eventLoop.submit { recorder }.wait()
    }

    static func diagnoseConnectError(_ error: Error, endpoint: ServerEndpoint, timeout: TimeInterval) -> Error {
        var errors: [Error] = [error]
        if let connectionError = error as? NIOConnectionError {
            if let dnsA = connectionError.dnsAError, let dnsAAAA = connectionError.dnsAAAAError,
               connectionError.connectionErrors.isEmpty {
                _ = (dnsA, dnsAAAA)
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
        return ConnectionDiagnosis.handshakeFailed(reason: "cannot connect to \(endpoint.host):\(endpoint.port): \(error)")
    }
}

/// Sends the request once the handshake is done and collects the response.
final class TLSExchangeHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let recorder: TLSExchangeRecorder
    private let request: [UInt8]?
    private let bodyLimit: Int

    init(recorder: TLSExchangeRecorder, request: [UInt8]?, bodyLimit: Int) {
        self.recorder = recorder
        self.request = request
        self.bodyLimit = bodyLimit
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted(let negotiated) = event {
            recorder.handshakeCompleted = true
            recorder.negotiatedProtocol = negotiated
            if let request {
                context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: request)), promise: nil)
            } else {
                context.close(promise: nil)
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        recorder.response.append(contentsOf: buffer.readableBytesView)
        if HTTPResponseHead.isComplete(recorder.response, bodyLimit: bodyLimit) {
            recorder.responseComplete = true
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if recorder.error == nil { recorder.error = error }
        context.close(promise: nil)
    }
}
