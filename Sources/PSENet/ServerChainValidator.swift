import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit
import SwiftASN1
@_spi(FixedExpiryValidationTime) @_spi(DisableValidityCheck) import X509

/// Decides whether a server's certificate chain is trusted, with swift-certificates' `Verifier`:
/// RFC 5280 path validation (signatures, basic constraints, path length, name constraints,
/// critical extensions, validity dates) over a `CertificateStore` of the PSE's trusted list,
/// every trusted certificate an anchor (as SAP's crypto library treats it), plus the server
/// name (RFC 6125, wildcards and IP addresses) and the extended key usage `serverAuth`.
///
/// The leaf is the first certificate the server presented: the one whose key authenticated the
/// handshake. The code here only words the Verifier's verdict (which issuer is missing, which
/// constraint failed); it decides nothing itself.
public enum ServerChainValidator {
    /// Validates `presented` (leaf first) against `trusted`.
    /// - Parameters:
    ///   - host: the DNS name or IP address connected to; nil skips the name check.
    ///   - date: the time to check validity at; now when nil.
    public static func validate(presented: [Certificate], trusted: [Certificate], host: String?,
                                at date: Date? = nil) async -> ServerChainValidation {
        guard let leaf = presented.first else { return .failed(.handshakeFailed(reason: "the server presented no certificate")) }
        let intermediates = CertificateStore(presented.dropFirst())
        let hostName = host.flatMap { IPAddressText.parse($0) == nil ? $0 : nil }
        let ipAddress = host.flatMap { IPAddressText.parse($0) == nil ? nil : $0 }

        // A server certificate that is itself in the trusted list is pinned: it is its own anchor,
        // whatever its basic constraints (a self-signed server certificate, as SAP allows).
        if trusted.contains(leaf) {
            var verifier = Verifier(rootCertificates: CertificateStore([leaf])) {
                PinnedCertificateValidityPolicy(date: date)
                ServerAuthenticationUsagePolicy()
                if hostName != nil || ipAddress != nil {
                    ServerIdentityPolicy(serverHostname: hostName, serverIP: ipAddress)
                }
            }
            let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore())
            return await word(result, presented: presented, trusted: trusted, host: host, date: date)
        }

        var verifier = Verifier(rootCertificates: CertificateStore(trusted)) {
            if let date {
                RFC5280Policy(fixedExpiryValidationTime: date)
            } else {
                RFC5280Policy()
            }
            ServerAuthenticationUsagePolicy()
            if hostName != nil || ipAddress != nil {
                ServerIdentityPolicy(serverHostname: hostName, serverIP: ipAddress)
            }
        }
        let handled = verifier.policy.verifyingCriticalExtensions
        if let unhandled = leaf.extensions.first(where: { $0.critical && !handled.contains($0.oid) }) {
            return .failed(.invalidChain(reason: "the server certificate has a critical extension psekit cannot process (\(unhandled.oid))"))
        }
        let result = await verifier.validate(leaf: leaf, intermediates: intermediates)
        return await word(result, presented: presented, trusted: trusted, host: host, date: date)
    }

    /// Turns the Verifier's verdict into a diagnosis naming the certificate and the rule.
    private static func word(_ result: CertificateValidationResult, presented: [Certificate], trusted: [Certificate],
                             host: String?, date: Date?) async -> ServerChainValidation {
        switch result {
        case .validCertificate(let chain):
            return .trusted(path: Array(chain))
        case .couldNotValidate(let failures):
            guard let failure = failures.first else {
                // No path reached the trusted list: name the issuer it lacks.
                switch CertificateChainBuilder.evaluate(presented: presented, trusted: trusted, at: date ?? Date()) {
                case .untrusted(let missingIssuer, _):
                    return .failed(.untrustedChain(missingIssuer: missingIssuer, presented: presented))
                case .noCertificate:
                    return .failed(.handshakeFailed(reason: "the server presented no certificate"))
                case .trusted(let path), .invalidDates(_, let path):
                    let issuer = path.dropFirst().first { $0.extensions.contains { $0.critical } }
                    return .failed(.invalidChain(reason: issuer.map {
                        "the issuer \(SAPDistinguishedName.format($0.subject)) has a critical extension psekit cannot process"
                    } ?? "no valid certification path from the server certificate to the trusted list"))
                }
            }
            return .failed(await diagnose(failure, host: host, date: date ?? Date()))
        }
    }

    private static func diagnose(_ failure: CertificateValidationResult.PolicyFailure, host: String?,
                                 date: Date?) async -> ConnectionDiagnosis {
        let chain = Array(failure.chain)
        let leaf = chain[0]
        // Dates first, along the whole path (ExpiryPolicy's verdict).
        for certificate in chain {
            guard let date else { break }
            if date > certificate.notValidAfter {
                return .certificateExpired(subject: certificate.subject, notValidAfter: certificate.notValidAfter)
            }
            if date < certificate.notValidBefore {
                return .certificateNotYetValid(subject: certificate.subject, notValidBefore: certificate.notValidBefore)
            }
        }
        // Basic constraints (BasicConstraintsPolicy's verdict): every issuer must be a CA, within its path length.
        if chain.count > 1 {
            var subCACount = 0
            for issuer in chain.dropFirst() {
                let name = SAPDistinguishedName.format(issuer.subject)
                if issuer.version != .v1 {
                    switch try? issuer.extensions.basicConstraints {
                    case .some(.notCertificateAuthority):
                        return .invalidChain(reason: "the issuer \(name) is not a CA (its basicConstraints say CA:FALSE), so it cannot issue certificates")
                    case .none:
                        return .invalidChain(reason: "the issuer \(name) is not a CA (it has no basicConstraints extension), so it cannot issue certificates")
                    case .some(.isCertificateAuthority(let maxPathLength?)) where maxPathLength < subCACount:
                        return .invalidChain(reason: "the CA \(name) allows \(maxPathLength) intermediate CA(s) below it (pathLenConstraint), the chain has \(subCACount)")
                    default:
                        break
                    }
                }
                if issuer.issuer != issuer.subject { subCACount += 1 }
            }
        }
        var usage = ServerAuthenticationUsagePolicy()
        if case .failsToMeetPolicy = await usage.chainMeetsPolicyRequirements(chain: failure.chain) {
            return .notForServerAuthentication(subject: leaf.subject, usages: ServerAuthenticationUsagePolicy.usageNames(leaf))
        }
        if let host, !ServerIdentity.matches(leaf, host: host) {
            return .hostNameMismatch(host: host, certificateNames: ServerIdentity.names(in: leaf))
        }
        if let constraining = chain.dropFirst().first(where: { (try? $0.extensions.nameConstraints) != nil }) {
            let names = ServerIdentity.names(in: leaf).joined(separator: ", ")
            return .invalidChain(reason: "the server certificate's names (\(names)) violate the name constraints of the CA \(SAPDistinguishedName.format(constraining.subject))")
        }
        let reason = failure.policyFailureReason.description
        return .invalidChain(reason: String(reason.prefix(300)))
    }
}

