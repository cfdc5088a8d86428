import SwiftASN1

/// The object types of the TeleTrusT/SecuDE arc (1.3.36.2) that PSEs use, with SAP's names.
public enum PSEObjectType {
    public static let trustedCertificates: ASN1ObjectIdentifier = [1, 3, 36, 2, 0]          // CertList
    public static let signCertificate: ASN1ObjectIdentifier = [1, 3, 36, 2, 1, 1]           // SignCert
    public static let encryptionCertificate: ASN1ObjectIdentifier = [1, 3, 36, 2, 1, 2]     // EncCert
    public static let certificate: ASN1ObjectIdentifier = [1, 3, 36, 2, 1, 3]               // Cert
    public static let signCertificateSet: ASN1ObjectIdentifier = [1, 3, 36, 2, 2, 1]        // SignCSet
    public static let encryptionCertificateSet: ASN1ObjectIdentifier = [1, 3, 36, 2, 2, 2]  // EncCSet
    public static let certificateSet: ASN1ObjectIdentifier = [1, 3, 36, 2, 2, 3]            // CSet
    public static let signPrivateKey: ASN1ObjectIdentifier = [1, 3, 36, 2, 3, 1]            // SignSK
    public static let decryptionPrivateKeyNew: ASN1ObjectIdentifier = [1, 3, 36, 2, 3, 2]   // DecSKnew
    public static let decryptionPrivateKeyOld: ASN1ObjectIdentifier = [1, 3, 36, 2, 3, 3]   // DecSKold
    public static let privateKey: ASN1ObjectIdentifier = [1, 3, 36, 2, 3, 4]                // SKnew
    public static let privateKeyOld: ASN1ObjectIdentifier = [1, 3, 36, 2, 3, 5]             // SKold
    public static let certificationPath: ASN1ObjectIdentifier = [1, 3, 36, 2, 4, 1]         // FCPath
    public static let rootKey: ASN1ObjectIdentifier = [1, 3, 36, 2, 5, 1]                   // PKRoot
    public static let publicKeyList: ASN1ObjectIdentifier = [1, 3, 36, 2, 6, 1]             // PKList
    public static let encryptionKeyList: ASN1ObjectIdentifier = [1, 3, 36, 2, 6, 2]         // EKList
    public static let certificationAuthorityList: ASN1ObjectIdentifier = [1, 3, 36, 2, 6, 3] // PCAList
    public static let crossCertificateSet: ASN1ObjectIdentifier = [1, 3, 36, 2, 8, 1]       // CrossCSet
    public static let crlSet: ASN1ObjectIdentifier = [1, 3, 36, 2, 9, 1]                    // CrlSet
    public static let serialNumber: ASN1ObjectIdentifier = [1, 3, 36, 2, 10, 1]             // SerialNumber
    public static let databaseKey: ASN1ObjectIdentifier = [1, 3, 36, 2, 11, 1]              // EDBKey
    public static let aliasList: ASN1ObjectIdentifier = [1, 3, 36, 2, 12, 1]                // AliasList
    public static let quipuPassword: ASN1ObjectIdentifier = [1, 3, 36, 2, 13, 1]            // QuipuPWD

    /// SAP's object names, as they appear in the file and in sapgenpse's output.
    public enum Name {
        public static let privateKey = "SKnew"
        public static let certificate = "Cert"
        public static let rootKey = "PKRoot"
        public static let trustedCertificates = "CertList"
        public static let certificationPath = "FCPath"
    }

    /// SAP's name for a type, where it is known.
    public static func sapName(of type: ASN1ObjectIdentifier) -> String? {
        let names: [ASN1ObjectIdentifier: String] = [
            trustedCertificates: "CertList", signCertificate: "SignCert", encryptionCertificate: "EncCert",
            certificate: "Cert", signCertificateSet: "SignCSet", encryptionCertificateSet: "EncCSet",
            certificateSet: "CSet", signPrivateKey: "SignSK", decryptionPrivateKeyNew: "DecSKnew",
            decryptionPrivateKeyOld: "DecSKold", privateKey: "SKnew", privateKeyOld: "SKold",
            certificationPath: "FCPath", rootKey: "PKRoot", publicKeyList: "PKList", encryptionKeyList: "EKList",
            certificationAuthorityList: "PCAList", crossCertificateSet: "CrossCSet", crlSet: "CrlSet",
            serialNumber: "SerialNumber", databaseKey: "EDBKey", aliasList: "AliasList", quipuPassword: "QuipuPWD",
        ]
        return names[type]
    }
}
