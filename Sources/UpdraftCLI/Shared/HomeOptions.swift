import ArgumentParser
import Foundation
import UpdraftConfig

/// `--home` and `--config`, shared by every command: where state lives and which configuration
/// applies. Both may also come before the subcommand (`updraft --home H dags list`); after it
/// they win. The home is the flag, else `$UPDRAFT_HOME`, else the configuration file's `home`,
/// else `./runs`.
public struct HomeOptions: ParsableArguments, Sendable {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Home folder: state, logs, the extensions' data (default: $UPDRAFT_HOME, else ./runs).", valueName: "dir"))
    public var home: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Configuration file (default: $UPDRAFT_CONFIG, else <home>/updraft.yaml when present).", valueName: "file"))
    public var config: String?

    public init() {}

    /// The effective configuration over the application's catalog (its `home_permissions` applied
    /// to this process). A bad file or value is a usage error (exit 2). The command line's
    /// session keeps it, so the workers this command starts get the same one.
    public func configuration() throws -> UpdraftConfiguration {
        let session = CLIEnvironment.session
        let configuration: UpdraftConfiguration
        do {
            configuration = try ConfigLoader.load(
                catalog: session?.application.catalog ?? .engine,
                home: (home ?? session?.leading.home).map(Self.absolute),
                configFile: (config ?? session?.leading.config).map(Self.absolute),
                environment: session?.environment ?? [:])
        } catch {
            throw CLIError.usage(error.description)
        }
        HomePermissions.apply(configuration)
        session?.configuration = configuration
        return configuration
    }

    /// The home folder in effect, as an absolute path.
    public func directory() throws -> String { try configuration().homeURL.path }

    private static func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }
}
