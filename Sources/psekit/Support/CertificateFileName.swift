#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit
import X509

/// File names for certificates: the common name, made safe for every file system.
enum CertificateFileName {
    /// `Test Root CA.cer` for `CN=Test Root CA, O=…`; falls back to the whole name, then to `certificate`.
    static func fileName(for name: DistinguishedName, extension ext: String = "cer") -> String {
        "\(sanitized(SAPDistinguishedName.commonName(of: name) ?? name.description)).\(ext)"
    }

    /// Keeps letters, digits, space, `.`, `-`, `_`, `@`, `(`, `)`; replaces everything else with `_`;
    /// trims leading dots and spaces; never empty.
    static func sanitized(_ text: String) -> String {
        let allowed = Set(" .-_@()abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".unicodeScalars)
        var result = String(text.unicodeScalars.map { allowed.contains($0) ? Character($0) : "_" })
        result = result.trimming { $0 == "." || $0 == " " }
        if result.count > 100 { result = String(result.prefix(100)) }
        return result.isEmpty ? "certificate" : result
    }

    /// `names` made unique by appending ` (2)`, ` (3)`, … before the extension.
    static func unique(_ names: [String]) -> [String] {
        var used = Set<String>()
        return names.map { name in
            var candidate = name
            var counter = 2
            let url = URL(fileURLWithPath: name)
            let ext = url.pathExtension
            let stem = ext.isEmpty ? name : String(name.dropLast(ext.count + 1))
            while used.contains(candidate.lowercased()) {
                candidate = ext.isEmpty ? "\(stem) (\(counter))" : "\(stem) (\(counter)).\(ext)"
                counter += 1
            }
            used.insert(candidate.lowercased())
            return candidate
        }
    }
}
