import ArgumentParser

// Placeholder: replaced by the real command.
struct GetMyName: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get_my_name", abstract: "Not implemented yet.")
    func run() throws { throw ValidationError("get_my_name is not implemented yet") }
}
