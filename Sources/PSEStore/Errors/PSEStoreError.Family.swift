extension PSEStoreError.Code {
    /// A group of related causes, for code in this package that handles them alike (the command
    /// line reports every PSE file error the way sapgenpse does, for example). Not public API:
    /// match on ``PSEStoreError/code`` instead.
    package enum Family: Hashable, Sendable {
        /// Opening or reading a file.
        case fileAccess
        /// Writing a file.
        case write
        /// A PSE file.
        case pse
        /// The `cred_v2` credentials file.
        case credentials
        /// Reading a PIN or password.
        case secret
        /// Certificate files.
        case certificateFile
        /// Zip archives of certificates.
        case archive
    }
}
