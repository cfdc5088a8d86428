import CryptoExtras
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit
import NIOSSL
import X509

/// The certificate chain and RSA private key a client presents when the server asks for one
/// (the PSE's own certificate and key, or a PKCS#12 file's).
public struct ClientIdentity: @unchecked Sendable {
    /// The client certificate first, then any intermediates.
    public var certificateChain: [Certificate]
    public var privateKey: _RSA.Signing.PrivateKey

    public init(certificateChain: [Certificate], privateKey: _RSA.Signing.PrivateKey) throws {
        guard let leaf = certificateChain.first else { throw PSENetError.noClientCertificate }
        guard leaf.publicKey == Certificate.PublicKey(privateKey.publicKey) else {
            throw PSENetError.clientKeyDoesNotMatchCertificate(leaf.subject.description)
        }
        self.certificateChain = certificateChain
        self.privateKey = privateKey
    }

    /// - Parameter privateKeyDER: an RSA private key as PKCS#8 `PrivateKeyInfo` or PKCS#1 `RSAPrivateKey` DER.
    public init(certificateChain: [Certificate], privateKeyDER: some DataProtocol) throws {
        let key: _RSA.Signing.PrivateKey
        do {
            key = try _RSA.Signing.PrivateKey(derRepresentation: Data(privateKeyDER))
        } catch {
            throw PSENetError.unreadableClientKey
        }
        try self.init(certificateChain: certificateChain, privateKey: key)
    }

    /// The client certificate's subject.
    public var subject: DistinguishedName { certificateChain[0].subject }

    func nioCertificateChain() throws -> [NIOSSLCertificateSource] {
        try certificateChain.map {
            .certificate(try NIOSSLCertificate(bytes: CertificateBundle.derBytes(of: $0), format: .der))
        }
    }

    func nioPrivateKey() throws -> NIOSSLPrivateKeySource {
        .privateKey(try NIOSSLPrivateKey(bytes: Array(privateKey.pkcs8PEMRepresentation.utf8), format: .pem))
    }
}

extension ClientIdentity {
    /// The identity in a PKCS#12 (`.pfx`/`.p12`) file, read with psekit's own PKCS#12 reader
    /// (`PKCS12` of PSEKit): its RSA key, the certificate that belongs to it, and the other
    /// certificates as chain.
    public init(pkcs12 bytes: [UInt8], password: String) throws {
        let bundle = try PKCS12.parse(bytes, password: password)
        guard let privateKey = bundle.privateKey else { throw PSENetError.unreadableClientKey }
        guard let certificate = bundle.certificate else { throw PSENetError.noClientCertificate }
        try self.init(certificateChain: [certificate] + bundle.chain.filter { $0 != certificate },
                      privateKeyDER: privateKey.derRepresentation)
    }
}
