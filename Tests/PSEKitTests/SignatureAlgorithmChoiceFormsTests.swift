import PSEKit
import XCTest

/// sapgenpse's `-a` forms (SAP's documentation, public scripts, Salt's sap_pse module).
final class SignatureAlgorithmChoiceFormsTests: XCTestCase {
    func testRSAForms() throws {
        XCTAssertEqual(try SignatureAlgorithmChoice.parse("RSA"), .default)
        XCTAssertEqual(try SignatureAlgorithmChoice.parse("rsa"), .default)
        XCTAssertEqual(try SignatureAlgorithmChoice.parse("RSA:4096"), SignatureAlgorithmChoice(keySize: 4096, hash: .sha256))
        XCTAssertEqual(try SignatureAlgorithmChoice.parse("RSA:2048:SHA512"), SignatureAlgorithmChoice(keySize: 2048, hash: .sha512))
        XCTAssertEqual(try SignatureAlgorithmChoice.parse("sha256WithRsaEncryption"), SignatureAlgorithmChoice(hash: .sha256))
        XCTAssertEqual(try SignatureAlgorithmChoice.parse("sha512WithRsaEncryption"), SignatureAlgorithmChoice(hash: .sha512))
    }

    func testDSAAndECDSAAreRefusedWithTheReason() {
        for text in ["DSA", "ECDSA", "ecdsa", "ECDSA:P-256:SHA256", "DSA:2048:SHA256"] {
            XCTAssertThrowsError(try SignatureAlgorithmChoice.parse(text), text) { error in
                guard (error as? PSEKitError)?.code == .unsupportedKeyType else {
                    return XCTFail("\(text): \(error)")
                }
                XCTAssertTrue("\(error)".contains("DSA and ECDSA PSEs are not supported"), "\(error)")
            }
        }
    }
}
