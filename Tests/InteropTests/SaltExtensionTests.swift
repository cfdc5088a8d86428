import Foundation
import PSEStore
import XCTest

/// SaltStack's `saltext-sap-pse` 1.0.0, unchanged, with psekit linked as `sapgenpse` first on
/// PATH. Real Salt 3008 from PyPI in `.venv-salt` (scripts/setup-salt); a missing environment is
/// a failure. The execution-module functions run in one Salt minion process (salt.client.Caller,
/// what `salt-call --local` uses); the state runs twice through `salt-call --local`.
final class SaltExtensionTests: XCTestCase {
    static let venv = ExternalTools.packageRoot.appendingPathComponent(".venv-salt")
    let pin = "Salt-PIN-1"
    let user = CredentialStore.currentUser

    private var folder: URL!
    private var bin: URL!
    private var config: URL!

    override func setUpWithError() throws {
        folder = try ExternalTools.temporaryDirectory(self)
        bin = try Sapgenpse.linkFolder(self)
        config = folder.appendingPathComponent("salt")
        let states = folder.appendingPathComponent("states")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: states, withIntermediateDirectories: true)
        let minion = """
        id: psekit-test
        file_client: local
        root_dir: \(config.path)
        pki_dir: \(config.path)/pki
        cachedir: \(config.path)/cache
        sock_dir: \(config.path)/sock
        log_file: \(config.path)/minion.log
        log_level_logfile: debug
        file_roots:
          base:
            - \(states.path)
        """
        try Data(minion.utf8).write(to: config.appendingPathComponent("minion"))
        try linkForLoginShells()
    }

    /// The module runs every sapgenpse call with `runas` and `group` (the PSE's owner, or the
    /// minion's user), which Salt does through `sudo -i`: a login environment, whose PATH is the
    /// system's and not the test's. The `sapgenpse` link goes first on that PATH too, in
    /// /usr/local/bin, for the test's duration (a link there from before is put back after).
    private func linkForLoginShells() throws {
        let link = "/usr/local/bin/sapgenpse"
        let files = FileManager.default
        let previous = try? files.destinationOfSymbolicLink(atPath: link)
        if previous == nil && files.fileExists(atPath: link) {
            XCTFail("\(link) is a real sapgenpse; the Salt test would hide it. Run the test on a machine without it.")
            throw CocoaError(.fileWriteFileExists)
        }
        try? files.removeItem(atPath: link)
        try files.createSymbolicLink(atPath: link, withDestinationPath: ExternalTools.psekitPath)
        addTeardownBlock {
            try? files.removeItem(atPath: link)
            if let previous { try? files.createSymbolicLink(atPath: link, withDestinationPath: previous) }
        }
    }

    private var environment: [String: String] {
        ["PATH": bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
         "SECUDIR": folder.path, "TZ": "UTC"]
    }

    private func requireSalt(file: StaticString = #filePath, line: UInt = #line) -> Bool {
        let exists = FileManager.default.isExecutableFile(atPath: Self.venv.appendingPathComponent("bin/salt-call").path)
        XCTAssertTrue(exists, "Salt is missing at \(Self.venv.path): run scripts/setup-salt", file: file, line: line)
        return exists
    }

    /// Runs a Python script in Salt's environment; its last line of output is JSON.
    private func python(_ script: String) throws -> Any {
        let file = folder.appendingPathComponent("drive.py")
        try Data(script.utf8).write(to: file)
        let result = try ExternalTools.run(Self.venv.appendingPathComponent("bin/python").path, [file.path],
                                           environment: environment, currentDirectory: folder)
        XCTAssertEqual(result.status, 0, "\(result.err)\n\(result.out)")
        let last = result.out.split(separator: "\n").last.map(String.init) ?? ""
        return try JSONSerialization.jsonObject(with: Data(last.utf8))
    }

    /// openssl's view of the own certificate of `pse`: serial (colons), SHA-256 fingerprint and
    /// the two dates in ISO 8601.
    private func opensslView(of pse: URL) throws -> [String: String] {
        let certificate = folder.appendingPathComponent(pse.lastPathComponent + ".crt")
        let exported = try ExternalTools.psekit(["export_own_cert", "-p", pse.path, "-x", pin, "-o", certificate.path])
        XCTAssertEqual(exported.status, 0, exported.err)
        func value(_ arguments: [String]) throws -> String {
            let out = try ExternalTools.openssl(["x509", "-in", certificate.path, "-noout"] + arguments).out
            return String(out.split(separator: "=", maxSplits: 1).last ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return [
            "serial": Sapgenpse.colons(try value(["-serial"])),
            "sha256": try value(["-fingerprint", "-sha256"]),
            "notBefore": try value(["-startdate", "-dateopt", "iso_8601"]),
            "notAfter": try value(["-enddate", "-dateopt", "iso_8601"]),
        ]
    }

    func testExecutionModuleFunctions() throws {
        guard requireSalt() else { return }
        let (extra, _) = try Sapgenpse.certificate(named: "extra", in: folder, subject: "/C=DE/O=Example/CN=Extra Trusted CA",
                                                   serialHex: "7E57", notBefore: "240101000000Z", notAfter: "440101000000Z")
        let (leaf, leafKey) = try Sapgenpse.certificate(named: "leaf", in: folder, subject: "/C=DE/O=Example/CN=imported.example.com",
                                                        serialHex: "00A1B2C3D4", notBefore: "250101000000Z", notAfter: "350101000000Z")
        let dn = "CN=host.example.com, O=Example, C=DE"
        let gen = folder.appendingPathComponent("gen.pse").path
        let imported = folder.appendingPathComponent("imported.pse").path
        let script = """
        import json, datetime, salt.config, salt.client
        opts = salt.config.minion_config('\(config.path)/minion')
        caller = salt.client.Caller(mopts=opts)
        r = {}
        def call(key, fun, **kw):
            r[key] = caller.cmd(fun, **kw)
        def utc(text):
            return datetime.datetime.strptime(text.split('(', 1)[0].strip(), '%a %b %d %H:%M:%S %Y').strftime('%Y-%m-%d %H:%M:%SZ')
        pse = dict(pse_file='\(gen)', pse_pwd='\(pin)')
        call('gen_pse', 'sap_pse.gen_pse', dn='\(dn)', **pse)
        call('get_my_name', 'sap_pse.get_my_name', **pse)
        me = r['get_my_name']['MY Certificate']
        r['notBefore'] = utc(me['Validity not before']); r['notAfter'] = utc(me['Validity not after'])
        call('list_bundle', 'sap_pse.maintain_pk_list', **pse)
        call('maintain_pk_add', 'sap_pse.maintain_pk_add', certs=['\(extra.path)'], **pse)
        call('list_added', 'sap_pse.maintain_pk_list', **pse)
        call('maintain_pk_delete', 'sap_pse.maintain_pk_delete', del_cert='"Extra Trusted CA"', **pse)
        call('list_deleted', 'sap_pse.maintain_pk_list', **pse)
        for key in ('list_bundle', 'list_added', 'list_deleted'):
            r[key] = [c.get('Certificate fingerprint (SHA256)') for c in r[key]] if isinstance(r[key], list) else r[key]
        call('contains_before', 'sap_pse.seclogin_contains', user='\(user)', **pse)
        call('seclogin_add', 'sap_pse.seclogin_add', user='\(user)', **pse)
        call('seclogin_contains', 'sap_pse.seclogin_contains', user='\(user)', **pse)
        call('seclogin_count', 'sap_pse.seclogin_count', **pse)
        call('seclogin_delete', 'sap_pse.seclogin_delete', **pse)
        call('contains_after', 'sap_pse.seclogin_contains', user='\(user)', **pse)
        call('export_p8', 'sap_pse.export_p8', pem_file='\(folder.path)/exported.pem', pem_pwd='keypass', **pse)
        call('import_p8', 'sap_pse.import_p8', pse_file='\(imported)', pse_pwd='\(pin)', pub_key='\(leaf.path)',
             priv_key='\(leafKey.path)', add_ca_bundle=False)
        call('imported_name', 'sap_pse.get_my_name', pse_file='\(imported)', pse_pwd='\(pin)')
        r['imported_name'] = r['imported_name']['MY Certificate']
        call('gen_verify_pse', 'sap_pse.gen_verify_pse', pse_file='\(folder.path)/SAPVERIFY1.pse')
        call('wrong_pin', 'sap_pse.get_my_name', pse_file='\(gen)', pse_pwd='not-the-pin')
        print(json.dumps(r, default=str))
        """
        let r = try XCTUnwrap(try python(script) as? [String: Any])

        XCTAssertEqual(r["gen_pse"] as? Bool, true)
        let view = try opensslView(of: URL(fileURLWithPath: gen))
        let me = try XCTUnwrap((r["get_my_name"] as? [String: Any])?["MY Certificate"] as? [String: Any], "\(r)")
        XCTAssertEqual(me["Subject"] as? String, dn)
        XCTAssertEqual(me["Serial Number"] as? String, view["serial"])
        XCTAssertEqual(me["Certificate fingerprint (SHA256)"] as? String, view["sha256"])
        XCTAssertEqual(r["notBefore"] as? String, view["notBefore"])
        XCTAssertEqual(r["notAfter"] as? String, view["notAfter"])

        // gen_pse added the system's CA bundle (maintain_pk -y -m BUNDLE): the list holds it.
        let bundle = try XCTUnwrap(r["list_bundle"] as? [String?], "\(r["list_bundle"] ?? "nil")")
        XCTAssertGreaterThan(bundle.count, 10)
        XCTAssertTrue(bundle.contains(view["sha256"]), "the own certificate is trusted")
        XCTAssertEqual(r["maintain_pk_add"] as? Bool, true)
        let extraFingerprint = try Sapgenpse.openssl("fingerprint", of: extra, digest: "sha256")
        let added = try XCTUnwrap(r["list_added"] as? [String?])
        XCTAssertEqual(added.count, bundle.count + 1)
        XCTAssertTrue(added.contains(extraFingerprint))
        XCTAssertEqual(r["maintain_pk_delete"] as? Bool, true)
        let deleted = try XCTUnwrap(r["list_deleted"] as? [String?])
        XCTAssertEqual(deleted.count, bundle.count)
        XCTAssertFalse(deleted.contains(extraFingerprint))

        XCTAssertEqual(r["contains_before"] as? [Bool], [true, false])
        XCTAssertEqual(r["seclogin_add"] as? Bool, true)
        XCTAssertEqual(r["seclogin_contains"] as? [Bool], [true, true])
        XCTAssertEqual(r["seclogin_count"] as? Int, 1)
        XCTAssertEqual(r["seclogin_delete"] as? Bool, true)
        XCTAssertEqual(r["contains_after"] as? [Bool], [true, false])

        XCTAssertEqual(r["export_p8"] as? Bool, true)
        let key = try ExternalTools.openssl(["pkey", "-in", folder.appendingPathComponent("exported.pem").path,
                                             "-passin", "pass:keypass", "-pubout"]).out
        let crt = folder.appendingPathComponent("gen.pse.crt")
        XCTAssertEqual(key, try ExternalTools.openssl(["x509", "-in", crt.path, "-noout", "-pubkey"]).out)

        XCTAssertEqual(r["import_p8"] as? Bool, true)
        let importedName = try XCTUnwrap(r["imported_name"] as? [String: Any])
        XCTAssertEqual(importedName["Serial Number"] as? String, Sapgenpse.colons(try Sapgenpse.openssl("serial", of: leaf)))
        XCTAssertEqual(importedName["Certificate fingerprint (SHA256)"] as? String, try Sapgenpse.openssl("fingerprint", of: leaf, digest: "sha256"))
        XCTAssertEqual(importedName["Subject"] as? String, "CN=imported.example.com, O=Example, C=DE")

        XCTAssertEqual(r["gen_verify_pse"] as? Bool, true)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("SAPVERIFY1.pse").path))
        // A wrong PIN: the module recognizes sapgenpse's message and returns an empty dict.
        XCTAssertEqual((r["wrong_pin"] as? [String: Any])?.count, 0, "\(r["wrong_pin"] ?? "nil")")
    }

    /// `sap_pse.managed` applied twice: the first run creates the PSE (and the SSO credential),
    /// the second reports no changes.
    func testManagedStateTwice() throws {
        guard requireSalt() else { return }
        let pse = folder.appendingPathComponent("managed.pse")
        let sls = """
        managed-pse:
          sap_pse.managed:
            - name: \(pse.path)
            - dn: "CN=managed.example.com, O=Example, C=DE"
            - pin: \(pin)
            - seclogons:
              - \(user)
        """
        try Data(sls.utf8).write(to: folder.appendingPathComponent("states/pse.sls"))
        func apply() throws -> [String: Any] {
            let result = try ExternalTools.run(Self.venv.appendingPathComponent("bin/salt-call").path,
                                               ["--local", "-c", config.path, "--out=json", "state.apply", "pse"],
                                               environment: environment, currentDirectory: folder)
            XCTAssertEqual(result.status, 0, "\(result.out)\n\(result.err)")
            let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], result.out)
            let local = try XCTUnwrap(json["local"] as? [String: Any], result.out)
            return try XCTUnwrap(local.values.first as? [String: Any], result.out)
        }
        let first = try apply()
        XCTAssertEqual(first["result"] as? Bool, true, "\(first)")
        let changes = try XCTUnwrap((first["changes"] as? [String: Any])?["new"] as? [String], "\(first)")
        XCTAssertTrue(changes.contains("Created PSE file \(pse.path)"), "\(changes)")
        XCTAssertTrue(changes.contains("Added SSO credentials for user \(user) to PSE file \(pse.path)"), "\(changes)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: pse.path))

        let second = try apply()
        XCTAssertEqual(second["result"] as? Bool, true, "\(second)")
        XCTAssertEqual(second["comment"] as? String, "No changes required", "\(second)")
        XCTAssertEqual((second["changes"] as? [String: Any])?.count, 0, "\(second)")
    }
}
