#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit

/// A TLS alert (RFC 8446 §6, RFC 5246 §7.2): what a peer says when it ends a handshake.
public struct TLSAlert: Sendable, Hashable, CustomStringConvertible {
    /// The alert description number.
    public var code: UInt8

    public init(code: UInt8) { self.code = code }

    public static let handshakeFailure = TLSAlert(code: 40)
    public static let badCertificate = TLSAlert(code: 42)
    public static let certificateUnknown = TLSAlert(code: 46)
    public static let unknownCA = TLSAlert(code: 48)
    public static let accessDenied = TLSAlert(code: 49)
    public static let certificateRequired = TLSAlert(code: 116)

    static let names: [UInt8: String] = [
        0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac", 21: "decryption_failed",
        22: "record_overflow", 30: "decompression_failure", 40: "handshake_failure", 41: "no_certificate",
        42: "bad_certificate", 43: "unsupported_certificate", 44: "certificate_revoked",
        45: "certificate_expired", 46: "certificate_unknown", 47: "illegal_parameter", 48: "unknown_ca",
        49: "access_denied", 50: "decode_error", 51: "decrypt_error", 60: "export_restriction",
        70: "protocol_version", 71: "insufficient_security", 80: "internal_error",
        86: "inappropriate_fallback", 90: "user_canceled", 100: "no_renegotiation", 109: "missing_extension",
        110: "unsupported_extension", 111: "certificate_unobtainable", 112: "unrecognized_name",
        113: "bad_certificate_status_response", 114: "bad_certificate_hash_value", 115: "unknown_psk_identity",
        116: "certificate_required", 120: "no_application_protocol", 121: "ech_required",
    ]

    /// The RFC name, e.g. `unknown_ca`.
    public var name: String { Self.names[code] ?? "alert \(code)" }

    /// `unknown_ca (48)`.
    public var description: String { "\(name) (\(code))" }

    /// Whether the alert says the server did not accept (or did not get) a client certificate.
    var concernsClientCertificate: Bool {
        [40, 41, 42, 43, 44, 45, 46, 48, 49, 51, 116].contains(code)
    }

    /// The alert a peer sent, read from a BoringSSL error as NIOSSL reports it: BoringSSL turns a
    /// received alert into the error reason `SSLV3_ALERT_<NAME>` or `TLSV1_ALERT_<NAME>`.
    static func received(in error: Error) -> TLSAlert? {
        let text = String(describing: error).uppercased()
        for prefix in ["SSLV3_ALERT_", "TLSV1_ALERT_"] {
            guard let range = text.firstRange(of: prefix) else { continue }
            let rest = text[range.upperBound...]
            let reason = String(rest.prefix { $0.isLetter || $0 == "_" || $0.isNumber })
            if let match = names.first(where: { $0.value.uppercased() == reason }) {
                return TLSAlert(code: match.key)
            }
            // BoringSSL spells a few differently.
            switch reason {
            case "DECRYPTION_FAILED": return TLSAlert(code: 21)
            case "USER_CANCELLED": return TLSAlert(code: 90)
            default: continue
            }
        }
        return nil
    }
}
