import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit
import PSEStore

/// psekit called as `sapgenpse` (a link named so, the name in `argv[0]`): the commands print
/// sapgenpse's text layouts, which scripts and tools parse (see docs/sapgenpse-compat.md), instead
/// of psekit's own. `--json` is the same under either name.
enum SapgenpseMode {
    /// Whether the program was called as `sapgenpse` (or `sapgenpse.exe`).
    static let isActive: Bool = isSapgenpse(programPath: CommandLine.arguments.first ?? "")

    static func isSapgenpse(programPath: String) -> Bool {
        let name = URL(fileURLWithPath: programPath).lastPathComponent.lowercased()
        return name == "sapgenpse" || name == "sapgenpse.exe"
    }

    /// What the rewriting of the command line found out, read by the commands.
    final class State: @unchecked Sendable {
        /// `-S`: sapgenpse's silent mode; notes and warnings on standard error are left out.
        var silent = false
        /// The user and PSE a command without `-p` took from the user's SSO credentials.
        var ssoPSE: (user: String, path: String)?
    }

    static let state = State()

    /// The options of sapgenpse's commands that take a value, so that a value such as `-x -S`
    /// is not mistaken for a flag.
    private static let optionsWithValue: Set<String> = [
        "-p", "-x", "-z", "-o", "-r", "-c", "-a", "-m", "-d", "-O", "-n", "-k", "-s",
        "--pin-env", "--pin-file", "--days",
    ]

    /// The command line as psekit's parser takes it, from the one sapgenpse takes:
    /// - `-S` (silent mode, every command) is taken out and remembered;
    /// - `get_my_name` without `-p` gets the PSE of the current user's SSO credential in
    ///   `$SECUDIR/cred_v2`, as sapgenpse does (it fails as sapgenpse does when there is none).
    static func rewrite(_ arguments: [String]) throws -> [String] {
        var result: [String] = []
        var previous: String?
        for argument in arguments {
            if argument == "-S", !(previous.map { optionsWithValue.contains($0) } ?? false) {
                state.silent = true
                previous = nil
                continue
            }
            result.append(argument)
            previous = argument
        }
        if result.first == "get_my_name", !hasPSEOption(result), !result.contains(where: isHelp) {
            let user = CredentialStore.currentUser
            guard let path = try ssoPSEPath(forUser: user) else {
                throw CLIError("no PSE name supplied, no SSO credentials found!",
                               hint: "Name the PSE with -p PSE, or store a credential for it with: seclogin -p PSE")
            }
            state.ssoPSE = (user, path)
            result.insert(contentsOf: ["-p", path], at: 1)
        }
        return result
    }

    private static func isHelp(_ argument: String) -> Bool {
        argument == "-h" || argument == "--help" || argument == "-help"
    }

    private static func hasPSEOption(_ arguments: [String]) -> Bool {
        arguments.contains { $0 == "-p" || ($0.hasPrefix("-p") && $0.count > 2 && !$0.hasPrefix("--")) }
    }

    /// The PSE of the first credential in `$SECUDIR/cred_v2` that opens for `user`.
    static func ssoPSEPath(forUser user: String) throws -> String? {
        let file = try CredentialStore.read(at: CredentialStore.path())
        for credential in file.credentials {
            if let path = credential.psePath, (try? credential.decrypt(forUser: user)) != nil { return path }
        }
        return nil
    }

    /// Reports an error as sapgenpse does (`COMMAND: message`), with psekit's hint, and exits
    /// with the error's code. Errors that are not psekit's own go to swift-argument-parser.
    static func exit(withError error: Error, command: String) -> Never {
        if let error = error as? CLIError {
            StandardStreams.writeError("\(command): \(TerminalText.escaped(error.description, limit: nil, keepingLineBreaks: true))\n")
            PSEKitCommand.exit(withError: ExitCode(error.exitCode))
        }
        if let error = error as? PSEStoreError, error.code.family == .pse, let path = error.path {
            // sapgenpse: `get_my_name: Couldn't open PSE "FILE" (Wrong PIN/Passphrase)`.
            let reason = error.underlying?.code == .wrongPIN ? "Wrong PIN/Passphrase" : error.reason
            var text = "\(command): Couldn't open PSE \"\(path)\" (\(reason))\n"
            if let hint = error.hint { text += hint + "\n" }
            StandardStreams.writeError(TerminalText.escaped(text, limit: nil, keepingLineBreaks: true))
            PSEKitCommand.exit(withError: ExitCode.failure)
        }
        PSEKitCommand.exit(withError: TerminalSafeError.wrapping(error))
    }
}
