import ArgumentParser
import UpdraftRuntime
import UpdraftStore

/// `updraft pools list`.
struct PoolsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List pools with their slots in use.")

    @OptionGroup var engine: EngineOptions
    @Flag(help: "Print a JSON array.") var json = false

    func run() async throws {
        let engine = try await engine.engine()
        var active: [TaskInstance] = []
        for run in try await engine.store.runs(RunQuery(states: [.running])) {
            active += try await engine.store.taskInstances(run: run.key).filter { $0.state.isActive }
        }
        let pools = try await engine.store.pools()
        let occupied = Dictionary(grouping: active, by: \.pool).mapValues { $0.reduce(0) { $0 + $1.poolSlots } }
        if json {
            JSONOutput.print(
                pools.map { pool in
                    let used = occupied[pool.name] ?? 0
                    return .object([
                        "pool": .string(pool.name), "slots": .number(Double(pool.slots)),
                        "description": .string(pool.description), "occupied_slots": .number(Double(used)),
                        "open_slots": .number(Double(pool.slots - used)),
                    ])
                })
            return
        }
        var table = Columns(["POOL", "SLOTS", "OCCUPIED", "DESCRIPTION"])
        for pool in pools { table.add([pool.name, "\(pool.slots)", "\(occupied[pool.name] ?? 0)", pool.description]) }
        print(table.text)
    }
}

/// `updraft pools set NAME SLOTS`.
struct PoolsSet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set", abstract: "Create a pool or change its slots.")

    @OptionGroup var engine: EngineOptions
    @Argument(help: "The pool name.") var name: String
    @Argument(help: "Number of slots (0 or more).") var slots: Int
    @Option(help: "A description.") var description: String = ""

    func validate() throws { if slots < 0 { throw ValidationError("SLOTS must be 0 or more, got \(slots)") } }

    func run() async throws {
        let engine = try await engine.engine()
        try await engine.setPool(PoolRecord(name: name, slots: slots, description: description), owner: CLIUser.name)
        await engine.wakeScheduler()
        print("pool \(name): \(slots) slots")
    }
}

/// `updraft pools delete NAME`.
struct PoolsDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a pool (not the default pool).")

    @OptionGroup var engine: EngineOptions
    @Argument(help: "The pool name.") var name: String

    func run() async throws {
        let engine = try await engine.engine()
        guard try await engine.deletePool(name, owner: CLIUser.name) else { throw CLIError.failed("no pool named '\(name)'") }
        await engine.wakeScheduler()
        print("pool \(name) deleted")
    }
}
