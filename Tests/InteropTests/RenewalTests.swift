import Foundation
import PSEStore
import XCTest

/// Renewal as docs/renewal.md describes it, with openssl as the CA: `get_pse -onlyreq`, the CA
/// signs, `import_own_cert`; the PSE keeps its key, trusted list and SSO credential.
final class RenewalTests: XCTestCase {
    func testRenewalKeepsKeyTrustedListAndCredential() throws {
        let folder = try ExternalTools.temporaryDirectory(self)
        let bin = try Sapgenpse.linkFolder(self)
        let pin = "renew-PIN"
        func sapgenpse(_ arguments: [String]) throws -> ExternalTools.Result {
            let result = try Sapgenpse.run(bin, arguments, secudir: folder, environment: ["TZ": "UTC"])
            XCTAssertEqual(result.status, 0, "sapgenpse \(arguments.joined(separator: " ")): \(result.err)")
            return result
        }
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

        // The CA.
        try ExternalTools.openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path("ca.key"), "-out", path("ca.pem"),
                                   "-subj", "/C=DE/O=Example/CN=Example Root CA", "-days", "3650",
                                   "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        func sign(_ request: String, _ certificate: String, days: String) throws {
            try ExternalTools.openssl(["x509", "-req", "-in", path(request), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
                                       "-CAcreateserial", "-days", days, "-sha256", "-out", path(certificate)])
        }

        // First certificate: a new PSE, its request signed, the answer imported.
        try sapgenpse(["get_pse", "-p", "SAPSSLS.pse", "-x", pin, "-r", path("first.req"), "CN=server.example.com, O=Example, C=DE"])
        try sign("first.req", "first.crt", days: "30")
        try sapgenpse(["import_own_cert", "-p", "SAPSSLS.pse", "-x", pin, "-c", path("first.crt"), "-r", path("ca.pem")])
        let (partner, _) = try Sapgenpse.certificate(named: "partner", in: folder, subject: "/C=DE/CN=Partner CA",
                                                     serialHex: "5A", notBefore: "240101000000Z", notAfter: "440101000000Z")
        try sapgenpse(["maintain_pk", "-y", "-p", "SAPSSLS.pse", "-x", pin, "-m", partner.path])
        try sapgenpse(["seclogin", "-p", "SAPSSLS.pse", "-x", pin, "-O", CredentialStore.currentUser])
        let listBefore = try sapgenpse(["maintain_pk", "-l", "-p", "SAPSSLS.pse"]).out

        // Renewal: a request for the same key (the PIN comes from the credential), signed, imported.
        try sapgenpse(["get_pse", "-onlyreq", "-r", path("renew.req"), "-p", "SAPSSLS.pse"])
        try sign("renew.req", "renewed.crt", days: "365")
        try sapgenpse(["import_own_cert", "-p", "SAPSSLS.pse", "-c", path("renewed.crt"), "-r", path("ca.pem")])

        // The PSE has the renewed certificate (openssl's serial and fingerprint) ...
        let vv = try sapgenpse(["get_my_name", "-vv", "-p", "SAPSSLS.pse"]).out
        let renewed = URL(fileURLWithPath: path("renewed.crt"))
        XCTAssertTrue(vv.contains("  Serial Number: \(Sapgenpse.colons(try Sapgenpse.openssl("serial", of: renewed)))\n"), vv)
        XCTAssertTrue(vv.contains("  Certificate fingerprint (SHA256): \(try Sapgenpse.openssl("fingerprint", of: renewed, digest: "sha256"))\n"), vv)
        // ... for the same key ...
        let firstKey = try ExternalTools.openssl(["x509", "-in", path("first.crt"), "-noout", "-pubkey"]).out
        try sapgenpse(["export_p8", "-p", "SAPSSLS.pse", "-z", "keypass", path("key.pem")])
        XCTAssertEqual(try ExternalTools.openssl(["pkey", "-in", path("key.pem"), "-passin", "pass:keypass", "-pubout"]).out, firstKey)
        XCTAssertEqual(try ExternalTools.openssl(["x509", "-in", renewed.path, "-noout", "-pubkey"]).out, firstKey)
        // ... the same trusted list ...
        let listAfter = try sapgenpse(["maintain_pk", "-l", "-p", "SAPSSLS.pse"]).out
        XCTAssertEqual(listAfter, listBefore)
        XCTAssertTrue(listAfter.contains(try Sapgenpse.openssl("fingerprint", of: partner, digest: "sha256")))
        // ... and the SSO credential still opens it.
        let credentials = try sapgenpse(["seclogin", "-l", "-p", "SAPSSLS.pse"]).out
        XCTAssertTrue(credentials.contains("1 readable (of 1 matching) SSO-Credentials available"), credentials)
    }
}
