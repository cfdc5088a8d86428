import PSEKit

/// Why PSENet could not check or probe a server: the one error type of the library.
///
/// Shaped as ``PSEKit/PSEKitError`` is: ``code`` says what went wrong, as a value to match on,
/// and ``reason`` says it in a sentence. A failure of the connection itself has code
/// ``Code/connectionFailed`` and a ``diagnosis`` that names its cause and the step that failed;
/// what was given wrong (a server or proxy URL, a client identity) has a code of its own.
public struct PSENetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public var code: Code
    /// What went wrong, in a sentence for people.
    public var reason: String
    /// Why the connection failed, when it did (code ``Code/connectionFailed``).
    public var diagnosis: ConnectionDiagnosis?

    /// An error of `code`, explained by `reason`, with the diagnosis of a failed connection.
    public init(code: Code, reason: String, diagnosis: ConnectionDiagnosis? = nil) {
        self.code = code
        self.reason = reason
        self.diagnosis = diagnosis
    }

    /// The code and the reason, such as `PSENetError.credentialsInURL: the URL contains …`.
    public var description: String { "PSENetError.\(code): \(reason)" }
}

/// Messages show an error of PSENet as its reason.
extension PSENetError: ReportableError {
    package var message: String { reason }
}
