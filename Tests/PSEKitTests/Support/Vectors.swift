import Foundation

/// The real files of `../shared/vectors` (beside the project), read by the unit tests.
enum Vectors {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url.deletingLastPathComponent().appendingPathComponent("shared/vectors")
            }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    static func bytes(_ relativePath: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent(relativePath)))
    }

    /// The PIN of the PIN-protected PSE vectors.
    static let psePIN = "1234567980"
}
