import ArgumentParser

// Placeholder: replaced by the real command.
struct SecLogin: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "seclogin", abstract: "Not implemented yet.")
    func run() throws { throw ValidationError("seclogin is not implemented yet") }
}
