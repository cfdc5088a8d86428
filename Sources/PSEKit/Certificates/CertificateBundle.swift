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

    /// Every certificate in `bytes`, in the order they appear.
    public static func parse(_ bytes: [UInt8]) throws -> [Certificate] {
        guard bytes.count <= maximumInputSize else {
            throw CertificateBundleError.inputTooLarge(size: bytes.count, limit: maximumInputSize)
        }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }  // UTF-8 byte order mark
        while let first = body.first, isWhitespace(first) { body = body.dropFirst() }
        guard let first = body.first else { throw CertificateBundleError.empty }

        let certificates: [Certificate]
        if first == 0x30 {
            certificates = try parseDER(Array(body))
        } else if PEMScanner.firstIndex(of: PEMScanner.beginPrefix, in: body, from: body.startIndex) != nil {
            certificates = try parsePEM(body)
        } else if let der = decodeBase64(body), der.first == 0x30 {
            certificates = try parseDER(der)
        } else {
            throw CertificateBundleError.unrecognizedFormat
        }
        guard !certificates.isEmpty else { throw CertificateBundleError.noCertificates(otherBlocks: []) }
        return certificates
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
    static func parseDER(_ bytes: [UInt8]) throws -> [Certificate] {
        let node: ASN1Node
        var isBER = false
        do {
            node = try DER.parse(bytes)
        } catch let derError {
            // Some tools write PKCS#7 with BER indefinite lengths; the node tree is the same shape.
            guard let berNode = try? BER.parse(bytes) else {
                throw CertificateBundleError.invalidDER(reason: String(describing: derError))
            }
            node = berNode
            isBER = true
        }
        if isBER {
            // The certificates inside must still be DER: their signatures cover their exact bytes.
            let certificates = try parseDERNode(node)
            for certificate in certificates {
                guard (try? Certificate(derEncoded: derBytes(of: certificate))) == certificate else {
                    throw CertificateBundleError.invalidDER(reason: "a certificate inside the BER data is not DER-encoded")
                }
            }
            return certificates
        }
        return try parseDERNode(node)
    }

    static func parseDERNode(_ node: ASN1Node) throws -> [Certificate] {
        guard node.identifier == .sequence, case .constructed(let children) = node.content,
              let firstChild = children.first(where: { _ in true }) else {
            throw CertificateBundleError.invalidDER(reason: "the data is not an ASN.1 SEQUENCE")
        }
        if firstChild.identifier == .objectIdentifier {
            return try certificates(fromContentInfo: node)
        }
        do {
            return [try Certificate(derEncoded: node)]
        } catch {
            let der = Array(node.encodedBytes)
            let reason = CertificateOutline.reasonUnreadable(der, error: error)
            throw CertificateOutline.isWeak(der) ? CertificateBundleError.weakKey(position: 1, reason: reason)
                                                 : CertificateBundleError.invalidCertificate(position: 1, reason: reason)
        }
    }

    static func certificates(fromContentInfo node: ASN1Node) throws -> [Certificate] {
        let contentInfo: ContentInfo
        do {
            contentInfo = try ContentInfo(derEncoded: node)
        } catch {
            throw CertificateBundleError.invalidDER(reason: "PKCS#7 ContentInfo: \(error)")
        }
        guard contentInfo.contentType == ContentInfo.signedDataType else {
            throw CertificateBundleError.unsupportedPKCS7Content(contentType: String(describing: contentInfo.contentType))
        }
        do {
            let certificates = try contentInfo.signedData()?.certificates ?? []
            guard certificates.count <= maximumCertificateCount else {
                throw CertificateBundleError.tooManyCertificates(limit: maximumCertificateCount)
            }
            return certificates
        } catch let error as CertificateBundleError {
            throw error
        } catch {
            throw CertificateBundleError.invalidDER(reason: "PKCS#7 SignedData: \(error)")
        }
    }

    // MARK: - PEM

    /// Every CERTIFICATE and PKCS7 block of `text`; anything between blocks is ignored. Tolerates
    /// lines of any length, CRLF, and a PEM on one line with literal `\n` escapes (as JSON holds it).
    static func parsePEM(_ text: String) throws -> [Certificate] {
        try parsePEM(Array(text.utf8)[...])
    }

    /// The PEM reader proper, on bytes, in one pass: every byte is looked at a bounded number of
    /// times (`PEMScanner` counts them), so the time grows linearly with the input, whatever
    /// its blocks (issue 20: 16 MiB of tiny blocks took longer than 900 s with String searches).
    static func parsePEM(_ bytes: ArraySlice<UInt8>, scanner: inout PEMScanner) throws -> [Certificate] {
        var certificates: [Certificate] = []
        var otherLabels: [String] = []
        var position = bytes.startIndex
        while let begin = scanner.find(PEMScanner.beginPrefix, in: bytes, from: position) {
            let labelStart = begin + PEMScanner.beginPrefix.count
            guard let labelEnd = scanner.find(PEMScanner.dashes, in: bytes, from: labelStart) else {
                throw CertificateBundleError.invalidPEM(reason: "a BEGIN line is not closed by \"-----\"")
            }
            let labelBytes = bytes[labelStart..<labelEnd]
            guard labelBytes.count <= PEMScanner.maximumLabelLength,
                  !labelBytes.contains(where: { $0 == 0x0A || $0 == 0x0D }) else {
                throw CertificateBundleError.invalidPEM(reason: "a BEGIN line is not closed by \"-----\" on the same line")
            }
            let label = String(decoding: labelBytes, as: UTF8.self)
            let endMarker = Array("-----END \(label)-----".utf8)
            let bodyStart = labelEnd + PEMScanner.dashes.count
            guard let end = scanner.find(endMarker, in: bytes, from: bodyStart) else {
                throw CertificateBundleError.invalidPEM(reason: "\"-----BEGIN \(label)-----\" has no \"-----END \(label)-----\"")
            }
            let body = bytes[bodyStart..<end]
            position = end + endMarker.count

            let isCertificate = certificateLabels.contains(label)
            guard isCertificate || pkcs7Labels.contains(label) else {
                // Distinct labels, a few: a file of a million foreign blocks gets a short message.
                if otherLabels.count < 8 && !otherLabels.contains(label) { otherLabels.append(label) }
                continue
            }
            guard let der = decodeBase64(pemBody: body) else {
                throw CertificateBundleError.invalidBase64(label: label)
            }
            if isCertificate {
                // TRUSTED CERTIFICATE appends OpenSSL's trust settings after the certificate.
                let certificateBytes = label == "TRUSTED CERTIFICATE" ? firstElement(of: der) : der[...]
                do {
                    certificates.append(try Certificate(derEncoded: Array(certificateBytes)))
                } catch {
                    let reason = CertificateOutline.reasonUnreadable(Array(certificateBytes), error: error)
                    throw CertificateOutline.isWeak(Array(certificateBytes))
                        ? CertificateBundleError.weakKey(position: certificates.count + 1, reason: reason)
                        : CertificateBundleError.invalidCertificate(position: certificates.count + 1, reason: reason)
                }
            } else {
                certificates.append(contentsOf: try parseDER(der))
            }
            guard certificates.count <= maximumCertificateCount else {
                throw CertificateBundleError.tooManyCertificates(limit: maximumCertificateCount)
            }
        }
        if certificates.isEmpty { throw CertificateBundleError.noCertificates(otherBlocks: otherLabels) }
        return certificates
    }

    static func parsePEM(_ bytes: ArraySlice<UInt8>) throws -> [Certificate] {
        var scanner = PEMScanner()
        return try parsePEM(bytes, scanner: &scanner)
    }

    /// The Base64 inside a PEM block: RFC 1421 header lines (`Name: value`) are dropped. One pass.
    static func decodeBase64(pemBody: ArraySlice<UInt8>) -> [UInt8]? {
        var base64: [UInt8] = []
        base64.reserveCapacity(pemBody.count)
        var lineStart = pemBody.startIndex
        var index = pemBody.startIndex
        // Lines end at CR, LF, or the two-character escapes \n and \r (PEM kept in JSON).
        func endLine(at lineEnd: Int) {
            let line = pemBody[lineStart..<lineEnd]
            if !line.contains(UInt8(ascii: ":")) { base64.append(contentsOf: line) }
        }
        while index < pemBody.endIndex {
            let byte = pemBody[index]
            if byte == 0x0A || byte == 0x0D {
                endLine(at: index)
                index += 1
                lineStart = index
            } else if byte == UInt8(ascii: "\\"), index + 1 < pemBody.endIndex,
                      pemBody[index + 1] == UInt8(ascii: "n") || pemBody[index + 1] == UInt8(ascii: "r") {
                endLine(at: index)
                index += 2
                lineStart = index
            } else {
                index += 1
            }
        }
        endLine(at: pemBody.endIndex)
        return decodeBase64(base64[...])
    }

    /// Base64 with whitespace (and literal `\n`) anywhere and optional padding; `nil` when any
    /// other character is not in the Base64 alphabet.
    static func decodeBase64(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        var alphabet: [UInt8] = []
        alphabet.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.endIndex,
               bytes[index + 1] == UInt8(ascii: "n") || bytes[index + 1] == UInt8(ascii: "r") {
                index += 2
                continue
            }
            index += 1
            if isWhitespace(byte) { continue }
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="):
                alphabet.append(byte)
            default:
                return nil
            }
        }
        guard !alphabet.isEmpty else { return nil }
        while alphabet.count % 4 != 0 { alphabet.append(UInt8(ascii: "=")) }
        guard let data = Data(base64Encoded: Data(alphabet)) else { return nil }
        return [UInt8](data)
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C
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

