/// The errors PSEKit throws, one factory per cause, each with the reason it gives. Package-only:
/// code outside the package matches on ``PSEKitError/code`` and reads ``PSEKitError/reason``.
extension PSEKitError {
    // MARK: Reading or writing a PSE

    /// The PIN does not open this PSE.
    package static let wrongPIN = PSEKitError(code: .wrongPIN, reason: "wrong PIN")

    /// The PSE is protected by a PIN and none was given.
    package static let pinRequired = PSEKitError(code: .pinRequired, reason: "the PSE is protected by a PIN and none was given")

    /// The bytes are not a PSE, or a PSE this code does not understand: `what` says why.
    package static func malformedPSE(_ what: String) -> PSEKitError {
        PSEKitError(code: .malformedPSE, reason: "not a valid PSE: \(what)")
    }

    /// A PSE variant that exists but cannot be handled here.
    package static func unsupportedPSE(_ what: String) -> PSEKitError {
        PSEKitError(code: .unsupportedPSE, reason: "unsupported PSE: \(what)")
    }

    /// The PSE has no object `name`.
    package static func missingPSEObject(_ name: String) -> PSEKitError {
        PSEKitError(code: .missingPSEObject, reason: "the PSE has no \(name)")
    }

    /// The key or certificate is not one a PSE can hold as psekit writes it; `reason` is the whole sentence.
    package static func unsupportedKey(_ reason: String) -> PSEKitError {
        PSEKitError(code: .unsupportedKey, reason: reason)
    }

    // MARK: PKCS#12, PKCS#8, PEM

    /// The password does not fit.
    package static let wrongPassword = PSEKitError(
        code: .wrongPassword, reason: "wrong password (the integrity check or the decryption failed)")

    /// The key is encrypted and no password was given.
    package static let passwordRequired = PSEKitError(
        code: .passwordRequired, reason: "the private key is encrypted: a password is required")

    /// The PKCS#12, PKCS#8 or PEM structure is not what the format prescribes.
    package static func malformedPKCS12(_ reason: String) -> PSEKitError {
        PSEKitError(code: .malformedPKCS12, reason: "malformed PKCS#12/PKCS#8 data: \(reason)")
    }

    /// An algorithm (given by name or object identifier) this implementation does not support.
    package static func unsupportedAlgorithm(_ algorithm: String) -> PSEKitError {
        PSEKitError(code: .unsupportedAlgorithm, reason: "unsupported algorithm: \(algorithm)")
    }

    /// A structure version this implementation does not support.
    package static func unsupportedVersion(_ version: Int) -> PSEKitError {
        PSEKitError(code: .unsupportedVersion, reason: "unsupported structure version \(version)")
    }

    /// The PEM text holds no block the reader accepts.
    package static func unsupportedPEM(_ reason: String) -> PSEKitError {
        PSEKitError(code: .unsupportedPEM, reason: "unsupported PEM input: \(reason)")
    }

    /// The file holds no private key.
    package static let noPrivateKey = PSEKitError(code: .noPrivateKey, reason: "no private key found")

    /// The file holds no certificate for the private key.
    package static let noCertificate = PSEKitError(code: .noCertificate, reason: "no certificate matches the private key")

    /// The certificate's public key is not the public half of the private key.
    package static let keyDoesNotMatchCertificate = PSEKitError(
        code: .keyDoesNotMatchCertificate, reason: "the certificate's public key does not belong to the private key")

    /// The file's key derivations ask for `requested` iterations, more than `limit`.
    package static func workLimitExceeded(requested: Int, limit: Int) -> PSEKitError {
        PSEKitError(
            code: .workLimitExceeded,
            reason: "the file's key derivations (MAC and encrypted contents) ask for at least \(requested) iterations in all, "
                + "more than the \(limit) one file may use; refused so that a hostile file cannot keep the CPU busy for "
                + "minutes (re-export it with fewer iterations, e.g. openssl pkcs12 -iter 2048)")
    }

    // MARK: Credentials

    /// The bytes are not a DER `SEQUENCE OF Credential`.
    package static func malformedCredentialsFile(_ reason: String) -> PSEKitError {
        PSEKitError(code: .malformedCredentialsFile, reason: "malformed credentials file: \(reason)")
    }

    /// A credential's cipher blob is too short or inconsistent.
    package static func malformedCredentialCipher(_ reason: String) -> PSEKitError {
        PSEKitError(code: .malformedCredentialCipher, reason: "malformed credential cipher: \(reason)")
    }

