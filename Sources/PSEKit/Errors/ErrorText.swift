/// The text of an error as a message shows it: the reason of a ``PSEKitError`` (without its
/// code), the description of any other error. For code in this package that embeds one error's
/// text in another's reason or in a message.
package enum ErrorText {
    /// The reason of a ``PSEKitError``, or the description of any other error.
    package static func of(_ error: any Error) -> String {
        if let error = error as? any ReasonedError { return error.reason }
        return String(describing: error)
    }
}
