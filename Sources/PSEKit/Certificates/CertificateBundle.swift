#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SwiftASN1
import X509

/// Reads and writes the ways certificates travel as files: PEM (one or many blocks, text around
/// them ignored), DER, Base64 without PEM armour (`.cer` files), and PKCS#7 certificates-only
/// bundles (`.p7b`, DER, BER or `-----BEGIN PKCS7-----`).
public enum CertificateBundle {
    /// Inputs larger than this are refused (16 MiB).
    public static let maximumInputSize = 16 * 1024 * 1024
    /// At most this many certificates are read from one input.
    public static let maximumCertificateCount = 10_000

    /// PEM labels whose content is a certificate (or, for TRUSTED CERTIFICATE, a certificate
    /// followed by OpenSSL's trust settings).
    static let certificateLabels: Set<String> = ["CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"]
    /// PEM labels whose content is a PKCS#7 ContentInfo.
    static let pkcs7Labels: Set<String> = ["PKCS7", "PKCS #7 SIGNED DATA", "CMS"]

    /// Every certificate in `bytes`, in the order they appear. A certificate swift-certificates
    /// refuses for an RSA key under 2048 bits fails the whole input with
    /// a ``PSEKitError`` with code ``PSEKitError/Code/weakKey``.
    public static func parse(_ bytes: [UInt8]) throws -> [Certificate] {
        var collection = CertificateCollection(keepsWeak: false)
        try parse(bytes, into: &collection)
        return collection.certificates
    }

    /// Every certificate in `bytes`, and apart from them, as DER in the order they appear, the
    /// certificates swift-certificates refuses for an RSA key under 2048 bits (old CAs a PSE may
    /// still trust: ``PSEContent/addWeakTrustedCertificate(_:modified:)``).
    public static func parseKeepingWeak(_ bytes: [UInt8]) throws -> (certificates: [Certificate], weak: [[UInt8]]) {
        var collection = CertificateCollection(keepsWeak: true)
        try parse(bytes, into: &collection)
        return (collection.certificates, collection.weak)
    }

    static func parse(_ bytes: [UInt8], into collection: inout CertificateCollection) throws {
        guard bytes.count <= maximumInputSize else {
            throw PSEKitError.inputTooLarge(size: bytes.count, limit: maximumInputSize)
        }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }  // UTF-8 byte order mark
        while let first = body.first, PEMReader.isWhitespace(first) { body = body.dropFirst() }
        guard let first = body.first else { throw PSEKitError.emptyInput }

