import PSELegacyCrypto
import SwiftASN1

/// What can be told about a PKCS#12 file without its password: its integrity (MAC) algorithm, and
/// for each part of its AuthenticatedSafe whether it is encrypted (and with what) or, when it is not,
/// its bags with their types and friendly names.
public struct PKCS12Outline: Hashable, Sendable {
    /// One safe bag of an unencrypted part.
    public struct Bag: Hashable, Sendable {
        /// "keyBag", "pkcs8ShroudedKeyBag", "certBag", "crlBag", "secretBag", "safeContentsBag" or the OID.
        public var type: String
        public var friendlyName: String?
    }

    /// One ContentInfo of the AuthenticatedSafe.
    public struct Part: Hashable, Sendable {
        /// The encryption algorithm of an `encryptedData` part; nil for a plain `data` part.
        public var encryption: String?
        /// The bags of a plain part (an encrypted part's bags need the password).
        public var bags: [Bag]
    }

    /// "SHA-256 HMAC, 2048 iterations", or nil when the file has no MAC.
    public var mac: String?
    public var parts: [Part]

    /// Reads the outline; throws when the bytes are not a PFX.
    public init(_ der: [UInt8]) throws {
        let pfx = try PKCS12Encoding.parse(der, as: PKCS12PFX.self, "PFX")
        guard pfx.authSafe.contentType == ContentInfo.dataType else {
            throw PSEKitError.unsupportedAlgorithm("PFX integrity mode \(pfx.authSafe.contentType) (only password integrity is supported)")
        }
        if let macData = pfx.macData {
            let digest = macData.mac.digestAlgorithm.algorithm
            let names: [ASN1ObjectIdentifier: String] = [
                PKCS12MacData.digestIdentifier(.sha1): "SHA-1", PKCS12MacData.digestIdentifier(.sha256): "SHA-256",
                PKCS12MacData.digestIdentifier(.sha384): "SHA-384", PKCS12MacData.digestIdentifier(.sha512): "SHA-512",
            ]
            let name = names[digest] ?? "\(digest)"
            mac = "\(name) HMAC, \(macData.iterations) iterations"
        }
        let authenticatedSafe = try PKCS12Encoding.parse(try pfx.authSafe.dataContent, as: PKCS12AuthenticatedSafe.self, "AuthenticatedSafe")
        parts = try authenticatedSafe.contents.map { contentInfo in
            switch contentInfo.contentType {
            case ContentInfo.dataType:
                let safeContents = try PKCS12Encoding.parse(contentInfo.dataContent, as: PKCS12SafeContents.self, "SafeContents")
                return Part(encryption: nil, bags: safeContents.bags.map { Bag(type: Self.name(ofBagType: $0.bagType), friendlyName: $0.friendlyName) })
            case ContentInfo.encryptedDataType:
                let algorithm = try contentInfo.encryptedDataContent.encryptedContentInfo.contentEncryptionAlgorithm
                return Part(encryption: Self.name(ofEncryption: algorithm), bags: [])
            default:
                return Part(encryption: "content type \(contentInfo.contentType)", bags: [])
            }
        }
    }

    static func name(ofBagType type: ASN1ObjectIdentifier) -> String {
        let names: [ASN1ObjectIdentifier: String] = [
            PKCS12ObjectIdentifier.keyBag: "keyBag", PKCS12ObjectIdentifier.pkcs8ShroudedKeyBag: "pkcs8ShroudedKeyBag",
            PKCS12ObjectIdentifier.certBag: "certBag", PKCS12ObjectIdentifier.crlBag: "crlBag",
            PKCS12ObjectIdentifier.secretBag: "secretBag", PKCS12ObjectIdentifier.safeContentsBag: "safeContentsBag",
        ]
        return names[type] ?? "\(type)"
    }

    static func name(ofEncryption algorithm: AlgorithmIdentifier) -> String {
        let names: [ASN1ObjectIdentifier: String] = [
            PKCS12ObjectIdentifier.pbes2: "PBES2",
            PKCS12ObjectIdentifier.pbeWithSHAAnd3KeyTripleDESCBC: "pbeWithSHAAnd3-KeyTripleDES-CBC",
            PKCS12ObjectIdentifier.pbeWithSHAAnd40BitRC2CBC: "pbeWithSHAAnd40BitRC2-CBC",
            PKCS12ObjectIdentifier.pbeWithSHAAnd128BitRC2CBC: "pbeWithSHAAnd128BitRC2-CBC",
            PKCS12ObjectIdentifier.pbeWithSHAAnd2KeyTripleDESCBC: "pbeWithSHAAnd2-KeyTripleDES-CBC",
        ]
        if algorithm.algorithm == PKCS12ObjectIdentifier.pbes2,
           let parameters = try? algorithm.decodeParameters(as: PBES2Parameters.self) {
            let cipher: [ASN1ObjectIdentifier: String] = [
                PKCS12ObjectIdentifier.aes256CBC: "AES-256-CBC", PKCS12ObjectIdentifier.aes128CBC: "AES-128-CBC",
            ]
            let scheme = parameters.encryptionScheme.algorithm
            return "PBES2 (PBKDF2, \(cipher[scheme] ?? "\(scheme)"))"
        }
        return names[algorithm.algorithm] ?? PasswordBasedEncryption.name(of: algorithm.algorithm)
    }
}
