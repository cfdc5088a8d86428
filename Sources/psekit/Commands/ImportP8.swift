import ArgumentParser

// Placeholder: replaced by the real command.
struct ImportP8: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import_p8", abstract: "Not implemented yet.")
    func run() throws { throw ValidationError("import_p8 is not implemented yet") }
}
