/// Why a distinguished name in SAP's syntax could not be read. Positions count characters from 1.
public enum SAPDistinguishedNameError: Error, CustomStringConvertible, Equatable, Sendable {
    case empty
    case missingEqualsSign(position: Int)
    case emptyAttributeType(position: Int)
    case unknownAttributeType(String, position: Int)
    case emptyValue(attribute: String, position: Int)
    case unterminatedQuote(position: Int)
    case invalidEscape(position: Int)
    case invalidHexValue(position: Int)
    case unexpectedCharacter(Character, position: Int)
    case missingRDN(position: Int)
    case invalidValue(attribute: String, reason: String, position: Int)

    public var position: Int? {
        switch self {
        case .empty: return nil
        case .missingEqualsSign(let p), .emptyAttributeType(let p), .unknownAttributeType(_, let p),
             .emptyValue(_, let p), .unterminatedQuote(let p), .invalidEscape(let p), .invalidHexValue(let p),
             .unexpectedCharacter(_, let p), .missingRDN(let p), .invalidValue(_, _, let p):
            return p
        }
    }

    public var description: String {
        switch self {
        case .empty:
            return "invalid distinguished name: it is empty (expected e.g. \"CN=host.example.com, O=Example, C=DE\")"
        case .missingEqualsSign(let p):
            return "invalid distinguished name at character \(p): expected '=' after the attribute name"
        case .emptyAttributeType(let p):
            return "invalid distinguished name at character \(p): attribute name missing before '='"
        case .unknownAttributeType(let name, let p):
            return "invalid distinguished name at character \(p): unknown attribute \"\(name)\" "
                + "(known: CN, O, OU, C, L, SP/ST/S, E/EMAIL, DC, SN, G, T, SERIALNUMBER, UID, STREET, or a dotted OID)"
        case .emptyValue(let attribute, let p):
            return "invalid distinguished name at character \(p): \(attribute) has no value (write \(attribute)=\"\" for an empty one)"
        case .unterminatedQuote(let p):
            return "invalid distinguished name at character \(p): the quote opened here is never closed"
        case .invalidEscape(let p):
            return "invalid distinguished name at character \(p): '\\' must be followed by a special character or two hex digits"
        case .invalidHexValue(let p):
            return "invalid distinguished name at character \(p): '#' must be followed by the hex DER encoding of a value"
        case .unexpectedCharacter(let c, let p):
            return "invalid distinguished name at character \(p): unexpected '\(c)' (quote the value or escape it with '\\')"
        case .missingRDN(let p):
            return "invalid distinguished name at character \(p): expected an attribute such as CN=… (empty component)"
        case .invalidValue(let attribute, let reason, let p):
            return "invalid distinguished name at character \(p): \(attribute) \(reason)"
        }
    }
}
