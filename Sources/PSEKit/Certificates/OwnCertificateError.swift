/// Why an own certificate or certificate request could not be built.
public enum OwnCertificateError: Error, CustomStringConvertible, Equatable, Sendable {
    case emptySubject
    case invalidValidity(days: Int)
    case signingFailed(reason: String)

    public var description: String {
        switch self {
        case .emptySubject:
            return "the distinguished name of the PSE owner is empty (give one such as \"CN=host.example.com, O=Example, C=DE\")"
        case .invalidValidity(let days):
            return "a certificate must be valid for at least one day, not \(days)"
        case .signingFailed(let reason):
            return "signing failed: \(reason)"
        }
    }
}
