#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PSEKit

/// Reads PINs and passwords the way sapgenpse asks for them: on the terminal without echo, or as
/// one line from standard input when that is not a terminal. Nothing read is ever echoed.
public enum SecretReader {
    public static var standardInputIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }

    /// Asks for a secret; `prompt` goes to the terminal (or stderr).
    public static func read(prompt: String) throws -> String {
        if standardInputIsTerminal {
            StandardStreams.writeError(prompt)
            var original = termios()
            tcgetattr(STDIN_FILENO, &original)
            var silent = original
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
            defer {
                tcsetattr(STDIN_FILENO, TCSAFLUSH, &original)
                StandardStreams.writeError("\n")
            }
            guard let line = Swift.readLine(strippingNewline: true) else { throw PSEStoreError.noInput(prompt: prompt) }
            return line
        }
        guard let line = Swift.readLine(strippingNewline: true) else { throw PSEStoreError.noInput(prompt: prompt) }
        return line.hasSuffix("\r") ? String(line.dropLast()) : line
    }

    /// Asks for a line that may be echoed (a distinguished name, say).
    public static func readLine(prompt: String) throws -> String {
        if standardInputIsTerminal { StandardStreams.writeError(prompt) }
        guard let line = Swift.readLine(strippingNewline: true) else { throw PSEStoreError.noInput(prompt: prompt) }
        return line
    }

    /// The most `firstLine(ofFile:)` reads (a PIN file holds one short line).
    public static let maximumFileSize = 64 << 10

    /// The first line of a file (for `--pin-file`), without its line end (LF, CRLF or CR). The
    /// file may be a regular file or a pipe (`--pin-file <(...)`); a folder, a device or a file
    /// over `maximumFileSize` is refused.
    public static func firstLine(ofFile path: String) throws -> String {
        let bytes: [UInt8]
        do {
            bytes = try RegularFile.read(path, limit: maximumFileSize, allowance: .regularOrPipe)
        } catch let error as PSEStoreError where error.code.family == .fileAccess {
            throw PSEStoreError.secretUnreadable(path: path, reason: error.reason)
        }
        // Bytes, not Characters: Swift reads "\r\n" as one Character, which is not "\n".
        let line = bytes.prefix { $0 != 0x0A && $0 != 0x0D }
        return String(decoding: line, as: UTF8.self)
    }

    /// Whether users other than the owner may read the file at `path` (a PIN file should be 0600).
    public static func isReadableByOthers(_ path: String) -> Bool {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return false }
        return status.st_mode & 0o044 != 0
    }
}
