#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SwiftASN1

extension GeneralizedTime {
    /// The time in whole seconds, UTC, as SAP writes it.
    ///
    /// Plain calendar arithmetic (proleptic Gregorian, days from 1970-01-01): Foundation's
    /// `Calendar` loads ICU's calendar data on first use, which cost ~0.7 ms of every command
    /// that writes a PSE (bench/RESULTS.md, scenario 2).
    package init(_ date: Date) throws {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let civil = Self.civilDate(daysSince1970: days)
        try self.init(year: civil.year, month: civil.month, day: civil.day, hours: secondOfDay / 3600,
                      minutes: secondOfDay / 60 % 60, seconds: secondOfDay % 60, fractionalSeconds: 0)
    }

    /// The same instant as a `Date`.
    package var date: Date {
        let days = Self.daysSince1970(year: year, month: month, day: day)
        let seconds = days * 86_400 + Int64(hours * 3600 + minutes * 60 + seconds)
        return Date(timeIntervalSince1970: TimeInterval(seconds) + fractionalSeconds)
    }

    /// Year, month and day of a day counted from 1970-01-01 (H. Hinnant, "chrono-compatible
    /// low-level date algorithms", civil_from_days).
    static func civilDate(daysSince1970 days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0)), Int(month), Int(day))
    }

    /// The day counted from 1970-01-01 of a date (days_from_civil, the inverse of `civilDate`).
    static func daysSince1970(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
