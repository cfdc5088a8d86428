import ArgumentParser

// Placeholder: replaced by the real command.
struct GenVerifyPSE: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gen_verify_pse", abstract: "Not implemented yet.")
    func run() throws { throw ValidationError("gen_verify_pse is not implemented yet") }
}
