import Crypto
import Foundation
import PSEKit
import PSENet
import SwiftASN1
import TestSupport
import X509
import XCTest

/// PSENet without a network: URL parsing, chain completion, path validation by swift-certificates'
/// Verifier, and the CA bundle reader, on certificates made here. (Against live servers:
/// InteropTests' PSENet*Tests, CheckCommandTests, TrustCommandTests.)
final class PSENetUnitTests: XCTestCase {
    /// A certificate issued by `issuer` (self-signed when nil) with the given extensions.
    private func certificate(_ name: String, key: P256.Signing.PrivateKey, issuer: (name: String, key: P256.Signing.PrivateKey)? = nil,
                             notAfter: Date = Date().addingTimeInterval(86_400),
                             @ExtensionsBuilder extensions: () throws -> Result<Certificate.Extensions, any Error>) throws -> Certificate {
        let subject = try DistinguishedName { CommonName(name) }
        let issuerName = try issuer.map { issuer in try DistinguishedName { CommonName(issuer.name) } } ?? subject
        return try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: Date().addingTimeInterval(-3600), notValidAfter: notAfter,
            issuer: issuerName, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try extensions().get(), issuerPrivateKey: .init(issuer?.key ?? key))
    }

    private let rootKey = P256.Signing.PrivateKey(), middleKey = P256.Signing.PrivateKey(), leafKey = P256.Signing.PrivateKey()

    private func root() throws -> Certificate {
        try certificate("Unit Root", key: rootKey) {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
            Critical(KeyUsage(keyCertSign: true, cRLSign: true))
        }
    }

    private func leaf(issuedBy issuer: (name: String, key: P256.Signing.PrivateKey), host: String = "unit.example",
                      usage: ExtendedKeyUsage.Usage = .serverAuth) throws -> Certificate {
        try certificate(host, key: leafKey, issuer: issuer) {
            Critical(BasicConstraints.notCertificateAuthority)
            try ExtendedKeyUsage([usage])
            SubjectAlternativeNames([.dnsName(host)])
        }
    }

    func testEndpointParsing() throws {
        XCTAssertEqual(try ServerEndpoint(url: "https://example.com"), ServerEndpoint(host: "example.com", port: 443, path: "/"))
        XCTAssertEqual(try ServerEndpoint(url: "https://127.0.0.1:8443/sap/bc/ping?x=1"),
                       ServerEndpoint(host: "127.0.0.1", port: 8443, path: "/sap/bc/ping?x=1"))
        XCTAssertEqual(try ServerEndpoint(url: "example.com:44300"), ServerEndpoint(host: "example.com", port: 44300))
        XCTAssertEqual(try ServerEndpoint(url: "https://[::1]:9443/").host, "::1")
        XCTAssertNil(try ServerEndpoint(url: "https://127.0.0.1/").serverNameIndication)
        XCTAssertEqual(try ServerEndpoint(url: "https://a.example/").serverNameIndication, "a.example")
        XCTAssertThrowsError(try ServerEndpoint(url: "http://example.com")) {
            XCTAssertEqual($0 as? PSENetError, .unsupportedServerScheme("http"))
        }
    }

    func testAChainToATrustedRootIsAcceptedForItsHostOnly() throws {
        let root = try root()
        let leaf = try leaf(issuedBy: ("Unit Root", rootKey))
        guard case .trusted(let path) = ServerChainValidator.validateSynchronously(presented: [leaf], trusted: [root], host: "unit.example") else {
            return XCTFail("a correct chain was refused")
        }
        XCTAssertEqual(path, [leaf, root])
        guard case .failed = ServerChainValidator.validateSynchronously(presented: [leaf], trusted: [root], host: "other.example") else {
            return XCTFail("a certificate for another host was accepted")
        }
        guard case .failed = ServerChainValidator.validateSynchronously(presented: [leaf], trusted: [], host: "unit.example") else {
            return XCTFail("a chain without a trusted anchor was accepted")
        }
    }

    /// The forged-server case: a trusted CA's end-entity certificate (CA:FALSE) issues a
    /// certificate for the host. The Verifier refuses it; names and signatures alone would not.
    func testAnEndEntityIssuerIsRefused() throws {
        let root = try root()
        let endEntity = try certificate("Not A CA", key: middleKey, issuer: ("Unit Root", rootKey)) {
            Critical(BasicConstraints.notCertificateAuthority)
        }
        let forged = try leaf(issuedBy: ("Not A CA", middleKey))
        XCTAssertTrue(IssuerWalk.isIssuer(endEntity, of: forged), "the signature itself is good")
        guard case .failed(let diagnosis) = ServerChainValidator.validateSynchronously(
            presented: [forged, endEntity], trusted: [root], host: "unit.example") else {
            return XCTFail("a certificate issued by an end entity was accepted")
        }
        XCTAssertFalse(diagnosis.cause.isEmpty)
    }

    func testALeafWithoutServerAuthIsRefused() throws {
        let root = try root()
        let clientOnly = try leaf(issuedBy: ("Unit Root", rootKey), usage: .clientAuth)
        guard case .failed(let diagnosis) = ServerChainValidator.validateSynchronously(
            presented: [clientOnly], trusted: [root], host: "unit.example") else {
            return XCTFail("a clientAuth-only certificate was accepted as a server's")
        }
        XCTAssertTrue(diagnosis.cause.contains("serverAuth"), diagnosis.cause)
    }

    func testChainCompletionFindsTheRootAmongCandidates() throws {
        let root = try root()
        let leaf = try leaf(issuedBy: ("Unit Root", rootKey))
        let other = try TestCertificates.selfSigned(commonName: "Unrelated")
        let completion = try CertificateChainBuilder.complete(presented: [leaf], candidates: [other, root])
        XCTAssertEqual(completion.certificates, [leaf, root])
        XCTAssertTrue(completion.isComplete)
        XCTAssertTrue(IssuerWalk.isSelfSigned(root))
        XCTAssertFalse(IssuerWalk.isSelfSigned(leaf))
    }

    /// The first readable bundle of the list wins; none readable is its own error.
}
