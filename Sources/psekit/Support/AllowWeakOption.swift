import ArgumentParser
import PSEKit
import PSEStore
import SwiftASN1
import X509

/// `--allow-weak`, shared by every command that trusts certificates from a file: a certificate with
/// an RSA key under 2048 bits (swift-certificates refuses them; old SAP landscapes have such CAs)
/// is refused with the reason, or with the flag trusted with a warning. psekit never uses one for TLS.
struct AllowWeakOption: ParsableArguments {
    @Flag(name: .customLong("allow-weak"), help: "Trust certificates with RSA keys under 2048 bits too (with a warning).")
    var allowWeak = false

    /// Refuses the first of `weak` (DER, read from `source`) unless --allow-weak is given; with it,
    /// warns about each. `outcome` says what did not happen ("so it was not added").
    func admit(_ weak: [[UInt8]], from source: String, outcome: String) throws {
        for der in weak {
            let (name, bits) = Self.nameAndBits(der)
            guard allowWeak else {
                throw CLIError("\(source): \(name) has an RSA \(bits)-bit key; keys under 2048 bits are weak, \(outcome)",
                               hint: "Add it anyway with --allow-weak (old SAP landscapes have such CAs), or ask its issuer for a 2048-bit key.")
            }
            Console.warning("\(name) has an RSA \(bits)-bit key (under 2048 bits: weak); trusted because of --allow-weak, "
                + "but psekit does not use it for TLS.")
        }
    }

    /// The certificates of `files`, in order, and apart (as DER) those with RSA keys under 2048
    /// bits, admitted as ``admit(_:from:outcome:)`` says.
    func certificates(ofFiles files: [String], outcome: String) throws -> (certificates: [Certificate], weak: [[UInt8]]) {
        var certificates: [Certificate] = [], weak: [[UInt8]] = []
        for file in files {
            let read = try CertificateFileReader.certificatesKeepingWeak(atPath: file)
            try admit(read.weak, from: file, outcome: outcome)
            certificates += read.certificates
            weak += read.weak
        }
        return (certificates, weak)
    }

    /// The subject (SAP's form) and RSA key size of a weak certificate.
    static func nameAndBits(_ der: [UInt8]) -> (name: String, bits: Int) {
        guard let outline = try? CertificateOutline(derEncoded: der) else { return ("a certificate", 0) }
        return (SAPDistinguishedName.format(outline.subject), outline.rsaKeyBits ?? 0)
    }
}
