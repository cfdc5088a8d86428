import ArgumentParser

// Placeholder: replaced by the real command.
struct ExportOwnCert: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export_own_cert", abstract: "Not implemented yet.")
    func run() throws { throw ValidationError("export_own_cert is not implemented yet") }
}
