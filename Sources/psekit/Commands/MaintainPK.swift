import ArgumentParser

// Placeholder: replaced by the real command.
struct MaintainPK: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "maintain_pk", abstract: "Not implemented yet.")
    func run() throws { throw ValidationError("maintain_pk is not implemented yet") }
}
