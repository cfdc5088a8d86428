import Crypto
import CryptoExtras
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSELegacyCrypto
import SwiftASN1

/// A whole PSE file: its version, its protection and its content.
///
/// ```
/// PSEFile ::= SEQUENCE {
///     version  INTEGER,          -- 2 or 4; 256 is reported for LPS-protected PSEs
///     body     PSEBody }
///
/// PSEBody ::= CHOICE {
///     v2Encrypted  [0] IMPLICIT V2Encrypted,   -- version 2 with a PIN
///     v4Container  [3] IMPLICIT V4Container,   -- version 4, with or without PIN
///     v2Plain      PSEContent }                -- version 2 without PIN
/// ```
///
/// Decoding keeps the salt and iteration count, so that encoding again with the same PIN gives
/// the original bytes.
public struct PSEFile: Sendable {
    /// How a PSE file is stored, which can be told without a PIN.
    public enum Layout: String, Sendable, Codable {
        case v2Plain = "v2 without PIN"
        case v2Encrypted = "v2 with PIN"
        case v4Plain = "v4 without PIN"
        case v4Encrypted = "v4 with PIN"
        /// Version 256: protected by LPS (STRUST's "Protected" mode); read-only in psekit.
        case lpsProtected = "v256 LPS-protected (read-only)"

        public var version: Int {
            switch self {
            case .v2Plain, .v2Encrypted: return 2
            case .v4Plain, .v4Encrypted: return 4
            case .lpsProtected: return 256
            }
        }
        public var isPINProtected: Bool { self == .v2Encrypted || self == .v4Encrypted }
    }

    /// 2 or 4; 256 for an LPS-protected PSE (which cannot be written).
    public var version: Int
    /// The PBE algorithm of the container (salt and iterations); for a plain PSE, the one
    /// that encrypting it would use.
    public var algorithm: PSEEncryptionAlgorithm
    public var content: PSEContent
    /// Whether the file was read with a PIN (informational; `encoded(pin:)` decides).
    public private(set) var wasPINProtected: Bool

    public init(version: Int = 2, algorithm: PSEEncryptionAlgorithm = .random(), content: PSEContent) {
        self.version = version
        self.algorithm = algorithm
        self.content = content
        self.wasPINProtected = false
    }

    /// The largest PSE psekit writes (4 MiB). Real ones are a few kilobytes; one with a thousand
    /// trusted certificates is about 1.5 MiB. The limit bounds what a hostile file costs: parsing
    /// 4 MiB of the smallest possible DER elements takes about 270 MB of memory.
    ///
    /// The one limit for both sides: psekit writes no PSE larger than this (`StoredPSE.save`
    /// refuses it), and reads up to `maximumReadSize`, derived from it, so that a PSE that grew
    /// beyond it elsewhere (or under an older psekit) can still be opened to shrink it
    /// (`maintain_pk -d`), list it or export its key.
    public static let maximumSize = 4 << 20

    /// The largest PSE psekit opens: twice `maximumSize` (8 MiB, about 550 MB of memory at worst),
    /// a margin for rescue only.
    public static let maximumReadSize = 2 * maximumSize

    // MARK: Reading

    /// Tells how a file is stored, without a PIN. Throws when the bytes are not a PSE.
    public static func layout(of bytes: [UInt8]) throws -> Layout {
        try parseContainer(bytes).layout
    }