        if first == 0x30 {
            try parseDER(Array(body), into: &collection)
        } else if PEMScanner.firstIndex(of: PEMScanner.beginPrefix, in: body, from: body.startIndex) != nil {
            var scanner = PEMScanner()
            try parsePEM(body, scanner: &scanner, into: &collection)
        } else if let der = PEMReader.decodeBase64(body), der.first == 0x30 {
            try parseDER(der, into: &collection)
        } else {
            throw PSEKitError.unrecognizedFormat
        }
        guard collection.count > 0 else { throw PSEKitError.noCertificates(otherBlocks: []) }
    }

    /// A certificates-only PKCS#7 bundle (DER), as `openssl crl2pkcs7 -nocrl` writes it; the
    /// certificates keep their order.
    public static func pkcs7(_ certificates: [Certificate]) -> [UInt8] {
        var serializer = DER.Serializer()
        // Serialising certificates that were parsed or built by swift-certificates cannot fail.
        try! serializer.serialize(ContentInfo(PKCS7SignedData.certificatesOnly(certificates)))
        return serializer.serializedBytes
    }

    /// The certificates as PEM blocks, each `-----BEGIN CERTIFICATE-----` with 64-character lines,
    /// ending in a newline.
    public static func pem(_ certificates: [Certificate]) -> String {
        certificates.map { PEMDocument(type: "CERTIFICATE", derBytes: derBytes(of: $0)).pemString + "\n" }.joined()
    }

    /// The DER encoding of a certificate.
    public static func derBytes(of certificate: Certificate) -> [UInt8] {
        var serializer = DER.Serializer()
        try! serializer.serialize(certificate)  // see pkcs7(_:)
        return serializer.serializedBytes
    }

    // MARK: - DER

    /// A DER (or BER) certificate, or a PKCS#7 ContentInfo with certificates.
    static func parseDER(_ bytes: [UInt8], into collection: inout CertificateCollection) throws {
        let node: ASN1Node
        var isBER = false
        do {
            node = try DER.parse(bytes)
        } catch let derError {
            // Some tools write PKCS#7 with BER indefinite lengths; the node tree is the same shape.
            guard let berNode = try? BER.parse(bytes) else {
                throw PSEKitError.invalidDER(reason: ErrorText.of(derError))
            }
            node = berNode
            isBER = true
        }
        let first = collection.certificates.count
        try parseDERNode(node, into: &collection)
        if isBER {
            // The certificates inside must still be DER: their signatures cover their exact bytes.
            for certificate in collection.certificates[first...] {
                guard (try? Certificate(derEncoded: derBytes(of: certificate))) == certificate else {
                    throw PSEKitError.invalidDER(reason: "a certificate inside the BER data is not DER-encoded")
                }
            }
        }
    }

    static func parseDERNode(_ node: ASN1Node, into collection: inout CertificateCollection) throws {
        guard node.identifier == .sequence, case .constructed(let children) = node.content,
              let firstChild = children.first(where: { _ in true }) else {
            throw PSEKitError.invalidDER(reason: "the data is not an ASN.1 SEQUENCE")
        }
        if firstChild.identifier == .objectIdentifier {
            return try certificates(fromContentInfo: node, into: &collection)
        }
        try collection.add(Array(node.encodedBytes))
    }

    static func certificates(fromContentInfo node: ASN1Node, into collection: inout CertificateCollection) throws {
        let contentInfo: ContentInfo
        do {
            contentInfo = try ContentInfo(derEncoded: node)
        } catch {
            throw PSEKitError.invalidDER(reason: "PKCS#7 ContentInfo: \(ErrorText.of(error))")
        }
        guard contentInfo.contentType == ContentInfo.signedDataType else {
            throw PSEKitError.unsupportedPKCS7Content(contentType: String(describing: contentInfo.contentType))
        }
        let signedData: PKCS7SignedData?
        do {
            signedData = try contentInfo.signedData()
        } catch {
            throw PSEKitError.invalidDER(reason: "PKCS#7 SignedData: \(ErrorText.of(error))")
        }
        guard let signedData else { return }
        guard (signedData.certificates?.count ?? 0) + signedData.weakCertificates.count <= maximumCertificateCount else {
            throw PSEKitError.tooManyCertificates(limit: maximumCertificateCount)
        }
        collection.certificates += signedData.certificates ?? []
        for der in signedData.weakCertificates { try collection.add(der) }
    }

    // MARK: - PEM

    /// Every CERTIFICATE and PKCS7 block of PEM text; anything between blocks is ignored.
    /// Tolerates lines of any length, CRLF, and a PEM on one line with literal `\n` escapes (as
    /// JSON holds it).
    static func parsePEM(_ bytes: ArraySlice<UInt8>, scanner: inout PEMScanner) throws -> [Certificate] {
        var collection = CertificateCollection(keepsWeak: false)
        try parsePEM(bytes, scanner: &scanner, into: &collection)
        return collection.certificates
    }

    /// The certificates of the PEM blocks (``PEMReader``), in one linear pass.
    static func parsePEM(_ bytes: ArraySlice<UInt8>, scanner: inout PEMScanner, into collection: inout CertificateCollection) throws {
        var otherLabels: [String] = []
        try PEMReader.forEachBlock(in: bytes, scanner: &scanner) { label, body in
            let isCertificate = certificateLabels.contains(label)
            guard isCertificate || pkcs7Labels.contains(label) else {
                // Distinct labels, a few: a file of a million foreign blocks gets a short message.
                if otherLabels.count < 8 && !otherLabels.contains(label) { otherLabels.append(label) }
                return
            }
            guard let der = PEMReader.decodeBase64(pemBody: body) else {
                throw PSEKitError.invalidBase64(label: label)
            }
            if isCertificate {
                // TRUSTED CERTIFICATE appends OpenSSL's trust settings after the certificate.
                let certificateBytes = label == "TRUSTED CERTIFICATE" ? firstElement(of: der) : der[...]
                try collection.add(Array(certificateBytes))
            } else {
                try parseDER(der, into: &collection)
            }
            guard collection.count <= maximumCertificateCount else {
                throw PSEKitError.tooManyCertificates(limit: maximumCertificateCount)
            }
        }
        if collection.count == 0 { throw PSEKitError.noCertificates(otherBlocks: otherLabels) }
    }

    /// The first DER element of `bytes` (tag, length and content), or all of `bytes` when the
    /// length cannot be read.
    static func firstElement(of bytes: [UInt8]) -> ArraySlice<UInt8> {
        guard bytes.count >= 2 else { return bytes[...] }
        let lengthByte = bytes[1]
        var headerLength = 2
        var contentLength = 0
        if lengthByte < 0x80 {
            contentLength = Int(lengthByte)
        } else {
            let count = Int(lengthByte & 0x7F)
            guard count >= 1, count <= 4, bytes.count >= 2 + count else { return bytes[...] }
            for byte in bytes[2..<(2 + count)] { contentLength = contentLength << 8 | Int(byte) }
            headerLength += count
        }
        let total = headerLength + contentLength
        guard total <= bytes.count else { return bytes[...] }
        return bytes[..<total]
    }
}

/// The certificates read so far, and (when `keepsWeak`) apart from them those refused for an RSA
/// key under 2048 bits, as DER.
struct CertificateCollection {
    let keepsWeak: Bool
    var certificates: [Certificate] = []
    var weak: [[UInt8]] = []

    var count: Int { certificates.count + weak.count }

    /// Reads one certificate; a weak one is kept apart or refused, anything else unreadable is refused.
    mutating func add(_ der: [UInt8]) throws {
        do {
            certificates.append(try Certificate(derEncoded: der))
        } catch {
            let reason = CertificateOutline.reasonUnreadable(der, error: error)
            guard CertificateOutline.isWeak(der) else {
                throw PSEKitError.invalidCertificate(position: count + 1, reason: reason)
            }
            guard keepsWeak else { throw PSEKitError.weakKey(position: count + 1, reason: reason) }
            weak.append(der)
        }
    }
}
