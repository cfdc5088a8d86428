import Foundation
import SwiftASN1
import X509

/// Candidate issuer certificates for chain completion: a CA file the user names, or the
/// operating system's trust store.
///
/// On Linux the system store is the PEM bundle the distribution maintains
/// (`/etc/ssl/certs/ca-certificates.crt` and its equivalents). macOS and Windows keep their
/// stores elsewhere; there the caller passes a CA file instead.
public enum CertificateAuthorityFile {
    /// The PEM bundles Linux distributions keep their trusted CAs in, first match wins.
    public static let systemBundlePaths = [
        "/etc/ssl/certs/ca-certificates.crt",  // Debian, Ubuntu, Alpine
        "/etc/pki/tls/certs/ca-bundle.crt",  // Fedora, RHEL
        "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  // RHEL 7+
        "/etc/ssl/ca-bundle.pem",  // openSUSE
        "/etc/ssl/cert.pem",  // Alpine, macOS (OpenSSL's default)
    ]

    /// The certificates of the first system bundle found among `paths`.
    public static func systemCertificates(searching paths: [String] = systemBundlePaths) throws -> [Certificate] {
        for path in paths where FileManager.default.isReadableFile(atPath: path) {
            return try certificates(inFile: path)
        }
        throw CertificateAuthorityFileError.noSystemStore
    }

    /// Reads a CA file: one or more PEM certificates, or a single DER certificate.
    public static func certificates(inFile path: String) throws -> [Certificate] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CertificateAuthorityFileError.unreadable(path)
        }
        do {
            return try certificates(in: data)
        } catch {
            throw CertificateAuthorityFileError.malformed(path, "\(error)")
        }
    }

    /// Parses PEM (every `CERTIFICATE` block, other blocks ignored) or a single DER certificate.
    public static func certificates(in data: Data) throws -> [Certificate] {
        if let text = String(data: data, encoding: .utf8), text.contains("-----BEGIN") {
            return try pemCertificates(in: text)
        }
        return [try Certificate(derEncoded: Array(data))]
    }

    /// Every `-----BEGIN CERTIFICATE-----` block of `text`, skipping other blocks and comments.
    static func pemCertificates(in text: String) throws -> [Certificate] {
        var certificates: [Certificate] = []
        var block: [Substring]? = nil
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == "-----BEGIN CERTIFICATE-----" {
                block = [Substring(trimmed)]
            } else if trimmed == "-----END CERTIFICATE-----", var current = block {
                current.append(Substring(trimmed))
                let document = try PEMDocument(pemString: current.joined(separator: "\n"))
                certificates.append(try Certificate(derEncoded: document.derBytes))
                block = nil
            } else if block != nil {
                block?.append(Substring(trimmed))
            }
        }
        return certificates
    }
}

public enum CertificateAuthorityFileError: Error, CustomStringConvertible, Equatable {
    case noSystemStore
    case unreadable(String)
    case malformed(String, String)

    public var description: String {
        switch self {
        case .noSystemStore:
            return "no system CA bundle found (looked in \(CertificateAuthorityFile.systemBundlePaths.joined(separator: ", "))); pass --ca-file"
        case .unreadable(let path): return "cannot read CA file \(path)"
        case .malformed(let path, let reason): return "CA file \(path) holds no readable certificate: \(reason)"
        }
    }
}
