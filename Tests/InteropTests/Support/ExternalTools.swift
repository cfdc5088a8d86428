import Foundation
import TestSupport
import XCTest

/// Runs the independent tools the interop tests compare against (`openssl`, `pysap` through the
/// project's virtual environment) and the built `psekit` executable. A missing tool is a test
/// failure, never a skip: CI installs every tool (`.ci/run`).
enum ExternalTools {
    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: Data
        var out: String { String(decoding: stdout, as: UTF8.self) }
        var err: String { String(decoding: stderr, as: UTF8.self) }
    }

    /// The package root (the folder holding Package.swift).
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// One of SAP's own files, under its original name (`SAPTestData`).
    static func vector(_ name: String) throws -> Data { try SAPTestData.data(name) }

    /// The folder that holds the built products (`.build/debug` or `.build/release`).
    static let productsDirectory: URL = {
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL
    }()

    static var psekitPath: String { productsDirectory.appendingPathComponent("psekit").path }

    /// The Python interpreter of the interop virtual environment, which has pysap 0.2.1.
    static var pysapPython: String {
        if let path = ProcessInfo.processInfo.environment["PSEKIT_PYSAP_PYTHON"] { return path }
        return packageRoot.appendingPathComponent(".venv-interop/bin/python").path
    }

    /// Runs an executable found on PATH (or given by absolute path) and returns what it did.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], stdin: Data? = nil,
                    environment: [String: String]? = nil, currentDirectory: URL? = nil,
                    file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        let process = Process()
        if executable.hasPrefix("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = inPipe
        try process.run()
        if let stdin { inPipe.fileHandleForWriting.write(stdin) }
        try? inPipe.fileHandleForWriting.close()
        // Both pipes are drained at once, so a child filling one of them cannot block.
        final class Output: @unchecked Sendable { var data = Data() }
        let out = Output()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { out.data = outPipe.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let err = errPipe.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: out.data, stderr: err)
    }

    /// Runs `psekit` with the given arguments.
    @discardableResult
    static func psekit(_ arguments: [String], stdin: Data? = nil, environment: [String: String]? = nil,
                       currentDirectory: URL? = nil) throws -> Result {
        try run(psekitPath, arguments, stdin: stdin, environment: environment, currentDirectory: currentDirectory)
    }

    /// Runs `openssl`, failing the test when it exits non-zero.
    @discardableResult
    static func openssl(_ arguments: [String], stdin: Data? = nil, file: StaticString = #filePath,
                        line: UInt = #line) throws -> Result {
        let result = try run("openssl", arguments, stdin: stdin)
        XCTAssertEqual(result.status, 0, "openssl \(arguments.joined(separator: " ")) failed: \(result.err)",
                       file: file, line: line)
        return result
    }

    /// Runs a Python snippet with pysap available; the snippet's stdout is returned.
    static func pysap(_ script: String, file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: pysapPython),
                      "pysap's Python is missing at \(pysapPython): run .ci/run or create .venv-interop",
                      file: file, line: line)
        return try run(pysapPython, ["-c", script])
    }

    /// A fresh temporary folder, removed at the end of the test.
    static func temporaryDirectory(_ testCase: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("psekit-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        testCase.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