    /// The format-1 cipher header names `algorithm`, neither 0 (3DES) nor 1 (AES-256).
    package static func unsupportedCredentialCipher(_ algorithm: UInt8) -> PSEKitError {
        PSEKitError(
            code: .unsupportedCredentialCipher,
            reason: "unsupported credential cipher algorithm \(algorithm) (known: 0 = 3DES, 1 = AES-256)")
    }

    /// The cipher did not decrypt to a credential of `user`.
    package static func credentialDecryptionFailed(user: String) -> PSEKitError {
        PSEKitError(
            code: .credentialDecryptionFailed,
            reason: "the credential does not decrypt for user '\(user)' (stored for another user, or damaged)")
    }

    /// The LPS blob is not one this reader understands.
    package static func malformedLPSBlob(_ reason: String) -> PSEKitError {
        PSEKitError(code: .malformedLPSBlob, reason: "malformed LPS blob: \(reason)")
    }

    /// The LPS blob's CRC-32 does not match its content.
    package static func lpsChecksumMismatch(stored: UInt32, computed: UInt32) -> PSEKitError {
        PSEKitError(
            code: .lpsChecksumMismatch,
            reason: "LPS blob checksum mismatch: stored CRC-32 \(Hex.number(stored, digits: 8)), "
                + "computed \(Hex.number(computed, digits: 8)) (damaged data)")
    }

    /// The LPS blob is protected by `mechanism`, which only the machine that wrote it can use.
    package static func lpsProtectionNotDecryptable(_ mechanism: String) -> PSEKitError {
        PSEKitError(
            code: .lpsProtectionNotDecryptable,
            reason: "the credential is protected by LPS \(mechanism), which only the machine that wrote it can decrypt")
    }

    /// The LPS blob is restricted to `restriction`, not to `user`.
    package static func lpsRestrictedToAnotherUser(restriction: String, user: String) -> PSEKitError {
        PSEKitError(
            code: .lpsRestrictedToAnotherUser,
            reason: "the LPS credential is restricted to \(restriction), not to user '\(user)'")
    }

    /// The credential's PIN is wrapped by Windows DPAPI.
    package static let windowsDPAPIProtected = PSEKitError(
        code: .windowsDPAPIProtected,
        reason: "the credential's PIN is protected by Windows DPAPI (MSCryptProtect); only the Windows account "
            + "that stored it can open it, on that host")

    /// The credential entry is not one of the known shapes.
    package static let unrecognizedCredential = PSEKitError(
        code: .unrecognizedCredential, reason: "the credential entry has an unrecognized structure and cannot be decrypted")

    /// The text `field` does not fit the ASN.1 string type the credentials file needs.
    package static func notRepresentable(field: String) -> PSEKitError {
        PSEKitError(
            code: .notRepresentable,
            reason: "the \(field) contains characters the credentials file cannot store (ASCII only)")
    }

    // MARK: Certificate bundles

    /// The input is empty.
    package static let emptyInput = PSEKitError(code: .emptyInput, reason: "no certificate: the input is empty")

    /// The input of `size` bytes is larger than `limit`.
    package static func inputTooLarge(size: Int, limit: Int) -> PSEKitError {
        PSEKitError(
            code: .inputTooLarge,
            reason: "input of \(size) bytes is larger than the \(limit) bytes a certificate bundle may have")
    }

    /// More than `limit` certificates in one input.
    package static func tooManyCertificates(limit: Int) -> PSEKitError {
        PSEKitError(code: .tooManyCertificates, reason: "more than \(limit) certificates in one input")
    }

    /// Neither PEM, DER, Base64 nor PKCS#7.
    package static let unrecognizedFormat = PSEKitError(
        code: .unrecognizedFormat, reason: "not a certificate: expected PEM, DER, Base64 or PKCS#7 (.p7b) data")

    /// The DER bytes are neither a certificate nor a PKCS#7 bundle.
    package static func invalidDER(reason: String) -> PSEKitError {
        PSEKitError(code: .invalidDER, reason: "not a valid DER certificate or PKCS#7 bundle: \(reason)")
    }

    /// The PEM text is not valid.
    package static func invalidPEM(reason: String) -> PSEKitError {
        PSEKitError(code: .invalidPEM, reason: "invalid PEM: \(reason)")
    }

