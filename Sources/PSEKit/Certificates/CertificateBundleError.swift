/// Why bytes could not be read as certificates.
public enum CertificateBundleError: Error, CustomStringConvertible, Equatable, Sendable {
    case empty
    case inputTooLarge(size: Int, limit: Int)
    case tooManyCertificates(limit: Int)
    case unrecognizedFormat
    case invalidDER(reason: String)
    case invalidPEM(reason: String)
    case invalidBase64(label: String)
    case invalidCertificate(position: Int, reason: String)
    /// A certificate that reads but is refused: an RSA key under 2048 bits.
    case weakKey(position: Int, reason: String)
    case unsupportedPKCS7Content(contentType: String)
    case noCertificates(otherBlocks: [String])

    public var description: String {
        switch self {
        case .empty:
            return "no certificate: the input is empty"
        case .inputTooLarge(let size, let limit):
            return "input of \(size) bytes is larger than the \(limit) bytes a certificate bundle may have"
        case .tooManyCertificates(let limit):
            return "more than \(limit) certificates in one input"
        case .unrecognizedFormat:
            return "not a certificate: expected PEM, DER, Base64 or PKCS#7 (.p7b) data"
        case .invalidDER(let reason):
            return "not a valid DER certificate or PKCS#7 bundle: \(reason)"
        case .invalidPEM(let reason):
            return "invalid PEM: \(reason)"
        case .invalidBase64(let label):
            return "invalid PEM: the Base64 text of the \(label) block does not decode"
        case .invalidCertificate(let position, let reason):
            return "certificate \(position) is not a valid X.509 certificate: \(reason)"
        case .weakKey(let position, let reason):
            return "certificate \(position) is refused: \(reason)"
        case .unsupportedPKCS7Content(let contentType):
            return "PKCS#7 data of type \(contentType) holds no certificates (expected signedData 1.2.840.113549.1.7.2)"
        case .noCertificates(let otherBlocks):
            if otherBlocks.isEmpty { return "no certificates found in the input" }
            return "no certificates found in the input (it holds only: \(otherBlocks.joined(separator: ", ")))"
        }
    }
}
