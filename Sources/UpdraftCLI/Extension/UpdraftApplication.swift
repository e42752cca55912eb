import ArgumentParser
import Foundation
import UpdraftAPI
import UpdraftConfig
import UpdraftNotify
import UpdraftRuntime
import UpdraftStore
import UpdraftUI

/// A binary built on the engine: its DAGs and its extensions. `main` is the whole of a
/// binary's entry point: it serves as a worker when the engine started it as one, else it runs
/// the engine's CLI with the extensions' command groups.
///
/// ```swift
/// // Sources/my-etl/main.swift
/// import UpdraftCLI
/// await UpdraftApplication(dags: { _ in [ETL.dag] }).main()
/// ```
public struct UpdraftApplication: Sendable {
    /// The root command's name in help and usage (the binary's name).
    public let name: String
    /// What `--version` prints after the name (default: the engine's version).
    public let version: String
    /// The extensions, in the order their commands and keys appear.
    public let extensions: [any UpdraftExtension]
    /// State stores beyond SQLite that `state.url` may name (e.g. `PostgresStateStore.backend`).
    public let stores: [StoreBackend]
    private let makeDAGs: @Sendable (UpdraftConfiguration) throws -> [DAG]

    /// An application whose DAGs come from `dags` (given the effective configuration, e.g. for
    /// schedules) and whose CLI, keys and resources grow with `extensions`.
    public init(
        name: String = "updraft", version: String = EngineVersion.current,
        extensions: [any UpdraftExtension] = [], stores: [StoreBackend] = [],
        dags: @escaping @Sendable (UpdraftConfiguration) throws -> [DAG]
    ) {
        self.name = name
        self.version = version
        self.extensions = extensions
        self.stores = stores
        makeDAGs = dags
    }

    /// The engine's keys (the API server's among them) followed by every extension's.
    public var catalog: ConfigCatalog {
        ConfigCatalog.engine.adding(APIConfig.keys).adding(NotifyConfig.keys).adding(extensions.flatMap(\.configKeys))
    }

    /// The DAG registry for `configuration`; throws naming every invalid DAG.
    public func registry(_ configuration: UpdraftConfiguration) throws -> DAGRegistry {
        try DAGRegistry(try makeDAGs(configuration))
    }

    /// This process's resources for `configuration` (built lazily, once each): the configuration
    /// itself (`try ctx.resource(UpdraftConfiguration.self)`), then every extension's.
    public func resources(_ configuration: UpdraftConfiguration) -> Resources {
        Resources([.value(configuration)] + extensions.flatMap { $0.resources(configuration) })
    }

    /// Every extension's API routes and schemas for `configuration`, in extension order, and the
    /// web UI: the engine's pages, then the extensions'.
    public func apiRoutes(_ configuration: UpdraftConfiguration) -> APIRoutes {
        var routes = APIRoutes(pages: EngineUI.pages)
        for extensionRoutes in extensions.map({ $0.routes(configuration) }) {
            routes.endpoints += extensionRoutes.endpoints
            routes.schemas.merge(extensionRoutes.schemas) { $1 }
            routes.pages += extensionRoutes.pages
        }
        return routes
    }

    /// The OpenAPI document the application's API server serves: the engine's routes and the
    /// extensions' (committed as `docs/api/openapi.json`).
    public func openAPIDocument(_ configuration: UpdraftConfiguration) -> OpenAPIDocument {
        let routes = apiRoutes(configuration)
        return OpenAPIDocument(endpoints: AirflowRoutes.all + routes.endpoints, extraSchemas: routes.schemas)
    }

    /// The runner a worker (or an in-process executor) uses for `configuration`. Over SQLite a
    /// try reads XCom, variables and connections from the file its request names; over another
    /// store (PostgreSQL) the worker opens the store once, here.
    public func runner(_ configuration: UpdraftConfiguration) async throws -> TaskRunner {
        var store: (any StateStore)?
        if case .url = try StoreBackend.location(of: configuration[.stateURL], home: configuration.homeURL.path) {
            store = try await StoreBackend.open(
                configuration[.stateURL], password: configuration[.statePassword].revealed.nilIfEmpty,
                home: configuration.homeURL.path, backends: stores)
        }
        return TaskRunner(registry: try registry(configuration), store: store, resources: resources(configuration))
    }

    /// Serves as a worker when started as one (its configuration comes in the start-up frame),
    /// otherwise runs the CLI on the process's arguments; exits with the CLI's code.
    public func main() async -> Never {
        let catalog = self.catalog
        await TaskRunner.serveIfWorker { startup in
            try await runner(try UpdraftConfiguration.decode(startup, catalog: catalog))
        }
        Foundation.exit(await run(arguments: nil))
    }

    /// The help text of `command` (an engine or an extension command) as this application's CLI
    /// prints it: for help snapshots.
    public func helpMessage(for command: any ParsableCommand.Type, columns: Int? = nil) -> String {
        let session = CLISession(application: self, environment: [:])
        return CLIEnvironment.$session.withValue(session) { UpdraftCommand.helpMessage(for: command, columns: columns) }
    }

    /// Runs one command line (nil: the process's) and returns its exit code.
    public func run(
        arguments: [String]?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) async
        -> Int32
    {
        let (leading, rest) = LeadingOptions.split(arguments ?? Array(CommandLine.arguments.dropFirst()))
        if rest == ["--version"] {
            print("\(name) \(version)")
            return 0
        }
        if let flag = rest.first, flag == "--home" || flag == "--config", rest.count == 1 {
            FileHandle.standardError.write(Data("error: \(flag) needs a value\n".utf8))
            return 2
        }
        let session = CLISession(application: self, environment: environment, leading: leading)
        return await CLIEnvironment.$session.withValue(session) { await UpdraftCommand.run(arguments: rest) }
    }
}
