import CryptoExtras
import PSEKit
import PSEStore
import X509

/// The own certificate and key of an opened PSE, for the commands that need them, with one
/// error message each that names the PSE and says what to do.
extension StoredPSE {
    func requiredOwnCertificate() throws -> Certificate {
        guard let certificate = try file.content.ownCertificate() else {
            throw CLIError("\(path): the PSE has no own certificate (it only holds trusted certificates)",
                           hint: "See its trusted certificates with: psekit maintain_pk -l -p \(path)")
        }
        return certificate
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