    /// The Base64 text of the PEM block `label` does not decode.
    package static func invalidBase64(label: String) -> PSEKitError {
        PSEKitError(code: .invalidPEM, reason: "invalid PEM: the Base64 text of the \(label) block does not decode")
    }

    /// Certificate `position` is not a valid X.509 certificate.
    package static func invalidCertificate(position: Int, reason: String) -> PSEKitError {
        PSEKitError(
            code: .invalidCertificate,
            reason: "certificate \(position) is not a valid X.509 certificate: \(reason)", position: position)
    }

    /// Certificate `position` reads but is refused (an RSA key under 2048 bits).
    package static func weakKey(position: Int, reason: String) -> PSEKitError {
        PSEKitError(code: .weakKey, reason: "certificate \(position) is refused: \(reason)", position: position)
    }

    /// PKCS#7 data of `contentType`, which holds no certificates.
    package static func unsupportedPKCS7Content(contentType: String) -> PSEKitError {
        PSEKitError(
            code: .unsupportedPKCS7Content,
            reason: "PKCS#7 data of type \(contentType) holds no certificates (expected signedData 1.2.840.113549.1.7.2)")
    }

    /// No certificates, only the blocks `otherBlocks`.
    package static func noCertificates(otherBlocks: [String]) -> PSEKitError {
        if otherBlocks.isEmpty { return PSEKitError(code: .noCertificates, reason: "no certificates found in the input") }
        return PSEKitError(
            code: .noCertificates,
            reason: "no certificates found in the input (it holds only: \(otherBlocks.joined(separator: ", ")))")
    }

    // MARK: Own certificates

    /// The distinguished name of the PSE owner is empty.
    package static let emptySubject = PSEKitError(
        code: .emptySubject,
        reason: "the distinguished name of the PSE owner is empty (give one such as \"CN=host.example.com, O=Example, C=DE\")")

    /// A validity of `days`, less than one day.
    package static func invalidValidity(days: Int) -> PSEKitError {
        PSEKitError(code: .invalidValidity, reason: "a certificate must be valid for at least one day, not \(days)")
    }

    /// Signing failed.
    package static func signingFailed(reason: String) -> PSEKitError {
        PSEKitError(code: .signingFailed, reason: "signing failed: \(reason)")
    }

    // MARK: Chains of own certificates

    /// The certificate of `issuer`, which issued `subject`, is missing.
    package static func missingIssuer(subject: String, issuer: String) -> PSEKitError {
        PSEKitError(
            code: .missingIssuer,
            reason: "the chain is incomplete: the certificate of \(issuer), which issued \(subject), is missing")
    }

    /// The signature of `subject` does not verify with the key of any certificate named `issuer`.
    package static func issuerSignatureMismatch(subject: String, issuer: String) -> PSEKitError {
        PSEKitError(
            code: .issuerSignatureMismatch,
            reason: "the signature of \(subject) does not verify with the key of any certificate named \(issuer)")
    }

    /// The chain runs in a circle at `subject`.
    package static func chainLoop(subject: String) -> PSEKitError {
        PSEKitError(code: .chainLoop, reason: "the chain runs in a circle at \(subject)")
    }

    /// The chain is longer than `limit` certificates.
    package static func chainTooLong(limit: Int) -> PSEKitError {
        PSEKitError(code: .chainTooLong, reason: "the chain is longer than \(limit) certificates")
    }

    // MARK: Distinguished names

    /// The distinguished name is empty.
    package static let emptyDistinguishedName = PSEKitError(
        code: .invalidDistinguishedName,
        reason: "invalid distinguished name: it is empty (expected e.g. \"CN=host.example.com, O=Example, C=DE\")")

    /// The distinguished name cannot be read at character `position`; `detail` says why.
    package static func invalidDistinguishedName(_ detail: String, position: Int) -> PSEKitError {
        PSEKitError(
            code: .invalidDistinguishedName,
            reason: "invalid distinguished name at character \(position): \(detail)", position: position)
    }

    /// Character `position` should be followed by '=' after the attribute name.
    package static func missingEqualsSign(position: Int) -> PSEKitError {
        invalidDistinguishedName("expected '=' after the attribute name", position: position)
    }

    /// The attribute name before '=' at `position` is missing.
    package static func emptyAttributeType(position: Int) -> PSEKitError {
        invalidDistinguishedName("attribute name missing before '='", position: position)
    }

