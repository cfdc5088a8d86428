/// An error whose ``message`` is what a message shows of it: its reason, with the file it is
/// about where it names one, without the code its description adds. PSEKitError and the error
/// types of the libraries built on PSEKit conform; ``ErrorText`` reads it.
package protocol ReportableError: Error {
    /// What went wrong, as a message shows it.
    var message: String { get }
}

extension PSEKitError: ReportableError {
    /// The reason.
    package var message: String { reason }
}
