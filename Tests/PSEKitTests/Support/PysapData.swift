import Foundation

/// pysap 0.2.1's test data (SAP-written credentials and PSEs beyond the shared vectors).
/// `PSEKIT_PYSAP_DATA` names the folder; the default is where the release archive is unpacked.
enum PysapData {
    static var folder: URL {
        URL(fileURLWithPath: ProcessInfo.processInfo.environment["PSEKIT_PYSAP_DATA"] ?? "/tmp/pysapdl/pysap-0.2.1/tests/data")
    }

    static func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    static func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: url(name))) }
}
