import Crypto
import PSELegacyCrypto
import SwiftASN1
import X509

/// Reading and writing PKCS#12 files (RFC 7292) with password privacy and password integrity.
///
/// Reading accepts PBES2 (PBKDF2 with HMAC-SHA1/224/256/384/512; AES-128/192/256-CBC,
/// DES-EDE3-CBC, DES-CBC, RC2-CBC) and the PKCS#12 PBE schemes with triple DES and RC2, a MAC
/// with SHA-1/256/384/512 or none, and BER as well as DER.
public enum PKCS12 {
    /// The most key-derivation iterations one file may ask for, summed over all its derivations.
    public static let maximumKeyDerivationIterations = KeyDerivationBudget.maximumIterations

    /// Reads a PKCS#12 file.
    ///
    /// A wrong password is reported as `PSEKitError.wrongPassword`: the MAC does not verify, or,
    /// in a file without MAC, the content does not decrypt. The key derivations of the whole file
    /// (MAC, encrypted contents, shrouded keys) may together use at most
    /// `maximumKeyDerivationIterations` iterations (`PSEKitError.workLimitExceeded`).
    public static func parse(_ der: [UInt8], password: String) throws -> PKCS12Bundle {
        try parse(der, password: password, budget: KeyDerivationBudget())
    }

    /// `parse` with the work budget given (tests use a small one).
    static func parse(_ der: [UInt8], password: String, budget: KeyDerivationBudget) throws -> PKCS12Bundle {
        let pfx = try PKCS12Encoding.parse(der, as: PKCS12PFX.self, "PFX")
        guard pfx.authSafe.contentType == ContentInfo.dataType else {
            throw PSEKitError.unsupportedAlgorithm("PFX integrity mode \(pfx.authSafe.contentType) (only password integrity is supported)")
        }
        let authSafeBytes = try pfx.authSafe.dataContent
        let authenticatedSafe = try PKCS12Encoding.parse(authSafeBytes, as: PKCS12AuthenticatedSafe.self, "AuthenticatedSafe")
        // What the file declares before anything is decrypted: refused at once when over the budget.
        let declared = declaredIterations(macData: pfx.macData, password: password, contents: authenticatedSafe.contents)
        guard declared <= budget.limit else { throw PSEKitError.workLimitExceeded(requested: declared, limit: budget.limit) }
        var passwordVerified = false
        if let macData = pfx.macData {
            guard try macData.verify(authSafeBytes, password: password, budget: budget) else { throw PSEKitError.wrongPassword }
            passwordVerified = true
        }

        var collector = BagCollector(password: password, passwordVerified: passwordVerified, budget: budget)
        for contentInfo in authenticatedSafe.contents {
            switch contentInfo.contentType {
            case ContentInfo.dataType:
                try collector.collect(PKCS12Encoding.parse(contentInfo.dataContent, as: PKCS12SafeContents.self, "SafeContents"))
            case ContentInfo.encryptedDataType:
                let encrypted = try contentInfo.encryptedDataContent.encryptedContentInfo
                let plaintext = try collector.decrypting {
                    try PasswordBasedEncryption.decrypt(encrypted.encryptedContent, algorithm: encrypted.contentEncryptionAlgorithm,
                                                        password: password, budget: budget)
                }
                let safeContents = try collector.parsingDecrypted {
                    try PKCS12Encoding.parse(plaintext, as: PKCS12SafeContents.self, "decrypted SafeContents")
                }
                try collector.collect(safeContents)
            default:
                throw PSEKitError.unsupportedAlgorithm("AuthenticatedSafe content type \(contentInfo.contentType)")
            }
        }
        return collector.bundle()
    }

    /// The key-derivation iterations a file declares outside its encrypted parts: the MAC's (twice
    /// for an empty password, tried also as no password), each encrypted content's, and each
    /// shrouded key's in plain contents. Unreadable parts count 0 here; they fail later.
    static func declaredIterations(macData: PKCS12MacData?, password: String, contents: [ContentInfo]) -> Int {
        var total = macData.map { min(max($0.iterations, 0), Int(UInt32.max)) * (password.isEmpty ? 2 : 1) } ?? 0
        for contentInfo in contents {
            switch contentInfo.contentType {
            case ContentInfo.encryptedDataType:
                if let encrypted = try? contentInfo.encryptedDataContent.encryptedContentInfo {
                    total += PasswordBasedEncryption.declaredIterations(of: encrypted.contentEncryptionAlgorithm)
                }
            case ContentInfo.dataType:
                guard let bytes = try? contentInfo.dataContent,
                      let safeContents = try? PKCS12Encoding.parse(bytes, as: PKCS12SafeContents.self, "SafeContents") else { continue }
                for bag in safeContents.bags where bag.bagType == PKCS12ObjectIdentifier.pkcs8ShroudedKeyBag {
                    if let encrypted = try? PKCS12Encoding.parseAny(bag.bagValue, as: EncryptedPrivateKeyInfo.self, "pkcs8ShroudedKeyBag") {
                        total += PasswordBasedEncryption.declaredIterations(of: encrypted.encryptionAlgorithm)
                    }
                }
            default:
                continue
            }
        }
        return total
    }

