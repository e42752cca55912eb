import ArgumentParser

/// `updraft db`: Maintain the state store.
struct DBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Maintain the state store.",
        subcommands: [DBClean.self, DBMigrate.self, DBCopy.self, DBBackup.self, DBCheck.self]
    )
}
