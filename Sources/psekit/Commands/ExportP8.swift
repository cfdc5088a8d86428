import ArgumentParser

// Placeholder: replaced by the real command.
struct ExportP8: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export_p8", abstract: "Not implemented yet.")
    func run() throws { throw ValidationError("export_p8 is not implemented yet") }
}
