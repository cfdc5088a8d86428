#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit
import PSEStore
import X509

/// `get_my_name` in sapgenpse's layouts (called as `sapgenpse`, or with `-vv` or `-l`).
extension GetMyName {
    func printSapgenpseText(stored: StoredPSE, certificate: Certificate) throws {
        let content = stored.file.content
        let chain = try content.certificationPath()
        let root = try content.rootCertificate()
        let sso = SapgenpseMode.state.ssoPSE ?? (showSSO ? (user: CredentialStore.currentUser, path: stored.path) : nil)
        if verbose || veryVerbose {
            SapgenpseText.openingLines(path: stored.path, version: stored.file.version).forEach(Console.note)
        }
        let lines: [String]
        if let field {
            lines = (sso.map(SapgenpseText.ssoLines) ?? []) + SapgenpseText.field(field.rawValue, of: certificate)
        } else {
            lines = SapgenpseText.getMyName(certificate: certificate, chain: chain, root: root,
                                            verbosity: veryVerbose ? 2 : verbose ? 1 : 0, sso: sso)
        }
        lines.forEach { print($0) }
    }
}
