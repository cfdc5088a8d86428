import Foundation
@testable import PSEKit
import SwiftASN1
import XCTest

/// `GeneralizedTime(Date)` and `.date` use plain calendar arithmetic; Foundation's Gregorian
/// calendar in UTC is the independent reference.
final class GeneralizedTimeDateTests: XCTestCase {
    private func reference(_ date: Date) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    }

    func testAgreesWithFoundationsCalendar() throws {
        var generator = SystemRandomNumberGenerator()
        let fixed: [TimeInterval] = [
            0, -1, 86_399, 86_400, 951_782_400 /* 2000-02-29 */, 951_868_799, 4_107_542_400 /* 2100-03-01 */,
            -2_208_988_800 /* 1900-01-01 */, 253_402_300_799 /* 9999-12-31T23:59:59 */, -12_219_292_800 /* 1582-10-15 */,
            1_767_225_599.75,
        ]
        let random = (0..<2000).map { _ in TimeInterval(Int64.random(in: -12_219_292_800...253_402_300_799, using: &generator)) }
        for seconds in fixed + random {
            let date = Date(timeIntervalSince1970: seconds)
            let time = try GeneralizedTime(date)
            let expected = reference(date)
            XCTAssertEqual([time.year, time.month, time.day, time.hours, time.minutes, time.seconds],
                           [expected.year!, expected.month!, expected.day!, expected.hour!, expected.minute!, expected.second!],
                           "\(seconds)")
            XCTAssertEqual(time.date.timeIntervalSince1970, seconds.rounded(.down), "\(seconds)")
        }
    }

    func testTheVectorsCreationTimeReadsAsItsDate() throws {
        let time = try GeneralizedTime(year: 2024, month: 2, day: 29, hours: 13, minutes: 5, seconds: 9, fractionalSeconds: 0)
        XCTAssertEqual(time.date, Date(timeIntervalSince1970: 1_709_211_909))
        XCTAssertEqual(try GeneralizedTime(time.date), time)
        // Proleptic Gregorian before 1582, as Python's datetime(1, 1, 1, tzinfo=utc).timestamp() gives.
        let first = try GeneralizedTime(Date(timeIntervalSince1970: -62_135_596_800))
        XCTAssertEqual([first.year, first.month, first.day, first.hours], [1, 1, 1, 0])
    }
}
