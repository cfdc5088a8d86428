extension PSENetError {
    /// What went wrong, as a value to match on: `error.code == .connectionFailed`.
    ///
    /// A struct rather than an enum, as swift-certificates' `CertificateError.ErrorCode` is, so
    /// that causes can be added without breaking code that switches over them.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The causes; private so that adding one is not a breaking change.
        private enum Cause: String, Hashable, Sendable {
            case invalidServerURL, unsupportedServerScheme, credentialsInURL, invalidProxyURL, unsupportedProxyScheme
            case noClientCertificate, unreadableClientKey, clientKeyDoesNotMatchCertificate
            case connectionFailed
        }

        private let cause: Cause

        private init(_ cause: Cause) {
            self.cause = cause
        }

        /// The cause's name, such as `connectionFailed`.
        public var description: String { cause.rawValue }

        /// Not a usable server URL (`https://host[:port][/path]` or `wss://…`).
        public static let invalidServerURL = Code(.invalidServerURL)

        /// A server URL whose scheme is neither `https` nor `wss`.
        public static let unsupportedServerScheme = Code(.unsupportedServerScheme)

        /// `https://user:password@host/`: credentials in a URL show in process lists and histories.
        public static let credentialsInURL = Code(.credentialsInURL)

        /// Not a usable proxy URL (`http://host[:port]`).
        public static let invalidProxyURL = Code(.invalidProxyURL)

        /// A proxy URL whose scheme is not `http`.
        public static let unsupportedProxyScheme = Code(.unsupportedProxyScheme)

        /// The client identity has no certificate.
        public static let noClientCertificate = Code(.noClientCertificate)

        /// The client identity's key is not an RSA key psekit can read.
        public static let unreadableClientKey = Code(.unreadableClientKey)

        /// The client identity's key does not belong to its certificate.
        public static let clientKeyDoesNotMatchCertificate = Code(.clientKeyDoesNotMatchCertificate)

        /// The connection failed: ``PSENetError/diagnosis`` says why and at which step.
        public static let connectionFailed = Code(.connectionFailed)
    }
}
