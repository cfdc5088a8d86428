import PSEKit

/// Why PSEStore could not read, write or find a file: the one error type of the library.
///
/// Shaped as ``PSEKit/PSEKitError`` is: ``code`` says what went wrong, as a value to match on,
/// and ``reason`` says it in a sentence. ``path`` names the file the error is about, when it is
/// about one; ``underlying`` is the PSEKit error behind it (a wrong PIN when a PSE is opened is
/// ``Code/pseRejected`` with an underlying ``PSEKit/PSEKitError/Code/wrongPIN``); ``hint`` says
/// how to fix it, where the library knows (a program may set its own).
///
/// Reasons never contain a PIN or password.
public struct PSEStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public var code: Code
    /// What went wrong, in a sentence for people (without the path).
    public var reason: String
    /// The file or folder the error is about, when it is about one.
    public var path: String?
    /// How to fix it, in a sentence for people, when that is known.
    public var hint: String?
    /// The PSEKit error behind this one, when there is one.
    public var underlying: PSEKitError?

    /// An error of `code`, explained by `reason`, about `path`.
    public init(code: Code, reason: String, path: String? = nil, hint: String? = nil, underlying: PSEKitError? = nil) {
        self.code = code
        self.reason = reason
        self.path = path
        self.hint = hint
        self.underlying = underlying
    }

    /// The path, the reason and the hint as a message shows them: `PATH: REASON`, and the hint
    /// on a line of its own.
    public var message: String {
        (path.map { "\($0): " } ?? "") + reason + (hint.map { "\n\($0)" } ?? "")
    }

    /// The code and the message, such as `PSEStoreError.fileMissing: /tmp/a.pse: no such file`.
    public var description: String { "PSEStoreError.\(code): \(message)" }
}
