import Foundation
import XCTest

/// The Ansible collection `psekit.sap` (ansible/ansible_collections/psekit/sap) with real
/// ansible-core from PyPI (`scripts/setup-ansible`, called by `scripts/test`) and the psekit
/// built here on PATH.
final class AnsibleCollectionTests: XCTestCase {
    static let venv = ExternalTools.packageRoot.appendingPathComponent(".venv-ansible/bin")
    static let collection = ExternalTools.packageRoot.appendingPathComponent("ansible/ansible_collections/psekit/sap")

    private func tool(_ name: String) throws -> String {
        let path = Self.venv.appendingPathComponent(name).path
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: path),
                      "\(path) is missing: run scripts/setup-ansible (scripts/test does)")
        return path
    }

    /// The collection built with ansible-galaxy and installed into a folder of its own.
    private func installedCollection(in folder: URL) throws -> URL {
        let built = try ExternalTools.run(try tool("ansible-galaxy"),
                                          ["collection", "build", Self.collection.path, "--output-path", folder.path])
        XCTAssertEqual(built.status, 0, built.out + built.err)
        let collections = folder.appendingPathComponent("collections")
        let installed = try ExternalTools.run(try tool("ansible-galaxy"),
                                              ["collection", "install", folder.appendingPathComponent("psekit-sap-0.1.0.tar.gz").path,
                                               "-p", collections.path])
        XCTAssertEqual(installed.status, 0, installed.out + installed.err)
        return collections
    }

    /// ansible/tests/playbook.yml: idempotent creation, trust and removal, check mode leaving the
    /// PSE byte-identical, facts, seclogin, removal of the PSE; run with -vvv, and the PIN must
    /// appear nowhere in what Ansible printed.
    func testPlaybookAgainstLocalhost() throws {
        let folder = try ExternalTools.temporaryDirectory(self)
        let collections = try installedCollection(in: folder)
        let work = folder.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let caFile = folder.appendingPathComponent("ca.pem").path
        try ExternalTools.openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", folder.appendingPathComponent("ca.key").path,
                                   "-out", caFile, "-subj", "/C=DE/O=Example/CN=Ansible Test CA", "-days", "30"])
        let pin = "Pl4ybook-PIN-\(UInt32.random(in: 100_000...999_999))"
        let binFolder = URL(fileURLWithPath: ExternalTools.psekitPath).deletingLastPathComponent().path
        let environment = [
            "PATH": "\(binFolder):\(ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")",
            "ANSIBLE_COLLECTIONS_PATH": collections.path,
            "ANSIBLE_LOCAL_TEMP": folder.appendingPathComponent("ansible-tmp").path,
            "ANSIBLE_NOCOLOR": "1",
        ]
        let result = try ExternalTools.run(
            try tool("ansible-playbook"),
            ["-i", "localhost,", "-c", "local", "-vvv",
             "-e", "work=\(work.path)", "-e", "ca_file=\(caFile)", "-e", "pin=\(pin)",
             "-e", "ansible_python_interpreter=\(Self.venv.appendingPathComponent("python").path)",
             ExternalTools.packageRoot.appendingPathComponent("ansible/tests/playbook.yml").path],
            environment: environment)
        let output = result.out + result.err
        XCTAssertEqual(result.status, 0, String(output.suffix(4000)))
        XCTAssertTrue(output.contains("failed=0"), String(output.suffix(2000)))
        let playbook = try String(contentsOf: ExternalTools.packageRoot.appendingPathComponent("ansible/tests/playbook.yml"), encoding: .utf8)
        let asserts = playbook.components(separatedBy: "ansible.builtin.assert:").count - 1
        XCTAssertGreaterThanOrEqual(asserts, 9)
        XCTAssertEqual(output.components(separatedBy: "All assertions passed").count - 1, asserts, "every assert task ran")
        XCTAssertFalse(output.contains(pin), "the PIN appeared in Ansible's output")
        XCTAssertFalse(FileManager.default.fileExists(atPath: work.appendingPathComponent("client.pse").path))
    }

    /// `ansible-test sanity` (documentation blocks, argument specs, imports, pep8, pylint, yamllint…),
    /// in a home folder of its own so that its requirement environments stay out of the user's.
    func testSanity() throws {
        let home = ExternalTools.packageRoot.appendingPathComponent(".cache/ansible-test-home")
        let cache = home.appendingPathComponent(".ansible/test/cache")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        // ansible-test bootstraps pip in its environments with a script from a host outside the
        // package registries; this stand-in does the same with ensurepip and PyPI.
        let bootstrap = """
        import subprocess, sys
        subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade", "--default-pip"])
        subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "pip==24.2", "setuptools", "wheel"])
        """
        try bootstrap.write(to: cache.appendingPathComponent("get_pip_24_2.py"), atomically: true, encoding: .utf8)
        let version = try ExternalTools.run(try tool("python"), ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"])
        let python = version.out.trimmingCharacters(in: .whitespacesAndNewlines)
        let result = try ExternalTools.run(
            try tool("ansible-test"), ["sanity", "--python", python, "--color", "no"],
            environment: ["HOME": home.path, "PATH": "\(Self.venv.path):\(ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")"],
            currentDirectory: Self.collection)
        try? FileManager.default.removeItem(at: Self.collection.appendingPathComponent("tests/output"))
        let output = result.out + result.err
        XCTAssertEqual(result.status, 0, String(output.suffix(4000)))
        XCTAssertTrue(output.contains("Running sanity test \"validate-modules\""), String(output.suffix(2000)))
        XCTAssertFalse(output.contains("ERROR:"), String(output.suffix(4000)))
    }
}
