import Foundation
import PSEKit
import X509
import XCTest

/// Issue 9 where it is cheap: `scripts/install` into a temporary prefix with the debug build,
/// the `sapgenpse` link, the manual page (rendered by `man -l`, matching `psekit help`), the
/// shell completions, `--version`, and the DocC article's walk-through run for real. The release
/// archive itself is tested by `scripts/release --check` (it needs a static release build).
final class DistributionTests: XCTestCase {
    var installScript: String { ExternalTools.packageRoot.appendingPathComponent("scripts/install").path }
    var committedManual: URL { ExternalTools.packageRoot.appendingPathComponent("docs/man/psekit.1") }

    /// Installs the debug build into a fresh prefix and returns the prefix.
    func installIntoTemporaryPrefix() throws -> URL {
        let prefix = try ExternalTools.temporaryDirectory(self).appendingPathComponent("prefix")
        let result = try ExternalTools.run("/bin/bash", [installScript, "--binary", ExternalTools.psekitPath, prefix.path])
        XCTAssertEqual(result.status, 0, "scripts/install failed: \(result.err)\(result.out)")
        return prefix
    }

    func testInstallPutsEveryFileInPlace() throws {
        let prefix = try installIntoTemporaryPrefix()
        let files = ["bin/psekit", "share/man/man1/psekit.1", "share/bash-completion/completions/psekit",
                     "share/zsh/site-functions/_psekit", "share/fish/vendor_completions.d/psekit.fish"]
        for file in files {
            let path = prefix.appendingPathComponent(file).path
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            XCTAssertGreaterThan(size, 0, "\(file) is missing or empty")
        }
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: prefix.appendingPathComponent("bin/sapgenpse").path)
        XCTAssertEqual(link, "psekit")
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: prefix.appendingPathComponent("bin/psekit").path))
        let zsh = try String(contentsOf: prefix.appendingPathComponent("share/zsh/site-functions/_psekit"), encoding: .utf8)
        XCTAssertTrue(zsh.hasPrefix("#compdef psekit sapgenpse\n"), "zsh completion does not cover both names")
    }

    func testSapgenpseLinkRunsCommandsWithItsOwnName() throws {
        let prefix = try installIntoTemporaryPrefix()
        let sapgenpse = prefix.appendingPathComponent("bin/sapgenpse").path
        let folder = try ExternalTools.temporaryDirectory(self)
        let pse = folder.appendingPathComponent("linked.pse").path
        let created = try ExternalTools.run(sapgenpse, ["gen_pse", "-p", pse, "-x", "1234", "-noreq",
                                                        "CN=linked.example.com, O=psekit tests, C=DE"])
        XCTAssertEqual(created.status, 0, created.err)
        let name = try ExternalTools.run(sapgenpse, ["get_my_name", "-p", pse, "-x", "1234", "-n", "Subject"])
        XCTAssertEqual(name.status, 0, name.err)
        XCTAssertEqual(name.out, "CN=linked.example.com, O=psekit tests, C=DE\n")
        let wrongPIN = try ExternalTools.run(sapgenpse, ["get_my_name", "-p", pse, "-x", "4321"])
        XCTAssertNotEqual(wrongPIN.status, 0)
        let version = try ExternalTools.run(sapgenpse, ["--version"])
        XCTAssertTrue(version.out.hasPrefix("psekit "), version.out)
    }

    func testBashCompletionIsRegisteredForBothNames() throws {
        let prefix = try installIntoTemporaryPrefix()
        let script = prefix.appendingPathComponent("share/bash-completion/completions/psekit").path
        let result = try ExternalTools.run("/bin/bash", ["-c", "source '\(script)' && complete -p psekit && complete -p sapgenpse"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("complete -o filenames -F _psekit psekit"), result.out)
        XCTAssertTrue(result.out.contains("complete -o filenames -F _psekit sapgenpse"), result.out)
        // The completion offers the subcommands after the command name.
        let offered = try ExternalTools.run("/bin/bash", ["-c", """
            source '\(script)'
            COMP_WORDS=(psekit ge); COMP_CWORD=1; COMP_LINE='psekit ge'; COMP_POINT=${#COMP_LINE}
            _psekit psekit ge psekit
            printf '%s\\n' "${COMPREPLY[@]}"
            """])
        XCTAssertEqual(offered.status, 0, offered.err)
        // get_pse is an alias of gen_pse: it runs (GenPSECommandTests) but is not offered twice.
        for command in ["gen_pse", "get_my_name", "gen_verify_pse"] {
            XCTAssertTrue(offered.out.split(separator: "\n").contains(Substring(command)), "\(command) not offered: \(offered.out)")
        }
    }

    func testManualPageRendersWithMan() throws {
        let prefix = try installIntoTemporaryPrefix()
        let page = prefix.appendingPathComponent("share/man/man1/psekit.1").path
        let rendered = try ExternalTools.run("/bin/bash", ["-c", "set -o pipefail; man -l '\(page)' | col -bx"],
                                             environment: ["MANWIDTH": "120"])
        XCTAssertEqual(rendered.status, 0, "man -l failed (is man-db installed?): \(rendered.err)")
        let text = rendered.out
        XCTAssertTrue(text.contains("NAME"), text)
        XCTAssertTrue(text.contains("SYNOPSIS"), text)
        for command in ["gen_pse", "maintain_pk", "import_p12", "expiry", "trust", "check"] {
            XCTAssertTrue(text.contains(command), "the rendered page does not mention \(command)")
        }
    }

    /// The committed page (docs/man/psekit.1, made by scripts/manual from the commands' help)
    /// says what `psekit help COMMAND` says: every command, its abstract, its discussion and every
    /// option with its help. A failure means a command's help changed: run `scripts/manual`.
    func testManualPageMatchesHelpOfEveryCommand() throws {
        let page = try String(contentsOf: committedManual, encoding: .utf8)
        let manualText = ManualPage.plainText(ofMdoc: page)
        let dump = try ExternalTools.psekit(["--experimental-dump-help"])
        XCTAssertEqual(dump.status, 0, dump.err)
        let tool = try JSONDecoder().decode(DumpedTool.self, from: dump.stdout)
        var checked = 0
        for command in tool.command.subcommands ?? [] where command.commandName != "help" {
            checked += 1
            let help = try ExternalTools.psekit(["help", command.commandName])
            XCTAssertEqual(help.status, 0, help.err)
            let helpText = ManualPage.normalized(help.out)
            for (what, text) in [("abstract", command.abstract), ("discussion", command.discussion)] {
                guard let text, !text.isEmpty else { continue }
                let normalized = ManualPage.normalized(text)
                XCTAssertTrue(helpText.contains(normalized), "psekit help \(command.commandName) lacks its \(what)")
                XCTAssertTrue(manualText.contains(ManualPage.asWritten(normalized)),
                              "docs/man/psekit.1 is out of date: \(command.commandName)'s \(what) differs; run scripts/manual")
            }
            for argument in command.arguments ?? [] where argument.shouldDisplay != false {
                for name in argument.names ?? [] {
                    let flag = (name.kind == "long" ? "--" : "-") + name.name
                    XCTAssertTrue(helpText.contains(flag), "psekit help \(command.commandName) lacks \(flag)")
                    XCTAssertTrue(manualText.contains(flag),
                                  "docs/man/psekit.1 is out of date: \(command.commandName) \(flag) is missing; run scripts/manual")
                }
                if let abstract = argument.abstract, !abstract.isEmpty {
                    XCTAssertTrue(manualText.contains(ManualPage.asWritten(ManualPage.normalized(abstract))),
                                  "docs/man/psekit.1 is out of date: \(command.commandName)'s help for \(argument.valueName ?? "an option") differs; run scripts/manual")
                }
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 18, "fewer commands than the README lists (get_pse is gen_pse's alias)")
    }

    /// Issue 19: no ICU in the binary. Foundation (with FoundationInternationalization and ICU's
    /// data) is linked as soon as any module imports it, so every file under Sources imports
    /// FoundationEssentials where it exists, and the build links no libFoundation (a dependency
    /// that started importing Foundation would show here too).
    func testNoFoundationWithICU() throws {
        let sources = ExternalTools.packageRoot.appendingPathComponent("Sources")
        let files = try XCTUnwrap(FileManager.default.subpathsOfDirectory(atPath: sources.path)).filter { $0.hasSuffix(".swift") }
        XCTAssertFalse(files.isEmpty)
        for file in files {
            let lines = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
                .split(separator: "\n", omittingEmptySubsequences: false)
            for (number, line) in lines.enumerated() where line.split(separator: " ").prefix(2) == ["import", "Foundation"] {
                XCTAssertTrue(number > 0 && lines[number - 1] == "#else",
                              "Sources/\(file):\(number + 1): import FoundationEssentials behind #if canImport(FoundationEssentials), Foundation only in the #else branch")
            }
        }
        let ldd = try ExternalTools.run("/usr/bin/ldd", [ExternalTools.psekitPath])
        XCTAssertEqual(ldd.status, 0, ldd.err)
        XCTAssertFalse(ldd.out.contains("libFoundation.so") || ldd.out.contains("libFoundationInternationalization")
                           || ldd.out.contains("lib_FoundationICU"), ldd.out)
    }

    func testVersionNamesTheCommit() throws {
        let result = try ExternalTools.psekit(["--version"])
        XCTAssertEqual(result.status, 0, result.err)
        let line = result.out.trimmingCharacters(in: .newlines)
        XCTAssertNotNil(line.range(of: #"^psekit [0-9]+\.[0-9]+\.[0-9]+ \((unknown|[0-9a-f]{7,40})\)$"#, options: .regularExpression),
                        line)
    }

    /// The DocC article "Reading a PSE, adding a trusted certificate and writing it back", step by
    /// step on a real PSE; psekit and pysap then read the result.
    func testDocumentationArticleWalkThrough() throws {
        let folder = try ExternalTools.temporaryDirectory(self)
        let url = folder.appendingPathComponent("SAPSSLC.pse")
        let created = try ExternalTools.psekit(["gen_pse", "-p", url.path, "-x", "secret", "-noreq",
                                                "CN=article.example.com, O=psekit tests, C=DE"])
        XCTAssertEqual(created.status, 0, created.err)
        let caURL = folder.appendingPathComponent("root-ca.pem")
        try ExternalTools.openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                                   folder.appendingPathComponent("root-ca.key").path, "-out", caURL.path, "-days", "30",
                                   "-subj", "/O=psekit tests/CN=Article Root CA"])

        // The article's code.
        let bytes = [UInt8](try Data(contentsOf: url))
        let layout = try PSEFile.layout(of: bytes)
        XCTAssertEqual(layout.rawValue, "v2 with PIN")
        var pse = try PSEFile.decode(bytes, pin: "secret")
        XCTAssertThrowsError(try PSEFile.decode(bytes, pin: "wrong")) { XCTAssertEqual($0 as? PSEKitError, .wrongPIN) }
        XCTAssertThrowsError(try PSEFile.decode(bytes, pin: nil)) { XCTAssertEqual($0 as? PSEKitError, .pinRequired) }
        let own = try XCTUnwrap(try pse.content.ownCertificate())
        XCTAssertEqual(own.subject.description, "CN=article.example.com,O=psekit tests,C=DE")
        let trustedBefore = try pse.content.trustedCertificates()
        let caBytes = [UInt8](try Data(contentsOf: caURL))
        let certificates = try CertificateBundle.parse(caBytes)
        XCTAssertEqual(certificates.count, 1)
        for certificate in certificates {
            XCTAssertTrue(try pse.content.addTrustedCertificate(certificate))
            XCTAssertFalse(try pse.content.addTrustedCertificate(certificate), "added twice")
        }
        let updated = try pse.encoded(pin: "secret")
        try Data(updated).write(to: url, options: .atomic)

        // What the article promises: the PSE opens with the same PIN and lists the new certificate.
        let reread = try PSEFile.decode([UInt8](try Data(contentsOf: url)), pin: "secret")
        XCTAssertEqual(try reread.content.trustedCertificates().count, trustedBefore.count + 1)
        let listed = try ExternalTools.psekit(["maintain_pk", "-l", "-p", url.path, "-x", "secret"])
        XCTAssertEqual(listed.status, 0, listed.err)
        XCTAssertTrue(listed.out.contains("Article Root CA"), listed.out)
        // pysap decrypts the rewritten file with the same PIN and finds the added certificate in it.
        let caDER = CertificateBundle.derBytes(of: try XCTUnwrap(certificates.first))
        let pysap = try ExternalTools.pysap("""
            from pysap.SAPPSE import SAPPSEFile
            pse = SAPPSEFile(open('\(url.path)', 'rb').read())
            print(len(pse.get_certificates('secret')), bytes.fromhex('\(caDER.map { String(format: "%02x", $0) }.joined())') in pse.get_content('secret'))
            """)
        XCTAssertEqual(pysap.status, 0, pysap.err)
        XCTAssertEqual(pysap.out.trimmingCharacters(in: .whitespacesAndNewlines), "1 True")
    }
}

