import CryptoExtras
import SwiftASN1
import X509

/// Builds the PKCS#10 certificate request `sapgenpse gen_pse -r FILE` writes for a CA: the
/// subject, the public key, and the subject alternative names as an extensionRequest attribute.
public enum CertificateRequestBuilder {
    public static func make(
        privateKey: _RSA.Signing.PrivateKey,
        subject: DistinguishedName,
        alternativeNames: [GeneralName] = [],
        signatureAlgorithm: SignatureAlgorithmChoice = .default
    ) throws -> CertificateSigningRequest {
        guard !subject.isEmpty else { throw PSEKitError.emptySubject }
        var attributes = CertificateSigningRequest.Attributes()
        if !alternativeNames.isEmpty {
            var extensions = Certificate.Extensions()
            try extensions.append(Certificate.Extension(SubjectAlternativeNames(alternativeNames), critical: false))
            attributes = CertificateSigningRequest.Attributes(
                [try CertificateSigningRequest.Attribute(ExtensionRequest(extensions: extensions))])
        }
        do {
            return try CertificateSigningRequest(
                version: .v1,
                subject: subject,
                privateKey: Certificate.PrivateKey(privateKey),
                attributes: attributes,
                signatureAlgorithm: signatureAlgorithm.signatureAlgorithm)
        } catch {
            throw PSEKitError.signingFailed(reason: ErrorText.of(error))
        }
    }

    /// The request as `-----BEGIN CERTIFICATE REQUEST-----` PEM, ending in a newline.
    public static func pem(_ request: CertificateSigningRequest) throws -> String {
        try request.serializeAsPEM().pemString + "\n"
    }

    /// The DER encoding of the request.
    public static func derBytes(_ request: CertificateSigningRequest) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(request)
        return serializer.serializedBytes
    }
}
