import X509
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The operating system's trusted CA certificates: candidate issuers when a server's chain is
/// completed.
///
/// On Linux the system store is the PEM bundle the distribution maintains
/// (`/etc/ssl/certs/ca-certificates.crt` and its equivalents). macOS and Windows keep their
/// stores elsewhere; there the caller reads a CA file with ``CertificateFileReader`` instead.
public enum SystemTrustStore {
    /// The PEM bundles Linux distributions keep their trusted CAs in, first match wins.
    public static let bundlePaths = [
        "/etc/ssl/certs/ca-certificates.crt",  // Debian, Ubuntu, Alpine
        "/etc/pki/tls/certs/ca-bundle.crt",  // Fedora, RHEL
        "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  // RHEL 7+
        "/etc/ssl/ca-bundle.pem",  // openSUSE, SLES
        "/etc/ssl/cert.pem",  // Alpine, macOS (OpenSSL's default)
    ]

    /// The certificates of the first readable bundle among `paths`.
    public static func certificates(searching paths: [String] = bundlePaths) throws -> [Certificate] {
        for path in paths where access(path, R_OK) == 0 {
            return try CertificateFileReader.certificates(atPath: path)
        }
        throw PSEStoreError.noSystemTrustStore(searched: paths)
    }
}
