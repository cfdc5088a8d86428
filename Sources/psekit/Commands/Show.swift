import ArgumentParser

// Placeholder: replaced by the real command.
struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Not implemented yet.")
    func run() throws { throw ValidationError("show is not implemented yet") }
}
