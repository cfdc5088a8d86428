import ArgumentParser

// Placeholder: replaced by the real command.
struct ExportP12: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export_p12", abstract: "Not implemented yet.")
    func run() throws { throw ValidationError("export_p12 is not implemented yet") }
}
