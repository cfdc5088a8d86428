import ArgumentParser

// Placeholder: replaced by the real command.
struct ServiceKey: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "service-key", abstract: "Not implemented yet.")
    func run() throws { throw ValidationError("service-key is not implemented yet") }
}
