import CryptoExtras
import PSEKit
import PSEStore
import SwiftASN1
import X509

/// The own certificate and key of an opened PSE, for the commands that need them, with one
/// error message each that names the PSE and says what to do.
extension StoredPSE {
    func requiredOwnCertificate() throws -> Certificate {
        if let outline = unusableOwnCertificateOutline() {
            throw CLIError("\(path): the own certificate \(SAPDistinguishedName.format(outline.subject)) has \(CertificateOutline.keyDescription(outline)); "
                + "psekit shows such a PSE but cannot use its key for TLS, signing or export",
                           hint: "See it with: psekit get_my_name -p \(path), or psekit show \(path). Replace the key with an RSA one (gen_pse).")
        }
        guard let certificate = try file.content.ownCertificate() else {
            throw CLIError("\(path): the PSE has no own certificate (it only holds trusted certificates)",
                           hint: "See its trusted certificates with: psekit maintain_pk -l -p \(path)")
        }
        return certificate
    }

    /// The outline of an own certificate swift-certificates cannot read (a DSA key, which
    /// sapgenpse wrote for years, or an RSA key under 2048 bits); nil when there is none or it reads.
    func unusableOwnCertificateOutline() -> CertificateOutline? {
        guard let object = file.content.object(ofType: PSEObjectType.certificate),
              (try? Certificate(asn1Any: object.value)) == nil else { return nil }
        var serializer = DER.Serializer()
        guard (try? serializer.serialize(object.value)) != nil else { return nil }
        return try? CertificateOutline(derEncoded: serializer.serializedBytes)
    }

    /// The own certificate, the private key and the CA chain (FCPath, issuer first).
    func requiredIdentity() throws -> (certificate: Certificate, privateKey: _RSA.Signing.PrivateKey, chain: [Certificate]) {
        let certificate = try requiredOwnCertificate()
        guard let key = try file.content.privateKey() else {
            throw CLIError("\(path): the PSE has no private key",
                           hint: "Export its certificate with: psekit export_own_cert -p \(path) -o FILE")
        }
        return (certificate, key, try file.content.certificationPath())
    }
}
