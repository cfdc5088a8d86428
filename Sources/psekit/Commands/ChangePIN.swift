import ArgumentParser

// Placeholder: replaced by the real command.
struct ChangePIN: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "change_pin", abstract: "Not implemented yet.")
    func run() throws { throw ValidationError("change_pin is not implemented yet") }
}
