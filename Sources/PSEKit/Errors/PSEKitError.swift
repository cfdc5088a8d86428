/// Why PSEKit could not read, write or build something: the one error type of the library.
///
/// Modelled on swift-certificates' `CertificateError`: ``code`` says what went wrong, as a value
/// to match on (`catch let error as PSEKitError where error.code == .wrongPIN`), and ``reason``
/// says it in a sentence for people. ``position`` locates the problem in the input where that is
/// known (a character of a distinguished name, the certificate of a bundle).
///
/// Reasons never contain a PIN or password, and never name a command-line option: advice on
/// what to type belongs to the program that reports the error.
public struct PSEKitError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public var code: Code
    /// What went wrong, in a sentence for people.
    public var reason: String
    /// Where in the input the problem is, counted from 1, where that is known: the character of a
    /// distinguished name, or the certificate of a bundle.
    public var position: Int?

    /// An error of `code`, explained by `reason`.
    public init(code: Code, reason: String, position: Int? = nil) {
        self.code = code
        self.reason = reason
        self.position = position
    }

    /// The code and the reason, such as `PSEKitError.wrongPIN: wrong PIN`.
    public var description: String { "PSEKitError.\(code): \(reason)" }
}
