import SwiftASN1
import X509

/// Distinguished names in the syntax SAP's tools use: `CN=host.example.com, OU=DEV, O=Example, C=DE`.
///
/// The string is in LDAP order (RFC 4514): its first attribute is the *last* RDN of the encoded
/// name, so `openssl x509 -nameopt RFC2253 -subject` prints the attributes back in the order they
/// were written. Accepted:
/// - attribute names CN, O, OU, C, L, ST/SP/S, E/EMAIL, DC, SN, G, T, SERIALNUMBER, UID, STREET
///   (case-insensitive), and dotted OIDs (`2.5.4.3=…`, `OID.2.5.4.3=…`);
/// - `,` or `;` between RDNs, `+` between the attributes of a multi-valued RDN;
/// - quoted values (`O="Example, Inc."`), backslash escapes (`\,`, `\"`, `\\`, `\2C`) and
///   RFC 4514 hex values (`#0C03616263`);
/// - spaces around separators and `=` are ignored.
///
/// Values are written as UTF8String, as SAP's own PSEs write the common name and as RFC 5280 asks
/// of new certificates; C is always a two-character PrintableString; E and DC are IA5String.
public enum SAPDistinguishedName {
    /// The last common name of a name, if any (the host name of a server certificate without SANs).
    package static func commonName(of name: DistinguishedName) -> String? {
        for rdn in name.reversed() {
            for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
                return String(describing: attribute.value)
            }
        }
        return nil
    }

    /// Parses a DN in SAP's syntax. Throws a ``PSEKitError`` with code ``PSEKitError/Code/invalidDistinguishedName`` and the position.
    public static func parse(_ string: String) throws -> DistinguishedName {
        // One Character per Unicode scalar: a value starting with a combining mark (U+0363 after
        // "=" or a quote) would otherwise merge with the separator into one grapheme cluster, and
        // a name psekit printed would not parse back (fuzzing finding, sap-dn target).
        var parser = Parser(string.unicodeScalars.map(Character.init))
        return try parser.parse()
    }

    /// Prints a name the way sapgenpse does: LDAP order, `", "` between RDNs, `" + "` inside a
    /// multi-valued RDN, SAP's attribute names (`SP` for the state, `E` for the e-mail address),
    /// values quoted where they hold special characters.
    public static func format(_ name: DistinguishedName) -> String {
        name.reversed().map { rdn in
            rdn.map { attribute in
                formatAttribute(attribute)
            }.joined(separator: " + ")
        }.joined(separator: ", ")
    }

    /// One attribute as `NAME=value`.
    /// Values that the parser would refuse for their attribute (a country that is not two
    /// printable characters, a non-ASCII e-mail address or domain component, both against their
    /// standards) are printed as RFC 4514 `#hex`, so that everything printed parses back.
    public static func formatAttribute(_ attribute: RelativeDistinguishedName.Attribute) -> String {
        let type = SAPNameAttributeType.forOID(attribute.type)
        let name = type?.name ?? "OID.\(attribute.type)"
        if let text = attributeText(attribute.value), isAcceptable(text, for: type?.stringKind ?? .utf8) {
            return "\(name)=\(quoteIfNeeded(text))"
        }
        return "\(name)=#\(hexEncodedDER(attribute.value))"
    }

    static func isAcceptable(_ text: String, for kind: SAPNameAttributeType.StringKind) -> Bool {
        switch kind {
        case .utf8:
            return true
        case .countryCode:
            return text.count == 2 && (try? ASN1PrintableString(text)) != nil
        case .ia5:
            return text.unicodeScalars.allSatisfy { $0.isASCII }
        }
    }

    /// The text of an attribute value of any ASN.1 string type, or `nil` when it is not a string.
    public static func attributeText(_ value: RelativeDistinguishedName.Attribute.Value) -> String? {
        if let text = String(value) { return text }
        let der = derBytes(of: value)
        guard let node = try? DER.parse(der), case .primitive(let content) = node.content else { return nil }
        switch node.identifier {
        case ASN1BMPString.defaultIdentifier:
            guard content.count % 2 == 0 else { return nil }
            var units: [UInt16] = []
            var index = content.startIndex
            while index < content.endIndex {
                units.append(UInt16(content[index]) << 8 | UInt16(content[index + 1]))
                index += 2
            }
            return String(decoding: units, as: UTF16.self)
        case ASN1UniversalString.defaultIdentifier:
            guard content.count % 4 == 0 else { return nil }
            var scalars = String.UnicodeScalarView()
            var index = content.startIndex
            while index < content.endIndex {
                let value = content[index..<index + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
                guard let scalar = Unicode.Scalar(value) else { return nil }
                scalars.append(scalar)
                index += 4
            }
            return String(scalars)
        case ASN1TeletexString.defaultIdentifier, ASN1VisibleString.defaultIdentifier:
            // T.61 is treated as Latin-1, as OpenSSL does.
            return String(String.UnicodeScalarView(content.map { Unicode.Scalar($0) }))
        default:
            return nil
        }
    }

    static func derBytes(of value: RelativeDistinguishedName.Attribute.Value) -> [UInt8] {
        var serializer = DER.Serializer()
        // Serialising an ASN1Any only copies bytes already known to be valid DER.
        try? serializer.serialize(ASN1Any(value))
        return serializer.serializedBytes
    }

    static func hexEncodedDER(_ value: RelativeDistinguishedName.Attribute.Value) -> String {
        Hex.bytes(derBytes(of: value))
    }

    static let charactersNeedingQuotes: Set<Character> = [",", ";", "+", "\"", "\\", "<", ">", "=", "\n", "\r"]

    static func quoteIfNeeded(_ text: String) -> String {
        // Unicode scalars, as the parser reads them: a quote followed by a combining mark is one
        // grapheme cluster, which a Character comparison would not see as a quote.
        let scalars = text.unicodeScalars.map(Character.init)
        let needsQuotes = scalars.isEmpty || scalars.first == "#"
            || scalars.first.map(Parser.isSpace) == true || scalars.last.map(Parser.isSpace) == true
            || scalars.contains(where: { charactersNeedingQuotes.contains($0) })
        guard needsQuotes else { return text }
        var quoted = "\""
        for character in scalars {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        quoted.append("\"")
        return quoted
    }
}

extension SAPDistinguishedName {
    /// A hand-written scanner over the characters of the DN; positions reported are 1-based.
    struct Parser {
        let characters: [Character]
        var index = 0

        init(_ characters: [Character]) {
            self.characters = characters
        }

        var atEnd: Bool { index >= characters.count }
        var current: Character? { atEnd ? nil : characters[index] }
        var position: Int { index + 1 }

        static func isRDNSeparator(_ c: Character) -> Bool { c == "," || c == ";" }
        /// The white space ignored around names, values and separators.
        static func isSpace(_ c: Character) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\r\n" }
        static func isSeparator(_ c: Character) -> Bool { c == "," || c == ";" || c == "+" }

        mutating func skipSpaces() {
            while let c = current, Self.isSpace(c) { index += 1 }
        }

        mutating func parse() throws -> DistinguishedName {
            skipSpaces()
            if atEnd { throw PSEKitError.emptyDistinguishedName }
            var rdns: [RelativeDistinguishedName] = []
            var currentRDN: [RelativeDistinguishedName.Attribute] = []
            while true {
                skipSpaces()
                if atEnd || Self.isSeparator(current!) {
                    throw PSEKitError.missingRDN(position: position)
                }
                currentRDN.append(try parseAttribute())
                skipSpaces()
                guard let separator = current else { break }
                index += 1
                if Self.isRDNSeparator(separator) {
                    rdns.append(RelativeDistinguishedName(currentRDN))
                    currentRDN = []
                }
            }
            rdns.append(RelativeDistinguishedName(currentRDN))
            // The string is in LDAP order: the first RDN written is the last one encoded.
            return DistinguishedName(rdns.reversed())
        }

        mutating func parseAttribute() throws -> RelativeDistinguishedName.Attribute {
            let typeStart = position
            var typeName = ""
            while let c = current, c != "=" {
                if Self.isSeparator(c) { throw PSEKitError.missingEqualsSign(position: typeStart) }
                typeName.append(c)
                index += 1
            }
            if atEnd { throw PSEKitError.missingEqualsSign(position: typeStart) }
            typeName = typeName.trimmingSpaces()
            if typeName.isEmpty { throw PSEKitError.emptyAttributeType(position: typeStart) }
            let type = try Self.resolveType(typeName, position: typeStart)
            index += 1  // '='
            skipSpaces()
            let valueStart = position
            if current == "#" {
                let any = try parseHexValue()
                return RelativeDistinguishedName.Attribute(type: type.oid, value: any)
            }
            // An empty value must be written as "" (a bare `CN=` is taken for a mistake).
            let isQuoted = current == "\""
            let text = isQuoted ? try parseQuotedValue() : try parseUnquotedValue()
            if text.isEmpty && !isQuoted {
                throw PSEKitError.emptyAttributeValue(attribute: typeName, position: valueStart)
            }
            return try Self.makeAttribute(type: type, label: typeName, text: text, position: valueStart)
        }

        enum ResolvedType {
            case known(SAPNameAttributeType)
            case oid(ASN1ObjectIdentifier)

            var oid: ASN1ObjectIdentifier {
                switch self {
                case .known(let type): return type.oid
                case .oid(let oid): return oid
                }
            }
        }

        static func resolveType(_ name: String, position: Int) throws -> ResolvedType {
            if let known = SAPNameAttributeType.named(name) { return .known(known) }
            var dotted = Substring(name)
            if dotted.uppercased().hasPrefix("OID.") { dotted = dotted.dropFirst(4) }
            // Every arc must fit in 32 bits before swift-asn1 sees it: its parser traps on arcs of
            // 2^63 and more (found by fuzzing), and no attribute type needs more.
            let arcsFit = dotted.split(separator: ".", omittingEmptySubsequences: false)
                .allSatisfy { !$0.isEmpty && $0.count <= 9 && $0.allSatisfy { $0.isASCII && $0.isNumber } }
            if arcsFit, let first = dotted.first, first.isASCII, first.isNumber,
               let oid = try? ASN1ObjectIdentifier(dotRepresentation: dotted) {
                if let known = SAPNameAttributeType.forOID(oid) { return .known(known) }
                return .oid(oid)
            }
            throw PSEKitError.unknownAttributeType(name, position: position)
        }

        static func makeAttribute(type: ResolvedType, label: String, text: String, position: Int) throws
            -> RelativeDistinguishedName.Attribute
        {
            let kind: SAPNameAttributeType.StringKind
            switch type {
            case .known(let known): kind = known.stringKind
            case .oid: kind = .utf8
            }
            switch kind {
            case .utf8:
                return .init(type: type.oid, utf8String: text)
            case .countryCode:
                guard text.count == 2, let value = try? RelativeDistinguishedName.Attribute.Value(printableString: text) else {
                    throw PSEKitError.invalidAttributeValue(
                        attribute: label, reason: "must be a two-letter country code such as DE, not \"\(text)\"",
                        position: position)
                }
                return .init(type: type.oid, value: value)
            case .ia5:
                guard let value = try? RelativeDistinguishedName.Attribute.Value(ia5String: text) else {
                    throw PSEKitError.invalidAttributeValue(
                        attribute: label, reason: "must be plain ASCII (IA5String)", position: position)
                }
                return .init(type: type.oid, value: value)
            }
        }

        /// `"…"` with `\"` and `\\` (and any other backslash escape) inside.
        mutating func parseQuotedValue() throws -> String {
            let openingQuote = position
            index += 1
            var bytes: [UInt8] = []
            while true {
                guard let c = current else { throw PSEKitError.unterminatedQuote(position: openingQuote) }
                if c == "\"" { index += 1; break }
                if c == "\\" {
                    try parseEscape(into: &bytes)
                } else {
                    bytes.append(contentsOf: Array(String(c).utf8))
                    index += 1
                }
            }
            skipSpaces()
            if let c = current, !Self.isSeparator(c) {
                throw PSEKitError.unexpectedCharacter(c, position: position)
            }
            return try decodeUTF8(bytes, position: openingQuote)
        }

        /// Characters up to the next unescaped separator; unescaped trailing spaces are dropped.
        mutating func parseUnquotedValue() throws -> String {
            let start = position
            var bytes: [UInt8] = []
            var significantCount = 0  // bytes up to the last non-space or escaped character
            while let c = current, !Self.isSeparator(c) {
                if c == "\\" {
                    try parseEscape(into: &bytes)
                    significantCount = bytes.count
                } else {
                    bytes.append(contentsOf: Array(String(c).utf8))
                    index += 1
                    if !Self.isSpace(c) { significantCount = bytes.count }
                }
            }
            return try decodeUTF8(Array(bytes[..<significantCount]), position: start)
        }

        /// `\` followed by a character (taken literally) or by two hex digits (one byte).
        mutating func parseEscape(into bytes: inout [UInt8]) throws {
            let escapePosition = position
            index += 1
            guard let next = current else { throw PSEKitError.invalidEscape(position: escapePosition) }
            if next.isHexDigit, index + 1 < characters.count, characters[index + 1].isHexDigit,
               let byte = UInt8(String([next, characters[index + 1]]), radix: 16) {
                bytes.append(byte)
                index += 2
                return
            }
            if next.isLetter || next.isNumber {
                throw PSEKitError.invalidEscape(position: escapePosition)
            }
            bytes.append(contentsOf: Array(String(next).utf8))
            index += 1
        }

        /// `#` followed by the hex of a complete DER value (RFC 4514 section 2.4).
        mutating func parseHexValue() throws -> ASN1Any {
            let start = position
            index += 1
            var hex = ""
            while let c = current, c.isHexDigit, c.isASCII {
                hex.append(c)
                index += 1
            }
            skipSpaces()
            if let c = current, !Self.isSeparator(c) {
                throw PSEKitError.unexpectedCharacter(c, position: position)
            }
            guard !hex.isEmpty, hex.count % 2 == 0 else { throw PSEKitError.invalidHexValue(position: start) }
            var bytes: [UInt8] = []
            var hexIndex = hex.startIndex
            while hexIndex < hex.endIndex {
                let next = hex.index(hexIndex, offsetBy: 2)
                bytes.append(UInt8(hex[hexIndex..<next], radix: 16)!)
                hexIndex = next
            }
            guard let node = try? DER.parse(bytes) else {
                throw PSEKitError.invalidHexValue(position: start)
            }
            return ASN1Any(derEncoded: node)
        }

        func decodeUTF8(_ bytes: [UInt8], position: Int) throws -> String {
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw PSEKitError.invalidEscape(position: position)
            }
            return text
        }
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, SAPDistinguishedName.Parser.isSpace(first) { slice = slice.dropFirst() }
        while let last = slice.last, SAPDistinguishedName.Parser.isSpace(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
