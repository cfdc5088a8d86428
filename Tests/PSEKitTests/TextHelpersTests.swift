import Foundation
@testable import PSEKit
import XCTest

/// The helpers that replace Foundation's text APIs give what those APIs gave.
final class TextHelpersTests: XCTestCase {
    func testHexMatchesStringFormat() {
        for value: UInt32 in [0, 1, 0xA, 0xFF, 0x100, 0xBEEF, 0x1234_5678, .max] {
            XCTAssertEqual(Hex.number(value, digits: 2), String(format: "%02X", value))
            XCTAssertEqual(Hex.number(value, digits: 8), String(format: "%08X", value))
            XCTAssertEqual(Hex.number(value, digits: 4, uppercase: false), String(format: "%04x", value))
        }
        let bytes: [UInt8] = [0x00, 0x0F, 0xA0, 0xFF]
        XCTAssertEqual(Hex.bytes(bytes, separator: ":"), bytes.map { String(format: "%02X", $0) }.joined(separator: ":"))
        XCTAssertEqual(Hex.bytes(bytes, uppercase: false), "000fa0ff")
        XCTAssertEqual(Hex.bytes([UInt8]()), "")
    }

    func testTrimmingMatchesFoundation() {
        for text in ["", " ", "\t a b \t", "\n a \n", " \u{00A0}x\u{2003} ", "abc", " \r\n"] {
            XCTAssertEqual(text.trimmingWhitespace(), text.trimmingCharacters(in: .whitespaces), "\(Array(text.unicodeScalars))")
            XCTAssertEqual(text.trimmingWhitespaceAndNewlines(), text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        XCTAssertEqual("..a.b..".trimming { $0 == "." }, "a.b")
        XCTAssertEqual("...".trimming { $0 == "." }, "")
    }

    func testCaseAndPadding() {
        XCTAssertTrue("Content-Length".equalsIgnoringCase("content-length"))
        XCTAssertFalse("Content-Length".equalsIgnoringCase("content-lengths"))
        XCTAssertTrue("CN=Test Root CA, O=Example".containsIgnoringCase("root ca"))
        XCTAssertFalse("CN=Test".containsIgnoringCase("root"))
        XCTAssertEqual("ab".padded(to: 4), "ab  ")
        XCTAssertEqual("abcdef".padded(to: 4), "abcdef")
        XCTAssertEqual("abcdef".prefix(4).padded(to: 4), "abcd".padding(toLength: 4, withPad: " ", startingAt: 0))
    }
}
