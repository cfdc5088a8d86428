import ArgumentParser
import CryptoExtras
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit
import PSENet
import PSEStore
import X509

struct ImportP12: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import_p12",
        abstract: "Create a PSE from a PKCS#12 file (.p12/.pfx): its RSA key, certificate and chain.",
        discussion: """
        Reads a PKCS#12 file as OpenSSL, Windows, Java or SAP tools write it (PBES2 with AES or \
        the older SHA-1/3DES and RC2 schemes) and creates a new PSE holding its private key \
        (SKnew), certificate (Cert), chain (FCPath), root (PKRoot) and trusted certificates. \
        -r adds CA certificates (repeatable) when the file lacks part of the chain; they are \
        trusted too. CA certificates of the file outside the own certificate's chain are added \
        to the trusted list (each one is named); other certificates are reported as not taken. \
        A CA certificate with an RSA key under 2048 bits (in the file or a -r file) is refused \
        with the reason unless --allow-weak is given; then it is trusted with a warning (it \
        cannot be part of the own certificate's chain). The PKCS#12 friendly name is not kept: \
        import_p12 prints it, and export_p12 -f writes it again. Without -z the PKCS#12 password is asked for (without echo on a terminal, \
        or read as one line from standard input). A wrong password, an EC or DSA key (a PSE as \
        psekit writes it holds RSA keys only) or an incomplete chain stop the command before \
        anything is written.

        Examples:
          psekit import_p12 -p SAPSSLS.pse -x secret -z p12secret server.p12
          psekit import_p12 -p client.pse --pin-env PSE_PIN -r root.cer client.pfx
        """
    )

    @OptionGroup var options: PSEOptions

    @Option(name: .customShort("z"), help: ArgumentHelp("The PKCS#12 password; asked for when missing.", valueName: "P12PASSWORD"))
    var password: String?

    @OptionGroup var importOptions: IdentityImportOptions

    @Argument(help: ArgumentHelp("The PKCS#12 file.", valueName: "FILE.p12"))
    var file: String

    func run() throws {
        try IdentityImport.refuseExisting(options.path, force: importOptions.force)
        let bytes = try IdentityImport.readInputFile(file)
        let (authorities, weakAuthorities) = try importOptions.authorities()
        let password = try self.password ?? SecretReader.read(prompt: "Please enter PKCS#12 password: ")

        let bundle: PKCS12Bundle
        do {
            bundle = try PKCS12.parse(bytes, password: password)
        } catch let error as PSEKitError where error.code == .wrongPassword {
            throw CLIError("\(file): wrong password for the PKCS#12 file; no PSE was created",
                           hint: "Give the password with -z, or type it when asked.")
        } catch {
            throw CLIError("\(file): \(ErrorText.of(error)); no PSE was created")
        }
        guard let key = bundle.privateKey else {
            throw CLIError("\(file): the PKCS#12 file holds no private key; no PSE was created",
                           hint: "To trust its certificates instead use: psekit maintain_pk -a FILE -p PSE")
        }
        guard let certificate = bundle.certificate else {
            throw CLIError("\(file): the PKCS#12 file holds no certificate for its private key; no PSE was created")
        }
        try importOptions.weakOption.admit(bundle.weakCertificates, from: file, outcome: "so no PSE was created")
        // CA certificates of the file outside the own chain are trusted too; other certificates are
        // reported as not taken (nothing in the file is dropped silently).
        let others = bundle.chain.filter { $0 != certificate }
        let unrelatedCAs = others.filter(IdentityImport.isAuthority)
        let result = try IdentityImport.createPSE(options: options, force: importOptions.force, check: importOptions.checkOption.check, source: file, key: key,
                                                  certificate: certificate, candidates: bundle.chain + authorities,
                                                  extraTrusted: authorities + unrelatedCAs,
                                                  weakTrusted: weakAuthorities + bundle.weakCertificates)
        try result.print(json: importOptions.json, verbose: importOptions.verbose, source: file)
        for other in others where !result.chain.contains(other) {
            let name = SAPDistinguishedName.format(other.subject)
            if IdentityImport.isAuthority(other) {
                let line = "Trusted: \(name) (a CA certificate of \(file) outside the own certificate's chain)"
                if importOptions.json { Console.note(line) } else { Swift.print(line) }
            } else {
                Console.warning("\(file) also holds \(name), which is neither in the own certificate's chain nor a CA; not taken.")
            }
        }
        if let friendlyName = bundle.friendlyName, !importOptions.json, !importOptions.checkOption.check {
            // A PSE has no place psekit knows for it (SAP's AliasList is unsampled): say how to keep it.
            Console.note("the friendly name \"\(TerminalText.escaped(friendlyName))\" is not stored in the PSE; "
                + "export_p12 -f \"\(TerminalText.escaped(friendlyName))\" writes it again.")
        }
    }
}
