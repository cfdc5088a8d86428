#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit
import SwiftASN1
import X509

/// The warnings (stderr, never errors) about certificates psekit reads or stores: expired ones,
/// SHA-1 signatures, and RSA keys under 2048 bits (which swift-certificates does not read, so
/// they only appear as members of a PSE's trusted list that psekit keeps unchanged).
enum CertificateWarnings {
    /// What is wrong with a certificate psekit can read: expired, or signed with SHA-1 by another
    /// certificate (a self-signed root's own signature is never checked, so SHA-1 there is harmless).
    static func problems(of certificate: Certificate, now: Date = Date()) -> [String] {
        let name = SAPDistinguishedName.format(certificate.subject)
        var problems: [String] = []
        if certificate.notValidAfter < now {
            problems.append("\(name) expired on \(CertificateSummary.sapTime(certificate.notValidAfter)).")
        }
        if certificate.signatureAlgorithm == .sha1WithRSAEncryption, certificate.subject != certificate.issuer {
            problems.append("\(name) is signed with SHA-1 (sha1WithRSAEncryption), which current TLS stacks refuse; "
                + "ask \(SAPDistinguishedName.format(certificate.issuer)) for a certificate signed with SHA-256.")
        }
        return problems
    }

    /// What is wrong with a member of `CertList` swift-certificates cannot read.
    static func problem(ofUnreadable der: ASN1Any) -> String {
        var serializer = DER.Serializer()
        let bytes = (try? serializer.serialize(der)).map { serializer.serializedBytes } ?? []
        guard let outline = try? CertificateOutline(derEncoded: bytes) else {
            return "the trusted list holds an entry psekit cannot read as a certificate; it is kept unchanged."
        }
        let name = SAPDistinguishedName.format(outline.subject)
        if let bits = outline.rsaKeyBits, bits < 2048 {
            return "the trusted certificate \(name) has an RSA \(bits)-bit key (under 2048 bits: weak); psekit keeps it "
                + "and lists it, but does not use it for TLS. Replace it with a certificate with an RSA key of 2048 bits or more."
        }
        return "the trusted certificate \(name) cannot be read by psekit; it is kept unchanged."
    }

    /// What a certificate swift-certificates cannot read is, from its outline: subject, issuer, key and why it is not used.
    static func describe(_ outline: CertificateOutline) -> String {
        let key = outline.rsaKeyBits.map { "RSA, \($0)-bit" }
            ?? (outline.hasDSAKey ? "DSA" : "key algorithm \(outline.publicKeyAlgorithm)")
        var text = "\(SAPDistinguishedName.format(outline.subject)) (issuer \(SAPDistinguishedName.format(outline.issuer)), \(key))"
        if let bits = outline.rsaKeyBits, bits < 2048 {
            text += ": Warning: RSA keys under 2048 bits are weak; psekit adds such a certificate only with --allow-weak"
        } else if outline.hasDSAKey {
            text += ": Warning: a DSA key; psekit shows it but cannot use it for TLS or export it"
        } else {
            text += ": psekit cannot use this certificate"
        }
        return text
    }

    /// Prints the problems of each certificate as warnings.
    static func warn(about certificates: [Certificate], now: Date = Date()) {
        for certificate in certificates {
            for problem in problems(of: certificate, now: now) { Console.warning(problem) }
        }
    }

    /// Prints warnings about a PSE's trusted list: expired and SHA-1-signed members, and members
    /// psekit cannot read (RSA keys under 2048 bits).
    static func warn(aboutTrustedListOf content: PSEContent, now: Date = Date()) {
        warn(about: (try? content.trustedCertificates()) ?? [], now: now)
        for member in (try? content.unreadableTrustedCertificates()) ?? [] {
            Console.warning(problem(ofUnreadable: member))
        }
    }
}
