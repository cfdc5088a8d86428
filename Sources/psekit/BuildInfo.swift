/// Facts about the build that the source tree cannot know: `scripts/release` overwrites this
/// file in its exported copy of the tree with the commit it builds. A build from a working tree
/// says "unknown".
enum BuildInfo {
    /// The abbreviated commit the binary was built from.
    static let commit = "unknown"
}
