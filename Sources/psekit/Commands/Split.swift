import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit
import PSENet
import PSEStore
import X509

struct Split: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "split",
        abstract: "Write every certificate of a bundle (.p7b, PEM chain, .zip) as its own .cer file.",
        discussion: """
        Reads PKCS#7 .p7b/.p7c (DER or PEM), PEM files with many certificates, DER or Base64 \
        certificates, or a .zip of these, and writes each certificate as a Base64 X.509 file \
        (PEM, what Windows calls "Base-64 encoded X.509 (.CER)") into DIR. Files are named after \
        the certificate's common name, made safe for every file system; when two names collide \
        or a file already exists, " (2)", " (3)", … is appended. DIR is created when missing; no \
        existing file is overwritten. Each file can then be added with maintain_pk -a.

        Example:
          psekit split chain.p7b -o certs
          psekit maintain_pk -p client.pse -a "certs/Example Root CA.cer"
        """
    )

    @Argument(help: ArgumentHelp("The bundle: .p7b, .pem, .cer, .crt, .zip.", valueName: "FILE"))
    var file: String

    @Option(name: .customShort("o"), help: ArgumentHelp("The folder to write the .cer files into.", valueName: "DIR"))
    var outputDirectory: String

    @Flag(name: .customShort("v"), help: "Also print issuer, validity and SHA-256 fingerprint of each certificate.")
    var verbose = false

    @Flag(help: "Print what was written as JSON.")
    var json = false

    struct WrittenFile: Encodable {
        var file: String
        var certificate: CertificateSummary
    }

    func run() throws {
        let certificates = try CertificateFileReader.certificates(atPath: file)
        guard !certificates.isEmpty else { throw CLIError("\(file): holds no certificate") }
        if FileManager.default.fileExists(atPath: outputDirectory) {
            guard Folder.isFolder(outputDirectory) else {
                throw CLIError("\(outputDirectory) exists and is not a folder", hint: "Pass a folder with -o.")
            }
        } else {
            try Folder.create(outputDirectory)
        }
        let existing = Set(((try? FileManager.default.contentsOfDirectory(atPath: outputDirectory)) ?? []).map { $0.lowercased() })
        let wanted = certificates.map { CertificateFileName.fileName(for: $0.subject) }
        // Reserve the names already in the folder, then drop them again: what remains is unique both ways.
        let names = Array(CertificateFileName.unique(existing.sorted() + wanted).dropFirst(existing.count))

        var written: [WrittenFile] = []
        for (certificate, name) in zip(certificates, names) {
            let path = URL(fileURLWithPath: outputDirectory).appendingPathComponent(name).path
            try AtomicFile.write(Array(CertificateBundle.pem([certificate]).utf8), to: path, newFileMode: 0o644)
            written.append(WrittenFile(file: path, certificate: CertificateSummary(certificate)))
        }
        if json {
            try Console.printJSON(written)
            return
        }
        for entry in written {
            print("\(TerminalText.escaped(entry.file)): \(entry.certificate.subjectText)")
            if verbose {
                print("  Issuer   : \(entry.certificate.issuerText)")
                print("  Validity : \(CertificateSummary.sapTime(entry.certificate.notBefore)) - \(CertificateSummary.sapTime(entry.certificate.notAfter))")
                print("  SHA-256  : \(entry.certificate.sha256Fingerprint)")
            }
        }
        Console.note("\(written.count) certificate(s) written to \(outputDirectory)")
    }
}
