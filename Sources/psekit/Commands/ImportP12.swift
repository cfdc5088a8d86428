import ArgumentParser

// Placeholder: replaced by the real command.
struct ImportP12: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import_p12", abstract: "Not implemented yet.")
    func run() throws { throw ValidationError("import_p12 is not implemented yet") }
}
