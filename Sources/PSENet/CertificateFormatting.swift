import Crypto
import SwiftASN1
import Foundation
import PSEKit
import X509

/// How certificates are shown to people: names, dates, fingerprints.
public enum CertificateFormatting {
    /// `2026-03-01 12:00:00 UTC`.
    public static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return formatter.string(from: date)
    }

    /// The DER encoding of a certificate.
    public static func der(_ certificate: Certificate) -> [UInt8] {
        CertificateBundle.derBytes(of: certificate)
    }

    /// SHA-256 of the DER encoding as colon-separated upper-case hex (as `openssl x509 -fingerprint`).
    public static func sha256Fingerprint(_ certificate: Certificate) -> String {
        SHA256.hash(data: der(certificate)).map { String(format: "%02X", $0) }.joined(separator: ":")
    }

    /// The PEM encoding of a certificate.
    public static func pem(_ certificate: Certificate) -> String {
        CertificateBundle.pem([certificate])
    }

    /// The last common name of a distinguished name, if any.
    public static func commonName(_ name: DistinguishedName) -> String? {
        for rdn in name.reversed() {
            for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
                return String(describing: attribute.value)
            }
        }
        return nil
    }
}