    /// Decodes a PSE. `pin` may be nil for a PSE without PIN; a PIN given for a plain PSE is ignored.
    public static func decode(_ bytes: [UInt8], pin: String?) throws -> PSEFile {
        let container = try parseContainer(bytes)
        switch container {
        case .v2Plain(let content):
            let algorithm = (try? PSEEncryptionAlgorithm(derEncoded: DER.parse(PSEDER.encode(content.algorithm))))
                ?? .random()
            return PSEFile(version: 2, algorithm: algorithm, content: content, wasPINProtected: false)
        case .v2Encrypted(let body):
            guard let pin else { throw PSEKitError.pinRequired }
            let (key, iv) = try body.algorithm.keyAndIV(pin: pin)
            let expectedPIN = try TripleDESCBC.encrypt(Array(pin.utf8), key: key, iv: iv)
            guard expectedPIN == body.encryptedPIN else { throw PSEKitError.wrongPIN }
            let plaintext: [UInt8]
            do {
                plaintext = try TripleDESCBC.decrypt(body.encryptedContent, key: key, iv: iv)
            } catch {
                throw PSEKitError.malformedPSE("the encrypted content does not decrypt")
            }
            return PSEFile(version: 2, algorithm: body.algorithm, content: try parseContent(plaintext), wasPINProtected: true)
        case .v4(let container):
            if container.encrypted == 0 {
                guard Array(Insecure.SHA1.hash(data: container.content)) == container.contentHash else {
                    throw PSEKitError.malformedPSE("the content does not match its SHA-1 hash")
                }
                return PSEFile(version: 4, algorithm: container.algorithm, content: try parseContent(container.content),
                               wasPINProtected: false)
            }
            guard let pin else { throw PSEKitError.pinRequired }
            let (key, iv) = try container.algorithm.keyAndIV(pin: pin)
            guard let plaintext = try? TripleDESCBC.decrypt(container.content, key: key, iv: iv),
                  Array(Insecure.SHA1.hash(data: plaintext)) == container.contentHash else {
                throw PSEKitError.wrongPIN
            }
            return PSEFile(version: 4, algorithm: container.algorithm, content: try parseContent(plaintext), wasPINProtected: true)
        case .lps(let body):
            let content = try parseContent(try decryptLPS(body))
            let algorithm = (try? PSEEncryptionAlgorithm(derEncoded: DER.parse(PSEDER.encode(content.algorithm)))) ?? .random()
            return PSEFile(version: 256, algorithm: algorithm, content: content, wasPINProtected: false)
        }
    }

    /// The content of an LPS-protected PSE: the LPS blob (fallback mode only) gives 32 key bytes
    /// and 16 IV bytes for AES-256-CBC; the plaintext is the DER of PSEContent (padding ignored).
    static func decryptLPS(_ body: LPSProtectedBody) throws -> [UInt8] {
        let blob: LPSBlob
        do { blob = try LPSBlob(bytes: body.lpsBlob) } catch {
            throw PSEKitError.malformedPSE("LPS blob: \(ErrorText.of(error))")
        }
        guard blob.protection == .fallback else {
            throw PSEKitError.unsupportedPSE("LPS-protected PSE (version 256) under LPS \(blob.protection): only the machine that wrote it "
                + "can open it; export it there without LPS (STRUST or sapgenpse) to use it elsewhere")
        }
        guard body.algorithm == PKCS12ObjectIdentifier.aes256CBC else {
            throw PSEKitError.unsupportedPSE("LPS-protected PSE with content algorithm \(body.algorithm) (known: aes256-CBC)")
        }
        let keyMaterial: [UInt8]
        do { keyMaterial = try blob.decryptData() } catch {
            throw PSEKitError.malformedPSE("LPS blob: \(ErrorText.of(error))")
        }
        guard keyMaterial.count >= 48, !body.encryptedContent.isEmpty, body.encryptedContent.count % 16 == 0 else {
            throw PSEKitError.malformedPSE("LPS-protected content: \(keyMaterial.count)-byte key material, \(body.encryptedContent.count)-byte content")
        }
        let plaintext: [UInt8]
        do {
            plaintext = Array(try AES._CBC.decrypt(body.encryptedContent, using: SymmetricKey(data: keyMaterial[0..<32]),
                                                   iv: AES._CBC.IV(ivBytes: keyMaterial[32..<48]), noPadding: true))
        } catch {
            throw PSEKitError.malformedPSE("the LPS-protected content does not decrypt")
        }
        return Array(CertificateBundle.firstElement(of: plaintext))
    }

    private init(version: Int, algorithm: PSEEncryptionAlgorithm, content: PSEContent, wasPINProtected: Bool) {
        self.version = version
        self.algorithm = algorithm
        self.content = content
        self.wasPINProtected = wasPINProtected
    }

    // MARK: Writing

