import X509

/// Orders the CA certificates a CA sends with its answer (or that the user names) into the
/// chain of an own certificate: its issuer first, a self-signed root last. Every link is
/// checked: the issuer's subject is the child's issuer and the issuer's key verifies the
/// child's signature.
public enum OwnCertificateChain {
    /// The longest chain followed (the own certificate not counted).
    public static let maximumLength = IssuerWalk.maximumLength - 1

    /// The CA certificates from `leaf`'s issuer up to a self-signed root, taken from
    /// `candidates` (in any order, duplicates and unrelated certificates allowed). Empty when
    /// `leaf` is self-signed.
    public static func build(for leaf: Certificate, from candidates: [Certificate]) throws -> [Certificate] {
        let (path, end) = IssuerWalk.walk(from: leaf, through: candidates)
        let last = path[path.count - 1]
        switch end {
        case .root:
            return Array(path.dropFirst())
        case .missingIssuer:
            throw PSEKitError.missingIssuer(subject: SAPDistinguishedName.format(last.subject),
                                                         issuer: SAPDistinguishedName.format(last.issuer))
        case .signatureMismatch:
            throw PSEKitError.issuerSignatureMismatch(subject: SAPDistinguishedName.format(last.subject),
                                                             issuer: SAPDistinguishedName.format(last.issuer))
        case .loop(let issuer):
            throw PSEKitError.chainLoop(subject: SAPDistinguishedName.format(issuer.subject))
        case .tooLong:
            throw PSEKitError.chainTooLong(limit: maximumLength)
        }
    }
}