/// A byte-pattern finder for the PEM reader that counts the bytes it compares, so that tests can
/// show the reading is linear (work bounded by a constant times the input size) without timing it.
struct PEMScanner {
    static let beginPrefix = Array("-----BEGIN ".utf8)
    static let dashes = Array("-----".utf8)
    /// The longest label read (RFC 7468 labels are short words: "CERTIFICATE", "PKCS7").
    static let maximumLabelLength = 64

    /// Byte comparisons made so far.
    var comparisons = 0

    /// The first index at or after `start` where `pattern` begins in `bytes`.
    mutating func find(_ pattern: [UInt8], in bytes: ArraySlice<UInt8>, from start: Int) -> Int? {
        guard let first = pattern.first, pattern.count <= bytes.endIndex - start else { return nil }
        var index = start
        let last = bytes.endIndex - pattern.count
        while index <= last {
            comparisons += 1
            if bytes[index] == first {
                var matched = 1
                while matched < pattern.count {
                    comparisons += 1
                    if bytes[index + matched] != pattern[matched] { break }
                    matched += 1
                }
                if matched == pattern.count { return index }
            }
            index += 1
        }
        return nil
    }

    /// `find` without counting.
    static func firstIndex(of pattern: [UInt8], in bytes: ArraySlice<UInt8>, from start: Int) -> Int? {
        var scanner = PEMScanner()
        return scanner.find(pattern, in: bytes, from: start)
    }
}
