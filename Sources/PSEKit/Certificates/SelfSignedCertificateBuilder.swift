import Crypto
import CryptoExtras
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SwiftASN1
import X509

/// Builds the self-signed certificate `sapgenpse gen_pse` puts into a new PSE. The shape follows
/// SAP's own (see `pse_v2_lps_off_pbes1_3des_sha1_cert.der` in the vectors): X.509 version 3, a positive random
/// 8-byte serial number, and these extensions, all non-critical, in this order:
/// subject key identifier (SHA-1 of the public key bits), authority key identifier (the same key
/// identifier), basic constraints `CA:TRUE` without a path length; then the subject alternative
/// names, when any are given.
public enum SelfSignedCertificateBuilder {
    /// sapgenpse's certificates are valid for one year (the vector: 2018-02-18 to 2019-02-18).
    public static let defaultValidityDays = 365

    public static func make(
        privateKey: _RSA.Signing.PrivateKey,
        subject: DistinguishedName,
        alternativeNames: [GeneralName] = [],
        signatureAlgorithm: SignatureAlgorithmChoice = .default,
        notBefore: Date = Date(),
        days: Int = defaultValidityDays,
        serialNumber: Certificate.SerialNumber = randomSerialNumber()
    ) throws -> Certificate {
        guard !subject.isEmpty else { throw PSEKitError.emptySubject }
        guard days >= 1 else { throw PSEKitError.invalidValidity(days: days) }
        // Validity times have whole seconds.
        let start = Date(timeIntervalSince1970: notBefore.timeIntervalSince1970.rounded(.down))
        let end = start.addingTimeInterval(TimeInterval(days) * 86_400)
        let signingKey = Certificate.PrivateKey(privateKey)
        let keyIdentifier = SubjectKeyIdentifier(hash: signingKey.publicKey)

        var extensions = Certificate.Extensions()
        try extensions.append(Certificate.Extension(keyIdentifier, critical: false))
        try extensions.append(Certificate.Extension(
            AuthorityKeyIdentifier(keyIdentifier: keyIdentifier.keyIdentifier), critical: false))
        try extensions.append(Certificate.Extension(
            BasicConstraints.isCertificateAuthority(maxPathLength: nil), critical: false))
        if !alternativeNames.isEmpty {
            try extensions.append(Certificate.Extension(SubjectAlternativeNames(alternativeNames), critical: false))
        }
        do {
            return try Certificate(
                version: .v3,
                serialNumber: serialNumber,
                publicKey: signingKey.publicKey,
                notValidBefore: start,
                notValidAfter: end,
                issuer: subject,
                subject: subject,
                signatureAlgorithm: signatureAlgorithm.signatureAlgorithm,
                extensions: extensions,
                issuerPrivateKey: signingKey)
        } catch {
            throw PSEKitError.signingFailed(reason: ErrorText.of(error))
        }
    }

    /// Eight random bytes, read as a positive INTEGER (a leading zero byte is added in DER when
    /// the first bit is set, as in SAP's certificates).
    public static func randomSerialNumber() -> Certificate.SerialNumber {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<8).map { _ in UInt8.random(in: 0...255, using: &generator) }
        if bytes[0] == 0 { bytes[0] = 1 }  // keep all eight bytes significant
        return Certificate.SerialNumber(bytes: bytes)
    }
}
