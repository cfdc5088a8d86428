#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Times as sapgenpse prints them, `Mon Feb 19 18:48:35 2018 (180219184835Z)`, from the C
/// library's calendar fields: a `DateFormatter` per call would cost more than the rest of a
/// listing, and would bring in ICU.
enum SAPTimeText {
    /// psekit's form: the UTC time, then the same time with a two-digit year.
    static func utc(_ date: Date) -> String {
        let utc = fields(date, local: false)
        return "\(asctime(utc)) (\(asn1(utc, fourDigitsOutside1950To2049: false)))"
    }

    /// sapgenpse's form: the local time (`TZ` is honoured), then the UTC time as ASN.1 writes it
    /// (UTCTime from 1950 to 2049, GeneralizedTime otherwise, as RFC 5280 says):
    /// `Thu Dec 31 19:00:01 2037 (380101000001Z)` for 2038-01-01 00:00:01 UTC in New York.
    static func localAndUTC(_ date: Date) -> String {
        tzset()
        return "\(asctime(fields(date, local: true))) (\(asn1(fields(date, local: false), fourDigitsOutside1950To2049: true)))"
    }

    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func fields(_ date: Date, local: Bool) -> tm {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var fields = tm()
        if local { localtime_r(&seconds, &fields) } else { gmtime_r(&seconds, &fields) }
        return fields
    }

    /// `Mon Feb 19 18:48:35 2018` (the day of the month not padded).
    private static func asctime(_ fields: tm) -> String {
        "\(weekdays[Int(fields.tm_wday)]) \(months[Int(fields.tm_mon)]) \(fields.tm_mday) "
            + "\(two(fields.tm_hour)):\(two(fields.tm_min)):\(two(fields.tm_sec)) \(Int(fields.tm_year) + 1900)"
    }

    /// `180219184835Z`.
    private static func asn1(_ utc: tm, fourDigitsOutside1950To2049: Bool) -> String {
        let year = Int(utc.tm_year) + 1900
        let yearText = fourDigitsOutside1950To2049 && !(1950...2049).contains(year) ? String(year) : two(Int32(year % 100))
        return yearText + two(utc.tm_mon + 1) + two(utc.tm_mday) + two(utc.tm_hour) + two(utc.tm_min) + two(utc.tm_sec) + "Z"
    }

    private static func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
