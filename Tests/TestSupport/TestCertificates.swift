import Crypto
import Foundation
import X509

/// Certificates made on the spot for tests that need certificates but not RSA.
public enum TestCertificates {
    /// A self-signed P-256 certificate valid for an hour (no RSA key generation needed).
    public static func selfSigned(commonName: String) throws -> Certificate {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName(commonName) }
        return try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: Date(), notValidAfter: Date().addingTimeInterval(3600),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: Certificate.Extensions(), issuerPrivateKey: .init(key))
    }
}
