import CryptoExtras
import Foundation
import PSEKit
import PSEStore
import SwiftASN1
import X509
import XCTest

/// Hostile and damaged input: a wrong PIN, a corrupt or truncated file leave the PSE byte-identical
/// under the commands that write it; the parsers' limits hold; certificates swift-certificates
/// cannot read survive in CertList. (CoreCommandTests covers `-x wrong` and get_my_name on damaged
/// files; this covers the writing commands and the other PIN sources.)
final class RobustnessTests: XCTestCase {
    let vectorPIN = "1234567980"
    let vectors = ["pse_v2_lps_off_pbes1_3des_sha1.pse", "pse_v4_lps_off_pbes1_3des_sha1.pse", "pse_v2_lps_off_pbes1_3des_sha1_plain.pse"]

    func folderWithCertificate() throws -> (folder: URL, certificate: String) {
        let folder = try ExternalTools.temporaryDirectory(self)
        let certificate = folder.appendingPathComponent("extra.pem").path
        try ExternalTools.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                   "-keyout", "/dev/null", "-days", "30", "-subj", "/CN=Robustness Extra CA", "-out", certificate])
        return (folder, certificate)
    }

    func write(_ bytes: [UInt8], to folder: URL, as name: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return path
    }

    /// The commands that rewrite a PSE, with `pinArguments` for the PIN.
    func writingCommands(_ path: String, pinArguments: [String], certificate: String) -> [[String]] {
        [["change_pin", "-p", path] + pinArguments + ["-z", "new PIN"],
         ["change_pin", "-p", path] + pinArguments + ["-z", "", "--pse-version", "4"],
         ["maintain_pk", "-p", path] + pinArguments + ["-a", certificate]]
    }

    /// Runs `arguments`, which must fail naming `path`, and checks the file is byte-identical and
    /// no temporary file is left.
    func assertRefused(_ arguments: [String], path: String, original: Data, _ what: String,
                       file: StaticString = #filePath, line: UInt = #line) throws -> ExternalTools.Result {
        let result = try ExternalTools.psekit(arguments)
        XCTAssertEqual(result.status, 1, "\(what): \(arguments[0]) \(result.err)", file: file, line: line)
        XCTAssertTrue(result.err.contains(path), "\(what): the message names the file: \(result.err)", file: file, line: line)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), original, "\(what): \(arguments[0]) changed the file",
                       file: file, line: line)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".tmp") }, [],
                       file: file, line: line)
        return result
    }

    // MARK: Wrong PIN

    /// A wrong PIN from --pin-env, --pin-file, or the empty PIN, changes nothing, is not echoed,
    /// and the message says what to do.
    func testWrongPINFromEveryPINSourceLeavesThePSEByteIdentical() throws {
        let (folder, certificate) = try folderWithCertificate()
        let wrong = "Wr0ng-PIN-secret"
        let pinFile = folder.appendingPathComponent("pin.txt")
        try Data((wrong + "\n").utf8).write(to: pinFile)
        for name in ["pse_v2_lps_off_pbes1_3des_sha1.pse", "pse_v4_lps_off_pbes1_3des_sha1.pse"] {
            let path = try write(Array(try ExternalTools.vector(name)), to: folder, as: name)
            let original = try Data(contentsOf: URL(fileURLWithPath: path))
            for pinArguments in [["--pin-file", pinFile.path], ["-x", ""], ["-x", wrong]] {
                for arguments in writingCommands(path, pinArguments: pinArguments, certificate: certificate) {
                    let result = try assertRefused(arguments, path: path, original: original, "\(name) \(pinArguments[0])")
                    XCTAssertTrue(result.err.contains("wrong PIN"), result.err)
                    XCTAssertFalse((result.out + result.err).contains(wrong), "the PIN was echoed: \(result.err)")
                }
            }
            // --pin-env, through the environment.
            let result = try ExternalTools.psekit(["maintain_pk", "-p", path, "--pin-env", "ROBUSTNESS_PIN", "-a", certificate],
                                                  environment: ["ROBUSTNESS_PIN": wrong])
            XCTAssertEqual(result.status, 1, result.err)
            XCTAssertTrue(result.err.contains("wrong PIN"), result.err)
            XCTAssertFalse((result.out + result.err).contains(wrong), result.err)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), original)
        }
    }

    /// A StoredPSE, however it is printed or dumped, does not show the PIN it was opened with.
    func testAnOpenedPSEDoesNotShowItsPINWhenPrinted() throws {
        let folder = try ExternalTools.temporaryDirectory(self)
        let path = try write(Array(try ExternalTools.vector("pse_v2_lps_off_pbes1_3des_sha1.pse")), to: folder, as: "pin.pse")
        let stored = try StoredPSE.open(at: path) { _ in self.vectorPIN }
        XCTAssertEqual(stored.pin, vectorPIN)
        var dumped = ""
        dump(stored, to: &dumped)
        for text in [String(describing: stored), String(reflecting: stored), "\(stored)", dumped] {
            XCTAssertFalse(text.contains(vectorPIN), text)
            XCTAssertTrue(text.contains("<hidden>"), text)
        }
    }

    // MARK: Truncated and corrupt files

    /// Each vector cut at 16 places: every writing command refuses it and the file stays as it was.
    func testTruncatedPSEsAreRefusedByWritingCommandsAndStayByteIdentical() throws {
        let (folder, certificate) = try folderWithCertificate()
        for name in vectors {
            let bytes = Array(try ExternalTools.vector(name))
            let n = bytes.count
            for length in [1, 2, 3, 4, 8, 16, 64, 256, 512, 1024, n / 2, n - 64, n - 17, n - 9, n - 8, n - 1] {
                let path = try write(Array(bytes.prefix(length)), to: folder, as: "truncated-\(length)-\(name)")
                let original = try Data(contentsOf: URL(fileURLWithPath: path))
                for arguments in writingCommands(path, pinArguments: ["-x", vectorPIN], certificate: certificate) {
                    _ = try assertRefused(arguments, path: path, original: original, "\(name) cut to \(length) bytes")
                }
            }
        }
    }

    /// v4 protects its content with SHA-1: a bit flipped anywhere in a PIN-protected v4 PSE (every
    /// 59th byte here) is refused by every writing command, and the file stays as it was.
    func testEveryCorruptionOfAV4PSEIsRefusedAndLeavesItByteIdentical() throws {
        let (folder, certificate) = try folderWithCertificate()
        let bytes = Array(try ExternalTools.vector("pse_v4_lps_off_pbes1_3des_sha1.pse"))
        for position in stride(from: 0, to: bytes.count, by: 59) {
            var corrupt = bytes
            corrupt[position] ^= 0x01
            let path = try write(corrupt, to: folder, as: "corrupt-\(position).pse")
            let original = try Data(contentsOf: URL(fileURLWithPath: path))
            for arguments in writingCommands(path, pinArguments: ["-x", vectorPIN], certificate: certificate) {
                _ = try assertRefused(arguments, path: path, original: original, "v4 with byte \(position) flipped")
            }
        }
    }

    /// A v2 PSE has no checksum: a bit flipped inside an opaque value (a signature, a prime, the
    /// encrypted content of a certificate) leaves a file that still parses, and no reader can tell.
    /// For every flip (every 53rd byte): when the library cannot read the damaged file, maintain_pk
    /// refuses it and leaves it byte-identical; when it can, maintain_pk adds the certificate and
    /// changes nothing else — it never makes the damage worse or writes half a file.
    func testCorruptV2PSEsAreRefusedOrKeptAsTheyAreNeverHalfWritten() throws {
        let (folder, certificate) = try folderWithCertificate()
        var refused = 0, undetectable = 0
        for (name, pin) in [("pse_v2_lps_off_pbes1_3des_sha1.pse", vectorPIN as String?), ("pse_v2_lps_off_pbes1_3des_sha1_plain.pse", nil)] {
            let bytes = Array(try ExternalTools.vector(name))
            for position in stride(from: 0, to: bytes.count, by: 53) {
                var corrupt = bytes
                corrupt[position] ^= 0x01
                let path = try write(corrupt, to: folder, as: "corrupt-\(position)-\(name)")
                let original = try Data(contentsOf: URL(fileURLWithPath: path))
                let arguments = ["maintain_pk", "-p", path] + (pin.map { ["-x", $0] } ?? []) + ["-a", certificate]
                guard let damaged = try? PSEFile.decode(corrupt, pin: pin), (try? damaged.content.trustedCertificates()) != nil else {
                    refused += 1
                    _ = try assertRefused(arguments, path: path, original: original, "\(name) with byte \(position) flipped")
                    continue
                }
                undetectable += 1
                let result = try ExternalTools.psekit(arguments)
                XCTAssertEqual(result.status, 0, "\(name) byte \(position): \(result.err)")
                let written = try PSEFile.decode(Array(try Data(contentsOf: URL(fileURLWithPath: path))), pin: pin)
                let others = { (file: PSEFile) in Set(file.content.objects.filter { $0.type != PSEObjectType.trustedCertificates }) }
                XCTAssertEqual(others(written), others(damaged), "\(name) byte \(position): objects besides CertList changed")
                XCTAssertEqual(try written.content.trustedCertificates().count + written.content.unreadableTrustedCertificates().count,
                               try damaged.content.trustedCertificates().count + damaged.content.unreadableTrustedCertificates().count + 1,
                               "\(name) byte \(position)")
            }
        }
        print("corrupt v2 PSEs: \(refused) flipped bits made the file unreadable and were refused with the file unchanged; " +
              "\(undetectable) fell inside opaque values, where the v2 format cannot tell, and were kept as they were")
    }

    // MARK: Limits

    /// A file over the 8 MiB read limit (twice the 4 MiB a PSE may be written with) is
    /// refused before it is parsed.
    func testAPSELargerThanTheLimitIsRefusedWithoutParsing() throws {
        let folder = try ExternalTools.temporaryDirectory(self)
        var bytes = Array(try ExternalTools.vector("pse_v2_lps_off_pbes1_3des_sha1_plain.pse"))
        bytes += [UInt8](repeating: 0, count: PSEFile.maximumReadSize + 1 - bytes.count)
        let path = try write(bytes, to: folder, as: "huge.pse")
        XCTAssertThrowsError(try PSEFile.decode(bytes, pin: nil)) { error in
            XCTAssertEqual(error as? PSEKitError, .malformedPSE("the file is larger than 8 MiB"))
        }
        let result = try ExternalTools.psekit(["get_my_name", "-p", path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.err.contains(path) && result.err.contains("larger than the \(PSEFile.maximumReadSize) bytes"), result.err)
    }

    /// An iteration count above the limit is refused before the key derivation runs.
    func testAnImplausibleIterationCountIsRefusedQuickly() throws {
        let plain = try PSEFile.decode(Array(try ExternalTools.vector("pse_v2_lps_off_pbes1_3des_sha1_plain.pse")), pin: nil)
        var hostile = plain
        hostile.algorithm = PSEEncryptionAlgorithm(salt: [1, 2, 3, 4, 5, 6, 7, 8], iterations: 10)
        hostile.version = 4
        var bytes = try hostile.encoded(pin: vectorPIN)
        // Patch the iteration count 10 (02 01 0A) to 0x7FFFFFFF in the DER by re-encoding the algorithm.
        let small = try PSEDERBytes.encode(PSEEncryptionAlgorithm(salt: [1, 2, 3, 4, 5, 6, 7, 8], iterations: 10))
        let large = try PSEDERBytes.encode(PSEEncryptionAlgorithm(salt: [1, 2, 3, 4, 5, 6, 7, 8],
                                                                 iterations: PSEEncryptionAlgorithm.maximumIterations + 1))
        let range = try XCTUnwrap(bytes.firstRange(of: small))
        bytes.replaceSubrange(range, with: large)
        bytes = try PSEDERBytes.reencodeOuterLengths(bytes)
        XCTAssertThrowsError(try PSEFile.decode(bytes, pin: vectorPIN)) { error in
            XCTAssertEqual(error as? PSEKitError, .malformedPSE("implausible iteration count \(PSEEncryptionAlgorithm.maximumIterations + 1)"))
        }
    }

    /// An SKnew with megabyte "primes" would take hours to multiply; it is refused by its size,
    /// before any arithmetic (the error names the limit; timing is bench/'s business).
    func testHugePrimesInSKnewAreRefusedQuickly() throws {
        var file = try PSEFile.decode(Array(try ExternalTools.vector("pse_v2_lps_off_pbes1_3des_sha1_plain.pse")), pin: nil)
        let prime = [UInt8](repeating: 0xF7, count: 1 << 20)
        try file.content.setObject(name: PSEObjectType.Name.privateKey, type: PSEObjectType.privateKey,
                                   value: ASN1Any(erasing: PrivateKeyObject(p: prime, q: prime)))
        let bytes = try file.encoded(pin: nil)
        XCTAssertLessThan(bytes.count, PSEFile.maximumSize)
        let decoded = try PSEFile.decode(bytes, pin: nil)
        XCTAssertThrowsError(try decoded.content.privateKey()) { error in
            XCTAssertEqual(error as? PSEKitError, .unsupportedKey("SKnew holds primes of more than 8192 bits (an RSA key of more than 16384 bits)"))
        }
        // A real 2048-bit key still comes back.
        let vector = try PSEFile.decode(Array(try ExternalTools.vector("pse_v2_lps_off_pbes1_3des_sha1_plain.pse")), pin: nil)
        XCTAssertEqual(try XCTUnwrap(try vector.content.privateKey()).keySizeInBits, 2048)
    }

    // MARK: Certificates swift-certificates cannot read

    /// The warnings of issue 7 (stderr, exit 0): a certificate signed with SHA-1 by a CA and an
    /// expired one, on `maintain_pk -a` and again on `-l`; a SHA-1 self-signed root is not warned
    /// about (its own signature is never checked).
    func testSHA1SignedAndExpiredCertificatesAreWarnedAbout() throws {
        let folder = try ExternalTools.temporaryDirectory(self)
        func file(_ name: String) -> String { folder.appendingPathComponent(name).path }
        try ExternalTools.openssl(["req", "-x509", "-newkey", "rsa:2048", "-sha1", "-nodes", "-keyout", file("ca.key"),
                                   "-days", "30", "-subj", "/CN=SHA1 Root/O=psekit tests", "-out", file("ca.pem")])
        try ExternalTools.openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", file("leaf.key"),
                                   "-subj", "/CN=SHA1 Leaf/O=psekit tests", "-out", file("leaf.csr")])
        try ExternalTools.openssl(["x509", "-req", "-in", file("leaf.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"),
                                   "-sha1", "-days", "10", "-out", file("leaf.pem")])
        try ExternalTools.openssl(["x509", "-req", "-in", file("leaf.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"),
                                   "-sha256", "-days", "-1", "-out", file("old.pem")])
        let pse = file("w.pse")
        XCTAssertEqual(try ExternalTools.psekit(["gen_pse", "-x", "", "-p", pse, "-noreq", "CN=w"]).status, 0)
        let root = try ExternalTools.psekit(["maintain_pk", "-x", "", "-p", pse, "-a", file("ca.pem")])
        XCTAssertEqual(root.status, 0, root.err)
        XCTAssertFalse(root.err.contains("Warning"), root.err)
        let added = try ExternalTools.psekit(["maintain_pk", "-x", "", "-p", pse, "-a", file("leaf.pem"), "-a", file("old.pem")])
        XCTAssertEqual(added.status, 0, added.err)
        XCTAssertTrue(added.err.contains("Warning: O=psekit tests, CN=SHA1 Leaf is signed with SHA-1 (sha1WithRSAEncryption)"), added.err)
        XCTAssertTrue(added.err.contains("ask O=psekit tests, CN=SHA1 Root for a certificate signed with SHA-256"), added.err)
        XCTAssertTrue(added.err.contains("Warning: O=psekit tests, CN=SHA1 Leaf expired on "), added.err)
        let listed = try ExternalTools.psekit(["maintain_pk", "-x", "", "-p", pse, "-l"])
        XCTAssertEqual(listed.status, 0, listed.err)
        XCTAssertEqual(listed.err.components(separatedBy: "Warning: ").count - 1, 2, listed.err)
    }

    /// swift-certificates rejects RSA keys under 2048 bits, which older PSEs trust. A PSE whose
    /// CertList holds a 1024-bit certificate (openssl-made, put in at the DER level as SAP's tools
    /// would have written it) still opens, lists and takes new certificates, and the 1024-bit
    /// certificate is written back unchanged by maintain_pk and change_pin.
    func testA1024BitCertificateInCertListIsKeptAndThePSEStillWorks() throws {
        let (folder, certificate) = try folderWithCertificate()
        let weakPath = folder.appendingPathComponent("weak.der").path
        try ExternalTools.openssl(["req", "-x509", "-newkey", "rsa:1024", "-nodes", "-keyout", "/dev/null", "-days", "3650",
                                   "-subj", "/CN=Legacy 1024-bit CA/O=psekit tests", "-outform", "DER", "-out", weakPath])
        let weak = Array(try Data(contentsOf: URL(fileURLWithPath: weakPath)))
        XCTAssertThrowsError(try Certificate(derEncoded: weak), "swift-certificates now reads 1024-bit RSA: simplify TrustedCertificates")

        // The vector's CertList with the 1024-bit certificate added, as a DER SET OF.
        var file = try PSEFile.decode(Array(try ExternalTools.vector("pse_v2_lps_off_pbes1_3des_sha1_plain.pse")), pin: nil)
        let existing = try file.content.trustedCertificates().map(CertificateBundle.derBytes)
        let members = (existing + [weak]).sorted { $0.lexicographicallyPrecedes($1) }
        let set = try PSEDERBytes.element(tag: 0x31, content: members.flatMap { $0 })
        let index = try XCTUnwrap(file.content.objects.firstIndex { $0.type == PSEObjectType.trustedCertificates })
        file.content.objects[index].value = try ASN1Any(derEncoded: DER.parse(set))
        let path = try write(try file.encoded(pin: nil), to: folder, as: "weak.pse")

        // The library reads it and writes the same bytes back.
        let opened = try PSEFile.decode(Array(try Data(contentsOf: URL(fileURLWithPath: path))), pin: nil)
        XCTAssertEqual(try opened.content.trustedCertificates().count, existing.count)
        XCTAssertEqual(try opened.content.unreadableTrustedCertificates().map { try PSEDERBytes.encode($0) }, [weak])
        XCTAssertEqual(try opened.encoded(pin: nil), Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        let certList = try XCTUnwrap(opened.content.object(ofType: PSEObjectType.trustedCertificates))
        XCTAssertEqual(try PSEDERBytes.encode(TrustedCertificates(asn1Any: certList.value)), set)

        // The commands work on it and keep the certificate.
        let listed = try ExternalTools.psekit(["maintain_pk", "-l", "-p", path])
        XCTAssertEqual(listed.status, 0, listed.err)
        XCTAssertTrue(listed.out.contains("CN=PSEOwner"), listed.out)
        XCTAssertTrue(listed.out.contains("Warning: the trusted certificate O=psekit tests, CN=Legacy 1024-bit CA has an RSA 1024-bit key"),
                      listed.out)
        // Adding it from a file is refused with a reason a person can act on.
        let refused = try ExternalTools.psekit(["maintain_pk", "-p", path, "-a", weakPath])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.err.contains("weak.der: O=psekit tests, CN=Legacy 1024-bit CA has an RSA 1024-bit key; keys under 2048 bits are weak, so it was not added"),
                      refused.err)
        XCTAssertTrue(refused.err.contains("--allow-weak"), refused.err)
        let added = try ExternalTools.psekit(["maintain_pk", "-p", path, "-a", certificate])
        XCTAssertEqual(added.status, 0, added.err)
        let deleted = try ExternalTools.psekit(["maintain_pk", "-p", path, "-d", "CN=PSEOwner"])
        XCTAssertEqual(deleted.status, 0, deleted.err)
        let changed = try ExternalTools.psekit(["change_pin", "-p", path, "-x", "", "-z", vectorPIN])
        XCTAssertEqual(changed.status, 0, changed.err)
        let final = try PSEFile.decode(Array(try Data(contentsOf: URL(fileURLWithPath: path))), pin: vectorPIN)
        XCTAssertEqual(try final.content.trustedCertificates().map { SAPDistinguishedName.format($0.subject) }, ["CN=Robustness Extra CA"])
        XCTAssertEqual(try final.content.unreadableTrustedCertificates().map { try PSEDERBytes.encode($0) }, [weak])
        // What psekit can tell about it, for messages.
        let outline = try CertificateOutline(derEncoded: DER.parse(try PSEDERBytes.encode(try XCTUnwrap(final.content.unreadableTrustedCertificates().first))))
        XCTAssertEqual(SAPDistinguishedName.format(outline.subject), "O=psekit tests, CN=Legacy 1024-bit CA")
        XCTAssertEqual(outline.subject, outline.issuer)
        XCTAssertEqual(outline.rsaKeyBits, 1024)
        XCTAssertEqual(outline.signatureAlgorithm, [1, 2, 840, 113549, 1, 1, 11])
        let vectorOutline = try CertificateOutline(derEncoded: DER.parse(Array(try ExternalTools.vector("pse_v2_lps_off_pbes1_3des_sha1_cert.der"))))
        XCTAssertEqual(SAPDistinguishedName.format(vectorOutline.subject), "CN=PSEOwner")
        XCTAssertEqual(vectorOutline.rsaKeyBits, 2048)
        // openssl reads the kept certificate from what psekit wrote.
        let text = try ExternalTools.openssl(["x509", "-inform", "DER", "-noout", "-subject", "-text"], stdin: Data(weak))
        XCTAssertTrue(text.out.contains("Public-Key: (1024 bit)"), text.out)
    }
}

