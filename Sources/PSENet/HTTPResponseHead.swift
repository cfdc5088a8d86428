#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit

/// The start of an HTTP/1.x response as NIOHTTP1 decoded it: status line, headers and the first
/// bytes of the body (de-chunked).
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
        headers.first { $0.name.equalsIgnoringCase(name) }?.value
    }

    /// The body prefix as text (invalid UTF-8 replaced).
    public var bodyText: String { String(decoding: bodyPrefix, as: UTF8.self) }

    public init(statusLine: String, statusCode: Int, headers: [HTTPHeaderField], bodyPrefix: [UInt8]) {
        self.statusLine = statusLine
        self.statusCode = statusCode
        self.headers = headers
        self.bodyPrefix = bodyPrefix
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
