#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SwiftASN1

/// The decrypted content of a PSE: when it was made and its objects.
///
/// ```
/// PSEContent ::= SEQUENCE {
///     algorithm  AlgorithmIdentifier,   -- repeats the container's PBE algorithm and parameters
///     created    GeneralizedTime,       -- YYYYMMDDHHMMSSZ
///     unknown    INTEGER,               -- 1 in every file seen
///     objects    SET OF PSEObject }     -- DER order: sorted by encoding
/// ```
///
/// `algorithm` is kept as read (a plain PSE keeps the algorithm it was last encrypted with).
/// Objects are kept in their order and written back in DER `SET OF` order.
public struct PSEContent: DERImplicitlyTaggable, Hashable, Sendable {
    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public var algorithm: ASN1Any
    public var created: GeneralizedTime
    public var unknown: Int
    public var objects: [PSEObject]

    public init(algorithm: ASN1Any, created: GeneralizedTime, unknown: Int = 1, objects: [PSEObject]) {
        self.algorithm = algorithm
        self.created = created
        self.unknown = unknown
        self.objects = objects
    }

    /// An empty content, as a new PSE starts.
    public init(created: Date = Date(), algorithm: PSEEncryptionAlgorithm = .random()) throws {
        self.init(algorithm: try ASN1Any(erasing: algorithm), created: try GeneralizedTime(created), objects: [])
    }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            guard let algorithmNode = nodes.next() else {
                throw ASN1Error.invalidASN1Object(reason: "PSE content has no algorithm")
            }
            let created = try GeneralizedTime(derEncoded: &nodes)
            let unknown = try Int(derEncoded: &nodes)
            guard let setNode = nodes.next(), setNode.identifier == .set, case .constructed(let members) = setNode.content else {
                throw ASN1Error.invalidASN1Object(reason: "PSE content has no object set")
            }
            // Read the members in file order without insisting on DER sorting: SAP's tools sort,
            // but a reader should not reject a file over it.
            let objects = try members.map { try PSEObject(derEncoded: $0) }
            return PSEContent(algorithm: ASN1Any(derEncoded: algorithmNode), created: created, unknown: unknown, objects: objects)
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(algorithm)
            try coder.serialize(created)
            try coder.serialize(unknown)
            try coder.serializeSetOf(objects)
        }
    }

    /// The DER of the content, as it is encrypted or stored.
    public func derEncoded() throws -> [UInt8] {
        try PSEDER.encode(self)
    }

    // MARK: Objects

    /// The first object of a type.
    public func object(ofType type: ASN1ObjectIdentifier) -> PSEObject? {
        objects.first { $0.type == type }
    }

    /// Sets the value of the object of this type, adding it under `name` when there is none.
    public mutating func setObject(name: String, type: ASN1ObjectIdentifier, value: ASN1Any, modified: Date = Date()) throws {
        let time = try GeneralizedTime(modified)
        if let index = objects.firstIndex(where: { $0.type == type }) {
            objects[index].value = value
            objects[index].modified = time
        } else {
            objects.append(PSEObject(name: name, modified: time, type: type, value: value))
        }
    }

    /// Removes every object of this type.
    public mutating func removeObjects(ofType type: ASN1ObjectIdentifier) {
        objects.removeAll { $0.type == type }
    }
}
