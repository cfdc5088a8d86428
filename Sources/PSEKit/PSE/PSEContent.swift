import Foundation
import SwiftASN1

/// The decrypted content of a PSE: when it was made and its objects.
///
/// ```
/// PSEContent ::= SEQUENCE {
///     algorithm  AlgorithmIdentifier,   -- repeats the container's PBE algorithm and parameters
///     created    GeneralizedTime,       -- YYYYMMDDHHMMSSZ
///     unknown    INTEGER,               -- 1 in every file seen
///     objects    SET OF PSEObject }     -- DER order: sorted by encoding
/// ```
///
/// `algorithm` is kept as read (a plain PSE keeps the algorithm it was last encrypted with).
/// Objects are kept in their order and written back in DER `SET OF` order.
public struct PSEContent: DERImplicitlyTaggable, Hashable, Sendable {
    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public var algorithm: ASN1Any
    public var created: GeneralizedTime
    public var unknown: Int
    public var objects: [PSEObject]

    public init(algorithm: ASN1Any, created: GeneralizedTime, unknown: Int = 1, objects: [PSEObject]) {
        self.algorithm = algorithm
        self.created = created
        self.unknown = unknown
        self.objects = objects
    }

    /// An empty content, as a new PSE starts.
    public init(created: Date = Date(), algorithm: PSEEncryptionAlgorithm = .random()) throws {
        self.init(algorithm: try ASN1Any(erasing: algorithm), created: try GeneralizedTime(created), objects: [])
    }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            guard let algorithmNode = nodes.next() else {
                throw ASN1Error.invalidASN1Object(reason: "PSE content has no algorithm")
            }
            let created = try GeneralizedTime(derEncoded: &nodes)
            let unknown = try Int(derEncoded: &nodes)
            guard let setNode = nodes.next(), setNode.identifier == .set, case .constructed(let members) = setNode.content else {
                throw ASN1Error.invalidASN1Object(reason: "PSE content has no object set")
            }
            // Read the members in file order without insisting on DER sorting: SAP's tools sort,
            // but a reader should not reject a file over it.
            let objects = try members.map { try PSEObject(derEncoded: $0) }
            return PSEContent(algorithm: ASN1Any(derEncoded: algorithmNode), created: created, unknown: unknown, objects: objects)
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(algorithm)
            try coder.serialize(created)
            try coder.serialize(unknown)
            try coder.serializeSetOf(objects)
        }
    }

    /// The DER of the content, as it is encrypted or stored.
    public func derEncoded() throws -> [UInt8] {
        try PSEDER.encode(self)
    }

    // MARK: Objects

    /// The first object of a type.
    public func object(ofType type: ASN1ObjectIdentifier) -> PSEObject? {
        objects.first { $0.type == type }
    }

    /// Sets the value of the object of this type, adding it under `name` when there is none.
    public mutating func setObject(name: String, type: ASN1ObjectIdentifier, value: ASN1Any, modified: Date = Date()) throws {
        let time = try GeneralizedTime(modified)
        if let index = objects.firstIndex(where: { $0.type == type }) {
            objects[index].value = value
            objects[index].modified = time
        } else {
            objects.append(PSEObject(name: name, modified: time, type: type, value: value))
        }
    }

    /// Removes every object of this type.
    public mutating func removeObjects(ofType type: ASN1ObjectIdentifier) {
        objects.removeAll { $0.type == type }
    }
}

extension GeneralizedTime {
    /// The time in whole seconds, UTC, as SAP writes it.
    ///
    /// Plain calendar arithmetic (proleptic Gregorian, days from 1970-01-01): Foundation's
    /// `Calendar` loads ICU's calendar data on first use, which cost ~0.7 ms of every command
    /// that writes a PSE (bench/RESULTS.md, scenario 2).
    public init(_ date: Date) throws {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let civil = Self.civilDate(daysSince1970: days)
        try self.init(year: civil.year, month: civil.month, day: civil.day, hours: secondOfDay / 3600,
                      minutes: secondOfDay / 60 % 60, seconds: secondOfDay % 60, fractionalSeconds: 0)
    }

    /// The same instant as a `Date`.
    public var date: Date {
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
