#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
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
        let (path, end) = IssuerWalk.walk(from: leaf, through: Array(presented.dropFirst()) + candidates, at: date)
        var problems: [ChainProblem] = []
        if case .signatureMismatch(let impostor) = end {
            problems.append(.signatureDoesNotVerify(certificate: path[path.count - 1], claimedIssuer: impostor))
        }
        return ChainCompletion(certificates: path, root: end == .root ? path.last : nil,
                               missingIssuer: end == .root ? nil : path.last?.issuer,
                               problems: problems + validityProblems(path, at: date))
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
            if case .found(let issuer) = IssuerWalk.issuer(of: current, in: trusted, at: date) {
                return anchored(path: path + [issuer], at: date)
            }
            if IssuerWalk.isSelfSigned(current) {
                return .untrusted(missingIssuer: current.subject, path: path)
            }
            switch IssuerWalk.issuer(of: current, in: others, excluding: path, at: date) {
            case .found(let issuer):
                path.append(issuer)
                current = issuer
            case .nameMatchedButSignatureFailed, .notFound:
                return .untrusted(missingIssuer: current.issuer, path: path)
            }
        }
    }

    /// The same certificate, or the same subject with the same key (a re-issued anchor).
    static func isSameCertificate(_ a: Certificate, _ b: Certificate) -> Bool {
        a == b || (a.subject == b.subject && a.publicKey == b.publicKey)
    }

    private static func validityProblems(_ path: [Certificate], at date: Date) -> [ChainProblem] {
        path.compactMap { certificate in
            if date > certificate.notValidAfter { return .expired(certificate) }
            if date < certificate.notValidBefore { return .notYetValid(certificate) }
            return nil
        }
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
            return "certificate \(SAPDistinguishedName.format(certificate.subject)) expired on \(UTCDateText.dateAndTime(certificate.notValidAfter))"
        case .notYetValid(let certificate):
            return "certificate \(SAPDistinguishedName.format(certificate.subject)) is not valid before \(UTCDateText.dateAndTime(certificate.notValidBefore))"
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
