import Foundation
import PSEKit
import X509

/// Builds certificate paths from a leaf towards a root, checking every link's signature.
///
/// Two questions are answered here:
/// - ``complete(presented:candidates:at:)``: what is the full chain leaf → … → self-signed root,
///   given what the server sent and a pool of candidate CAs (a CA file or the system store)?
///   That is what the `trust` command adds to a PSE.
/// - ``evaluate(presented:trusted:at:)``: is the presented chain anchored in a PSE's trusted
///   list, the way SAP's crypto library decides it? Every certificate in the trusted list is
///   an anchor (an intermediate too); the path may use the presented certificates to get there.
public enum CertificateChainBuilder {
    /// Completes the presented chain into leaf → … → self-signed root.
    ///
    /// Issuers are looked up first among the presented certificates, then among `candidates`;
    /// an issuer counts only when its name matches and its key verifies the signature.
    public static func complete(presented: [Certificate], candidates: [Certificate],
                                at date: Date = Date()) -> ChainCompletion {
        guard let leaf = presented.first else {
            return ChainCompletion(certificates: [], root: nil, missingIssuer: nil, problems: [])
        }
        var path = [leaf]
        var problems: [ChainProblem] = []
        let pool = Array(presented.dropFirst()) + candidates
        var current = leaf
        while true {
            if isSelfSigned(current) {
                return finish(path: path, root: current, missingIssuer: nil, problems: problems, at: date)
            }
            switch findIssuer(of: current, in: pool, excluding: path, at: date) {
            case .found(let issuer):
                path.append(issuer)
                current = issuer
            case .nameMatchedButSignatureFailed(let impostor):
                problems.append(.signatureDoesNotVerify(certificate: current, claimedIssuer: impostor))
                return finish(path: path, root: nil, missingIssuer: current.issuer, problems: problems, at: date)
            case .notFound:
                return finish(path: path, root: nil, missingIssuer: current.issuer, problems: problems, at: date)
            }
        }
    }

    /// Decides whether the presented chain is anchored in `trusted`.
    ///
    /// Walks from the leaf: a certificate that is itself in the trusted list, or whose issuer is,
    /// anchors the path; otherwise its issuer must be among the presented certificates. When the
    /// walk gets stuck, the result names the issuer that the trusted list lacks (for a
    /// self-signed root the server sent, that is the root itself). Validity dates are checked
    /// along the anchored path.
    public static func evaluate(presented: [Certificate], trusted: [Certificate],
                                at date: Date = Date()) -> TrustEvaluation {
        guard let leaf = presented.first else { return .noCertificate }
        var path = [leaf]
        var current = leaf
        let others = Array(presented.dropFirst())
        while true {
            if let anchor = trusted.first(where: { isSameCertificate($0, current) }) {
                return anchored(path: path.dropLast() + [anchor], at: date)
            }
            if case .found(let issuer) = findIssuer(of: current, in: trusted, excluding: [], at: date) {
                return anchored(path: path + [issuer], at: date)
            }
            if isSelfSigned(current) {
                return .untrusted(missingIssuer: current.subject, path: path)
            }
            switch findIssuer(of: current, in: others, excluding: path, at: date) {
            case .found(let issuer):
                path.append(issuer)
                current = issuer
            case .nameMatchedButSignatureFailed, .notFound:
                return .untrusted(missingIssuer: current.issuer, path: path)
            }
        }
    }

    /// Whether the certificate names itself as issuer and its own key verifies its signature.
    public static func isSelfSigned(_ certificate: Certificate) -> Bool {
        certificate.subject == certificate.issuer
            && certificate.publicKey.isValidSignature(certificate.signature, for: certificate)
    }

    /// Whether `issuer`'s key verifies `certificate`'s signature and the names match.
    public static func isIssuer(_ issuer: Certificate, of certificate: Certificate) -> Bool {
        issuer.subject == certificate.issuer
            && issuer.publicKey.isValidSignature(certificate.signature, for: certificate)
    }

    /// The same certificate, or the same subject with the same key (a re-issued anchor).
    static func isSameCertificate(_ a: Certificate, _ b: Certificate) -> Bool {
        a == b || (a.subject == b.subject && a.publicKey == b.publicKey)
    }

    private enum IssuerSearch {
        case found(Certificate)
        case nameMatchedButSignatureFailed(Certificate)
        case notFound
    }

