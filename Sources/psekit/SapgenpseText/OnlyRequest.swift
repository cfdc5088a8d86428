import CryptoExtras
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit
import PSEStore
import X509

/// `gen_pse -onlyreq` / `get_pse -onlyreq`: a new PKCS#10 request signed by the PSE's existing
/// key, for renewing its certificate (docs/renewal.md). The PSE is only read: its key, own
/// certificate, trusted list and the credentials for it stay as they are.
extension GenPSEArguments {
    struct OnlyRequestReport: Encodable {
        var file: String
        var subject: String
        var alternativeNames: [String]
        var keySize: Int
        var signatureAlgorithm: String
        var requestFile: String?
        var request: String
    }

    func runOnlyRequest() throws {
        if noRequest { throw CLIError("-onlyreq and -noreq exclude each other: -onlyreq only makes a request") }
        if force { throw CLIError("-onlyreq does not change the PSE, so --force has nothing to replace") }
        let choice = try algorithm.map { try SignatureAlgorithmChoice.parse($0) } ?? .default
        let (stored, _) = try options.open()
        let (certificate, key, _) = try stored.requiredIdentity()
        let bits = key.keySizeInBits
        for (flag, size) in [("-a \(algorithm ?? "")", choice.keySize), ("-s", keySize)] {
            if let size, size != bits {
                throw CLIError("\(stored.path): \(flag) asks for a \(size)-bit key, but -onlyreq keeps the PSE's \(bits)-bit key",
                               hint: "Leave out the key size, or create a new PSE with gen_pse for a new key.")
            }
        }
        // The request is for the PSE's own name unless one is given; its alternative names are
        // those given with -k, else the current certificate's.
        let subject = try distinguishedName.map { try SAPDistinguishedName.parse($0) } ?? certificate.subject
        let names: [GeneralName]
        if alternativeNames.isEmpty {
            names = (try? certificate.extensions.subjectAlternativeNames).map { Array($0) } ?? []
        } else {
            names = try alternativeNames.map { try SubjectAlternativeNameSpec.parse($0) }
        }
        if choice.isWeak {
            Console.warning("\(choice) signatures are weak: CAs refuse SHA-1 requests. Prefer sha256WithRsaEncryption.")
        }
        let request = try CertificateRequestBuilder.make(privateKey: key, subject: subject, alternativeNames: names,
                                                         signatureAlgorithm: choice)
        let pem = try CertificateRequestBuilder.pem(request)
        if let requestFile {
            try AtomicFile.write(Array(pem.utf8), to: requestFile, newFileMode: 0o644)
        }
        let subjectText = SAPDistinguishedName.format(subject)
        let nameTexts = names.map(SapgenpseText.alternativeName)
        if json {
            try Console.printJSON(OnlyRequestReport(file: stored.path, subject: subjectText, alternativeNames: nameTexts,
                                                    keySize: bits, signatureAlgorithm: choice.description,
                                                    requestFile: requestFile, request: pem))
            return
        }
        if SapgenpseMode.isActive {
            if verbose {
                Console.note(" Opening PSE \"\(stored.path)\"...")
                Console.note(" PSE (v\(stored.file.version)) open ok.")
                Console.note(" Generating certificate request for \"\(subjectText)\"... ok.")
            }
            if let requestFile {
                Console.note("PKCS#10 certificate request for \"\(stored.path)\" written to \"\(requestFile)\"")
            } else {
                print(pem, terminator: "")
            }
            return
        }
        if let requestFile {
            print("Certificate request for the existing key of \(stored.path) written to \(requestFile); "
                  + "send it to your CA, then install the answer with: psekit import_own_cert -p \(options.pse) -c RESPONSE")
        }
        print("Certificate request (the PSE is unchanged):")
        print("  Subject            : \(subjectText)")
        print("  Key                : RSA, \(bits)-bit (the PSE's key)")
        print("  Signature algorithm: \(choice)")
        for name in nameTexts { print("  Alternative name   : \(name)") }
        if requestFile == nil { print(pem, terminator: "") }
    }
}
