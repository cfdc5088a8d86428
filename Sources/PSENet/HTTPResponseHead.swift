import Foundation

/// The start of an HTTP/1.x response: status line, headers and the first bytes of the body.
public struct HTTPResponseHead: Sendable, Hashable {
    /// `HTTP/1.1 200 OK`.
    public var statusLine: String
    public var statusCode: Int
    /// Header fields in the order received (names as sent).
    public var headers: [HTTPHeaderField]
    /// The first bytes of the body (de-chunked when the response is chunked).
    public var bodyPrefix: [UInt8]

    /// The value of the first header with this name (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The body prefix as text (invalid UTF-8 replaced).
    public var bodyText: String { String(decoding: bodyPrefix, as: UTF8.self) }

    /// Parses the response bytes; nil when they do not start with an HTTP status line and headers.
    public init?(parsing bytes: [UInt8], bodyLimit: Int = 4096) {
        guard let headerEnd = Self.headerEnd(bytes) else { return nil }
        let headerText = String(decoding: bytes[..<headerEnd], as: UTF8.self)
        var lines = headerText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let code = Int(parts[1]) else { return nil }
        self.statusLine = statusLine
        self.statusCode = code
        self.headers = lines.compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return HTTPHeaderField(name: String(line[..<colon]),
                                   value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var body = Array(bytes[(headerEnd + 4)...])
        let chunked = headers.contains {
            $0.name.lowercased() == "transfer-encoding" && $0.value.lowercased().contains("chunked")
        }
        if chunked { body = Self.dechunk(body) }
        self.bodyPrefix = Array(body.prefix(bodyLimit))
    }

    /// Whether enough of a response is in: headers plus the whole body (by Content-Length or the
    /// final chunk), or at least `bodyLimit` body bytes.
    static func isComplete(_ bytes: [UInt8], bodyLimit: Int) -> Bool {
        guard let headerEnd = headerEnd(bytes) else { return false }
        let bodyCount = bytes.count - headerEnd - 4
        if bodyCount >= bodyLimit { return true }
        guard let head = HTTPResponseHead(parsing: bytes, bodyLimit: bodyLimit) else { return true }
        if let length = head.header("Content-Length").flatMap({ Int($0) }) { return bodyCount >= length }
        if head.statusCode == 204 || head.statusCode == 304 || (100..<200).contains(head.statusCode) { return true }
        if head.header("Transfer-Encoding")?.lowercased().contains("chunked") == true {
            return bytes.suffix(5) == [48, 13, 10, 13, 10]  // "0\r\n\r\n"
        }
        return false
    }

    private static func headerEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }

    private static func dechunk(_ bytes: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var index = 0
        while index < bytes.count {
            guard let lineEnd = (index..<bytes.count).first(where: { bytes[$0] == 10 }) else { break }
            let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ";").first ?? ""
            guard let size = Int(sizeText, radix: 16), size > 0 else { break }
            let start = lineEnd + 1
            let end = min(bytes.count, start + size)
            result.append(contentsOf: bytes[start..<end])
            index = end + 2
        }
        return result
    }
}

/// One HTTP header field.
public struct HTTPHeaderField: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
