import PSENet
import XCTest

extension XCTestCase {
    /// The diagnosis a check that must fail gives; a test failure (and nil) when it succeeds or
    /// throws something else.
    func diagnosis(of check: ConnectionCheck, file: StaticString = #filePath, line: UInt = #line) -> ConnectionDiagnosis? {
        do {
            let result = try check.run()
            XCTFail("check unexpectedly succeeded: \(result.response.statusLine)", file: file, line: line)
            return nil
        } catch let error as PSENetError where error.code == .connectionFailed {
            XCTAssertEqual(error.reason, error.diagnosis?.cause, file: file, line: line)
            return error.diagnosis
        } catch {
            XCTFail("not a diagnosis: \(error)", file: file, line: line)
            return nil
        }
    }
}