    private static func findIssuer(of certificate: Certificate, in pool: [Certificate],
                                   excluding used: [Certificate], at date: Date) -> IssuerSearch {
        let named = pool.filter { $0.subject == certificate.issuer && !used.contains($0) }
        let verified = named.filter { $0.publicKey.isValidSignature(certificate.signature, for: certificate) }
        // Prefer an issuer valid now, then the one that stays valid longest.
        let best = verified.sorted { lhs, rhs in
            let lhsValid = isValid(lhs, at: date), rhsValid = isValid(rhs, at: date)
            if lhsValid != rhsValid { return lhsValid }
            return lhs.notValidAfter > rhs.notValidAfter
        }.first
        if let best { return .found(best) }
        if let impostor = named.first { return .nameMatchedButSignatureFailed(impostor) }
        return .notFound
    }

    static func isValid(_ certificate: Certificate, at date: Date) -> Bool {
        certificate.notValidBefore <= date && date <= certificate.notValidAfter
    }

    private static func validityProblems(_ path: [Certificate], at date: Date) -> [ChainProblem] {
        path.compactMap { certificate in
            if date > certificate.notValidAfter { return .expired(certificate) }
            if date < certificate.notValidBefore { return .notYetValid(certificate) }
            return nil
        }
    }

    private static func finish(path: [Certificate], root: Certificate?, missingIssuer: DistinguishedName?,
                               problems: [ChainProblem], at date: Date) -> ChainCompletion {
        ChainCompletion(certificates: path, root: root, missingIssuer: missingIssuer,
                        problems: problems + validityProblems(path, at: date))
    }

    private static func anchored(path: [Certificate], at date: Date) -> TrustEvaluation {
        if let problem = validityProblems(path, at: date).first {
            return .invalidDates(problem, path: path)
        }
        return .trusted(path: path)
    }
}

/// The outcome of completing a chain towards its root.
public struct ChainCompletion: Sendable, Hashable {
    /// Leaf first; ends with the root when ``isComplete``.
    public var certificates: [Certificate]
    /// The self-signed root that ends the chain, if it was found.
    public var root: Certificate?
    /// The issuer no certificate was found for, when the chain stops short of a root.
    public var missingIssuer: DistinguishedName?
    /// Expired or not-yet-valid certificates, and names whose signature did not verify.
    public var problems: [ChainProblem]

    public var isComplete: Bool { root != nil }
    public var leaf: Certificate? { certificates.first }
    /// The certificates between leaf and root (exclusive).
    public var intermediates: [Certificate] {
        guard certificates.count > 1 else { return [] }
        return Array(certificates.dropFirst().prefix(certificates.count - (isComplete ? 2 : 1)))
    }
}

/// Something wrong with one certificate of a chain.
public enum ChainProblem: Sendable, Hashable, CustomStringConvertible {
    case expired(Certificate)
    case notYetValid(Certificate)
    /// A certificate named `claimedIssuer`'s subject as its issuer but that key did not sign it.
    case signatureDoesNotVerify(certificate: Certificate, claimedIssuer: Certificate)

    public var description: String {
        switch self {
        case .expired(let certificate):
            return "certificate \(SAPDistinguishedName.format(certificate.subject)) expired on \(CertificateFormatting.date(certificate.notValidAfter))"
        case .notYetValid(let certificate):
            return "certificate \(SAPDistinguishedName.format(certificate.subject)) is not valid before \(CertificateFormatting.date(certificate.notValidBefore))"
        case .signatureDoesNotVerify(let certificate, let claimedIssuer):
            return "certificate \(SAPDistinguishedName.format(certificate.subject)) names \(SAPDistinguishedName.format(claimedIssuer.subject)) as issuer, but that certificate's key did not sign it"
        }
    }
}

/// Whether a presented chain is anchored in a trusted list.
public enum TrustEvaluation: Sendable, Hashable {
    /// Anchored; `path` runs from the leaf to the trusted certificate that anchors it.
    case trusted(path: [Certificate])
    /// Anchored, but a certificate on the path is outside its validity period.
    case invalidDates(ChainProblem, path: [Certificate])
    /// Not anchored: no certificate in the trusted list (or sent by the server) for `missingIssuer`.
    case untrusted(missingIssuer: DistinguishedName, path: [Certificate])
    /// The server presented no certificate.
    case noCertificate
}
