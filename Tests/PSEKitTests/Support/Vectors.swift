import Foundation
import TestSupport

/// SAP's own files, read by the unit tests under their original names (`SAPTestData`).
enum Vectors {
    static func bytes(_ name: String) throws -> [UInt8] { try SAPTestData.bytes(name) }

    /// The PIN of the PIN-protected PSE vectors.
    static let psePIN = SAPTestData.psePIN
}