    /// Encodes the PSE; an empty or nil PIN writes it without PIN. When encrypting, the
    /// content's algorithm is set to the container's, as SAP's tools write it.
    public func encoded(pin: String?) throws -> [UInt8] {
        let protected = !(pin ?? "").isEmpty
        var content = self.content
        if protected { content.algorithm = try ASN1Any(erasing: algorithm) }
        let plaintext = try content.derEncoded()
        var coder = DER.Serializer()
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(version)
            switch (version, protected) {
            case (2, false):
                try coder.serialize(content)
            case (2, true):
                let (key, iv) = try algorithm.keyAndIV(pin: pin!)
                let body = V2EncryptedBody(encryptedPIN: try TripleDESCBC.encrypt(Array(pin!.utf8), key: key, iv: iv),
                                           algorithm: algorithm,
                                           encryptedContent: try TripleDESCBC.encrypt(plaintext, key: key, iv: iv))
                try coder.serialize(body)
            case (4, _):
                var stored = plaintext
                if protected {
                    let (key, iv) = try algorithm.keyAndIV(pin: pin!)
                    stored = try TripleDESCBC.encrypt(plaintext, key: key, iv: iv)
                }
                try coder.serialize(V4Container(encrypted: protected ? 1 : 0, algorithm: algorithm, content: stored,
                                                contentHash: Array(Insecure.SHA1.hash(data: plaintext))))
            case (256, _):
                throw PSEKitError.unsupportedPSE("an LPS-protected PSE (version 256) is read-only in psekit; export its "
                    + "identity to a PKCS#12 file and import that into a new PSE without LPS")
            default:
                throw PSEKitError.unsupportedPSE("PSE version \(version) cannot be written; use 2 or 4")
            }
        }
        return coder.serializedBytes
    }

    // MARK: Container

    private enum Container {
        case v2Plain(PSEContent)
        case v2Encrypted(V2EncryptedBody)
        case v4(V4Container)
        case lps(LPSProtectedBody)

        var layout: Layout {
            switch self {
            case .lps: return .lpsProtected
            case .v2Plain: return .v2Plain
            case .v2Encrypted: return .v2Encrypted
            case .v4(let container): return container.encrypted == 0 ? .v4Plain : .v4Encrypted
            }
        }
    }

    private static func parseContainer(_ bytes: [UInt8]) throws -> Container {
        guard !bytes.isEmpty else { throw PSEKitError.malformedPSE("the file is empty") }
        guard bytes.count <= maximumReadSize else { throw PSEKitError.malformedPSE("the file is larger than \(maximumReadSize >> 20) MiB") }
        guard bytes[0] == 0x30 else { throw PSEKitError.malformedPSE("it does not start with a DER SEQUENCE") }
        do {
            return try DER.sequence(try DER.parse(bytes), identifier: .sequence) { nodes in
                let version = try Int(derEncoded: &nodes)
                guard let body = nodes.next() else { throw PSEKitError.malformedPSE("no body after the version") }
                switch (version, body.identifier) {
                case (2, .sequence):
                    return .v2Plain(try PSEContent(derEncoded: body))
                case (2, V2EncryptedBody.defaultIdentifier):
                    return .v2Encrypted(try V2EncryptedBody(derEncoded: body))
                case (4, V4Container.defaultIdentifier):
                    return .v4(try V4Container(derEncoded: body))
                case (256, LPSProtectedBody.defaultIdentifier):
                    return .lps(try LPSProtectedBody(derEncoded: body))
                default:
                    throw PSEKitError.unsupportedPSE("version \(version) with body \(body.identifier)")
                }
            }
        } catch let error as PSEKitError where error.code.family == .pse {
            throw error
        } catch {
            throw PSEKitError.malformedPSE(Self.describe(error))
        }
    }

    private static func parseContent(_ plaintext: [UInt8]) throws -> PSEContent {
        do {
            return try PSEContent(derEncoded: DER.parse(plaintext))
        } catch {
            throw PSEKitError.malformedPSE("content: \(describe(error))")
        }
    }

    static func describe(_ error: Error) -> String {
        if let asn1 = error as? ASN1Error {
            switch asn1.code {
            case .truncatedASN1Field: return "the file is truncated"
            default: return "invalid DER (\(asn1.code))"
            }
        }
        return ErrorText.of(error)
    }
}
