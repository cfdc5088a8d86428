import Foundation
import XCTest

/// psekit called as `sapgenpse` (a link of that name), and certificates with chosen dates and
/// serial numbers made by openssl, for the tests of sapgenpse's text layouts.
enum Sapgenpse {
    /// A folder holding a `sapgenpse` link to the built psekit.
    static func linkFolder(_ testCase: XCTestCase) throws -> URL {
        let folder = try ExternalTools.temporaryDirectory(testCase).appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("sapgenpse").path,
                                                   withDestinationPath: ExternalTools.psekitPath)
        return folder
    }

    /// Runs `sapgenpse` (the link in `bin`) with SECUDIR and the current folder set to `secudir`.
    @discardableResult
    static func run(_ bin: URL, _ arguments: [String], secudir: URL, environment: [String: String] = [:]) throws -> ExternalTools.Result {
        try ExternalTools.run(bin.appendingPathComponent("sapgenpse").path, arguments, stdin: Data(),
                              environment: ["SECUDIR": secudir.path].merging(environment) { _, new in new },
                              currentDirectory: secudir)
    }

    /// A self-signed RSA certificate and its key (PEM files `NAME.pem` and `NAME.key` in
    /// `folder`) with the given subject, serial number (hex) and validity (`YYMMDDhhmmssZ`),
    /// made by `openssl ca`, which can set both dates.
    static func certificate(named name: String, in folder: URL, subject: String, serialHex: String,
                            notBefore: String, notAfter: String) throws -> (certificate: URL, key: URL) {
        let work = folder.appendingPathComponent("ca-\(name)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try Data().write(to: work.appendingPathComponent("index.txt"))
        try Data((serialHex + "\n").utf8).write(to: work.appendingPathComponent("serial"))
        let config = """
        [ ca ]
        default_ca = here
        [ here ]
        database = \(work.path)/index.txt
        new_certs_dir = \(work.path)
        serial = \(work.path)/serial
        default_md = sha256
        policy = anything
        unique_subject = no
        [ anything ]
        commonName = supplied
        organizationName = optional
        organizationalUnitName = optional
        countryName = optional
        """
        let configFile = work.appendingPathComponent("ca.cnf")
        try Data(config.utf8).write(to: configFile)
        let key = folder.appendingPathComponent("\(name).key")
        let request = work.appendingPathComponent("\(name).csr")
        let certificate = folder.appendingPathComponent("\(name).pem")
        try ExternalTools.openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key.path,
                                   "-subj", subject, "-out", request.path])
        try ExternalTools.openssl(["ca", "-batch", "-config", configFile.path, "-selfsign", "-keyfile", key.path,
                                   "-in", request.path, "-out", certificate.path, "-notext", "-preserveDN",
                                   "-startdate", notBefore, "-enddate", notAfter])
        return (certificate, key)
    }

    /// A PSE without PIN holding `certificate` and `key` (psekit's import_p8).
    static func pse(at path: URL, certificate: URL, key: URL) throws {
        let result = try ExternalTools.psekit(["import_p8", "-p", path.path, "-x", "", "-c", certificate.path, key.path])
        XCTAssertEqual(result.status, 0, result.err)
    }

    /// A line with its runs of white space made single spaces and its ends trimmed.
    static func normalized(_ line: some StringProtocol) -> String {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// openssl's view of a certificate: `openssl x509 -noout -OPTION` with the part after `=`.
    static func openssl(_ option: String, of certificate: URL, digest: String? = nil) throws -> String {
        var arguments = ["x509", "-in", certificate.path, "-noout", "-\(option)"]
        if let digest { arguments.append("-\(digest)") }
        let out = try ExternalTools.openssl(arguments).out.trimmingCharacters(in: .whitespacesAndNewlines)
        return out.split(separator: "=", maxSplits: 1).last.map(String.init) ?? out
    }

    /// Hex with colons every two digits: `40C40A` becomes `40:C4:0A`.
    static func colons(_ hex: String) -> String {
        var digits = hex.uppercased()
        if digits.count % 2 == 1 { digits = "0" + digits }
        return stride(from: 0, to: digits.count, by: 2).map {
            let start = digits.index(digits.startIndex, offsetBy: $0)
            return String(digits[start..<digits.index(start, offsetBy: 2)])
        }.joined(separator: ":")
    }
}
