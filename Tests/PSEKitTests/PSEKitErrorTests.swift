@testable import PSEKit
import XCTest

/// PSEKitError: a code to match on, a reason for people, a position where the input has one.
final class PSEKitErrorTests: XCTestCase {
    func testTheDescriptionCombinesCodeAndReason() {
        XCTAssertEqual(PSEKitError.wrongPIN.code, .wrongPIN)
        XCTAssertEqual(PSEKitError.wrongPIN.reason, "wrong PIN")
        XCTAssertEqual(PSEKitError.wrongPIN.description, "PSEKitError.wrongPIN: wrong PIN")
        XCTAssertEqual(PSEKitError.Code.malformedPKCS12.description, "malformedPKCS12")
        XCTAssertEqual(ErrorText.of(PSEKitError.wrongPIN), "wrong PIN")
    }

    func testCodesMatchWhateverTheReason() {
        let first = PSEKitError.malformedPSE("the file is truncated")
        let second = PSEKitError.malformedPSE("it does not start with a DER SEQUENCE")
        XCTAssertEqual(first.code, second.code)
        XCTAssertNotEqual(first, second)
        XCTAssertEqual(Set([first, second, first]).count, 2)
        XCTAssertEqual(first.code.family, .pse)
        XCTAssertEqual(PSEKitError.wrongPassword.code.family, .pkcs12)
        XCTAssertNotEqual(PSEKitError.Code.wrongPIN, .wrongPassword)
    }

    func testPositionsAreKeptWhereTheInputHasThem() {
        XCTAssertThrowsError(try SAPDistinguishedName.parse("CN=a, XX=b")) { error in
            XCTAssertEqual((error as? PSEKitError)?.position, 7)
        }
        XCTAssertEqual(PSEKitError.invalidCertificate(position: 2, reason: "x").position, 2)
        XCTAssertNil(PSEKitError.wrongPIN.position)
    }
}
