import NIOCore

/// Watches the server's raw bytes, before TLS decryption, for what the TLS library does not
/// report: whether the bytes are TLS at all, whether a TLS 1.2 server sent a CertificateRequest,
/// and which plaintext alert it sent.
///
/// Only the plaintext part of the handshake is read: records up to the server's first
/// ChangeCipherSpec or application-data record (TLS 1.3 encrypts everything after ServerHello,
/// so there a client-certificate request is known only from the `certificate_required` alert).
/// Bytes are passed on unchanged.
final class TLSRecordObserver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let recorder: TLSExchangeRecorder
    private var pending: [UInt8] = []
    private var handshakeBytes: [UInt8] = []
    private var done = false

    static let maximumHandshakeMessage = 256 * 1024

    init(recorder: TLSExchangeRecorder) { self.recorder = recorder }

    /// ServerHello: legacy_version(2) random(32) session_id<0..32> cipher_suite(2) … (RFC 8446 §4.1.3).
    private func readServerHello(_ body: [UInt8]) {
        guard body.count >= 35 else { return }
        let sessionIDLength = Int(body[34])
        let offset = 35 + sessionIDLength
        guard body.count >= offset + 2 else { return }
        recorder.cipherSuite = UInt16(body[offset]) << 8 | UInt16(body[offset + 1])
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        if !done {
            pending.append(contentsOf: buffer.readableBytesView)
            parseRecords()
        }
        context.fireChannelRead(data)
    }

    private func parseRecords() {
        if recorder.firstServerBytes.isEmpty { recorder.firstServerBytes = Array(pending.prefix(32)) }
        while !done, pending.count >= 5 {
            let contentType = pending[0], major = pending[1]
            let length = Int(pending[3]) << 8 | Int(pending[4])
            guard (20...24).contains(contentType), major == 3, length <= 18432 else {
                recorder.serverSpokeTLS = false
                done = true
                return
            }
            recorder.serverSpokeTLS = true
            guard pending.count >= 5 + length else { return }
            let payload = Array(pending[5..<(5 + length)])
            pending.removeFirst(5 + length)
            switch contentType {
            case 21 where payload.count == 2:
                recorder.plaintextAlert = TLSAlert(code: payload[1])
            case 22:
                handshakeBytes.append(contentsOf: payload)
                parseHandshakeMessages()
            default:
                done = true  // ChangeCipherSpec or encrypted data: nothing more in the clear.
            }
        }
        if done { pending = [] }
    }

    private func parseHandshakeMessages() {
        while handshakeBytes.count >= 4 {
            let type = handshakeBytes[0]
            let length = Int(handshakeBytes[1]) << 16 | Int(handshakeBytes[2]) << 8 | Int(handshakeBytes[3])
            guard length <= Self.maximumHandshakeMessage else {
                // Longer than any certificate chain psekit would accept: stop watching (the
                // TLS library applies its own limit).
                done = true
                handshakeBytes = []
                return
            }
            guard handshakeBytes.count >= 4 + length else { return }
            if type == 13 { recorder.serverRequestedCertificate = true }  // CertificateRequest
            if type == 2 { readServerHello(Array(handshakeBytes[4..<(4 + length)])) }
            handshakeBytes.removeFirst(4 + length)
        }
    }
}