    /// The attribute `name` at `position` is not known.
    package static func unknownAttributeType(_ name: String, position: Int) -> PSEKitError {
        invalidDistinguishedName(
            "unknown attribute \"\(name)\" "
                + "(known: CN, O, OU, C, L, SP/ST/S, E/EMAIL, DC, SN, G, T, SERIALNUMBER, UID, STREET, or a dotted OID)",
            position: position)
    }

    /// The attribute `attribute` has no value at `position`.
    package static func emptyAttributeValue(attribute: String, position: Int) -> PSEKitError {
        invalidDistinguishedName(
            "\(attribute) has no value (write \(attribute)=\"\" for an empty one)", position: position)
    }

    /// The quote opened at `position` is never closed.
    package static func unterminatedQuote(position: Int) -> PSEKitError {
        invalidDistinguishedName("the quote opened here is never closed", position: position)
    }

    /// The '\\' at `position` is not followed by a special character or two hex digits.
    package static func invalidEscape(position: Int) -> PSEKitError {
        invalidDistinguishedName(
            "'\\' must be followed by a special character or two hex digits", position: position)
    }

    /// The '#' at `position` is not followed by the hex DER encoding of a value.
    package static func invalidHexValue(position: Int) -> PSEKitError {
        invalidDistinguishedName("'#' must be followed by the hex DER encoding of a value", position: position)
    }

    /// The character `character` at `position` is not expected there.
    package static func unexpectedCharacter(_ character: Character, position: Int) -> PSEKitError {
        invalidDistinguishedName(
            "unexpected '\(character)' (quote the value or escape it with '\\')", position: position)
    }

    /// An empty component at `position`.
    package static func missingRDN(position: Int) -> PSEKitError {
        invalidDistinguishedName("expected an attribute such as CN=… (empty component)", position: position)
    }

    /// The value of `attribute` at `position` is not valid: `reason` says why.
    package static func invalidAttributeValue(attribute: String, reason: String, position: Int) -> PSEKitError {
        invalidDistinguishedName("\(attribute) \(reason)", position: position)
    }

    // MARK: Signature algorithms

    /// A signature algorithm name that is not known.
    package static func unknownSignatureAlgorithm(_ text: String) -> PSEKitError {
        PSEKitError(
            code: .unknownSignatureAlgorithm,
            reason: "unknown signature algorithm \"\(text)\" (use sha256WithRsaEncryption, sha384WithRsaEncryption, "
                + "sha512WithRsaEncryption, sha1WithRsaEncryption or RSA:SIZE:HASH such as RSA:2048:SHA256)")
    }

    /// A key type other than RSA.
    package static func unsupportedKeyType(_ type: String) -> PSEKitError {
        PSEKitError(
            code: .unsupportedKeyType,
            reason: "unsupported key type \"\(type)\": psekit creates RSA keys only (DSA and ECDSA PSEs are not supported yet); "
                + "use -a RSA, -a RSA:SIZE:HASH such as RSA:2048:SHA256, or leave -a out")
    }

    /// An RSA key size other than 2048, 3072 or 4096.
    package static func unsupportedKeySize(_ size: String) -> PSEKitError {
        PSEKitError(code: .unsupportedKeySize, reason: "unsupported RSA key size \"\(size)\" (use 2048, 3072 or 4096)")
    }

    /// A hash other than SHA-1, SHA-256, SHA-384 or SHA-512.
    package static func unsupportedHash(_ hash: String) -> PSEKitError {
        PSEKitError(code: .unsupportedHash, reason: "unsupported hash \"\(hash)\" (use SHA1, SHA256, SHA384 or SHA512)")
    }

    // MARK: Subject alternative names

    /// The alternative name `spec` cannot be used; `detail` says why.
    package static func invalidSubjectAlternativeName(_ spec: String, _ detail: String) -> PSEKitError {
        PSEKitError(code: .invalidSubjectAlternativeName, reason: "invalid alternative name \"\(spec)\": \(detail)")
    }

    /// An alternative name of a kind that is not supported.
    package static func unsupportedSubjectAlternativeNameKind(_ kind: String) -> PSEKitError {
        PSEKitError(
            code: .unsupportedSubjectAlternativeNameKind,
            reason: "unsupported alternative name kind \"\(kind)\" (supported: GN-dNSName, GN-iPAddress, "
                + "GN-rfc822Name, GN-uniformResourceIdentifier)")
    }
}
