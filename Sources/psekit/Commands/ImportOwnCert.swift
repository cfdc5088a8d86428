import ArgumentParser

// Placeholder: replaced by the real command.
struct ImportOwnCert: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import_own_cert", abstract: "Not implemented yet.")
    func run() throws { throw ValidationError("import_own_cert is not implemented yet") }
}
