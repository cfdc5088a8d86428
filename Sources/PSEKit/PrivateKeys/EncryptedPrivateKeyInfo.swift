import SwiftASN1

/// A PKCS#8 private key encrypted under a password (RFC 5208 section 6; PEM label
/// "ENCRYPTED PRIVATE KEY"), and the value of a PKCS#12 `pkcs8ShroudedKeyBag`.
///
/// ```
/// EncryptedPrivateKeyInfo ::= SEQUENCE {
///     encryptionAlgorithm  AlgorithmIdentifier,   -- PBES2 or a PKCS#12 PBE scheme
///     encryptedData        OCTET STRING }         -- the encrypted DER of a PrivateKeyInfo
/// ```
package struct EncryptedPrivateKeyInfo: DERImplicitlyTaggable, BERImplicitlyTaggable, Hashable, Sendable {
    package static var defaultIdentifier: ASN1Identifier { .sequence }

    var encryptionAlgorithm: AlgorithmIdentifier
    /// The ciphertext.
    package var encryptedData: [UInt8]

    init(encryptionAlgorithm: AlgorithmIdentifier, encryptedData: [UInt8]) {
        self.encryptionAlgorithm = encryptionAlgorithm
        self.encryptedData = encryptedData
    }

    /// Parses the DER (or BER) of an `EncryptedPrivateKeyInfo`.
    package init(derRepresentation: [UInt8]) throws {
        self = try PKCS12Encoding.parse(derRepresentation, as: EncryptedPrivateKeyInfo.self, "EncryptedPrivateKeyInfo")
    }

    /// Encrypts a private key under `password` with a fresh salt.
    package init(encrypting privateKey: PKCS8PrivateKey, password: String,
                scheme: PasswordBasedEncryptionScheme = .pbes2AES256CBC, iterations: Int = 2048) throws {
        let (algorithm, ciphertext) = try PasswordBasedEncryption.encrypt(privateKey.derRepresentation, scheme: scheme,
                                                                           iterations: iterations, password: password)
        self.init(encryptionAlgorithm: algorithm, encryptedData: ciphertext)
    }

    /// The DER of this structure.
    package var derRepresentation: [UInt8] {
        get throws { try PKCS12Encoding.derBytes(self) }
    }

    /// Decrypts the key; a wrong password is reported as `PSEKitError.wrongPassword`.
    package func decrypt(password: String) throws -> PKCS8PrivateKey {
        try decrypt(password: password, budget: nil)
    }

    /// Decrypts, charging the key derivation to `budget` (the work budget of a PKCS#12 file).
    func decrypt(password: String, budget: KeyDerivationBudget?) throws -> PKCS8PrivateKey {
        let plaintext = try PasswordBasedEncryption.decrypt(encryptedData, algorithm: encryptionAlgorithm, password: password,
                                                            budget: budget)
        do {
            return try PKCS8PrivateKey(derRepresentation: plaintext)
        } catch {
            // Padding that happens to look right over garbage: still the wrong password.
            throw PSEKitError.wrongPassword
        }
    }

    package init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        try self.init(berEncoded: rootNode, withIdentifier: identifier)
    }

    package init(berEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try BER.sequence(rootNode, identifier: identifier) { nodes in
            let algorithm = try AlgorithmIdentifier(berEncoded: &nodes)
            let data = try ASN1OctetString(berEncoded: &nodes)
            return EncryptedPrivateKeyInfo(encryptionAlgorithm: algorithm, encryptedData: Array(data.bytes))
        }
    }

    package func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(encryptionAlgorithm)
            try coder.serialize(ASN1OctetString(contentBytes: encryptedData[...]))
        }
    }
}
