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

    /// sapgenpse prints times as `Mon Feb 19 18:48:35 2018 (190218184835Z)`. Formatted from the
    /// UTC calendar fields directly: a DateFormatter per call costs more than the rest of a listing.
    static func sapTime(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var fields = tm()
        gmtime_r(&seconds, &fields)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let year = Int(fields.tm_year) + 1900, month = Int(fields.tm_mon), day = Int(fields.tm_mday)
        let hour = Int(fields.tm_hour), minute = Int(fields.tm_min), second = Int(fields.tm_sec)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let time = "\(two(hour)):\(two(minute)):\(two(second))"
        return "\(weekdays[Int(fields.tm_wday)]) \(months[month]) \(day) \(time) \(year) "
            + "(\(two(year % 100))\(two(month + 1))\(two(day))\(two(hour))\(two(minute))\(two(second))Z)"
    }

    /// The subject as text output shows it: control and bidirectional characters escaped, length bounded.
    var subjectText: String { TerminalText.escaped(subject) }
    /// The issuer as text output shows it.
    var issuerText: String { TerminalText.escaped(issuer) }

    /// The lines sapgenpse's `get_my_name -v` prints for a certificate (names escaped for the terminal).
    func lines(indent: String = "") -> [String] {
        [
            "\(indent)Subject  : \(subjectText)",
            "\(indent)Issuer   : \(issuerText)",
            "\(indent)Serialno : \(serialNumber)",
            "\(indent)KeyInfo  : \(TerminalText.escaped(keyInfo))",
            "\(indent)Validity - NotBefore: \(Self.sapTime(notBefore))",
            "\(indent)            NotAfter:  \(Self.sapTime(notAfter))",
        ]
    }
}