    /// Writes a PKCS#12 file holding the key, its certificate (with `friendlyName` and a
    /// localKeyId, the SHA-1 of the certificate, on both) and the chain certificates.
    public static func build(privateKey: PKCS8PrivateKey, certificate: Certificate, chain: [Certificate], password: String,
                             friendlyName: String?, options: PKCS12Options) throws -> [UInt8] {
        switch privateKey.keyType {
        case .rsa, .ec, .ed25519:
            guard privateKey.matches(certificate) else { throw PSEKitError.keyDoesNotMatchCertificate }
        case .dsa, .other:
            break   // cannot be compared here; written as given
        }
        let certificateDER = try PKCS12Encoding.derBytes(certificate)
        var attributes = [try PKCS12Attribute.localKeyID(Array(Insecure.SHA1.hash(data: certificateDER)))]
        if let friendlyName { attributes.insert(try PKCS12Attribute.friendlyName(friendlyName), at: 0) }

        var certificateBags = [PKCS12SafeBag(bagType: PKCS12ObjectIdentifier.certBag,
                                             bagValue: try ASN1Any(erasing: PKCS12CertBag(x509Certificate: certificateDER)),
                                             attributes: attributes)]
        for chainCertificate in chain where chainCertificate != certificate {
            certificateBags.append(PKCS12SafeBag(
                bagType: PKCS12ObjectIdentifier.certBag,
                bagValue: try ASN1Any(erasing: PKCS12CertBag(x509Certificate: PKCS12Encoding.derBytes(chainCertificate))),
                attributes: []))
        }
        let certificateContents = try PKCS12Encoding.derBytes(PKCS12SafeContents(bags: certificateBags))
        let certificateContentInfo: ContentInfo
        if let scheme = options.certificateEncryption {
            let (algorithm, ciphertext) = try PasswordBasedEncryption.encrypt(certificateContents, scheme: scheme,
                                                                               iterations: options.iterations, password: password)
            certificateContentInfo = try ContentInfo(encryptedData: PKCS12EncryptedData(
                encryptedContentInfo: PKCS12EncryptedContentInfo(contentType: ContentInfo.dataType,
                                                                 contentEncryptionAlgorithm: algorithm,
                                                                 encryptedContent: ciphertext)))
        } else {
            certificateContentInfo = try ContentInfo(data: certificateContents)
        }

        let shroudedKey = try EncryptedPrivateKeyInfo(encrypting: privateKey, password: password,
                                                      scheme: options.keyEncryption, iterations: options.iterations)
        let keyBag = PKCS12SafeBag(bagType: PKCS12ObjectIdentifier.pkcs8ShroudedKeyBag, bagValue: try ASN1Any(erasing: shroudedKey),
                                   attributes: attributes)
        let keyContentInfo = try ContentInfo(data: PKCS12Encoding.derBytes(PKCS12SafeContents(bags: [keyBag])))

        let authSafeBytes = try PKCS12Encoding.derBytes(PKCS12AuthenticatedSafe(contents: [certificateContentInfo, keyContentInfo]))
        let macData = try options.macAlgorithm.map { algorithm in
            try PKCS12MacData(authenticating: authSafeBytes, password: password, hash: algorithm.keyDerivationHash,
                              iterations: options.macIterations)
        }
        return try PKCS12Encoding.derBytes(PKCS12PFX(authSafe: ContentInfo(data: authSafeBytes), macData: macData))
    }

    /// Orders `certificates` as a chain starting at the issuer of `leaf`, along verified issuer
    /// links (``IssuerWalk``); certificates outside the path keep their order at the end. Without a leaf, the
    /// path starts at a certificate that issued none of the others.
    static func orderChain(leaf: Certificate?, certificates: [Certificate]) -> [Certificate] {
        var remaining: [Certificate] = []
        for certificate in certificates where certificate != leaf && !remaining.contains(certificate) {
            remaining.append(certificate)
        }
        // Without a leaf, start at the certificate no other one names as its issuer.
        guard let start = leaf ?? remaining.first(where: { candidate in
            !remaining.contains { $0 != candidate && $0.issuer == candidate.subject }
        }) else { return remaining }
        let path = IssuerWalk.walk(from: start, through: remaining).path
        let ordered = leaf == nil ? path : Array(path.dropFirst())
        return ordered + remaining.filter { !ordered.contains($0) }
    }
}

