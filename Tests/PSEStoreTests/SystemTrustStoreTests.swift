import Foundation
import PSEStore
import SwiftASN1
import TestSupport
import X509
import XCTest

/// The system CA bundle: the first readable one of the paths searched, read as a CA file.
final class SystemTrustStoreTests: XCTestCase {
    func testSystemStoreReadsTheFirstBundleFound() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("psekit-net-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let certificates = [try TestCertificates.selfSigned(commonName: "First"), try TestCertificates.selfSigned(commonName: "Second")]
        var pem = "# a CA bundle as distributions keep it\n"
        for certificate in certificates {
            var serializer = DER.Serializer()
            try serializer.serialize(certificate)
            pem += PEMDocument(type: "CERTIFICATE", derBytes: serializer.serializedBytes).pemString + "\n"
        }
        let bundle = folder.appendingPathComponent("ca-bundle.crt")
        try pem.write(to: bundle, atomically: true, encoding: .utf8)
        let missing = folder.appendingPathComponent("missing.crt").path
        XCTAssertEqual(try SystemTrustStore.certificates(searching: [missing, bundle.path]), certificates)
        XCTAssertThrowsError(try SystemTrustStore.certificates(searching: [missing])) {
            XCTAssertEqual($0 as? PSEStoreError, .noSystemTrustStore(searched: [missing]))
        }
    }
}
