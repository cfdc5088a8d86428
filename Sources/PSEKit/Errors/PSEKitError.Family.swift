extension PSEKitError.Code {
    /// A group of related causes, for code in this package that handles them alike (the command
    /// line reports all PSE errors of a file the same way, for example). Not public API: match
    /// on ``PSEKitError/code`` instead.
    package enum Family: Hashable, Sendable {
        /// Reading or writing a PSE.
        case pse
        /// PKCS#12 files, PKCS#8 keys and PEM documents.
        case pkcs12
        /// `cred_v2` credentials files and their credentials.
        case credential
        /// Reading bytes as certificates (PEM, DER, Base64, PKCS#7).
        case certificateBundle
        /// Building an own certificate or certificate request.
        case ownCertificate
        /// Completing the chain of an own certificate.
        case ownCertificateChain
        /// Distinguished names in SAP's syntax.
        case distinguishedName
        /// Choosing a signature algorithm (`-a`).
        case signatureAlgorithm
        /// `GN-…` subject alternative names.
        case subjectAlternativeName
    }
}