/// The Verifier's verdict, worded.
public enum ServerChainValidation: Sendable, Hashable {
    /// Leaf → … → the trusted certificate that anchors it.
    case trusted(path: [Certificate])
    case failed(ConnectionDiagnosis)
}

/// Refuses a server certificate whose extended key usage excludes `serverAuth` (RFC 5280
/// §4.2.1.12; a certificate without the extension may be used for any purpose).
struct ServerAuthenticationUsagePolicy: VerifierPolicy {
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [.X509ExtensionID.extendedKeyUsage]

    func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) -> PolicyEvaluationResult {
        let leaf = chain.leaf
        guard leaf.extensions[oid: .X509ExtensionID.extendedKeyUsage] != nil else { return .meetsPolicy }
        guard let usages = try? leaf.extensions.extendedKeyUsage else {
            return .failsToMeetPolicy(reason: "the server certificate's extendedKeyUsage cannot be decoded")
        }
        if usages.contains(.serverAuth) || usages.contains(.any) { return .meetsPolicy }
        return .failsToMeetPolicy(reason: "the server certificate's extendedKeyUsage excludes serverAuth")
    }

    static func usageNames(_ certificate: Certificate) -> [String] {
        guard let usages = try? certificate.extensions.extendedKeyUsage else { return [] }
        return usages.map { usage in
            switch usage {
            case .serverAuth: return "serverAuth"
            case .clientAuth: return "clientAuth"
            case .codeSigning: return "codeSigning"
            case .emailProtection: return "emailProtection"
            case .timeStamping: return "timeStamping"
            case .ocspSigning: return "OCSPSigning"
            default: return "\(usage)"
            }
        }
    }
}

/// The validity period of a server certificate that is itself in the trusted list (pinned).
struct PinnedCertificateValidityPolicy: VerifierPolicy {
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [
        .X509ExtensionID.basicConstraints, .X509ExtensionID.keyUsage, .X509ExtensionID.nameConstraints,
    ]
    var date: Date?

    func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) -> PolicyEvaluationResult {
        let now = date ?? Date()
        for certificate in chain where now < certificate.notValidBefore || now > certificate.notValidAfter {
            return .failsToMeetPolicy(reason: "certificate is outside its validity period")
        }
        return .meetsPolicy
    }
}

extension ServerChainValidator {
    /// ``validate(presented:trusted:host:at:)`` for synchronous callers (blocks the calling
    /// thread; never call it on an event loop).
    public static func validateSynchronously(presented: [Certificate], trusted: [Certificate], host: String?,
                                             at date: Date? = nil) -> ServerChainValidation {
        let box = ResultBox()
        let semaphore = DispatchSemaphore(value: 0)
        Task {
            box.value = await validate(presented: presented, trusted: trusted, host: host, at: date)
            semaphore.signal()
        }
        semaphore.wait()
        return box.value!
    }

    private final class ResultBox: @unchecked Sendable {
        var value: ServerChainValidation?
    }
}

extension ServerChainValidator {
    /// What is wrong with the certification path of an own certificate (import_own_cert,
    /// import_p12), by the same RFC 5280 validation: every CA on `chain` must be a CA within its
    /// path length and name constraints, anchored in the chain's last certificate. Validity
    /// dates are left out (the commands warn about them). Nil when the path is valid or
    /// `chain` is empty (a self-signed own certificate).
    public static func ownCertificatePathProblem(certificate: Certificate, chain: [Certificate]) -> String? {
        guard let anchor = chain.last else { return nil }
        let box = OwnPathBox()
        let semaphore = DispatchSemaphore(value: 0)
        Task {
            var verifier = Verifier(rootCertificates: CertificateStore([anchor])) {
                RFC5280Policy.withValidityCheckDisabled()
            }
            let result = await verifier.validate(leaf: certificate, intermediates: CertificateStore(chain.dropLast()))
            switch result {
            case .validCertificate:
                box.problem = nil
            case .couldNotValidate(let failures):
                if let failure = failures.first {
                    box.problem = await diagnose(failure, host: nil, date: nil).cause
                } else {
                    box.problem = "no valid certification path from the certificate to \(SAPDistinguishedName.format(anchor.subject)) (an unsupported critical extension or a signature that does not verify)"
                }
            }
            semaphore.signal()
        }
        semaphore.wait()
        return box.problem
    }

    private final class OwnPathBox: @unchecked Sendable {
        var problem: String?
    }
}
