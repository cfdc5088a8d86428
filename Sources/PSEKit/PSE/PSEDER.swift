import SwiftASN1

/// Small DER conveniences for the PSE types.
enum PSEDER {
    static func encode<Element: DERSerializable>(_ element: Element) throws -> [UInt8] {
        var coder = DER.Serializer()
        try coder.serialize(element)
        return coder.serializedBytes
    }

    /// The next node of a sequence, or an error naming what is missing.
    static func next(_ nodes: inout ASN1NodeCollection.Iterator, _ what: String) throws -> ASN1Node {
        guard let node = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "\(what) is missing") }
        return node
    }
}
