import SwiftASN1

/// DER, BMPString and random-number conveniences shared by the PKCS#8 and PKCS#12 types.
enum PKCS12Encoding {
    static func derBytes<Element: DERSerializable>(_ element: Element) throws -> [UInt8] {
        var coder = DER.Serializer()
        try coder.serialize(element)
        return coder.serializedBytes
    }

    /// Parses BER (which includes DER) into `T`, reporting a failure as `malformed(what)`.
    static func parse<T: BERImplicitlyTaggable>(_ bytes: [UInt8], as type: T.Type, _ what: String) throws -> T {
        do {
            return try T(berEncoded: bytes)
        } catch let error as PSEKitError where error.code.family == .pkcs12 {
            throw error
        } catch {
            throw PSEKitError.malformedPKCS12("\(what) is not valid (\(ErrorText.of(error)))")
        }
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// A BMPString (UTF-16 big-endian content) as a Swift string.
    static func string(fromBMP bytes: ArraySlice<UInt8>) -> String {
        let units = stride(from: bytes.startIndex, to: bytes.endIndex - 1, by: 2).map {
            UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1])
        }
        return String(decoding: units, as: UTF16.self)
    }

    static func bmpString(_ string: String) -> ASN1BMPString {
        ASN1BMPString(contentBytes: ArraySlice(string.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] }))
    }
}

extension PKCS12Encoding {
    /// Decodes an ANY (e.g. a bag value) as `T`, reporting a failure as `malformed(what)`.
    static func parseAny<T: BERImplicitlyTaggable>(_ value: ASN1Any, as type: T.Type, _ what: String) throws -> T {
        do {
            return try T(berASN1Any: value, withIdentifier: T.defaultIdentifier)
        } catch let error as PSEKitError where error.code.family == .pkcs12 {
            throw error
        } catch {
            throw PSEKitError.malformedPKCS12("\(what) is not valid (\(ErrorText.of(error)))")
        }
    }
}
