import X509

/// What a PKCS#12 file holds, sorted out: the private key, its certificate, and the other
/// certificates as a chain.
public struct PKCS12Bundle: Hashable, Sendable {
    /// The private key (the first one, if the file holds several).
    public var privateKey: PKCS8PrivateKey?
    /// The certificate whose public key belongs to `privateKey` (or, for keys that cannot be
    /// compared, the one with the same localKeyId).
    public var certificate: Certificate?
    /// The other certificates: the leaf's issuer first, then its issuer, up to the root; any
    /// certificate outside that path follows at the end in file order.
    public var chain: [Certificate]
    /// The friendlyName of the key (or of its certificate).
    public var friendlyName: String?
    /// Certificates swift-certificates refuses for an RSA key under 2048 bits, as DER in file
    /// order: not in `certificate` or `chain`; a caller decides whether to trust them
    /// (``PSEContent/addWeakTrustedCertificate(_:modified:)``) or to refuse the file.
    public var weakCertificates: [[UInt8]]

    public init(privateKey: PKCS8PrivateKey?, certificate: Certificate?, chain: [Certificate], friendlyName: String?,
                weakCertificates: [[UInt8]] = []) {
        self.privateKey = privateKey
        self.certificate = certificate
        self.chain = chain
        self.friendlyName = friendlyName
        self.weakCertificates = weakCertificates
    }
}
