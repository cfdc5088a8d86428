/// An error with a code and a reason, whose ``reason`` is what messages show (its description
/// adds the code). PSEKitError and the error types of the libraries built on PSEKit conform.
package protocol ReasonedError: Error {
    /// What went wrong, in a sentence for people.
    var reason: String { get }
}

extension PSEKitError: ReasonedError {}
