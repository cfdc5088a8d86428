import ArgumentParser

// Placeholder: replaced by the real command.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Not implemented yet.")
    func run() throws { throw ValidationError("check is not implemented yet") }
}
