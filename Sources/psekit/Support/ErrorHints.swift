import PSEKit
import PSEStore

/// The command line's advice for errors the libraries report by cause: the libraries name what
/// went wrong, only the command line knows its options and commands.
enum ErrorHints {
    /// `error` with the hint that says how to fix it on this command line, when there is one.
    static func adding(to error: Error) -> Error {
        guard var fileError = error as? PSEStoreError, fileError.code.family == .pse, fileError.hint == nil else { return error }
        switch fileError.underlying?.code {
        case .wrongPIN?:
            fileError.hint = "Give the PSE's PIN with -x, --pin-env or --pin-file (a stored credential may be out of date: psekit seclogin -d -p PSE)."
        case .pinRequired?:
            fileError.hint = "Give it with -x PIN, --pin-env VAR or --pin-file FILE, or store it with psekit seclogin -p PSE."
        default:
            return error
        }
        return fileError
    }

    /// What to do when no system CA bundle exists.
    static let noSystemTrustStore = "Pass the CA certificates with --ca-file FILE."
}
