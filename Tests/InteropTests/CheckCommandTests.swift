import CryptoExtras
import Foundation
import PSEKit
import PSENet
import PSEStore
import X509
import XCTest

/// `psekit check` and `psekit trust` through the built binary against the Python HTTPS peer and
/// `openssl s_server` on 127.0.0.1: HTTP statuses, JSON report, WebSocket, flooding servers,
/// option validation, pinned fingerprints, refused chains.
final class CheckCommandTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try ExternalTools.temporaryDirectory(self)
    }

    /// A PSE without PIN trusting `trusted`, optionally with a client identity.
    private func makePSE(_ name: String, trusted: [URL] = [], identity: (certificate: URL, key: URL)? = nil) throws -> String {
        let path = directory.appendingPathComponent(name).path
        var content = try PSEContent()
        if let identity {
            let key = try _RSA.Signing.PrivateKey(pemRepresentation: String(contentsOf: identity.key, encoding: .utf8))
            try content.setIdentity(privateKey: key, certificate: try TestPKI.certificates(identity.certificate)[0], chain: [])
        }
        for url in trusted {
            for certificate in try TestPKI.certificates(url) { _ = try content.addTrustedCertificate(certificate) }
        }
        try StoredPSE.create(PSEFile(content: content), at: path, pin: nil)
        return path
    }

    private func trustedList(_ path: String) throws -> [Certificate] {
        try StoredPSE.open(at: path) { _ in nil }.file.content.trustedCertificates()
    }

    private func json(_ result: ExternalTools.Result) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], result.out + result.err)
    }

    func testHTTPStatusesExitNonZeroWithTheirOwnExplanation() throws {
        let pki = try TestPKI(in: directory, name: "Status")
        let pse = try makePSE("client.pse", trusted: [pki.rootCertificate])
        var explanations: Set<String> = []
        for (status, exitCode, words) in [(401, 26, "not authenticated"), (403, 27, "not authorised"), (404, 28, "not deployed")] {
            let peer = try PythonHTTPSPeer(self, arguments: ["--cert", pki.serverChain.path, "--key", pki.leafKey.path, "--status", String(status)])
            let result = try ExternalTools.psekit(["check", peer.url, "-p", pse])
            XCTAssertEqual(result.status, Int32(exitCode), result.err)
            XCTAssertTrue(result.err.contains(words), result.err)
            explanations.insert(result.err)
            let expected = try ExternalTools.psekit(["check", peer.url, "-p", pse, "--expect-status", String(status)])
            XCTAssertEqual(expected.status, 0, expected.err)
        }
        XCTAssertEqual(explanations.count, 3)
    }

    func testJSONReportsTLSAndClientCertificate() throws {
        let pki = try TestPKI(in: directory, name: "Report")
        let clients = try TestPKI(in: directory, name: "Report Clients")
        let alice = try clients.issueClient("alice")
        let pse = try makePSE("alice.pse", trusted: [pki.rootCertificate], identity: alice)

        let plain = try PythonHTTPSPeer(self, arguments: ["--cert", pki.serverChain.path, "--key", pki.leafKey.path])
        let notAsked = try json(ExternalTools.psekit(["check", plain.url, "-p", pse, "--json"]))
        XCTAssertEqual(notAsked["tlsVersion"] as? String, "TLS 1.3")
        XCTAssertNotNil(notAsked["cipherSuite"] as? String)
        XCTAssertEqual(notAsked["clientCertificateRequested"] as? Bool, false)
        XCTAssertTrue(notAsked["clientCertificateSent"] is NSNull || notAsked["clientCertificateSent"] == nil)

        let clientCA = directory.appendingPathComponent("client-ca.pem")
        try (String(contentsOf: clients.intermediateCertificate, encoding: .utf8) + String(contentsOf: clients.rootCertificate, encoding: .utf8))
            .write(to: clientCA, atomically: true, encoding: .utf8)
        let asking = try PythonHTTPSPeer(self, arguments: ["--cert", pki.serverChain.path, "--key", pki.leafKey.path,
                                                           "--client-ca", clientCA.path])
        // The peer needs the client's intermediate: lend the identity as PKCS#12 with its chain.
        let pfx = directory.appendingPathComponent("alice.pfx").path
        try ExternalTools.openssl(["pkcs12", "-export", "-in", alice.certificate.path, "-inkey", alice.key.path,
                                   "-certfile", clients.intermediateCertificate.path, "-passout", "pass:pw", "-out", pfx])
        let asked = try ExternalTools.psekit(["check", asking.url, "-p", pse, "--identity", pfx, "--identity-password-env", "PFX_PW", "--json"],
                                             environment: ["PFX_PW": "pw"])
        XCTAssertEqual(asked.status, 0, asked.err)
        let report = try json(asked)
        XCTAssertEqual(report["clientCertificateRequested"] as? Bool, true)
        XCTAssertEqual(report["clientCertificateSent"] as? String, "CN=alice, O=psekit tests")

        let verbose = try ExternalTools.psekit(["check", plain.url, "-p", pse, "-v"])
        XCTAssertEqual(verbose.status, 0, verbose.err)
        XCTAssertTrue(verbose.err.contains("TLS version: TLS 1.3"), verbose.err)
        XCTAssertTrue(verbose.err.contains("Server asked for a client certificate: no"), verbose.err)
    }

    func testWebSocketCommand() throws {
        let pki = try TestPKI(in: directory, name: "WS")
        let pse = try makePSE("client.pse", trusted: [pki.rootCertificate])
        let upgrading = try PythonHTTPSPeer(self, arguments: ["--cert", pki.serverChain.path, "--key", pki.leafKey.path, "--mode", "websocket"])
        let ok = try ExternalTools.psekit(["check", "wss://127.0.0.1:\(upgrading.port)/sap/bc/apc/echo", "-p", pse])
        XCTAssertEqual(ok.status, 0, ok.err)
        XCTAssertTrue(ok.out.hasPrefix("HTTP/1.1 101"), ok.out)
        let notFound = try PythonHTTPSPeer(self, arguments: ["--cert", pki.serverChain.path, "--key", pki.leafKey.path, "--status", "404"])
        let failed = try ExternalTools.psekit(["check", "wss://127.0.0.1:\(notFound.port)/sap/bc/apc/echo", "-p", pse])
        XCTAssertEqual(failed.status, 31, failed.err)
        XCTAssertTrue(failed.err.contains("WebSocket opening handshake failed") && failed.err.contains("404"), failed.err)
    }

    /// A server flooding headers or body: psekit stays small and ends (NIOHTTP1's header limit,
    /// the body prefix, the deadline). Memory is read from the kernel's accounting of the child.
    func testFloodingServerIsBounded() throws {
        let pki = try TestPKI(in: directory, name: "Flood")
        let pse = try makePSE("client.pse", trusted: [pki.rootCertificate])
        for mode in ["flood-headers", "flood-body"] {
            let peer = try PythonHTTPSPeer(self, arguments: ["--cert", pki.serverChain.path, "--key", pki.leafKey.path, "--mode", mode],
                                           lifetime: 30)
            let script = """
            import resource, subprocess, sys
            p = subprocess.run(sys.argv[1:], capture_output=True, timeout=60)
            print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
            sys.stderr.write(p.stderr.decode(errors="replace"))
            """
            let result = try ExternalTools.run("python3", ["-c", script, ExternalTools.psekitPath, "check", peer.url, "-p", pse, "--timeout", "5"])
            let fields = result.out.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
            XCTAssertEqual(fields.count, 2, result.out + result.err)
            let status = Int(fields.first ?? "") ?? -999, maxRSSKiB = Int(fields.last ?? "") ?? .max
            XCTAssertLessThan(maxRSSKiB, 50 * 1024, "\(mode): \(result.err)")
            if mode == "flood-headers" {
                XCTAssertEqual(status, 21, result.err)  // the answer is not usable HTTP: headers over the limit
            } else {
                XCTAssertEqual(status, 0, result.err)  // 200 and the first 512 bytes of the body
            }
        }
    }

    func testOptionValidation() throws {
        let pse = try makePSE("client.pse")
        for value in ["inf", "nan", "0", "-1", "1e10"] {
            let result = try ExternalTools.psekit(["check", "https://127.0.0.1:1/", "-p", pse, "--timeout", value])
            XCTAssertEqual(result.status, 64, "--timeout \(value): \(result.err)")
            XCTAssertTrue(result.err.contains("--timeout"), result.err)
        }
        let credentials = try ExternalTools.psekit(["check", "https://alice:s3cret@127.0.0.1:1/", "-p", pse])
        XCTAssertNotEqual(credentials.status, 0)
        XCTAssertTrue(credentials.err.contains("--password-env"), credentials.err)
        XCTAssertFalse(credentials.err.contains("s3cret") || credentials.out.contains("s3cret"), credentials.err)
    }

    func testExpectFingerprint() throws {
        let pki = try TestPKI(in: directory, name: "Pinned")
        let server = try OpenSSLTestServer(self, directory: directory, arguments: OpenSSLTestServer.serving(pki))
        let pse = try makePSE("client.pse")
        let wrong = try ExternalTools.psekit(["trust", server.url, "-p", pse, "--ca-file", pki.rootCertificate.path,
                                              "--expect-fingerprint", "SHA256:" + Array(repeating: "AB", count: 32).joined(separator: ":")])
        XCTAssertEqual(wrong.status, 4, wrong.err)
        XCTAssertTrue(wrong.err.contains("nothing changed"), wrong.err)
        XCTAssertEqual(try trustedList(pse), [])

        let root = try TestPKI.certificates(pki.rootCertificate)[0]
        let right = try ExternalTools.psekit(["trust", server.url, "-p", pse, "--ca-file", pki.rootCertificate.path,
                                              "--expect-fingerprint", "SHA256:" + CertificateFingerprint.sha256(root)])
        XCTAssertEqual(right.status, 0, right.err)
        XCTAssertTrue(try trustedList(pse).contains(root))
        XCTAssertEqual(try ExternalTools.psekit(["check", server.url, "-p", pse]).status, 0)
    }

    func testTrustRefusesInvalidChainsAndShowsUnreadableCertificates() throws {
        let pki = CustomPKI(directory: directory)
        let root = try pki.root("Root")
        let endEntity = try pki.issue("End Entity", by: root, extensions: "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyCertSign\n")
        let leaf = try pki.issue("localhost", by: endEntity, extensions: CustomPKI.serverExtensions())
        let server = try OpenSSLTestServer(self, directory: directory, arguments: ["-cert", leaf.certificate.path, "-key", leaf.key.path,
                                                                                  "-cert_chain", endEntity.certificate.path])
        let pse = try makePSE("client.pse")
        let refused = try ExternalTools.psekit(["trust", server.url, "-p", pse, "--ca-file", root.certificate.path, "--yes"])
        XCTAssertEqual(refused.status, 23, refused.err)
        XCTAssertTrue(refused.err.contains("not offered for trust"), refused.err)
        XCTAssertEqual(try trustedList(pse), [])
        // check with the root trusted refuses it too, and says why.
        let trusting = try makePSE("trusting.pse", trusted: [root.certificate])
        let check = try ExternalTools.psekit(["check", server.url, "-p", trusting, "--user", "alice", "--password-env", "PW"],
                                             environment: ["PW": "s3cret"])
        XCTAssertEqual(check.status, 23, check.err)
        XCTAssertTrue(check.err.contains("is not a CA"), check.err)

        // The man in the middle's unreadable certificate is shown with its fingerprint, and nothing is trusted.
        let genuine = try TestPKI(in: directory, name: "Genuine")
        let mitmKey = directory.appendingPathComponent("mitm.key"), mitmCertificate = directory.appendingPathComponent("mitm.pem")
        try ExternalTools.openssl(["req", "-x509", "-newkey", "rsa:1024", "-nodes", "-keyout", mitmKey.path, "-out", mitmCertificate.path,
                                   "-days", "30", "-subj", "/CN=localhost"])
        let presented = directory.appendingPathComponent("mitm-chain.pem")
        try [mitmCertificate, genuine.leafCertificate, genuine.intermediateCertificate]
            .map { try String(contentsOf: $0, encoding: .utf8) }.joined().write(to: presented, atomically: true, encoding: .utf8)
        let record = directory.appendingPathComponent("requests.log")
        let mitm = try PythonHTTPSPeer(self, arguments: ["--cert", presented.path, "--key", mitmKey.path, "--seclevel0", "--record", record.path])
        let shown = try ExternalTools.psekit(["trust", mitm.url, "-p", pse, "--ca-file", genuine.rootCertificate.path, "--yes"])
        XCTAssertEqual(shown.status, 24, shown.err)
        XCTAssertTrue(shown.out.contains("presented 3 certificate(s)"), shown.out)
        XCTAssertTrue(shown.out.contains("cannot be read"), shown.out)
        XCTAssertTrue(shown.out.contains("CN=Genuine Server"), shown.out)
        XCTAssertEqual(try trustedList(pse), [])
        let genuinePSE = try makePSE("genuine.pse", trusted: [genuine.rootCertificate])
        let attacked = try ExternalTools.psekit(["check", mitm.url, "-p", genuinePSE, "--user", "alice", "--password-env", "PW"],
                                                environment: ["PW": "s3cret"])
        XCTAssertEqual(attacked.status, 24, attacked.err)
        XCTAssertFalse(((try? String(contentsOf: record, encoding: .utf8)) ?? "").contains("Authorization"))
    }

    func testProxies() throws {
        let pki = try TestPKI(in: directory, name: "Proxied")
        let pse = try makePSE("client.pse", trusted: [pki.rootCertificate])
        let server = try PythonHTTPSPeer(self, arguments: ["--cert", pki.serverChain.path, "--key", pki.leafKey.path])
        let record = directory.appendingPathComponent("proxy.log")
        let proxy = try PythonHTTPSPeer(self, script: "connect_proxy.py", arguments: ["--record", record.path])
        let proxyURL = "http://127.0.0.1:\(proxy.port)"
        func seen() -> String { (try? String(contentsOf: record, encoding: .utf8)) ?? "" }

        // HTTPS_PROXY carries the connection; NO_PROXY bypasses it.
        let viaEnvironment = try ExternalTools.psekit(["check", server.url, "-p", pse], environment: ["HTTPS_PROXY": proxyURL])
        XCTAssertEqual(viaEnvironment.status, 0, viaEnvironment.err)
        XCTAssertTrue(seen().contains("CONNECT 127.0.0.1:\(server.port) HTTP/1.1"), seen())
        let before = seen()
        let bypassed = try ExternalTools.psekit(["check", server.url, "-p", pse],
                                                environment: ["HTTPS_PROXY": proxyURL, "NO_PROXY": "localhost,127.0.0.1"])
        XCTAssertEqual(bypassed.status, 0, bypassed.err)
        XCTAssertEqual(seen(), before)

        // --proxy carries it too, trust included.
        try? FileManager.default.removeItem(at: record)
        let viaOption = try ExternalTools.psekit(["check", server.url, "-p", pse, "--proxy", proxyURL])
        XCTAssertEqual(viaOption.status, 0, viaOption.err)
        XCTAssertTrue(seen().contains("CONNECT 127.0.0.1:\(server.port)"), seen())
        let fresh = try makePSE("fresh.pse")
        let trusted = try ExternalTools.psekit(["trust", server.url, "-p", fresh, "--proxy", proxyURL, "--ca-file", pki.rootCertificate.path, "--yes"])
        XCTAssertEqual(trusted.status, 0, trusted.err)

        // 407, denied, unreachable: each diagnosed as the proxy's.
        let authenticating = try PythonHTTPSPeer(self, script: "connect_proxy.py", arguments: ["--auth", "me:pw"])
        let noCredentials = try ExternalTools.psekit(["check", server.url, "-p", pse, "--proxy", "http://127.0.0.1:\(authenticating.port)"])
        XCTAssertEqual(noCredentials.status, 32, noCredentials.err)
        XCTAssertTrue(noCredentials.err.contains("requires authentication (407)"), noCredentials.err)
        let withCredentials = try ExternalTools.psekit(["check", server.url, "-p", pse, "--proxy", "http://127.0.0.1:\(authenticating.port)",
                                                        "--proxy-user", "me", "--proxy-password-env", "PROXY_PW"],
                                                       environment: ["PROXY_PW": "pw"])
        XCTAssertEqual(withCredentials.status, 0, withCredentials.err)
        let denying = try PythonHTTPSPeer(self, script: "connect_proxy.py", arguments: ["--deny"])
        let denied = try ExternalTools.psekit(["check", server.url, "-p", pse, "--proxy", "http://127.0.0.1:\(denying.port)"])
        XCTAssertEqual(denied.status, 33, denied.err)
        XCTAssertTrue(denied.err.contains("403"), denied.err)
        let nowhere = try NIOTestServer.freePort()
        let refused = try ExternalTools.psekit(["check", server.url, "-p", pse, "--proxy", "http://127.0.0.1:\(nowhere)"])
        XCTAssertEqual(refused.status, 33, refused.err)
        XCTAssertTrue(refused.err.contains("connection refused"), refused.err)
    }

    /// --identity client.pfx without -p: the server is validated against --ca-file (or the system store).
    func testPFXWithoutPSE() throws {
        let pki = try TestPKI(in: directory, name: "NoPSE")
        let clients = try TestPKI(in: directory, name: "NoPSE Clients")
        let bob = try clients.issueClient("bob")
        let pfx = directory.appendingPathComponent("bob.pfx").path
        try ExternalTools.openssl(["pkcs12", "-export", "-in", bob.certificate.path, "-inkey", bob.key.path,
                                   "-certfile", clients.intermediateCertificate.path, "-passout", "pass:pw", "-out", pfx])
        let server = try PythonHTTPSPeer(self, arguments: ["--cert", pki.serverChain.path, "--key", pki.leafKey.path])
        let trusted = try ExternalTools.psekit(["check", server.url, "--identity", pfx, "--identity-password-env", "PW",
                                                "--ca-file", pki.rootCertificate.path], environment: ["PW": "pw"])
        XCTAssertEqual(trusted.status, 0, trusted.err)
        // The system store does not know the test root.
        let system = try ExternalTools.psekit(["check", server.url, "--identity", pfx, "--identity-password-env", "PW"],
                                              environment: ["PW": "pw"])
        XCTAssertEqual(system.status, 10, system.err)
        let neither = try ExternalTools.psekit(["check", server.url])
        XCTAssertEqual(neither.status, 64, neither.err)
    }

    func testTLS10ServerIsWarnedAbout() throws {
        let pki = try TestPKI(in: directory, name: "Old TLS")
        let pse = try makePSE("client.pse", trusted: [pki.rootCertificate])
        let peer = try PythonHTTPSPeer(self, arguments: ["--cert", pki.serverChain.path, "--key", pki.leafKey.path, "--tls10"])
        let text = try ExternalTools.psekit(["check", peer.url, "-p", pse])
        XCTAssertEqual(text.status, 0, text.err)
        XCTAssertTrue(text.err.contains("below TLS 1.2"), text.err)
        let report = try json(ExternalTools.psekit(["check", peer.url, "-p", pse, "--json"]))
        XCTAssertEqual(report["tlsVersion"] as? String, "TLS 1.0")
    }
}
