import ArgumentParser

// Placeholder: replaced by the real command.
struct GetPSE: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get_pse", abstract: "Not implemented yet.")
    func run() throws { throw ValidationError("get_pse is not implemented yet") }
}
