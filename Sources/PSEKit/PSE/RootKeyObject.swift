import SwiftASN1
import X509

/// The value of `PKRoot`: the top trusted certificate of the own chain, taken apart.
///
/// ```
/// RootKeyObject ::= SEQUENCE {
///     name        Name,                       -- subject (= issuer) of the root certificate
///     key         SEQUENCE {
///         version    [0] EXPLICIT INTEGER,    -- the certificate's version field (2 = v3)
///         serial     INTEGER,
///         publicKey  SubjectPublicKeyInfo,
///         validity   [1] EXPLICIT Validity,
///         signatureAlgorithm [2] EXPLICIT AlgorithmIdentifier,
///         signature  BIT STRING },
///     extensions  [0] EXPLICIT Extensions OPTIONAL }
/// ```
///
/// Rebuilding `tbsCertificate` from these fields (issuer = subject = name) and wrapping it with the
/// algorithm and signature gives back the root certificate byte for byte. Fields are kept as the
/// DER they were read from. Every PKRoot SAP writes has the `[0]` version, also for an X.509 v1
/// root (version 0, which the certificate itself leaves out as its DER default): taking a v1
/// certificate apart stores version 0, and rebuilding leaves a version 0 out again.
package struct RootKeyObject: DERImplicitlyTaggable, Hashable, Sendable {
    package static var defaultIdentifier: ASN1Identifier { .sequence }

    private static let tag0 = ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)
    private static let tag1 = ASN1Identifier(tagWithNumber: 1, tagClass: .contextSpecific)
    private static let tag2 = ASN1Identifier(tagWithNumber: 2, tagClass: .contextSpecific)
    private static let tag3 = ASN1Identifier(tagWithNumber: 3, tagClass: .contextSpecific)

    package var name: ASN1Any
    package var version: Int?
    package var serial: ASN1Any
    package var publicKey: ASN1Any
    package var validity: ASN1Any
    package var signatureAlgorithm: ASN1Any
    package var signature: ASN1Any
    /// The `Extensions` SEQUENCE, without the explicit tag.
    package var extensions: ASN1Any?

    package init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            guard let nameNode = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "PKRoot has no name") }
            var object = try DER.sequence(try PSEDER.next(&nodes, "PKRoot key"), identifier: .sequence) { key in
                let version = try DER.optionalExplicitlyTagged(&key, tagNumber: 0, tagClass: .contextSpecific) { try Int(derEncoded: $0) }
                guard let serial = key.next(), let publicKey = key.next() else {
                    throw ASN1Error.invalidASN1Object(reason: "PKRoot key is incomplete")
                }
                let validity = try DER.explicitlyTagged(&key, tagNumber: 1, tagClass: .contextSpecific) { ASN1Any(derEncoded: $0) }
                let algorithm = try DER.explicitlyTagged(&key, tagNumber: 2, tagClass: .contextSpecific) { ASN1Any(derEncoded: $0) }
                guard let signature = key.next() else { throw ASN1Error.invalidASN1Object(reason: "PKRoot has no signature") }
                return RootKeyObject(name: ASN1Any(derEncoded: nameNode), version: version, serial: ASN1Any(derEncoded: serial),
                                     publicKey: ASN1Any(derEncoded: publicKey), validity: validity,
                                     signatureAlgorithm: algorithm, signature: ASN1Any(derEncoded: signature), extensions: nil)
            }
            object.extensions = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) { ASN1Any(derEncoded: $0) }
            return object
        }
    }

    private init(name: ASN1Any, version: Int?, serial: ASN1Any, publicKey: ASN1Any, validity: ASN1Any,
                 signatureAlgorithm: ASN1Any, signature: ASN1Any, extensions: ASN1Any?) {
        self.name = name
        self.version = version
        self.serial = serial
        self.publicKey = publicKey
        self.validity = validity
        self.signatureAlgorithm = signatureAlgorithm
        self.signature = signature
        self.extensions = extensions
    }

    /// Takes a certificate apart. The certificate should be self-signed (a root); its subject is
    /// the name stored.
    package init(_ certificate: Certificate) throws {
        let der = try PSEDER.encode(certificate)
        self = try DER.sequence(try DER.parse(der), identifier: .sequence) { certificateNodes in
            guard let tbsNode = certificateNodes.next(), let algorithmNode = certificateNodes.next(),
                  let signatureNode = certificateNodes.next() else {
                throw ASN1Error.invalidASN1Object(reason: "certificate is incomplete")
            }
            return try DER.sequence(tbsNode, identifier: .sequence) { tbs in
                let version = try DER.optionalExplicitlyTagged(&tbs, tagNumber: 0, tagClass: .contextSpecific) { try Int(derEncoded: $0) }
                // serial, signature algorithm, issuer, validity, subject, subjectPublicKeyInfo
                guard let serial = tbs.next(), tbs.next() != nil, tbs.next() != nil, let validity = tbs.next(),
                      let subject = tbs.next(), let publicKey = tbs.next() else {
                    throw ASN1Error.invalidASN1Object(reason: "TBS is incomplete")
                }
                var extensions: ASN1Any?
                while let node = tbs.next() {
                    if node.identifier == Self.tag3, case .constructed(let inner) = node.content, let first = inner.first(where: { _ in true }) {
                        extensions = ASN1Any(derEncoded: first)
                    }
                }
                // SAP's PKRoot always has the version; a v1 certificate's absent field is its default, 0.
                return RootKeyObject(name: ASN1Any(derEncoded: subject), version: version ?? 0, serial: ASN1Any(derEncoded: serial),
                                     publicKey: ASN1Any(derEncoded: publicKey), validity: ASN1Any(derEncoded: validity),
                                     signatureAlgorithm: ASN1Any(derEncoded: algorithmNode),
                                     signature: ASN1Any(derEncoded: signatureNode), extensions: extensions)
            }
        }
    }

    package func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(name)
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                if let version { try coder.serialize(version, explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) }
                try coder.serialize(serial)
                try coder.serialize(publicKey)
                try coder.serialize(validity, explicitlyTaggedWithTagNumber: 1, tagClass: .contextSpecific)
                try coder.serialize(signatureAlgorithm, explicitlyTaggedWithTagNumber: 2, tagClass: .contextSpecific)
                try coder.serialize(signature)
            }
            if let extensions { try coder.serialize(extensions, explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) }
        }
    }

    /// The root certificate these fields were taken from.
    package func certificate() throws -> Certificate {
        var coder = DER.Serializer()
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.appendConstructedNode(identifier: .sequence) { tbs in
                // Version 0 (v1) is the DER default, absent from the certificate.
                if let version, version != 0 { try tbs.serialize(version, explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) }
                try tbs.serialize(serial)
                try tbs.serialize(signatureAlgorithm)
                try tbs.serialize(name)
                try tbs.serialize(validity)
                try tbs.serialize(name)
                try tbs.serialize(publicKey)
                if let extensions { try tbs.serialize(extensions, explicitlyTaggedWithTagNumber: 3, tagClass: .contextSpecific) }
            }
            try coder.serialize(signatureAlgorithm)
            try coder.serialize(signature)
        }
        return try Certificate(derEncoded: coder.serializedBytes)
    }
}
