/// The version `psekit --version` prints.
enum PSEKitVersion {
    static let number = "0.1.0"
    static var description: String { "psekit \(number)" }
}
