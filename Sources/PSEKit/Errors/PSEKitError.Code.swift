extension PSEKitError {
    /// What went wrong, as a value to match on: `error.code == .wrongPIN`.
    ///
    /// A struct rather than an enum, as swift-certificates' `CertificateError.ErrorCode` is, so
    /// that causes can be added without breaking code that switches over them.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The causes; private so that adding one is not a breaking change.
        private enum Cause: String, Hashable, Sendable {
            case wrongPIN, pinRequired, malformedPSE, unsupportedPSE, missingPSEObject, unsupportedKey
            case wrongPassword, passwordRequired, malformedPKCS12, unsupportedAlgorithm, unsupportedVersion,
                 unsupportedPEM, noPrivateKey, noCertificate, keyDoesNotMatchCertificate, workLimitExceeded
            case malformedCredentialsFile, malformedCredentialCipher, unsupportedCredentialCipher,
                 credentialDecryptionFailed, malformedLPSBlob, lpsChecksumMismatch,
                 lpsProtectionNotDecryptable, lpsRestrictedToAnotherUser, windowsDPAPIProtected,
                 unrecognizedCredential, notRepresentable
            case emptyInput, inputTooLarge, tooManyCertificates, unrecognizedFormat, invalidDER, invalidPEM,
                 invalidCertificate, weakKey, unsupportedPKCS7Content, noCertificates
            case emptySubject, invalidValidity, signingFailed
            case missingIssuer, issuerSignatureMismatch, chainLoop, chainTooLong
            case invalidDistinguishedName
            case unknownSignatureAlgorithm, unsupportedKeyType, unsupportedKeySize, unsupportedHash
            case invalidSubjectAlternativeName, unsupportedSubjectAlternativeNameKind
        }

        private let cause: Cause

        private init(_ cause: Cause) {
            self.cause = cause
        }

        /// The cause's name, such as `wrongPIN`.
        public var description: String { cause.rawValue }

        // MARK: Reading or writing a PSE

        /// The PIN does not open the PSE.
        public static let wrongPIN = Code(.wrongPIN)

        /// The PSE is protected by a PIN and none was given.
        public static let pinRequired = Code(.pinRequired)

        /// The bytes are not a PSE, or a PSE this code does not understand.
        public static let malformedPSE = Code(.malformedPSE)

        /// A PSE variant that exists but cannot be handled here (for example LPS protection).
        public static let unsupportedPSE = Code(.unsupportedPSE)

        /// The PSE lacks an object an operation needs.
        public static let missingPSEObject = Code(.missingPSEObject)

        /// The key or certificate is not one a PSE can hold as psekit writes it.
        public static let unsupportedKey = Code(.unsupportedKey)

        // MARK: PKCS#12 files, PKCS#8 keys and PEM documents

        /// The password does not fit: the MAC does not verify, or (without a MAC) the content does not decrypt.
        public static let wrongPassword = Code(.wrongPassword)

        /// The key is encrypted and no password was given.
        public static let passwordRequired = Code(.passwordRequired)

        /// A PKCS#12 file, PKCS#8 key or PEM document is not structured as its format prescribes.
        public static let malformedPKCS12 = Code(.malformedPKCS12)

        /// An algorithm (given by name or object identifier) this implementation does not support.
        public static let unsupportedAlgorithm = Code(.unsupportedAlgorithm)

        /// A structure version this implementation does not support.
        public static let unsupportedVersion = Code(.unsupportedVersion)

        /// The PEM text holds no block the reader accepts.
        public static let unsupportedPEM = Code(.unsupportedPEM)

        /// The file holds no private key.
        public static let noPrivateKey = Code(.noPrivateKey)

        /// The file holds no certificate for the private key.
        public static let noCertificate = Code(.noCertificate)

        /// The certificate's public key is not the public half of the private key.
        public static let keyDoesNotMatchCertificate = Code(.keyDoesNotMatchCertificate)

        /// The file's key derivations together ask for more iterations than one file may use.
        public static let workLimitExceeded = Code(.workLimitExceeded)

        // MARK: `cred_v2` credentials files and their credentials

        /// The bytes are not a DER `SEQUENCE OF Credential` (a `cred_v2` file).
        public static let malformedCredentialsFile = Code(.malformedCredentialsFile)

        /// A credential's cipher blob is too short or inconsistent.
        public static let malformedCredentialCipher = Code(.malformedCredentialCipher)

        /// The format-1 cipher header names an algorithm other than 0 (3DES) or 1 (AES-256).
        public static let unsupportedCredentialCipher = Code(.unsupportedCredentialCipher)

        /// The cipher did not decrypt to a valid credential: stored for another user, or damaged.
        public static let credentialDecryptionFailed = Code(.credentialDecryptionFailed)

        /// The LPS blob is not one this reader understands.
        public static let malformedLPSBlob = Code(.malformedLPSBlob)

        /// The LPS blob's CRC-32 does not match its content.
        public static let lpsChecksumMismatch = Code(.lpsChecksumMismatch)

        /// The LPS blob is protected by a mechanism only the machine that wrote it can use (DPAPI, TPM).
        public static let lpsProtectionNotDecryptable = Code(.lpsProtectionNotDecryptable)

        /// The LPS blob is restricted to another user.
        public static let lpsRestrictedToAnotherUser = Code(.lpsRestrictedToAnotherUser)

        /// The credential's PIN is wrapped by Windows DPAPI (`MSCryptProtect`): only that Windows account can use it.
        public static let windowsDPAPIProtected = Code(.windowsDPAPIProtected)

        /// The credential entry is not one of the known shapes and cannot be decrypted.
        public static let unrecognizedCredential = Code(.unrecognizedCredential)

        /// A text field does not fit the ASN.1 string type the credentials file needs (IA5String is ASCII only).
        public static let notRepresentable = Code(.notRepresentable)

        // MARK: Reading bytes as certificates (PEM, DER, Base64, PKCS#7)

        /// No certificate: the input is empty.
        public static let emptyInput = Code(.emptyInput)

        /// The input is larger than a certificate bundle may be.
        public static let inputTooLarge = Code(.inputTooLarge)

        /// The input holds more certificates than one bundle may.
        public static let tooManyCertificates = Code(.tooManyCertificates)

        /// The input is neither PEM, DER, Base64 nor PKCS#7.
        public static let unrecognizedFormat = Code(.unrecognizedFormat)

        /// The DER bytes are neither a certificate nor a PKCS#7 bundle.
        public static let invalidDER = Code(.invalidDER)

        /// The PEM text is not valid, or a block's Base64 does not decode.
        public static let invalidPEM = Code(.invalidPEM)

        /// A certificate in the input is not a valid X.509 certificate (``PSEKitError/position`` says which).
        public static let invalidCertificate = Code(.invalidCertificate)

        /// A certificate reads but is refused: an RSA key under 2048 bits (``PSEKitError/position`` says which).
        public static let weakKey = Code(.weakKey)

        /// PKCS#7 data of a type other than signedData, which holds no certificates.
        public static let unsupportedPKCS7Content = Code(.unsupportedPKCS7Content)

        /// The input holds blocks, but no certificates.
        public static let noCertificates = Code(.noCertificates)

        // MARK: Building an own certificate or certificate request

        /// The distinguished name of the PSE owner is empty.
        public static let emptySubject = Code(.emptySubject)

        /// A certificate would be valid for less than one day.
        public static let invalidValidity = Code(.invalidValidity)

        /// Signing a certificate or certificate request failed.
        public static let signingFailed = Code(.signingFailed)

        // MARK: Completing the chain of an own certificate

        /// The chain of an own certificate is incomplete: an issuer's certificate is missing.
        public static let missingIssuer = Code(.missingIssuer)

        /// A signature in the chain does not verify with the key of any certificate of the issuer's name.
        public static let issuerSignatureMismatch = Code(.issuerSignatureMismatch)

        /// The chain of an own certificate runs in a circle.
        public static let chainLoop = Code(.chainLoop)

        /// The chain of an own certificate is longer than allowed.
        public static let chainTooLong = Code(.chainTooLong)

        // MARK: Distinguished names in SAP's syntax

        /// A distinguished name in SAP's syntax could not be read (``PSEKitError/position`` says where, when known).
        public static let invalidDistinguishedName = Code(.invalidDistinguishedName)

        // MARK: Choosing a signature algorithm (`-a`)

        /// A signature algorithm name this implementation does not know.
        public static let unknownSignatureAlgorithm = Code(.unknownSignatureAlgorithm)

        /// A key type other than RSA.
        public static let unsupportedKeyType = Code(.unsupportedKeyType)

        /// An RSA key size other than 2048, 3072 or 4096.
        public static let unsupportedKeySize = Code(.unsupportedKeySize)

        /// A hash other than SHA-1, SHA-256, SHA-384 or SHA-512.
        public static let unsupportedHash = Code(.unsupportedHash)

        // MARK: `GN-…` subject alternative names

        /// A `GN-…` subject alternative name is not `KIND:VALUE`, or its value is not valid for its kind.
        public static let invalidSubjectAlternativeName = Code(.invalidSubjectAlternativeName)

        /// A `GN-…` subject alternative name of a kind that is not supported.
        public static let unsupportedSubjectAlternativeNameKind = Code(.unsupportedSubjectAlternativeNameKind)

        /// The group of causes this one belongs to: the error types PSEKit had before it had one.
        package var family: Family {
            switch cause {
            case .wrongPIN, .pinRequired, .malformedPSE, .unsupportedPSE, .missingPSEObject, .unsupportedKey:
                return .pse
            case .wrongPassword, .passwordRequired, .malformedPKCS12, .unsupportedAlgorithm,
                 .unsupportedVersion, .unsupportedPEM, .noPrivateKey, .noCertificate,
                 .keyDoesNotMatchCertificate, .workLimitExceeded:
                return .pkcs12
            case .malformedCredentialsFile, .malformedCredentialCipher, .unsupportedCredentialCipher,
                 .credentialDecryptionFailed, .malformedLPSBlob, .lpsChecksumMismatch,
                 .lpsProtectionNotDecryptable, .lpsRestrictedToAnotherUser, .windowsDPAPIProtected,
                 .unrecognizedCredential, .notRepresentable:
                return .credential
            case .emptyInput, .inputTooLarge, .tooManyCertificates, .unrecognizedFormat, .invalidDER,
                 .invalidPEM, .invalidCertificate, .weakKey, .unsupportedPKCS7Content, .noCertificates:
                return .certificateBundle
            case .emptySubject, .invalidValidity, .signingFailed:
                return .ownCertificate
            case .missingIssuer, .issuerSignatureMismatch, .chainLoop, .chainTooLong:
                return .ownCertificateChain
            case .invalidDistinguishedName:
                return .distinguishedName
            case .unknownSignatureAlgorithm, .unsupportedKeyType, .unsupportedKeySize, .unsupportedHash:
                return .signatureAlgorithm
            case .invalidSubjectAlternativeName, .unsupportedSubjectAlternativeNameKind:
                return .subjectAlternativeName
            }
        }
    }
}
