import ArgumentParser

// Placeholder: replaced by the real command.
struct Expiry: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "expiry", abstract: "Not implemented yet.")
    func run() throws { throw ValidationError("expiry is not implemented yet") }
}
