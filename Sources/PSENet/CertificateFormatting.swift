import Crypto
import SwiftASN1
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit
import X509

/// How certificates are shown to people: names, dates, fingerprints.
public enum CertificateFormatting {
    /// `2026-03-01 12:00:00 UTC`.
    /// From the UTC calendar fields (`GeneralizedTime`): a `DateFormatter` per call would cost
    /// more than the rest of a listing.
    public static func date(_ date: Date) -> String {
        guard let time = try? GeneralizedTime(date) else { return "\(date)" }
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let year = String(time.year)
        return "\(String(repeating: "0", count: max(0, 4 - year.count)))\(year)-\(two(time.month))-\(two(time.day)) "
            + "\(two(time.hours)):\(two(time.minutes)):\(two(time.seconds)) UTC"
    }

    /// The DER encoding of a certificate.
    public static func der(_ certificate: Certificate) -> [UInt8] {
        CertificateBundle.derBytes(of: certificate)
    }

    /// SHA-256 of the DER encoding as colon-separated upper-case hex (as `openssl x509 -fingerprint`).
    public static func sha256Fingerprint(_ certificate: Certificate) -> String {
        sha256Fingerprint(der: der(certificate))
    }

    /// SHA-256 of DER bytes as colon-separated upper-case hex.
    public static func sha256Fingerprint(der: [UInt8]) -> String {
        Hex.bytes(SHA256.hash(data: der), separator: ":")
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
