import SwiftASN1

/// The object types of the TeleTrusT/SecuDE arc (1.3.36.2) that PSEs use, with SAP's names.
package enum PSEObjectType {
    package static let trustedCertificates: ASN1ObjectIdentifier = [1, 3, 36, 2, 0]          // CertList
    package static let signCertificate: ASN1ObjectIdentifier = [1, 3, 36, 2, 1, 1]           // SignCert
    package static let encryptionCertificate: ASN1ObjectIdentifier = [1, 3, 36, 2, 1, 2]     // EncCert
    package static let certificate: ASN1ObjectIdentifier = [1, 3, 36, 2, 1, 3]               // Cert
    package static let signCertificateSet: ASN1ObjectIdentifier = [1, 3, 36, 2, 2, 1]        // SignCSet
    package static let encryptionCertificateSet: ASN1ObjectIdentifier = [1, 3, 36, 2, 2, 2]  // EncCSet
    package static let certificateSet: ASN1ObjectIdentifier = [1, 3, 36, 2, 2, 3]            // CSet
    package static let signPrivateKey: ASN1ObjectIdentifier = [1, 3, 36, 2, 3, 1]            // SignSK
    package static let decryptionPrivateKeyNew: ASN1ObjectIdentifier = [1, 3, 36, 2, 3, 2]   // DecSKnew
    package static let decryptionPrivateKeyOld: ASN1ObjectIdentifier = [1, 3, 36, 2, 3, 3]   // DecSKold
    package static let privateKey: ASN1ObjectIdentifier = [1, 3, 36, 2, 3, 4]                // SKnew
    package static let privateKeyOld: ASN1ObjectIdentifier = [1, 3, 36, 2, 3, 5]             // SKold
    package static let certificationPath: ASN1ObjectIdentifier = [1, 3, 36, 2, 4, 1]         // FCPath
    package static let rootKey: ASN1ObjectIdentifier = [1, 3, 36, 2, 5, 1]                   // PKRoot
    package static let publicKeyList: ASN1ObjectIdentifier = [1, 3, 36, 2, 6, 1]             // PKList
    package static let encryptionKeyList: ASN1ObjectIdentifier = [1, 3, 36, 2, 6, 2]         // EKList
    package static let certificationAuthorityList: ASN1ObjectIdentifier = [1, 3, 36, 2, 6, 3] // PCAList
    package static let crossCertificateSet: ASN1ObjectIdentifier = [1, 3, 36, 2, 8, 1]       // CrossCSet
    package static let crlSet: ASN1ObjectIdentifier = [1, 3, 36, 2, 9, 1]                    // CrlSet
    package static let serialNumber: ASN1ObjectIdentifier = [1, 3, 36, 2, 10, 1]             // SerialNumber
    package static let databaseKey: ASN1ObjectIdentifier = [1, 3, 36, 2, 11, 1]              // EDBKey
    package static let aliasList: ASN1ObjectIdentifier = [1, 3, 36, 2, 12, 1]                // AliasList
    package static let quipuPassword: ASN1ObjectIdentifier = [1, 3, 36, 2, 13, 1]            // QuipuPWD

    /// SAP's object names, as they appear in the file and in sapgenpse's output.
    package enum Name {
        package static let privateKey = "SKnew"
        package static let certificate = "Cert"
        package static let rootKey = "PKRoot"
        package static let trustedCertificates = "CertList"
        package static let certificationPath = "FCPath"
    }

    /// SAP's name for a type, where it is known.
    package static func sapName(of type: ASN1ObjectIdentifier) -> String? {
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
