/// The version `psekit --version` prints: the release number and the commit it was built from,
/// for example `psekit 0.1.0 (abc1234)`.
enum PSEKitVersion {
    static let number = "0.1.0"
    static var description: String { "psekit \(number) (\(BuildInfo.commit))" }
}
