#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import X509

/// How a certificate links to its issuer, and the walk from a leaf along those links towards a
/// self-signed root: the one place psekit decides which certificate issued which.
///
/// A link counts only when the issuer's subject is the certificate's issuer name *and* the
/// issuer's key verifies the certificate's signature. This orders and completes chains; whether
/// a chain is acceptable is decided by swift-certificates' `Verifier`, never here.
public enum IssuerWalk {
    /// The longest path followed, leaf included.
    public static let maximumLength = 11

    /// Subject and issuer are the same name and the certificate's own key verifies it.
    public static func isSelfSigned(_ certificate: Certificate) -> Bool {
        isIssuer(certificate, of: certificate)
    }

    /// `issuer`'s subject is `certificate`'s issuer and its key verifies `certificate`'s signature.
    public static func isIssuer(_ issuer: Certificate, of certificate: Certificate) -> Bool {
        issuer.subject == certificate.issuer
            && issuer.publicKey.isValidSignature(certificate.signature, for: certificate)
    }

    /// What looking for a certificate's issuer in a pool found.
    package enum Search {
        case found(Certificate)
        /// Certificates carry the issuer's name, but none of their keys signed the certificate.
        case nameMatchedButSignatureFailed(Certificate)
        case notFound
    }

    /// The issuer of `certificate` among `pool`, leaving out `used`; of several, one valid at
    /// `date` first, then the one that stays valid longest.
    package static func issuer(of certificate: Certificate, in pool: [Certificate], excluding used: [Certificate] = [],
                               at date: Date = Date()) -> Search {
        let named = pool.filter { $0.subject == certificate.issuer && !used.contains($0) }
        let verified = named.filter { $0.publicKey.isValidSignature(certificate.signature, for: certificate) }
        let best = verified.min { lhs, rhs in
            let lhsValid = isValid(lhs, at: date), rhsValid = isValid(rhs, at: date)
            if lhsValid != rhsValid { return lhsValid }
            return lhs.notValidAfter > rhs.notValidAfter
        }
        if let best { return .found(best) }
        if let impostor = named.first { return .nameMatchedButSignatureFailed(impostor) }
        return .notFound
    }

    /// Where a walk ended.
    package enum End: Equatable {
        /// At a self-signed root, the path's last certificate.
        case root
        /// No certificate of the pool carries the last certificate's issuer name.
        case missingIssuer
        /// `impostor` carries the issuer name but did not sign the last certificate.
        case signatureMismatch(impostor: Certificate)
        /// The issuer of the last certificate is already on the path.
        case loop(issuer: Certificate)
        /// The path reached ``maximumLength`` without a root.
        case tooLong
    }

    /// The path from `leaf` (first) along verified issuers taken from `pool`, and how it ended.
    package static func walk(from leaf: Certificate, through pool: [Certificate],
                             at date: Date = Date()) -> (path: [Certificate], end: End) {
        var path = [leaf]
        while let current = path.last {
            if isSelfSigned(current) { return (path, .root) }
            guard path.count < maximumLength else { return (path, .tooLong) }
            switch issuer(of: current, in: pool, excluding: path, at: date) {
            case .found(let issuer):
                path.append(issuer)
            case .nameMatchedButSignatureFailed(let impostor):
                if let issuer = path.first(where: { isIssuer($0, of: current) }) { return (path, .loop(issuer: issuer)) }
                return (path, .signatureMismatch(impostor: impostor))
            case .notFound:
                if let issuer = path.first(where: { isIssuer($0, of: current) }) { return (path, .loop(issuer: issuer)) }
                return (path, .missingIssuer)
            }
        }
        return (path, .missingIssuer)
    }

    static func isValid(_ certificate: Certificate, at date: Date) -> Bool {
        certificate.notValidBefore <= date && date <= certificate.notValidAfter
    }
}