/// The parts of `psekit --experimental-dump-help` (swift-argument-parser's ToolInfoV0) the
/// manual page test compares.
private struct DumpedTool: Decodable {
    struct Command: Decodable {
        var commandName: String
        var abstract: String?
        var discussion: String?
        var subcommands: [Command]?
        var arguments: [Argument]?
    }
    struct Argument: Decodable {
        struct Name: Decodable { var kind: String; var name: String }
        var names: [Name]?
        var valueName: String?
        var abstract: String?
        var shouldDisplay: Bool?
    }
    var command: Command
}

/// Reading an mdoc page (as swift-argument-parser's generate-manual writes it) as plain text.
private enum ManualPage {
    /// The text of the page: macro names dropped, escapes resolved, whitespace collapsed.
    static func plainText(ofMdoc page: String) -> String {
        var words: [String] = []
        for line in page.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(".\\\"") { continue }
            var text = String(line)
            if text.hasPrefix(".") {
                // ".Fl x Ar PIN" -> "-x PIN"; ".Op Fl -json" -> "--json"
                var tokens = text.dropFirst().split(separator: " ").map(String.init)
                guard !tokens.isEmpty else { continue }
                tokens.removeFirst()
                var rebuilt: [String] = []
                var flagNext = false
                for token in tokens {
                    if ["Fl"].contains(token) { flagNext = true; continue }
                    if ["Ar", "Op", "Oo", "Oc", "Ns", "Cm", "Li", "Ql", "Pa", "Ev", "Nm", "Xr", "It", "Ek", "Bk", "Em", "Sy"]
                        .contains(token) { continue }
                    rebuilt.append(flagNext ? "-" + token : token)
                    flagNext = false
                }
                text = rebuilt.joined(separator: " ")
            }
            words.append(text)
        }
        return normalized(unescape(words.joined(separator: " ")))
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\-", with: "-")
            .replacingOccurrences(of: "\\&", with: "")
            .replacingOccurrences(of: "\\e", with: "\\")
            .replacingOccurrences(of: "\\(aq", with: "'")
            .replacingOccurrences(of: "\\(dq", with: "\"")
            .replacingOccurrences(of: "\\(em", with: "—")
            .replacingOccurrences(of: "\\(en", with: "–")
    }

    /// A help text as generate-manual writes it: its text lines keep ASCII characters only.
    static func asWritten(_ text: String) -> String {
        normalized(String(text.filter(\.isASCII)))
    }

    /// Whitespace collapsed to single spaces.
    static func normalized(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
    }
}
