#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A PIN or password taken from an environment variable, so that it shows neither in process
/// lists nor in the shell's history.
enum EnvironmentSecret {
    /// The value of `variable`, which the option `option` named; an unset variable ends the
    /// command with a message naming both.
    static func value(of variable: String, option: String,
                      in environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        guard let value = environment[variable] else {
            throw CLIError("the environment variable \(variable) (\(option)) is not set")
        }
        return value
    }
}
