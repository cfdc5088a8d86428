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
import PSEStore

// Two ways in:
// - built for fuzzing (`scripts/fuzz`: `-sanitize=fuzzer,address -DPSEKIT_FUZZING`): libFuzzer
//   calls `LLVMFuzzerTestOneInput` for each input; the target comes from $PSEKIT_FUZZ_TARGET.
// - built normally (`swift build`): a plain executable that runs files through a target, to
//   replay a crash or a corpus: `PSEKitFuzz TARGET FILE...`.

#if PSEKIT_FUZZING

/// The target chosen by $PSEKIT_FUZZ_TARGET, read once.
private let selectedTarget: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["PSEKIT_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        StandardStreams.writeError("PSEKitFuzz: set PSEKIT_FUZZ_TARGET to one of: \(names)\n")
        exit(2)
    }
    return target
}()

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    _ = selectedTarget
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    selectedTarget.run(bytes)
    return 0
}

#else

@main
struct FuzzReplay {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name), arguments.count >= 2 else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            StandardStreams.writeError("""
                usage: PSEKitFuzz TARGET FILE...   (replays files through a fuzz target)
                targets: \(names)
                Fuzzing itself: scripts/fuzz [SECONDS] [TARGET...]

                """)
            exit(2)
        }
        var count = 0
        for path in arguments.dropFirst() {
            let files: [String]
            if Folder.isFolder(path) {
                files = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 }
            } else {
                files = [path]
            }
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else {
                    StandardStreams.writeError("PSEKitFuzz: \(file): cannot be read\n")
                    exit(1)
                }
                target.run(Array(data))
                count += 1
            }
        }
        print("\(target.rawValue): \(count) inputs replayed without a finding")
    }
}

#endif
