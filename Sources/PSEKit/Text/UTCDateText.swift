#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SwiftASN1

/// A date as people read it in messages and reports: `2026-03-01 12:00:00 UTC`.
///
/// From the UTC calendar fields (`GeneralizedTime`): a `DateFormatter` per call would cost more
/// than the rest of a listing, and would bring in ICU.
package enum UTCDateText {
    /// `2026-03-01 12:00:00 UTC`.
    package static func dateAndTime(_ date: Date) -> String {
        guard let time = try? GeneralizedTime(date) else { return "\(date)" }
        return "\(day(time)) \(two(time.hours)):\(two(time.minutes)):\(two(time.seconds)) UTC"
    }

    /// `2026-03-01 12:00 UTC`.
    package static func dateAndMinute(_ date: Date) -> String {
        guard let time = try? GeneralizedTime(date) else { return "\(date)" }
        return "\(day(time)) \(two(time.hours)):\(two(time.minutes)) UTC"
    }

    private static func day(_ time: GeneralizedTime) -> String {
        let year = String(time.year)
        return "\(String(repeating: "0", count: max(0, 4 - year.count)))\(year)-\(two(time.month))-\(two(time.day))"
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
