import PSEKit
import PSEStore

/// The command line's advice for errors the libraries report by cause: the libraries name what
/// went wrong, only the command line knows its options and commands.
enum ErrorHints {
    /// `error` with the hint that says how to fix it on this command line, when there is one.
    static func adding(to error: Error) -> Error {
        guard var storeError = error as? PSEStoreError, storeError.hint == nil else { return error }
        if storeError.code == .readOnly {
            storeError.hint = "Make it writable (chmod u+w) or, where the command has it, add --force to replace it."
            return storeError
        }
        guard storeError.code.family == .pse else { return error }
        switch storeError.underlying?.code {
        case .wrongPIN?:
            storeError.hint = "Give the PSE's PIN with -x, --pin-env or --pin-file (a stored credential may be out of date: psekit seclogin -d -p PSE)."
        case .pinRequired?:
            storeError.hint = "Give it with -x PIN, --pin-env VAR or --pin-file FILE, or store it with psekit seclogin -p PSE."
        default:
            return error
        }
        return storeError
    }

    /// What to do when no system CA bundle exists.
    static let noSystemTrustStore = "Pass the CA certificates with --ca-file FILE."
}
