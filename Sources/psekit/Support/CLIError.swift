import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEStore

/// An error a command reports: one line saying what went wrong, optionally a second saying how
/// to fix it, and an exit code.
struct CLIError: Error, CustomStringConvertible {
    var message: String
    var hint: String?
    var exitCode: Int32

    init(_ message: String, hint: String? = nil, exitCode: Int32 = 1) {
        self.message = message
        self.hint = hint
        self.exitCode = exitCode
    }

    var description: String { message + (hint.map { "\n\($0)" } ?? "") }
}

/// Output helpers shared by the commands.
enum Console {
    /// A line on standard error (warnings, progress, notes).
    /// Control and bidirectional characters (from names in the text) are escaped.
    static func note(_ text: String) {
        if SapgenpseMode.state.silent { return }  // sapgenpse's -S
        StandardStreams.writeError(TerminalText.escaped(text, limit: nil, keepingLineBreaks: true) + "\n")
    }

    static func warning(_ text: String) {
        note("Warning: " + text)
    }

    /// Prints a value as pretty JSON with sorted keys.
    static func printJSON<Value: Encodable>(_ value: Value) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// Reports a CLIError with its own exit code and ends the command.
    static func fail(_ error: CLIError) -> ExitCode {
        note("psekit: " + error.description)
        return ExitCode(error.exitCode)
    }
}
