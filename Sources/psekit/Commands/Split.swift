import ArgumentParser

// Placeholder: replaced by the real command.
struct Split: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "split", abstract: "Not implemented yet.")
    func run() throws { throw ValidationError("split is not implemented yet") }
}
