import Crypto
import CryptoExtras
import Foundation
import PSEKit
import PSENet
import SwiftASN1
import X509

/// A certificate as psekit shows it, in sapgenpse's terms, and as JSON.
struct CertificateSummary: Encodable {
    var subject: String
    var issuer: String
    var serialNumber: String
    var notBefore: Date
    var notAfter: Date
    var keyInfo: String
    var sha256Fingerprint: String
    var signatureAlgorithm: String

    init(_ certificate: Certificate) {
        subject = SAPDistinguishedName.format(certificate.subject)
        issuer = SAPDistinguishedName.format(certificate.issuer)
        serialNumber = certificate.serialNumber.bytes.map { String(format: "%02X", $0) }.joined(separator: ":")
        notBefore = certificate.notValidBefore
        notAfter = certificate.notValidAfter
        keyInfo = CertificateSummary.keyInfo(certificate.publicKey)
        sha256Fingerprint = CertificateSummary.fingerprint(certificate)
        signatureAlgorithm = "\(certificate.signatureAlgorithm)"
    }

    static func fingerprint(_ certificate: Certificate) -> String {
        CertificateFormatting.sha256Fingerprint(certificate)
    }

    static func keyInfo(_ key: Certificate.PublicKey) -> String {
        if let rsa = _RSA.Signing.PublicKey(key) { return "RSA, \(rsa.keySizeInBits)-bit" }
        if P256.Signing.PublicKey(key) != nil { return "ECDSA, P-256" }
        if P384.Signing.PublicKey(key) != nil { return "ECDSA, P-384" }
        if P521.Signing.PublicKey(key) != nil { return "ECDSA, P-521" }
        return "\(key)"
    }

    /// sapgenpse prints times as `Mon Feb 19 18:48:35 2018 (190218184835Z)`.
    static func sapTime(_ date: Date) -> String {
        let readable = DateFormatter()
        readable.locale = Locale(identifier: "en_US_POSIX")
        readable.timeZone = TimeZone(identifier: "UTC")
        readable.dateFormat = "EEE MMM d HH:mm:ss yyyy"
        let utc = DateFormatter()
        utc.locale = Locale(identifier: "en_US_POSIX")
        utc.timeZone = TimeZone(identifier: "UTC")
        utc.dateFormat = "yyMMddHHmmss'Z'"
        return "\(readable.string(from: date)) (\(utc.string(from: date)))"
    }

    /// The lines sapgenpse's `get_my_name -v` prints for a certificate.
    func lines(indent: String = "") -> [String] {
        [
            "\(indent)Subject  : \(subject)",
            "\(indent)Issuer   : \(issuer)",
            "\(indent)Serialno : \(serialNumber)",
            "\(indent)KeyInfo  : \(keyInfo)",
            "\(indent)Validity - NotBefore: \(Self.sapTime(notBefore))",
            "\(indent)            NotAfter:  \(Self.sapTime(notAfter))",
        ]
    }
}
