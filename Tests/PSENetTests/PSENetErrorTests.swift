@testable import PSENet
import XCTest

/// PSENetError: a code to match on, the reason, and for a failed connection its diagnosis.
final class PSENetErrorTests: XCTestCase {
    func testInputErrorsHaveACodeAndAReason() {
        XCTAssertThrowsError(try ServerEndpoint(url: "https://user:secret@example.com/")) { error in
            guard let error = error as? PSENetError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.code, .credentialsInURL)
            XCTAssertNil(error.diagnosis)
            XCTAssertFalse(error.reason.contains("secret"))
            XCTAssertEqual(error.description, "PSENetError.credentialsInURL: " + error.reason)
        }
        XCTAssertThrowsError(try HTTPProxy(url: "socks5://proxy:1080")) { error in
            XCTAssertEqual((error as? PSENetError)?.code, .unsupportedProxyScheme)
        }
    }

    func testAFailedConnectionCarriesItsDiagnosis() {
        let error = PSENetError.connectionFailed(.connectionRefused(host: "127.0.0.1", port: 1))
        XCTAssertEqual(error.code, .connectionFailed)
        XCTAssertEqual(error.diagnosis?.name, "connection-refused")
        XCTAssertEqual(error.reason, error.diagnosis?.cause)
    }
}
