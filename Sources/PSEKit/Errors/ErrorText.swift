/// The text of an error as a message shows it: the ``ReportableError/message`` of the error
/// types of this package (the reason of a ``PSEKitError``, without its code), the description of
/// any other error. For code in this package that embeds one error's text in another's reason or
/// in a message.
package enum ErrorText {
    /// The message of a ``ReportableError``, or the description of any other error.
    package static func of(_ error: any Error) -> String {
        if let error = error as? any ReportableError { return error.message }
        return String(describing: error)
    }
}
