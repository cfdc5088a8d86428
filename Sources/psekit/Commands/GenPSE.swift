import ArgumentParser

// Placeholder: replaced by the real command.
struct GenPSE: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gen_pse", abstract: "Not implemented yet.")
    func run() throws { throw ValidationError("gen_pse is not implemented yet") }
}
