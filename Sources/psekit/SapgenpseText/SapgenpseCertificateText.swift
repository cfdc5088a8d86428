import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit
import SwiftASN1
import X509
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// sapgenpse's text for certificates, as the public evidence in docs/sapgenpse-compat.md shows it
/// and as the tools that parse it (Salt's sap_pse module, monitoring agents, scripts) expect it.
enum SapgenpseText {
    /// The line of dashes between a certificate's name and its body (Salt looks for 32 or more).
    static let dashes = String(repeating: "-", count: 80)

    // MARK: Values

    /// Bytes as colon-separated upper-case hex: `40:C4:0A`.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        Hex.bytes(bytes, separator: ":")
    }

    /// The serial number's value in colon-separated upper-case hex, without the sign byte DER
    /// adds before a high bit (as openssl and Salt's x509 module show the number).
    static func serial(_ certificate: Certificate) -> String {
        var bytes = Array(certificate.serialNumber.bytes)
        while bytes.count > 1 && bytes.first == 0 { bytes.removeFirst() }
        return hex(bytes)
    }

    static func der(_ certificate: Certificate) -> [UInt8] {
        CertificateBundle.derBytes(of: certificate)
    }

    static func sha256Fingerprint(_ certificate: Certificate) -> String { hex(SHA256.hash(data: der(certificate))) }
    static func sha1Fingerprint(_ certificate: Certificate) -> String { hex(Insecure.SHA1.hash(data: der(certificate))) }

    static func name(_ name: DistinguishedName) -> String { SAPDistinguishedName.format(name) }

    /// The signature algorithm in sapgenpse's spelling.
    static func signatureAlgorithm(_ algorithm: Certificate.SignatureAlgorithm) -> String {
        switch algorithm {
        case .sha1WithRSAEncryption: return "sha1WithRsaEncryption (1.2.840.113549.1.1.5)"
        case .sha256WithRSAEncryption: return "sha256WithRsaEncryption (1.2.840.113549.1.1.11)"
        case .sha384WithRSAEncryption: return "sha384WithRsaEncryption (1.2.840.113549.1.1.12)"
        case .sha512WithRSAEncryption: return "sha512WithRsaEncryption (1.2.840.113549.1.1.13)"
        case .ecdsaWithSHA256: return "ecdsa-with-SHA256 (1.2.840.10045.4.3.2)"
        case .ecdsaWithSHA384: return "ecdsa-with-SHA384 (1.2.840.10045.4.3.3)"
        case .ecdsaWithSHA512: return "ecdsa-with-SHA512 (1.2.840.10045.4.3.4)"
        default: return "\(algorithm)"
        }
    }

    // MARK: Blocks

    /// `Validity  -  NotBefore: …` and `NotAfter : …`, the two lines that monitoring parses:
    /// Checkmk's saprouter check wants a line starting with `Validity` and the token
    /// `NotBefore:`, the OpenTelemetry receiver the first `(…)` of the line with `NotAfter`, the
    /// public expiry script the text after `After :`.
    static func validityLines(_ certificate: Certificate) -> [String] {
        [
            "Validity  -  NotBefore:   \(SAPTimeText.localAndUTC(certificate.notValidBefore))",
            "              NotAfter :   \(SAPTimeText.localAndUTC(certificate.notValidAfter))",
        ]
    }

    /// The short form of `get_my_name` (default and `-v`): `Subject : …`, `Issuer  : …`,
    /// `Serialno: …`, `KeyInfo : …` and the validity.
    static func summaryLines(_ certificate: Certificate) -> [String] {
        [
            "Subject : \(name(certificate.subject))",
            "Issuer  : \(name(certificate.issuer))",
            "Serialno: \(serial(certificate))",
            "KeyInfo : \(CertificateSummary.keyInfo(certificate.publicKey))",
        ] + validityLines(certificate)
    }

    /// The long form (`get_my_name -vv`, `maintain_pk -l`): `Key: value` lines, indented by
    /// `indent`, that Salt's sap_pse module reads as YAML (`Subject`, `Serial Number`,
    /// `Certificate fingerprint (SHA256)`, `Validity not before`, `Validity not after`).
    static func detailLines(_ certificate: Certificate, indent: String) -> [String] {
        let version = certificate.version == .v3 ? "3 (X.509v3-1997)" : certificate.version == .v1 ? "1 (X.509v1-1988)" : "\(certificate.version)"
        var lines = [
            "Version: \(version)",
            "Subject: \(name(certificate.subject))",
            "Issuer: \(name(certificate.issuer))",
            "Serial Number: \(serial(certificate))",
            "Signature Algorithm: \(signatureAlgorithm(certificate.signatureAlgorithm))",
            "Validity not before: \(SAPTimeText.localAndUTC(certificate.notValidBefore))",
            "Validity not after: \(SAPTimeText.localAndUTC(certificate.notValidAfter))",
            "Public Key: \(CertificateSummary.keyInfo(certificate.publicKey))",
        ]
        if let names = try? certificate.extensions.subjectAlternativeNames, !names.isEmpty {
            lines.append("Subject Alternative Names:")
            // List items: indented lines without a colon (Salt reads them as a YAML list).
            lines += names.map { "  " + alternativeName($0).replacing(":", with: "") }
        }
        lines += [
            "Certificate fingerprint (SHA1): \(sha1Fingerprint(certificate))",
            "Certificate fingerprint (SHA256): \(sha256Fingerprint(certificate))",
        ]
        return lines.map { indent + $0 }
    }

    /// A subject alternative name as `-k` takes it (`GN-dNSName:host`).
    static func alternativeName(_ name: GeneralName) -> String {
        switch name {
        case .dnsName(let value): return "GN-dNSName=\(value)"
        case .rfc822Name(let value): return "GN-rfc822Name=\(value)"
        case .uniformResourceIdentifier(let value): return "GN-uniformResourceIdentifier=\(value)"
        case .ipAddress(let octets):
            let bytes = Array(octets.bytes)
            if bytes.count == 4 { return "GN-iPAddress=" + bytes.map(String.init).joined(separator: ".") }
            return "GN-iPAddress=" + Hex.bytes(bytes, uppercase: false)
        default: return "\(name)"
        }
    }

    // MARK: get_my_name

    /// The lines `get_my_name` prints on standard output for the own certificate, its chain and
    /// root: `verbosity` 0 (default), 1 (`-v`) or 2 (`-vv`).
    static func getMyName(certificate: Certificate, chain: [Certificate], root: Certificate?, verbosity: Int,
                          sso: (user: String, path: String)?) -> [String] {
        var lines: [String] = []
        if let sso { lines += ssoLines(sso) }
        if verbosity >= 2 {
            lines += longBlock(name: "MY Certificate", certificate)
            for (index, ca) in chain.enumerated() {
                lines += longBlock(name: "FCPath certificate level #\(index + 1)", ca)
            }
            if let root { lines += longBlock(name: "PKRoot Certificate", root) }
            return lines
        }
        lines.append("MY Certificate:")
        lines += summaryLines(certificate)
        if verbosity == 1 {
            for (index, ca) in chain.enumerated() {
                lines += [dashes, "FCPath certificate level #\(index + 1):", dashes]
                lines += summaryLines(ca)
            }
            if let root {
                lines += [dashes, "PKRoot Certificate:", dashes]
                lines += summaryLines(root)
            }
        }
        return lines
    }

    /// A certificate in `-vv` form: its name, dashes, `Certificate:`, the indented details and a
    /// blank line that ends the block.
    static func longBlock(name: String, _ certificate: Certificate) -> [String] {
        ["\(name):", dashes, "Certificate:"] + detailLines(certificate, indent: "  ") + [""]
    }

    /// `SSO for USER "u"` / `  with PSE file "path"`, when the PSE came from an SSO credential or
    /// with `-l`.
    static func ssoLines(_ sso: (user: String, path: String)) -> [String] {
        ["SSO for USER \"\(sso.user)\"", "  with PSE file \"\(sso.path)\"", ""]
    }

    /// `get_my_name -n FIELD`: the one field asked for.
    static func field(_ field: String, of certificate: Certificate) -> [String] {
        switch field.lowercased() {
        case "subject": return [name(certificate.subject)]
        case "issuer": return [name(certificate.issuer)]
        case "serialno": return [serial(certificate)]
        case "keyinfo": return [CertificateSummary.keyInfo(certificate.publicKey)]
        case "validity": return validityLines(certificate)
        case "notbefore": return ["NotBefore:   \(SAPTimeText.localAndUTC(certificate.notValidBefore))"]
        case "notafter": return ["NotAfter :   \(SAPTimeText.localAndUTC(certificate.notValidAfter))"]
        default: return []
        }
    }

    /// The progress lines sapgenpse writes with `-v` (standard error).
    static func openingLines(path: String, version: Int) -> [String] {
        [" Opening PSE \"\(path)\"...", " PSE (v\(version)) open ok.", " Retrieving my certificate... ok.",
         " Getting requested information... ok."]
    }

    // MARK: maintain_pk -l

    /// `maintain_pk -l`: a `PKList:` heading, then one ` Element #N:` block per certificate; a
    /// single certificate has no `Element` line (its block follows `PKList:` directly), as Salt's
    /// sap_pse module expects.
    static func pkList(_ certificates: [Certificate]) -> [String] {
        var lines = ["PKList:"]
        if certificates.count == 1 {
            return lines + detailLines(certificates[0], indent: " ") + [""]
        }
        for (index, certificate) in certificates.enumerated() {
            lines.append(" Element #\(index + 1):")
            lines += detailLines(certificate, indent: " ")
            lines.append("")
        }
        return lines
    }
}
