import ArgumentParser
import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `--quiet`: the option of every command that can show progress. Include it with
/// `@OptionGroup var progressOptions: ProgressOptions` and start progress through it.
struct ProgressOptions: ParsableArguments {
    @Flag(name: .long, help: "Show no progress on the terminal.")
    var quiet = false

    /// A spinner with a message, for work of unknown length (an RSA-4096 key, a download).
    func spinner(_ message: String) -> TerminalProgress {
        TerminalProgress(message: message, total: nil, enabled: !quiet)
    }

    /// A counter "message 120/10000" for work over many items; `total` nil counts without end.
    func counter(_ message: String, total: Int?) -> TerminalProgress {
        TerminalProgress(message: message, total: total, enabled: !quiet)
    }

    /// Runs `body` with a spinner that shows when it takes longer than about a second, and is
    /// gone when it returns or throws.
    func whileRunning<Result>(_ message: String, _ body: () throws -> Result) rethrows -> Result {
        let progress = spinner(message)
        defer { progress.finish() }
        return try body()
    }
}

/// Progress on standard error: a spinner or a counter, drawn only when standard error is a
/// terminal, only once the work has taken longer than `delay`, and erased by `finish()`, so that
/// nothing of it stays on the screen or reaches a pipe, a file or a log. Safe to advance from
/// several threads at once.
final class TerminalProgress: @unchecked Sendable {
    /// How long work runs before progress appears.
    static let delay: TimeInterval = 1.0
    /// How often the line is redrawn.
    static let interval: TimeInterval = 0.1

    private static let frames: [Character] = ["|", "/", "-", "\\"]

    private let message: String
    private let total: Int?
    private let lock = NIOLock()
    private var completed = 0
    private var frame = 0
    private var drawnWidth = 0
    private var finished = false
    private var timer: DispatchSourceTimer?
    private let queue = DispatchQueue(label: "psekit.progress")
    /// Marks `queue`, so that `finish` (also run by `deinit`, which may happen on it) never
    /// waits for the queue it is on.
    private static let onQueue = DispatchSpecificKey<Bool>()

    /// Whether progress is shown at all: standard error is a terminal and `--quiet` was not
    /// given.
    let isVisible: Bool

    init(message: String, total: Int?, enabled: Bool, delay: TimeInterval = TerminalProgress.delay) {
        self.message = message
        self.total = total
        self.isVisible = enabled && isatty(STDERR_FILENO) == 1
        guard isVisible else { return }
        queue.setSpecific(key: Self.onQueue, value: true)
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + delay, repeating: Self.interval)
        timer.setEventHandler { [weak self] in self?.draw() }
        self.timer = timer
        timer.resume()
    }

    deinit { finish() }

    /// Counts `count` more items done.
    func advance(by count: Int = 1) {
        lock.lock()
        completed += count
        lock.unlock()
    }

    /// Stops and erases the progress line. Call it before printing the command's own output.
    func finish() {
        lock.lock()
        let wasFinished = finished
        finished = true
        lock.unlock()
        guard !wasFinished, let timer else { return }
        timer.cancel()
        if DispatchQueue.getSpecific(key: Self.onQueue) == true { erase() } else { queue.sync { erase() } }
    }

    private func draw() {
        lock.lock()
        guard !finished else { lock.unlock(); return }
        let done = completed
        let symbol = Self.frames[frame % Self.frames.count]
        frame += 1
        lock.unlock()
        var line = "\(symbol) \(message)"
        if let total {
            line += " \(done)/\(total)"
        } else if done > 0 {
            line += " \(done)"
        }
        let width = line.count
        let padding = String(repeating: " ", count: max(0, drawnWidth - width))
        emit("\r" + line + padding)
        drawnWidth = width
    }

    private func erase() {
        guard drawnWidth > 0 else { return }
        emit("\r" + String(repeating: " ", count: drawnWidth) + "\r")
        drawnWidth = 0
    }

    private func emit(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
