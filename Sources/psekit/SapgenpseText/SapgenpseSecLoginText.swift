#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit
import PSEStore

/// sapgenpse's `seclogin -l` text, as Salt's sap_pse module and pysap's sapgenpse imitation show
/// it (docs/sapgenpse-compat.md).
enum SapgenpseSecLoginText {
    /// sapgenpse's exit code of `seclogin -l` when there is no credential to list.
    static let noCredentialsExitCode: Int32 = 21

    struct Listing {
        var lines: [String]
        var readable: Int
        var matching: Int
        var total: Int
    }

    /// The listing of `file`'s credentials: those for the PSE at `psePath` (all when nil), each as
    /// ` N (LPS:OFF): SUBJECT` and a second line with the PSE file, then the counts line
    /// `N readable (of M matching) SSO-Credentials available (total K)` (`NO` when none of the
    /// matching ones opens for `user`). Nil when no credential matches (sapgenpse then exits 21).
    static func listing(of file: CredentialsFile, psePath: String?, user: String) -> Listing? {
        let variants = psePath.map { CredentialStore.pathVariants(forPSEAt: $0) }
        let matching = file.credentials.filter { credential in
            guard let variants else { return true }
            return credential.psePath.map { variants.contains($0) } ?? false
        }
        guard !matching.isEmpty else { return nil }
        var lines: [String] = []
        var readable = 0
        for (index, credential) in matching.enumerated() {
            let opens = (try? credential.decrypt(forUser: user)) != nil
            if opens { readable += 1 }
            lines.append(" \(index) (LPS:\(lpsLabel(credential.protection))): \(credential.subject ?? "(unrecognized entry)")")
            lines.append("\t (LPS:\(pseLPSLabel(credential.psePath))): \(credential.psePath ?? "?")"
                         + (opens ? "" : "  (not readable for user \(user))"))
        }
        lines.append("")
        let count = readable == 0 ? "NO" : String(readable)
        lines.append("\(count) readable (of \(matching.count) matching) SSO-Credentials available (total \(file.credentials.count))")
        return Listing(lines: lines, readable: readable, matching: matching.count, total: file.credentials.count)
    }

    /// How the credential's PIN is protected: `OFF` (LPS off), `ON` (LPS), `???` otherwise.
    static func lpsLabel(_ protection: CredentialProtection) -> String {
        switch protection {
        case .lpsOff: return "OFF"
        case .lps: return "ON"
        case .unrecognized: return "???"
        }
    }

    /// Whether the PSE file itself is LPS-protected: psekit reads only PSEs without LPS, so a
    /// PSE it can read is `OFF`; one it cannot read (or that is missing) is `N/A`.
    static func pseLPSLabel(_ path: String?) -> String {
        guard let path, (try? StoredPSE.layout(at: path)) != nil else { return "N/A" }
        return "OFF"
    }
}
