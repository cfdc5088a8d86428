import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads PINs and passwords the way sapgenpse asks for them: on the terminal without echo, or as
/// one line from standard input when that is not a terminal. Nothing read is ever echoed.
public enum SecretReader {
    public enum ReadError: Error, CustomStringConvertible {
        case noInput(String)
        case unreadable(String, String)

        public var description: String {
            switch self {
            case .noInput(let prompt): return "no input for '\(prompt.trimmingCharacters(in: .whitespaces))' (standard input is empty); pass it as an option instead"
            case .unreadable(let path, let reason): return "\(path): \(reason)"
            }
        }
    }

    public static var standardInputIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }

    /// Asks for a secret; `prompt` goes to the terminal (or stderr).
    public static func read(prompt: String) throws -> String {
        if standardInputIsTerminal {
            FileHandle.standardError.write(Data(prompt.utf8))
            var original = termios()
            tcgetattr(STDIN_FILENO, &original)
            var silent = original
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
            defer {
                tcsetattr(STDIN_FILENO, TCSAFLUSH, &original)
                FileHandle.standardError.write(Data("\n".utf8))
            }
            guard let line = Swift.readLine(strippingNewline: true) else { throw ReadError.noInput(prompt) }
            return line
        }
        guard let line = Swift.readLine(strippingNewline: true) else { throw ReadError.noInput(prompt) }
        return line.hasSuffix("\r") ? String(line.dropLast()) : line
    }

    /// Asks for a line that may be echoed (a distinguished name, say).
    public static func readLine(prompt: String) throws -> String {
        if standardInputIsTerminal { FileHandle.standardError.write(Data(prompt.utf8)) }
        guard let line = Swift.readLine(strippingNewline: true) else { throw ReadError.noInput(prompt) }
        return line
    }

    /// The first line of a file (for `--pin-file`).
    public static func firstLine(ofFile path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReadError.unreadable(path, "cannot be read")
        }
        let text = String(decoding: data, as: UTF8.self)
        return String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
            .trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
    }
}
