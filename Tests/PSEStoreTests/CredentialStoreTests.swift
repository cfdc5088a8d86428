import Dispatch
import Foundation
import PSEKit
import PSEStore
import XCTest

final class CredentialStoreTests: XCTestCase {
    private func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("psekit-credstore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testPathFollowsSECUDIR() {
        XCTAssertEqual(CredentialStore.path(environment: ["SECUDIR": "/sec/dir"]), "/sec/dir/cred_v2")
    }

    func testMissingFileIsEmptyAndPINLookupGivesNil() throws {
        let folder = try temporaryFolder()
        XCTAssertEqual(try CredentialStore.read(at: folder.appendingPathComponent("cred_v2").path).credentials.count, 0)
        XCTAssertNil(try CredentialStore.pin(forPSEAt: "/x.pse", user: "u", environment: ["SECUDIR": folder.path]))
    }

    func testUpdateWritesMode0600AndPINIsFoundUnderEveryPathSpelling() throws {
        let folder = try temporaryFolder()
        let environment = ["SECUDIR": folder.path]
        let path = CredentialStore.path(environment: environment)
        let pse = folder.appendingPathComponent("a.pse").path
        try Data([0]).write(to: URL(fileURLWithPath: pse))
        try CredentialStore.update(at: path) { file in
            try file.store(pin: "9876", forUser: "alice", subject: "CN=A", psePath: pse)
        }
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        XCTAssertEqual(mode?.intValue, 0o600)
        XCTAssertEqual(try CredentialStore.pin(forPSEAt: pse, user: "alice", environment: environment), "9876")
        XCTAssertNil(try CredentialStore.pin(forPSEAt: pse, user: "bob", environment: environment))
        let dotted = folder.path + "/./a.pse"
        XCTAssertEqual(try CredentialStore.pin(forPSEAt: dotted, user: "alice", environment: environment), "9876")
        let link = folder.appendingPathComponent("link.pse").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: pse)
        XCTAssertEqual(try CredentialStore.pin(forPSEAt: link, user: "alice", environment: environment), "9876")
    }

    func testAFailingChangeLeavesTheFileUnchanged() throws {
        let folder = try temporaryFolder()
        let path = folder.appendingPathComponent("cred_v2").path
        try CredentialStore.update(at: path) { file in
            try file.store(pin: "1", forUser: "u", subject: "CN=A", psePath: "/a.pse")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try CredentialStore.update(at: path) { file in
            try file.store(pin: "2", forUser: "u", subject: "CN=A", psePath: "/ä.pse")
        })
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
    }

    func testConcurrentUpdatesLoseNothing() throws {
        let folder = try temporaryFolder()
        let path = folder.appendingPathComponent("cred_v2").path
        let errors = ErrorCounter()
        DispatchQueue.concurrentPerform(iterations: 12) { index in
            do {
                try CredentialStore.update(at: path) { file in
                    try file.store(pin: "pin\(index)", forUser: "user\(index)", subject: "CN=A", psePath: "/p\(index).pse")
                }
            } catch {
                errors.add()
            }
        }
        XCTAssertEqual(errors.count, 0)
        let file = try CredentialStore.read(at: path)
        XCTAssertEqual(file.credentials.count, 12)
        for index in 0..<12 {
            XCTAssertEqual(try file.secret(forPSEAt: "/p\(index).pse", user: "user\(index)")?.pin, "pin\(index)")
        }
    }

    func testMalformedFileIsReportedWithItsPath() throws {
        let folder = try temporaryFolder()
        let path = folder.appendingPathComponent("cred_v2").path
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try CredentialStore.read(at: path)) { error in
            XCTAssertEqual((error as? PSEStoreError)?.code, .credentialsMalformed, "\(error)")
            XCTAssertEqual((error as? PSEStoreError)?.path, path)
            XCTAssertEqual((error as? PSEStoreError)?.underlying?.code, .malformedCredentialsFile)
            XCTAssertTrue(((error as? PSEStoreError)?.message ?? "").hasPrefix(path), "\(error)")
        }
    }
}

private final class ErrorCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func add() { lock.lock(); value += 1; lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return value }
}
