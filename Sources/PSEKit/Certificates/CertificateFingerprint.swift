import Crypto
import X509

/// The SHA-256 fingerprint of a certificate as colon-separated upper-case hex, as
/// `openssl x509 -fingerprint -sha256` prints it (and STRUST shows it).
package enum CertificateFingerprint {
    package static func sha256(_ certificate: Certificate) -> String {
        sha256(der: CertificateBundle.derBytes(of: certificate))
    }

    package static func sha256(der: [UInt8]) -> String {
        Hex.bytes(SHA256.hash(data: der), separator: ":")
    }
}
