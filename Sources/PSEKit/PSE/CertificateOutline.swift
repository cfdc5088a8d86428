import SwiftASN1
import X509

/// What can be told about a certificate that swift-certificates refuses to read (it rejects, for
/// example, RSA keys under 2048 bits): its names, its key and its signature algorithm, taken from
/// the DER without checking the rest, so that psekit can say which certificate it keeps unread.
///
/// ```
/// Certificate ::= SEQUENCE {
///     tbsCertificate  SEQUENCE {
///         version               [0] EXPLICIT INTEGER OPTIONAL,
///         serialNumber          INTEGER,
///         signature             AlgorithmIdentifier,
///         issuer                Name,
///         validity              Validity,
///         subject               Name,
///         subjectPublicKeyInfo  SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING },
///         ... },
///     signatureAlgorithm  AlgorithmIdentifier,
///     signature           BIT STRING }
///
/// RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
/// ```
public struct CertificateOutline: DERParseable, Hashable, Sendable {
    public var issuer: DistinguishedName
    public var subject: DistinguishedName
    /// The algorithm of the subject's public key (rsaEncryption: 1.2.840.113549.1.1.1).
    public var publicKeyAlgorithm: ASN1ObjectIdentifier
    /// The size of the RSA modulus in bits, for an RSA key.
    public var rsaKeyBits: Int?
    /// The algorithm the issuer signed with.
    public var signatureAlgorithm: ASN1ObjectIdentifier

    public init(derEncoded rootNode: ASN1Node) throws {
        self = try DER.sequence(rootNode, identifier: .sequence) { certificate in
            let outline = try DER.sequence(try PSEDER.next(&certificate, "tbsCertificate"), identifier: .sequence) { tbs in
                _ = try DER.optionalExplicitlyTagged(&tbs, tagNumber: 0, tagClass: .contextSpecific) { $0 }
                _ = try PSEDER.next(&tbs, "serial number")
                let signature = try DER.sequence(try PSEDER.next(&tbs, "signature algorithm"), identifier: .sequence) { algorithm in
                    let oid = try ASN1ObjectIdentifier(derEncoded: &algorithm)
                    while algorithm.next() != nil {}
                    return oid
                }
                let issuer = try DistinguishedName(derEncoded: try PSEDER.next(&tbs, "issuer"))
                _ = try PSEDER.next(&tbs, "validity")
                let subject = try DistinguishedName(derEncoded: try PSEDER.next(&tbs, "subject"))
                let (keyAlgorithm, keyBits) = try DER.sequence(try PSEDER.next(&tbs, "subjectPublicKeyInfo"), identifier: .sequence) { info in
                    let algorithm = try DER.sequence(try PSEDER.next(&info, "key algorithm"), identifier: .sequence) { algorithm in
                        let oid = try ASN1ObjectIdentifier(derEncoded: &algorithm)
                        while algorithm.next() != nil {}
                        return oid
                    }
                    let key = try ASN1BitString(derEncoded: &info)
                    guard algorithm == .AlgorithmIdentifier.rsaEncryption else { return (algorithm, nil as Int?) }
                    let modulus = try DER.sequence(try DER.parse(key.bytes), identifier: .sequence) { rsa in
                        let modulus = try ArraySlice<UInt8>(derEncoded: &rsa)
                        _ = try ArraySlice<UInt8>(derEncoded: &rsa)
                        return modulus
                    }
                    return (algorithm, Self.bitLength(modulus))
                }
                while tbs.next() != nil {}
                return CertificateOutline(issuer: issuer, subject: subject, publicKeyAlgorithm: keyAlgorithm,
                                          rsaKeyBits: keyBits, signatureAlgorithm: signature)
            }
            while certificate.next() != nil {}
            return outline
        }
    }

    private init(issuer: DistinguishedName, subject: DistinguishedName, publicKeyAlgorithm: ASN1ObjectIdentifier,
                 rsaKeyBits: Int?, signatureAlgorithm: ASN1ObjectIdentifier) {
        self.issuer = issuer
        self.subject = subject
        self.publicKeyAlgorithm = publicKeyAlgorithm
        self.rsaKeyBits = rsaKeyBits
        self.signatureAlgorithm = signatureAlgorithm
    }

    /// Why swift-certificates refused a certificate, in the user's terms: for an RSA key under
    /// 2048 bits (which it does not accept) the subject and the key size, else its own error.
    public static func reasonUnreadable(_ der: [UInt8], error: Error) -> String {
        if let outline = try? CertificateOutline(derEncoded: der), let bits = outline.rsaKeyBits, bits < 2048 {
            return "\(SAPDistinguishedName.format(outline.subject)) has an RSA \(bits)-bit key; keys under 2048 bits "
                + "are too weak and not accepted (ask its issuer for a certificate with an RSA key of 2048 bits or more)"
        }
        return ErrorText.of(error)
    }

    /// Whether the DER is a certificate with an RSA key under 2048 bits.
    public static func isWeak(_ der: [UInt8]) -> Bool {
        guard let outline = try? CertificateOutline(derEncoded: der), let bits = outline.rsaKeyBits else { return false }
        return bits < 2048
    }

    /// Whether the subject's key is a DSA key (dsa, 1.2.840.10040.4.1).
    public var hasDSAKey: Bool { publicKeyAlgorithm == PKCS12ObjectIdentifier.dsa }

    /// The key in words: "an RSA 1024-bit key", "a DSA key", "a key of algorithm OID".
    public static func keyDescription(_ outline: CertificateOutline) -> String {
        if let bits = outline.rsaKeyBits { return "an RSA \(bits)-bit key" }
        if outline.hasDSAKey { return "a DSA key" }
        return "a key of algorithm \(outline.publicKeyAlgorithm)"
    }

    static func bitLength(_ unsigned: ArraySlice<UInt8>) -> Int {
        guard let first = unsigned.firstIndex(where: { $0 != 0 }) else { return 0 }
        return (unsigned.endIndex - first - 1) * 8 + (8 - unsigned[first].leadingZeroBitCount)
    }
}
