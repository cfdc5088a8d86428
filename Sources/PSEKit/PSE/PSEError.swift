/// What can go wrong when reading or writing a PSE. Messages never contain a PIN.
public enum PSEError: Error, Equatable, CustomStringConvertible {
    /// The PIN does not open this PSE.
    case wrongPIN
    /// The PSE is protected by a PIN and none was given.
    case pinRequired
    /// The bytes are not a PSE, or a PSE this code does not understand.
    case malformed(String)
    /// A PSE variant that exists but cannot be handled here (for example LPS protection).
    case unsupported(String)
    /// The PSE lacks an object an operation needs.
    case missingObject(String)
    /// The key or certificate is not one a PSE can hold as psekit writes it.
    case unsupportedKey(String)

    public var description: String {
        switch self {
        case .wrongPIN: return "wrong PIN"
        case .pinRequired: return "the PSE is protected by a PIN and none was given"
        case .malformed(let what): return "not a valid PSE: \(what)"
        case .unsupported(let what): return "unsupported PSE: \(what)"
        case .missingObject(let name): return "the PSE has no \(name)"
        case .unsupportedKey(let what): return what
        }
    }
}
