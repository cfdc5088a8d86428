#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where PSE files live, as SAP's tools find them: a name without a folder is looked up in
/// `$SECUDIR` (the current folder when it is unset), and `.pse` is added when the name has no
/// extension.
public enum PSELocation {
    /// The folder of PSEs and of `cred_v2`: `$SECUDIR`, else the current folder.
    /// `environment` replaces the process's environment (tests); by default only `SECUDIR` is
    /// read from it (not the whole environment as a dictionary, which every command would pay for).
    public static func secudir(environment: [String: String]? = nil) -> String {
        let value = environment.map { $0["SECUDIR"] } ?? getenv("SECUDIR").map { String(cString: $0) }
        if let value, !value.isEmpty { return value }
        return FileManager.default.currentDirectoryPath
    }

    /// The path of a PSE given as sapgenpse's `-p` takes it.
    public static func path(forPSE name: String, environment: [String: String]? = nil) -> String {
        var name = name
        if URL(fileURLWithPath: name).pathExtension.isEmpty { name += ".pse" }
        if name.contains("/") { return absolute(name) }
        #if os(Windows)
        if name.contains("\\") { return name }
        #endif
        return URL(fileURLWithPath: secudir(environment: environment)).appendingPathComponent(name).path
    }

    private static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL.path }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path).standardizedFileURL.path
    }
}
