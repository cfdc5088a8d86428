import CryptoExtras
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SwiftASN1
import X509

/// The objects of a PSE as certificates and keys: what commands read and change.
extension PSEContent {
    /// The own certificate (`Cert`).
    public func ownCertificate() throws -> Certificate? {
        try object(ofType: PSEObjectType.certificate)?.certificates()?.first
    }

    /// The private key (`SKnew`), completed with the public exponent of the own certificate.
    public func privateKey() throws -> _RSA.Signing.PrivateKey? {
        guard let object = object(ofType: PSEObjectType.privateKey) else { return nil }
        let stored = try PrivateKeyObject(asn1Any: object.value)
        guard let certificate = try ownCertificate() else {
            throw PSEKitError.missingPSEObject("own certificate (Cert), which the private key needs")
        }
        guard let publicKey = _RSA.Signing.PublicKey(certificate.publicKey) else {
            throw PSEKitError.unsupportedKey("the own certificate's key is not RSA")
        }
        let exponent = try publicKey.getKeyPrimitives().publicExponent
        return try stored.privateKey(publicExponent: Array(exponent))
    }

    /// The trusted certificates (`CertList`), in file order. Members swift-certificates cannot read
    /// (RSA keys under 2048 bits, for example) are not among them: see ``unreadableTrustedCertificates()``.
    public func trustedCertificates() throws -> [Certificate] {
        try object(ofType: PSEObjectType.trustedCertificates)?.certificates() ?? []
    }

    /// The members of `CertList` that swift-certificates cannot read, as their DER. They stay in the
    /// PSE unchanged when the trusted certificates are changed.
    public func unreadableTrustedCertificates() throws -> [ASN1Any] {
        try object(ofType: PSEObjectType.trustedCertificates).map { try TrustedCertificates(asn1Any: $0.value).unreadableCertificates } ?? []
    }

    /// Replaces the trusted certificates; members of `CertList` psekit cannot read are kept.
    public mutating func setTrustedCertificates(_ certificates: [Certificate], modified: Date = Date()) throws {
        let unreadable = try unreadableTrustedCertificates()
        try setObject(name: PSEObjectType.Name.trustedCertificates, type: PSEObjectType.trustedCertificates,
                      value: ASN1Any(erasing: TrustedCertificates(certificates, unreadableCertificates: unreadable)), modified: modified)
    }

    /// Adds a trusted certificate; false when it is already there (nothing changes then).
    @discardableResult
    public mutating func addTrustedCertificate(_ certificate: Certificate, modified: Date = Date()) throws -> Bool {
        var certificates = try trustedCertificates()
        guard !certificates.contains(certificate) else { return false }
        certificates.append(certificate)
        try setTrustedCertificates(certificates, modified: modified)
        return true
    }

    /// Adds a certificate swift-certificates cannot read (an RSA key under 2048 bits) to `CertList`
    /// as its DER, unchanged; false when it is already there. Callers decide whether such a
    /// certificate may be trusted at all.
    @discardableResult
    public mutating func addWeakTrustedCertificate(_ der: [UInt8], modified: Date = Date()) throws -> Bool {
        let member = try ASN1Any(derEncoded: DER.parse(der))
        var unreadable = try unreadableTrustedCertificates()
        guard !unreadable.contains(member) else { return false }
        unreadable.append(member)
        try setObject(name: PSEObjectType.Name.trustedCertificates, type: PSEObjectType.trustedCertificates,
                      value: ASN1Any(erasing: TrustedCertificates(try trustedCertificates(), unreadableCertificates: unreadable)),
                      modified: modified)
        return true
    }

    /// The root of the own chain (`PKRoot`).
    public func rootCertificate() throws -> Certificate? {
        try object(ofType: PSEObjectType.rootKey)?.certificates()?.first
    }

    /// The CA chain of the own certificate (`FCPath`), issuer first.
    public func certificationPath() throws -> [Certificate] {
        try object(ofType: PSEObjectType.certificationPath)?.certificates() ?? []
    }

    /// Installs a key pair: `SKnew`, `Cert`, `FCPath` (when there is a chain), `PKRoot` (the top of
    /// the chain, or the certificate itself when it is self-signed or has no chain) and adds the
    /// root to `CertList`, as sapgenpse does. The chain is ordered issuer first.
    public mutating func setIdentity(privateKey: _RSA.Signing.PrivateKey, certificate: Certificate,
                                     chain: [Certificate], modified: Date = Date()) throws {
        guard let certificateKey = _RSA.Signing.PublicKey(certificate.publicKey),
              certificateKey.derRepresentation == privateKey.publicKey.derRepresentation else {
            throw PSEKitError.unsupportedKey("the certificate \(certificate.subject) does not belong to the private key")
        }
        try setObject(name: PSEObjectType.Name.privateKey, type: PSEObjectType.privateKey,
                      value: ASN1Any(erasing: PrivateKeyObject(privateKey)), modified: modified)
        try setOwnCertificate(certificate, chain: chain, modified: modified)
    }

    /// Installs a new own certificate for the existing key with its chain (FCPath, PKRoot, trusted CAs).
    public mutating func setOwnCertificate(_ certificate: Certificate, chain: [Certificate], modified: Date = Date()) throws {
        try setObject(name: PSEObjectType.Name.certificate, type: PSEObjectType.certificate,
                      value: ASN1Any(erasing: certificate), modified: modified)
        let chain = chain.filter { $0 != certificate }
        if chain.isEmpty {
            removeObjects(ofType: PSEObjectType.certificationPath)
        } else {
            try setObject(name: PSEObjectType.Name.certificationPath, type: PSEObjectType.certificationPath,
                          value: ASN1Any(erasing: CertificationPath(chain: chain)), modified: modified)
        }
        let root = chain.last ?? certificate
        try setObject(name: PSEObjectType.Name.rootKey, type: PSEObjectType.rootKey,
                      value: ASN1Any(erasing: RootKeyObject(root)), modified: modified)
        for ca in chain.isEmpty ? [certificate] : chain {
            try addTrustedCertificate(ca, modified: modified)
        }
    }
}

extension PSEObject {
    /// The certificates the object holds: the own certificate (`Cert`), the trusted list
    /// (`CertList`, its readable members), the chain (`FCPath`) or the root (`PKRoot`); nil for
    /// objects of other types.
    public func certificates() throws -> [Certificate]? {
        switch type {
        case PSEObjectType.certificate: return [try Certificate(asn1Any: value)]
        case PSEObjectType.trustedCertificates: return try TrustedCertificates(asn1Any: value).certificates
        case PSEObjectType.certificationPath: return try CertificationPath(asn1Any: value).certificates
        case PSEObjectType.rootKey: return [try RootKeyObject(asn1Any: value).certificate()]
        default: return nil
        }
    }
}
