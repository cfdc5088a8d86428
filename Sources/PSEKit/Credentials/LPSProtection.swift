/// How an LPS ("local protection storage") blob protects its content key (the blob's second byte).
public enum LPSProtection: Hashable, Sendable, CustomStringConvertible {
    /// Type 0: the key-encryption key derives from a constant in SAP's library; readable anywhere.
    case fallback
    /// Type 1: Windows DPAPI; only the Windows account that wrote it can decrypt.
    case dpapi
    /// Type 2: a TPM; only the machine that wrote it can decrypt.
    case tpm
    /// Any other type byte.
    case unknown(UInt8)

    public init(typeByte: UInt8) {
        switch typeByte {
        case 0: self = .fallback
        case 1: self = .dpapi
        case 2: self = .tpm
        default: self = .unknown(typeByte)
        }
    }

    public var typeByte: UInt8 {
        switch self {
        case .fallback: return 0
        case .dpapi: return 1
        case .tpm: return 2
        case .unknown(let byte): return byte
        }
    }

    public var description: String {
        switch self {
        case .fallback: return "fallback"
        case .dpapi: return "DPAPI"
        case .tpm: return "TPM"
        case .unknown(let byte): return "unknown type \(byte)"
        }
    }
}
