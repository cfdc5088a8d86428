import Crypto
import CryptoExtras
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
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
    /// The signature algorithm's name: "sha256WithRSAEncryption", "ecdsaWithSHA256", ...
    var signatureAlgorithm: String
    var sha1Fingerprint: String
    /// Key usage bits by name ("digitalSignature", "keyCertSign", ...); nil without the extension.
    var keyUsage: [String]?
    /// Extended key usages by name ("serverAuth", "clientAuth", or the OID); nil without the extension.
    var extendedKeyUsage: [String]?
    /// "CA=TRUE", "CA=TRUE, maxPathLength=0" or "CA=FALSE"; nil without the extension.
    var basicConstraints: String?
    /// Subject alternative names as "DNS:host", "IP:10.0.0.1", "email:x", "URI:x"; nil without the extension.
    var subjectAlternativeNames: [String]?

    init(_ certificate: Certificate) {
        subject = SAPDistinguishedName.format(certificate.subject)
        issuer = SAPDistinguishedName.format(certificate.issuer)
        serialNumber = Hex.bytes(certificate.serialNumber.bytes, separator: ":")
        notBefore = certificate.notValidBefore
        notAfter = certificate.notValidAfter
        keyInfo = CertificateSummary.keyInfo(certificate.publicKey)
        sha256Fingerprint = CertificateSummary.fingerprint(certificate)
        signatureAlgorithm = Self.algorithmName(certificate.signatureAlgorithm)
        sha1Fingerprint = Hex.bytes(Insecure.SHA1.hash(data: CertificateBundle.derBytes(of: certificate)), separator: ":")
        if let usage = try? certificate.extensions.keyUsage {
            let bits: [(Bool, String)] = [
                (usage.digitalSignature, "digitalSignature"), (usage.nonRepudiation, "nonRepudiation"),
                (usage.keyEncipherment, "keyEncipherment"), (usage.dataEncipherment, "dataEncipherment"),
                (usage.keyAgreement, "keyAgreement"), (usage.keyCertSign, "keyCertSign"), (usage.cRLSign, "cRLSign"),
                (usage.encipherOnly, "encipherOnly"), (usage.decipherOnly, "decipherOnly"),
            ]
            keyUsage = bits.filter(\.0).map(\.1)
        }
        if let usage = try? certificate.extensions.extendedKeyUsage { extendedKeyUsage = usage.map(\.description) }
        if let constraints = try? certificate.extensions.basicConstraints { basicConstraints = constraints.description }
        if let names = try? certificate.extensions.subjectAlternativeNames { subjectAlternativeNames = names.map(Self.generalName) }
    }

    /// An algorithm's name without the Swift type around it ("sha256WithRSAEncryption", not
    /// "SignatureAlgorithm.sha256WithRSAEncryption").
    static func algorithmName(_ algorithm: Certificate.SignatureAlgorithm) -> String {
        let text = "\(algorithm)"
        let prefix = "SignatureAlgorithm."
        return text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text
    }

    static func generalName(_ name: GeneralName) -> String {
        switch name {
        case .dnsName(let host): return "DNS:\(host)"
        case .rfc822Name(let mail): return "email:\(mail)"
        case .uniformResourceIdentifier(let uri): return "URI:\(uri)"
        case .ipAddress(let octets):
            let bytes = Array(octets.bytes)
            if bytes.count == 4 { return "IP:" + bytes.map(String.init).joined(separator: ".") }
            if bytes.count == 16 {
                return "IP:" + stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
                    .joined(separator: ":")
            }
            return "IP:" + Hex.bytes(bytes)
        case .directoryName(let name): return "DirName:\(SAPDistinguishedName.format(name))"
        default: return "\(name)"
        }
    }

    static func fingerprint(_ certificate: Certificate) -> String {
        CertificateFingerprint.sha256(certificate)
    }

    static func keyInfo(_ key: Certificate.PublicKey) -> String {
        if let rsa = _RSA.Signing.PublicKey(key) { return "RSA, \(rsa.keySizeInBits)-bit" }
        if P256.Signing.PublicKey(key) != nil { return "ECDSA, P-256" }
        if P384.Signing.PublicKey(key) != nil { return "ECDSA, P-384" }
        if P521.Signing.PublicKey(key) != nil { return "ECDSA, P-521" }
        return "\(key)"
    }

    /// `Mon Feb 19 18:48:35 2018 (190218184835Z)`, in UTC (``SAPTimeText/utc(_:)``).
    static func sapTime(_ date: Date) -> String { SAPTimeText.utc(date) }

    /// The subject as text output shows it: control and bidirectional characters escaped, length bounded.
    var subjectText: String { TerminalText.escaped(subject) }
    /// The issuer as text output shows it.
    var issuerText: String { TerminalText.escaped(issuer) }

    /// The lines sapgenpse's `get_my_name -v` prints for a certificate; with `details`, also what
    /// STRUST and the Cloud Integration keystore show: signature algorithm, key usage, extended key
    /// usage, basic constraints, subject alternative names and the fingerprints.
    func lines(indent: String = "", details: Bool) -> [String] {
        var lines = lines(indent: indent)
        guard details else { return lines }
        lines.append("\(indent)SigAlg   : \(signatureAlgorithm)")
        if let keyUsage { lines.append("\(indent)KeyUsage : \(keyUsage.joined(separator: ", "))") }
        if let extendedKeyUsage { lines.append("\(indent)ExtKeyUsage: \(extendedKeyUsage.joined(separator: ", "))") }
        if let basicConstraints { lines.append("\(indent)BasicConstraints: \(basicConstraints)") }
        if let subjectAlternativeNames { lines.append("\(indent)SubjectAltName: \(TerminalText.escaped(subjectAlternativeNames.joined(separator: ", ")))") }
        lines.append("\(indent)SHA-1    : \(sha1Fingerprint)")
        lines.append("\(indent)SHA-256  : \(sha256Fingerprint)")
        return lines
    }

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
