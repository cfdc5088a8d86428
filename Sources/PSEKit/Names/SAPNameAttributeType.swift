import SwiftASN1
import X509

/// The attribute types SAP's tools accept in a distinguished name (`sapgenpse gen_pse "CN=…, O=…"`),
/// with the name SAP prints for each and the ASN.1 string type its value is written as.
public struct SAPNameAttributeType: Hashable, Sendable {
    /// How a value of this attribute is encoded.
    public enum StringKind: Hashable, Sendable {
        /// UTF8String (SAP's vectors write the common name so; RFC 5280 asks it of new certificates).
        case utf8
        /// Always PrintableString (countryName: exactly two characters).
        case countryCode
        /// Always IA5String (ASCII only): emailAddress, domainComponent.
        case ia5
    }

    /// The name SAP prints (`CN`, `SP`, `E`, …).
    public var name: String
    public var oid: ASN1ObjectIdentifier
    public var stringKind: StringKind

    public init(name: String, oid: ASN1ObjectIdentifier, stringKind: StringKind) {
        self.name = name
        self.oid = oid
        self.stringKind = stringKind
    }

    public static let commonName = Self(name: "CN", oid: [2, 5, 4, 3], stringKind: .utf8)
    public static let surname = Self(name: "SN", oid: [2, 5, 4, 4], stringKind: .utf8)
    public static let serialNumber = Self(name: "SERIALNUMBER", oid: [2, 5, 4, 5], stringKind: .utf8)
    public static let country = Self(name: "C", oid: [2, 5, 4, 6], stringKind: .countryCode)
    public static let locality = Self(name: "L", oid: [2, 5, 4, 7], stringKind: .utf8)
    public static let stateOrProvince = Self(name: "SP", oid: [2, 5, 4, 8], stringKind: .utf8)
    public static let street = Self(name: "STREET", oid: [2, 5, 4, 9], stringKind: .utf8)
    public static let organization = Self(name: "O", oid: [2, 5, 4, 10], stringKind: .utf8)
    public static let organizationalUnit = Self(name: "OU", oid: [2, 5, 4, 11], stringKind: .utf8)
    public static let title = Self(name: "T", oid: [2, 5, 4, 12], stringKind: .utf8)
    public static let givenName = Self(name: "G", oid: [2, 5, 4, 42], stringKind: .utf8)
    public static let emailAddress = Self(name: "E", oid: [1, 2, 840, 113_549, 1, 9, 1], stringKind: .ia5)
    public static let domainComponent = Self(name: "DC", oid: [0, 9, 2342, 19_200_300, 100, 1, 25], stringKind: .ia5)
    public static let userID = Self(name: "UID", oid: [0, 9, 2342, 19_200_300, 100, 1, 1], stringKind: .utf8)

    /// Every known type, in the order SAP documents them.
    public static let all: [SAPNameAttributeType] = [
        .commonName, .organizationalUnit, .organization, .locality, .stateOrProvince, .country,
        .emailAddress, .domainComponent, .surname, .givenName, .title, .serialNumber, .userID, .street,
    ]

    /// The names accepted when parsing (upper-cased), including SAP's and RFC 4514's aliases.
    static let byName: [String: SAPNameAttributeType] = {
        var table: [String: SAPNameAttributeType] = [:]
        for type in all { table[type.name] = type }
        table["ST"] = .stateOrProvince
        table["S"] = .stateOrProvince
        table["EMAIL"] = .emailAddress
        table["EMAILADDRESS"] = .emailAddress
        table["GIVENNAME"] = .givenName
        table["GN"] = .givenName
        table["SURNAME"] = .surname
        table["TITLE"] = .title
        table["USERID"] = .userID
        return table
    }()

    static let byOID: [ASN1ObjectIdentifier: SAPNameAttributeType] = {
        var table: [ASN1ObjectIdentifier: SAPNameAttributeType] = [:]
        for type in all { table[type.oid] = type }
        return table
    }()

    /// The type for an attribute name as written in a DN (case-insensitive), or `nil`.
    public static func named(_ name: String) -> SAPNameAttributeType? {
        byName[name.uppercased()]
    }

    /// The type for an object identifier, or `nil` when SAP has no name for it.
    public static func forOID(_ oid: ASN1ObjectIdentifier) -> SAPNameAttributeType? {
        byOID[oid]
    }
}
