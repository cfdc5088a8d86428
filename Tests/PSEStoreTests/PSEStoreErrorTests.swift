import PSEKit
@testable import PSEStore
import TestSupport
import XCTest

/// PSEStoreError: a code to match on, the reason, the path, and the PSEKit error behind it.
final class PSEStoreErrorTests: XCTestCase {
    func testWrongPINIsARejectedPSEWithTheUnderlyingWrongPIN() throws {
        let path = SAPTestData.url("pse_v2_lps_off_pbes1_3des_sha1.pse").path
        XCTAssertThrowsError(try StoredPSE.open(at: path, pinProvider: { _ in "wrong" })) { error in
            guard let error = error as? PSEStoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.code, .pseRejected)
            XCTAssertEqual(error.code.family, .pse)
            XCTAssertEqual(error.path, path)
            XCTAssertEqual(error.underlying?.code, .wrongPIN)
            XCTAssertEqual(error.reason, "wrong PIN; the file was not changed")
            XCTAssertEqual(error.message, "\(path): wrong PIN; the file was not changed")
            XCTAssertEqual(error.description, "PSEStoreError.pseRejected: \(path): wrong PIN; the file was not changed")
            XCTAssertEqual(ErrorText.of(error), error.message)
        }
    }

    func testAMissingPSEIsUnreadableWithAHint() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("psekit-no-such-\(UUID()).pse").path
        XCTAssertThrowsError(try StoredPSE.open(at: path, pinProvider: { _ in nil })) { error in
            guard let error = error as? PSEStoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.code, .pseUnreadable)
            XCTAssertNil(error.underlying)
            XCTAssertEqual(error.reason, "no such file")
            XCTAssertNotNil(error.hint)
            XCTAssertTrue(error.message.hasPrefix("\(path): no such file\n"), error.message)
        }
    }

    func testFileAccessErrorsCarryTheirCause() throws {
        XCTAssertThrowsError(try RegularFile.read("/", limit: 10)) { error in
            XCTAssertEqual((error as? PSEStoreError)?.code, .isDirectory)
            XCTAssertEqual((error as? PSEStoreError)?.code.family, .fileAccess)
        }
    }
}
