import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PSEKit
import PSEStore

/// Where a PIN came from; `get_my_name` says when a stored credential was used.
enum PINOrigin: Equatable {
    case option, environment, file, credential, prompt, none
}

/// The PIN options every command that opens a PSE takes, in sapgenpse's spelling (`-x`) and
/// psekit's safer ones.
struct PINOptions: ParsableArguments {
    @Option(name: .customShort("x"),
            help: ArgumentHelp("The PSE's PIN; -x \"\" is the empty PIN. Other users can see it in the process list: prefer --pin-env or --pin-file.", valueName: "PIN"))
    var pin: String?

    @Option(name: .customLong("pin-env"), help: ArgumentHelp("Read the PIN from this environment variable.", valueName: "VAR"))
    var pinEnvironmentVariable: String?

    @Option(name: .customLong("pin-file"), help: ArgumentHelp("Read the PIN from the first line of this file (LF or CRLF; keep it 0600) or pipe.", valueName: "FILE"))
    var pinFile: String?

    /// The PIN given by an option, if any.
    func explicitPIN() throws -> (pin: String, origin: PINOrigin)? {
        if let pin { return (pin, .option) }
        if let name = pinEnvironmentVariable {
            return (try EnvironmentSecret.value(of: name, option: "--pin-env"), .environment)
        }
        if let pinFile {
            let pin = try SecretReader.firstLine(ofFile: pinFile)
            if SecretReader.isReadableByOthers(pinFile) {
                Console.warning("\(pinFile) (--pin-file) can be read by other users; make it private: chmod 600 \(pinFile)")
            }
            return (pin, .file)
        }
        return nil
    }

    /// The PIN for an existing PSE: from an option, else the credential `seclogin` stored for the
    /// current user, else asked for.
    func pinForOpening(path: String, prompt: String = "Please enter PIN: ") throws -> (pin: String, origin: PINOrigin) {
        if let explicit = try explicitPIN() { return explicit }
        do {
            if let stored = try CredentialStore.pin(forPSEAt: path, user: CredentialStore.currentUser) {
                return (stored, .credential)
            }
        } catch let error as PSEKitError where error.code == .windowsDPAPIProtected {
            Console.warning("the seclogin credential for \(path) holds a PIN protected by Windows DPAPI, which only its Windows account can open; it is not used.")
        } catch {
            // An unreadable credentials file does not stop a command that is given or asked the PIN.
        }
        do {
            return (try SecretReader.read(prompt: prompt), .prompt)
        } catch let error as PSEStoreError where error.code == .noInput {
            throw CLIError("\(path): the PSE needs a PIN, none was given and standard input has none to read",
                           hint: "Give it with -x PIN, --pin-env VAR or --pin-file FILE (-x \"\" for an empty PIN), or store it with psekit seclogin.")
        }
    }

    /// The PIN for a new PSE: from an option, else asked for twice (with `check`, nothing is
    /// written, so nothing is asked: the empty PIN). Empty means no PIN.
    func pinForCreating(check: Bool = false) throws -> String {
        if let explicit = try explicitPIN() { return explicit.pin }
        if check { return "" }
        let first: String
        do {
            first = try SecretReader.read(prompt: "Please enter PIN (Enter for a PSE without PIN): ")
        } catch let error as PSEStoreError where error.code == .noInput {
            throw CLIError("no PIN given for the new PSE and standard input has none to read",
                           hint: "Give it with -x PIN, --pin-env VAR or --pin-file FILE; -x \"\" makes a PSE without PIN.")
        }
        if SecretReader.standardInputIsTerminal {
            let second = try SecretReader.read(prompt: "Please reenter PIN: ")
            guard first == second else { throw CLIError("the two PINs differ; nothing was written") }
        }
        return first
    }
}

/// `-p PSE` with the PIN options: the PSE a command works on.
struct PSEOptions: ParsableArguments {
    @Option(name: .customShort("p"),
            help: ArgumentHelp("The PSE: a path, or a name in $SECUDIR (.pse is added when there is no extension).", valueName: "PSE"))
    var pse: String

    @OptionGroup var pinOptions: PINOptions

    /// The PSE's path after SECUDIR and extension rules.
    var path: String { PSELocation.path(forPSE: pse) }

    /// Opens the PSE, asking for the PIN only when it has one.
    func open() throws -> (stored: StoredPSE, origin: PINOrigin) {
        var origin = PINOrigin.none
        let stored = try StoredPSE.open(at: path) { _ in
            let (pin, from) = try pinOptions.pinForOpening(path: path)
            origin = from
            return pin
        }
        return (stored, origin)
    }

    /// Opens, changes and writes back the PSE under its lock; nothing is written when `change`
    /// throws or reports no change.
    @discardableResult
    func update<Result>(_ change: (inout StoredPSE) throws -> (changed: Bool, result: Result)) throws -> Result {
        try StoredPSE.update(at: path, pinProvider: { _ in try pinOptions.pinForOpening(path: path).pin }, change)
    }
}
