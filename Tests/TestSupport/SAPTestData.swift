import Foundation

/// The files SAP's own tools wrote, from the public test data of pysap 0.2.1, under their original
/// names. `scripts/fetch-sap-testdata` (called by `scripts/test`) downloads pysap's source
/// distribution from PyPI, checks its SHA-256 and unpacks `tests/data/` into
/// `.cache/sap-testdata/` in the package; `PSEKIT_SAP_TESTDATA` names another folder.
public enum SAPTestData {
    /// The PIN of the PIN-protected PSEs (`pse_v2_lps_off_pbes1_3des_sha1.pse`, `pse_v4_…`).
    public static let psePIN = "1234567980"
    /// The OS user the `credv2_*` credentials were written for, and the PIN they hold.
    public static let credentialUser = "username"
    public static let credentialPIN = "1234567890"

    /// The package root (the folder holding Package.swift).
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// The folder holding the files. Stops the test run with one line saying what to fetch when
    /// it is missing, instead of failing every test that reads a file.
    public static let folder: URL = {
        let folder = ProcessInfo.processInfo.environment["PSEKIT_SAP_TESTDATA"].map { URL(fileURLWithPath: $0) }
            ?? packageRoot.appendingPathComponent(".cache/sap-testdata")
        let probe = folder.appendingPathComponent("pse_v2_lps_off_pbes1_3des_sha1.pse").path
        guard FileManager.default.fileExists(atPath: probe) else {
            let message = "SAP's test files are missing in \(folder.path): run scripts/fetch-sap-testdata "
                + "(it downloads pysap==0.2.1's source distribution from PyPI and checks its SHA-256)\n"
            FileHandle.standardError.write(Data(message.utf8))
            exit(3)
        }
        return folder
    }()

    public static func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    public static func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: url(name))) }

    public static func data(_ name: String) throws -> Data { try Data(contentsOf: url(name)) }
}
