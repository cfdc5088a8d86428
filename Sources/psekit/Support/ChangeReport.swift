import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit
import PSEStore
import X509

/// `--check`, which every command that changes files takes: do all the work, say what would
/// change, and write nothing (docs/automation.md).
struct CheckOption: ParsableArguments {
    @Flag(name: .customLong("check"),
          help: "Say what would change and write nothing (exit 0 when the change is possible); with --json, as data.")
    var check = false
}

/// What a command changed, or with `--check` would change: the part of `--json` that
/// automation (Ansible, Salt, scripts) relies on. Its keys are listed in docs/automation.md;
/// they only ever grow, and `schemaVersion` changes when a key changes its meaning.
struct ChangeReport: Encodable {
    static let schemaVersion = 1

    enum Kind: String, Encodable {
        /// A PSE file (created, or replaced with --force).
        case pse
        /// A certificate of the PSE's trusted list (CertList).
        case trustedCertificate
        /// The PSE's own certificate, key or chain.
        case identity
        /// The PSE's PIN or container version.
        case pin
        /// A `seclogin` credential in cred_v2.
        case credential
    }

    struct Item: Encodable, Equatable {
        var kind: Kind
        var path: String?
        var subject: String?
        var sha256Fingerprint: String?
        var user: String?

        init(kind: Kind, path: String? = nil, certificate: Certificate? = nil, user: String? = nil) {
            self.kind = kind
            self.path = path
            self.subject = certificate.map { SAPDistinguishedName.format($0.subject) }
            self.sha256Fingerprint = certificate.map(CertificateSummary.fingerprint)
            self.user = user
        }
    }

    var check: Bool
    var created: [Item] = []
    var added: [Item] = []
    var removed: [Item] = []
    var updated: [Item] = []

    init(check: Bool) { self.check = check }

    var changed: Bool { !(created.isEmpty && added.isEmpty && removed.isEmpty && updated.isEmpty) }

    private enum CodingKeys: String, CodingKey {
        case schemaVersion, changed, check, created, added, removed, updated
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.schemaVersion, forKey: .schemaVersion)
        try container.encode(changed, forKey: .changed)
        try container.encode(check, forKey: .check)
        try container.encode(created, forKey: .created)
        try container.encode(added, forKey: .added)
        try container.encode(removed, forKey: .removed)
        try container.encode(updated, forKey: .updated)
    }

    /// Records what tells `after` from `before` (the same PSE at `path`): trusted certificates
    /// added and removed, a new own certificate, a new PIN or container version.
    mutating func recordDifference(path: String, before: PSESnapshot, after: PSESnapshot) {
        let beforeTrusted = Set(before.trusted.map(CertificateSummary.fingerprint))
        let afterTrusted = Set(after.trusted.map(CertificateSummary.fingerprint))
        added += after.trusted.filter { !beforeTrusted.contains(CertificateSummary.fingerprint($0)) }
            .map { Item(kind: .trustedCertificate, path: path, certificate: $0) }
        removed += before.trusted.filter { !afterTrusted.contains(CertificateSummary.fingerprint($0)) }
            .map { Item(kind: .trustedCertificate, path: path, certificate: $0) }
        if before.ownCertificate != after.ownCertificate || before.chain != after.chain {
            updated.append(Item(kind: .identity, path: path, certificate: after.ownCertificate))
        }
        if before.pin != after.pin || before.version != after.version {
            updated.append(Item(kind: .pin, path: path))
        }
    }

    /// The lines `--check` prints without `--json`: what would change, then that nothing was written.
    func printCheckSummary() {
        func line(_ verb: String, _ item: Item) -> String {
            var words = ["Would \(verb) \(item.kind.rawValue)"]
            if let subject = item.subject { words.append(subject) }
            if let fingerprint = item.sha256Fingerprint { words.append("(SHA-256 \(fingerprint))") }
            if let user = item.user { words.append("for user \(user)") }
            if let path = item.path { words.append("in \(path)") }
            return words.joined(separator: " ")
        }
        created.forEach { print(line("create", $0)) }
        added.forEach { print(line("add", $0)) }
        removed.forEach { print(line("remove", $0)) }
        updated.forEach { print(line("update", $0)) }
        print(changed ? "--check: nothing was written." : "--check: nothing would change.")
    }
}

/// What of a PSE the change report compares.
struct PSESnapshot {
    var trusted: [Certificate]
    var ownCertificate: Certificate?
    var chain: [Certificate]
    var pin: String?
    var version: Int

    init(_ stored: StoredPSE) throws {
        let content = stored.file.content
        trusted = try content.trustedCertificates()
        // A damaged own certificate or chain does not stop a command that does not touch them
        // (maintain_pk): unreadable before and after is no change.
        ownCertificate = (try? content.ownCertificate()) ?? nil
        chain = (try? content.certificationPath()) ?? []
        pin = stored.pin
        version = stored.file.version
    }
}

/// A command's own JSON report with the change report's keys beside its own.
struct ReportWithChanges<Report: Encodable>: Encodable {
    var report: Report
    var changes: ChangeReport

    func encode(to encoder: Encoder) throws {
        try report.encode(to: encoder)
        try changes.encode(to: encoder)
    }
}

extension PSEOptions {
    /// Opens, changes and writes back the PSE under its lock, recording in `changes` what
    /// differs; with `check`, changes a copy and writes nothing.
    @discardableResult
    func update<Result>(check: Bool, changes: inout ChangeReport,
                        _ change: (inout StoredPSE) throws -> (changed: Bool, result: Result)) throws -> Result {
        func recorded(_ stored: inout StoredPSE) throws -> (changed: Bool, result: Result) {
            let before = try PSESnapshot(stored)
            let (changed, result) = try change(&stored)
            if changed { changes.recordDifference(path: stored.path, before: before, after: try PSESnapshot(stored)) }
            return (changed, result)
        }
        if check {
            var stored = try open().stored
            return try recorded(&stored).result
        }
        return try update { stored in try recorded(&stored) }
    }
}

extension ChangeReport {
    /// Writes a new PSE (unless checking) and records it as created.
    mutating func createPSE(_ file: PSEFile, at path: String, pin: String?, overwrite: Bool) throws {
        if !check { try StoredPSE.create(file, at: path, pin: pin, overwrite: overwrite) }
        created.append(Item(kind: .pse, path: path, certificate: try file.content.ownCertificate()))
    }
}