/// DER helpers for building hostile and legacy files in tests.
enum PSEDERBytes {
    static func encode<Element: DERSerializable>(_ element: Element) throws -> [UInt8] {
        var coder = DER.Serializer()
        try coder.serialize(element)
        return coder.serializedBytes
    }

    static func length(_ count: Int) -> [UInt8] {
        if count < 0x80 { return [UInt8(count)] }
        var bytes: [UInt8] = []
        var rest = count
        while rest > 0 { bytes.insert(UInt8(rest & 0xFF), at: 0); rest >>= 8 }
        return [0x80 | UInt8(bytes.count)] + bytes
    }

    static func element(tag: UInt8, content: [UInt8]) throws -> [UInt8] {
        [tag] + length(content.count) + content
    }

    /// A v4 PSE after a change inside its algorithm: the outer SEQUENCE and the [3] container
    /// get their lengths again (the algorithm is their only element that changed).
    static func reencodeOuterLengths(_ bytes: [UInt8]) throws -> [UInt8] {
        // SEQUENCE { INTEGER 4, [3] { INTEGER, AlgorithmIdentifier, OCTET STRING, OCTET STRING } }
        func contentStart(_ bytes: [UInt8], _ offset: Int) -> Int {
            let first = bytes[offset + 1]
            return offset + 2 + (first < 0x80 ? 0 : Int(first & 0x7F))
        }
        let outerContent = contentStart(bytes, 0)
        let version = Array(bytes[outerContent..<(outerContent + 3)])
        let containerContent = contentStart(bytes, outerContent + 3)
        let inner = Array(bytes[containerContent...])
        return try element(tag: 0x30, content: version + element(tag: 0xA3, content: inner))
    }
}
