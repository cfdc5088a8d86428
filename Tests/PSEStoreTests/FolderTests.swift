import Foundation
@testable import PSEStore
import XCTest

/// The folder walk that replaces FileManager's enumerator.
final class FolderTests: XCTestCase {
    func testRegularFilesAreListedRecursivelyWithoutFollowingLinks() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("psekit-folder-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/a/b", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/elsewhere", withIntermediateDirectories: true)
        for file in ["top.pse", "a/one.pse", "a/b/two.PSE", "a/b/.hidden.pse", "elsewhere/three.pse"] {
            XCTAssertTrue(FileManager.default.createFile(atPath: root + "/" + file, contents: Data([1])))
        }
        try FileManager.default.createSymbolicLink(atPath: root + "/a/link.pse", withDestinationPath: root + "/top.pse")
        try FileManager.default.createSymbolicLink(atPath: root + "/a/linked-folder", withDestinationPath: root + "/elsewhere")

        let found = try XCTUnwrap(Folder.regularFiles(under: root + "/a")).sorted()
        XCTAssertEqual(found, [root + "/a/b/.hidden.pse", root + "/a/b/two.PSE", root + "/a/one.pse"])
        XCTAssertNil(Folder.regularFiles(under: root + "/missing"))
        XCTAssertTrue(Folder.isFolder(root + "/a"))
        XCTAssertTrue(Folder.isFolder(root + "/a/linked-folder"))
        XCTAssertFalse(Folder.isFolder(root + "/top.pse"))
        XCTAssertFalse(Folder.isFolder(root + "/missing"))
    }
}
