import ArgumentParser

// Placeholder: replaced by the real command.
struct Trust: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "trust", abstract: "Not implemented yet.")
    func run() throws { throw ValidationError("trust is not implemented yet") }
}
