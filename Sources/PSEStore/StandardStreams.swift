#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes to standard output and standard error with `write(2)`, unbuffered, as Foundation's
/// `FileHandle.standardOutput/standardError.write` did (FoundationEssentials has no `FileHandle`).
package enum StandardStreams {
    /// Writes `text` to standard error.
    package static func writeError(_ text: String) {
        write(Array(text.utf8), to: STDERR_FILENO)
    }

    /// Writes `bytes` to standard output, after what `print` has buffered.
    package static func writeOutput(_ bytes: [UInt8]) {
        fflush(nil)
        write(bytes, to: STDOUT_FILENO)
    }

    /// Writes all of `bytes`, retrying after interruptions and short writes; gives up on other
    /// errors (a closed pipe), as there is nowhere left to report them.
    private static func write(_ bytes: [UInt8], to descriptor: Int32) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = SystemCall.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}
