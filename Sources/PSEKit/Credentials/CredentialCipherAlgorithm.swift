/// The cipher of a format-1 LPS-off credential (the second header byte), or of format 0.
public enum CredentialCipherAlgorithm: Hashable, Sendable, CustomStringConvertible {
    /// Header byte 0: DES-EDE3-CBC.
    case tripleDES
    /// Header byte 1: AES-256-CBC.
    case aes256

    init?(headerByte: UInt8) {
        switch headerByte {
        case 0: self = .tripleDES
        case 1: self = .aes256
        default: return nil
        }
    }

    var headerByte: UInt8 {
        switch self {
        case .tripleDES: return 0
        case .aes256: return 1
        }
    }

    public var description: String {
        switch self {
        case .tripleDES: return "3DES"
        case .aes256: return "AES-256"
        }
    }
}
