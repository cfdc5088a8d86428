import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit
import PSEStore
import X509

struct ImportP8: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import_p8",
        abstract: "Create a PSE from a PKCS#8 (or PKCS#1) RSA key file and its certificate.",
        discussion: """
        KEYFILE is PEM ("PRIVATE KEY", "ENCRYPTED PRIVATE KEY", plain "RSA PRIVATE KEY") or DER. \
        An encrypted key needs its password: -z, or it is asked for. -c names the certificate \
        for the key (PEM, DER, .p7b or .zip; it may hold the chain too), -r adds CA certificates \
        (repeatable), which are trusted; one with an RSA key under 2048 bits is refused with the \
        reason unless --allow-weak is given (then it is trusted with a warning). The new PSE holds the key (SKnew), the certificate \
        (Cert), its chain (FCPath), the root (PKRoot) and the trusted certificates; nothing is \
        written when the key is not RSA, does not fit the certificate, or the chain is incomplete.

        Examples:
          psekit import_p8 -p SAPSSLS.pse -x secret -c server.crt -r ca-chain.pem server.key
          psekit import_p8 -p client.pse -z keypass -c client.pem client-encrypted.key
        """
    )

    @OptionGroup var options: PSEOptions

    @Option(name: .customShort("c"), help: ArgumentHelp("The certificate for the key, possibly with its chain.", valueName: "CERT"))
    var certificateFile: String

    @Option(name: .customShort("z"), help: ArgumentHelp("The password of an encrypted key; asked for when needed.", valueName: "PASSWORD"))
    var password: String?

    @OptionGroup var importOptions: IdentityImportOptions

    @Argument(help: ArgumentHelp("The private key file.", valueName: "KEYFILE"))
    var keyFile: String

    func run() throws {
        try IdentityImport.refuseExisting(options.path, force: importOptions.force)
        let bytes = try IdentityImport.readInputFile(keyFile)
        let certificates = try CertificateFileReader.certificates(atPath: certificateFile)
        let (authorities, weakAuthorities) = try importOptions.authorities()

        let key: PKCS8PrivateKey
        do {
            do {
                key = try PKCS8PrivateKey.parse(pemOrDER: bytes, password: password)
            } catch let error as PSEKitError where error.code == .passwordRequired {
                let asked = try SecretReader.read(prompt: "Please enter the password of \(keyFile): ")
                key = try PKCS8PrivateKey.parse(pemOrDER: bytes, password: asked)
            }
        } catch let error as PSEKitError where error.code == .wrongPassword {
            throw CLIError("\(keyFile): wrong password for the encrypted key; no PSE was created")
        } catch {
            throw CLIError("\(keyFile): \(ErrorText.of(error)); no PSE was created")
        }
        _ = try IdentityImport.rsaKey(key, source: keyFile)
        guard let certificate = certificates.first(where: key.matches) else {
            let offered = certificates.map { SAPDistinguishedName.format($0.subject) }.joined(separator: "; ")
            throw CLIError("\(certificateFile): no certificate for the key in \(keyFile) (found: \(offered)); no PSE was created")
        }
        let result = try IdentityImport.createPSE(
            options: options, force: importOptions.force, check: importOptions.checkOption.check, source: keyFile,
            key: key, certificate: certificate,
            candidates: certificates.filter { $0 != certificate } + authorities, extraTrusted: authorities,
            weakTrusted: weakAuthorities)
        try result.print(json: importOptions.json, verbose: importOptions.verbose, source: keyFile)
    }
}