extension PKCS12Options.MACAlgorithm {
    var keyDerivationHash: PKCS12KeyDerivation.Hash {
        switch self {
        case .sha1: return .sha1
        case .sha256: return .sha256
        case .sha384: return .sha384
        case .sha512: return .sha512
        }
    }
}

/// Gathers keys and certificates from the safe bags of a PFX, and sorts them into a bundle.
private struct BagCollector {
    let password: String
    /// Whether the MAC has already proved the password right (then a decryption failure is damage, not a wrong password).
    let passwordVerified: Bool
    let budget: KeyDerivationBudget
    var keys: [(key: PKCS8PrivateKey, localKeyID: [UInt8]?, friendlyName: String?)] = []
    var certificates: [(certificate: Certificate, localKeyID: [UInt8]?, friendlyName: String?)] = []
    var weakCertificates: [[UInt8]] = []

    init(password: String, passwordVerified: Bool, budget: KeyDerivationBudget) {
        self.password = password
        self.passwordVerified = passwordVerified
        self.budget = budget
    }

    /// Runs a decryption. A padding failure is a wrong password, unless the MAC has already
    /// proved the password right: then the file is damaged.
    func decrypting<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PSEKitError where error.code == .wrongPassword && passwordVerified {
            throw PSEKitError.malformedPKCS12("encrypted content does not decrypt with the password that verified the MAC")
        }
    }

    /// Parses decrypted content. Without a MAC, garbage that happened to end in valid padding
    /// means a wrong password too.
    func parsingDecrypted<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch where !passwordVerified {
            throw PSEKitError.wrongPassword
        }
    }

    mutating func collect(_ safeContents: PKCS12SafeContents, depth: Int = 0) throws {
        guard depth < 8 else { throw PSEKitError.malformedPKCS12("safe contents nested too deeply") }
        for bag in safeContents.bags {
            switch bag.bagType {
            case PKCS12ObjectIdentifier.keyBag:
                let info = try PKCS12Encoding.parseAny(bag.bagValue, as: PrivateKeyInfo.self, "keyBag")
                keys.append((PKCS8PrivateKey(info: info, derRepresentation: try PKCS12Encoding.derBytes(info)),
                             bag.localKeyID, bag.friendlyName))
            case PKCS12ObjectIdentifier.pkcs8ShroudedKeyBag:
                let encrypted = try PKCS12Encoding.parseAny(bag.bagValue, as: EncryptedPrivateKeyInfo.self, "pkcs8ShroudedKeyBag")
                let key = try decrypting { try encrypted.decrypt(password: password, budget: budget) }
                keys.append((key, bag.localKeyID, bag.friendlyName))
            case PKCS12ObjectIdentifier.certBag:
                let certBag = try PKCS12Encoding.parseAny(bag.bagValue, as: PKCS12CertBag.self, "certBag")
                guard let der = try certBag.x509CertificateDER else { continue }   // SDSI certificates are skipped
                let certificate: Certificate
                do {
                    certificate = try Certificate(derEncoded: der)
                } catch {
                    if CertificateOutline.isWeak(Array(der)) {
                        weakCertificates.append(Array(der))
                        continue
                    }
                    throw PSEKitError.malformedPKCS12("a certBag does not hold a valid X.509 certificate (\(CertificateOutline.reasonUnreadable(Array(der), error: error)))")
                }
                certificates.append((certificate, bag.localKeyID, bag.friendlyName))
            case PKCS12ObjectIdentifier.safeContentsBag:
                try collect(PKCS12Encoding.parseAny(bag.bagValue, as: PKCS12SafeContents.self, "safeContentsBag"), depth: depth + 1)
            default:
                continue   // CRL and secret bags carry nothing a PSE can hold
            }
        }
    }

    func bundle() -> PKCS12Bundle {
        guard let key = keys.first else {
            return PKCS12Bundle(privateKey: nil, certificate: nil,
                                chain: PKCS12.orderChain(leaf: nil, certificates: certificates.map(\.certificate)),
                                friendlyName: certificates.lazy.compactMap(\.friendlyName).first, weakCertificates: weakCertificates)
        }
        let match = certificates.first { key.key.matches($0.certificate) }
            ?? certificates.first { key.localKeyID != nil && $0.localKeyID == key.localKeyID }
        let chain = PKCS12.orderChain(leaf: match?.certificate, certificates: certificates.map(\.certificate))
        return PKCS12Bundle(privateKey: key.key, certificate: match?.certificate, chain: chain,
                            friendlyName: key.friendlyName ?? match?.friendlyName, weakCertificates: weakCertificates)
    }
}
