extension PSEStoreError {
    /// What went wrong, as a value to match on: `error.code == .fileMissing`.
    ///
    /// A struct rather than an enum, as swift-certificates' `CertificateError.ErrorCode` is, so
    /// that causes can be added without breaking code that switches over them.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The causes; private so that adding one is not a breaking change.
        private enum Cause: String, Hashable, Sendable {
            case fileMissing, permissionDenied, isDirectory, notRegularFile, fileTooLarge,
                 foreignSymbolicLink, symbolicLinkLoop, fileInaccessible
            case writeFailed, readOnly
            case pseRejected, pseUnreadable, pseTooLarge, pseExists
            case credentialsUnreadable, credentialsMalformed
            case noInput, secretUnreadable
            case certificateFileUnreadable, noSystemTrustStore
            case notAnArchive, archiveTooLarge, tooManyArchiveEntries, archiveEntryTooLarge,
                 unreadableArchiveEntry, invalidArchiveEntry, tooManyArchiveCertificates,
                 archiveContentTooLarge, noCertificatesInArchive
        }

        private let cause: Cause

        private init(_ cause: Cause) {
            self.cause = cause
        }

        /// The cause's name, such as `fileMissing`.
        public var description: String { cause.rawValue }

        // MARK: Opening or reading a file

        /// The file does not exist, or a part of its path is not a folder.
        public static let fileMissing = Code(.fileMissing)

        /// The user running the process may not read the file or folder.
        public static let permissionDenied = Code(.permissionDenied)

        /// A folder where a file was expected.
        public static let isDirectory = Code(.isDirectory)

        /// A FIFO, device, socket or other special file where a regular file was expected.
        public static let notRegularFile = Code(.notRegularFile)

        /// The file is larger than what is read for its purpose.
        public static let fileTooLarge = Code(.fileTooLarge)

        /// A symbolic link owned by another user (refused as `fs.protected_symlinks` refuses it).
        public static let foreignSymbolicLink = Code(.foreignSymbolicLink)

        /// Too many levels of symbolic links, or a symbolic link where none may be.
        public static let symbolicLinkLoop = Code(.symbolicLinkLoop)

        /// The file cannot be opened, examined or read for another reason.
        public static let fileInaccessible = Code(.fileInaccessible)

        // MARK: Writing a file

        /// Writing, flushing, replacing or locking a file failed; the file was left unchanged.
        public static let writeFailed = Code(.writeFailed)

        /// The file is read-only and is not replaced without being asked to.
        public static let readOnly = Code(.readOnly)

        // MARK: A PSE file

        /// The PSE could not be opened, read or encoded: ``PSEStoreError/underlying`` says why (a wrong PIN, for one).
        public static let pseRejected = Code(.pseRejected)

        /// The PSE file could not be read.
        public static let pseUnreadable = Code(.pseUnreadable)

        /// The PSE would be larger than a PSE may be written.
        public static let pseTooLarge = Code(.pseTooLarge)

        /// A PSE is to be created where a file exists already.
        public static let pseExists = Code(.pseExists)

        // MARK: The `cred_v2` credentials file

        /// The credentials file cannot be read, or is not private to the running user.
        public static let credentialsUnreadable = Code(.credentialsUnreadable)

        /// The credentials file is not valid: ``PSEStoreError/underlying`` says why.
        public static let credentialsMalformed = Code(.credentialsMalformed)

        // MARK: Reading a PIN or password

        /// Standard input ended before a PIN or password was read.
        public static let noInput = Code(.noInput)

        /// The file a PIN or password is to be read from cannot be read.
        public static let secretUnreadable = Code(.secretUnreadable)

        // MARK: Certificate files

        /// A certificate file (PEM, DER, PKCS#7 or zip) cannot be read or holds no usable certificates.
        public static let certificateFileUnreadable = Code(.certificateFileUnreadable)

        /// No system CA bundle was found.
        public static let noSystemTrustStore = Code(.noSystemTrustStore)

        // MARK: Zip archives of certificates

        /// The bytes are not a zip archive this reader can read.
        public static let notAnArchive = Code(.notAnArchive)

        /// The zip archive is larger than allowed.
        public static let archiveTooLarge = Code(.archiveTooLarge)

        /// The zip archive has more entries than allowed.
        public static let tooManyArchiveEntries = Code(.tooManyArchiveEntries)

        /// A zip entry unpacks to more than allowed.
        public static let archiveEntryTooLarge = Code(.archiveEntryTooLarge)

        /// A zip entry cannot be unpacked.
        public static let unreadableArchiveEntry = Code(.unreadableArchiveEntry)

        /// A zip entry unpacks to something that is not certificates.
        public static let invalidArchiveEntry = Code(.invalidArchiveEntry)

        /// The zip archive holds more certificates than allowed.
        public static let tooManyArchiveCertificates = Code(.tooManyArchiveCertificates)

        /// The zip archive unpacks to more than a certificate file may hold.
        public static let archiveContentTooLarge = Code(.archiveContentTooLarge)

        /// The zip archive holds no files with certificates.
        public static let noCertificatesInArchive = Code(.noCertificatesInArchive)

        /// The group of causes this one belongs to: the error types PSEStore had before it had one.
        package var family: Family {
            switch cause {
            case .fileMissing, .permissionDenied, .isDirectory, .notRegularFile, .fileTooLarge,
                 .foreignSymbolicLink, .symbolicLinkLoop, .fileInaccessible:
                return .fileAccess
            case .writeFailed, .readOnly:
                return .write
            case .pseRejected, .pseUnreadable, .pseTooLarge, .pseExists:
                return .pse
            case .credentialsUnreadable, .credentialsMalformed:
                return .credentials
            case .noInput, .secretUnreadable:
                return .secret
            case .certificateFileUnreadable, .noSystemTrustStore:
                return .certificateFile
            case .notAnArchive, .archiveTooLarge, .tooManyArchiveEntries, .archiveEntryTooLarge,
                 .unreadableArchiveEntry, .invalidArchiveEntry, .tooManyArchiveCertificates,
                 .archiveContentTooLarge, .noCertificatesInArchive:
                return .archive
            }
        }
    }
}
