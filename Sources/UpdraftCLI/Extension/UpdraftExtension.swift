import ArgumentParser
import UpdraftAPI
import UpdraftConfig
import UpdraftNotify
import UpdraftRuntime

/// What a domain adds to the engine's binary, through one seam: command groups, configuration
/// keys, the resources its tasks use, the API server's routes and the web UI's pages (both in
/// ``routes(_:)``), and notification channels of its own (see ``channels``), so adding them
/// changes no engine code.
///
/// ```swift
/// struct MarketExtension: UpdraftExtension {
///     var commands: [any ParsableCommand.Type] { [DataCommand.self, DemoCommand.self] }
///     var configKeys: [ConfigKeySpec] { MarketConfig.keys }
///     func resources(_ configuration: UpdraftConfiguration) -> [ResourceProvider] {
///         [.lazy(MarketDatabase.self) { try MarketDatabase(home: configuration.homeURL.path) }]
///     }
/// }
/// ```
public protocol UpdraftExtension: Sendable {
    /// A short name for messages, e.g. `market`.
    var name: String { get }
    /// Command groups added under the binary's root command, after the engine's.
    var commands: [any ParsableCommand.Type] { get }
    /// The keys this extension declares; `config show`, validation and the example file cover them.
    var configKeys: [ConfigKeySpec] { get }
    /// How to build this extension's resources for `configuration`; each is built once per
    /// process, on first use (in every worker, and in the CLI process for in-process work).
    func resources(_ configuration: UpdraftConfiguration) -> [ResourceProvider]
    /// API routes the extension adds (e.g. `/api/market/v1/…`), with their schemas; served by
    /// `api-server` and `standalone` under the same auth, and documented in `/openapi.json`;
    /// and its web UI pages (``APIRoutes/pages``), served beside the engine's.
    func routes(_ configuration: UpdraftConfiguration) -> APIRoutes
    /// Notification channels the extension adds beside the configured webhook, Slack, Discord and
    /// Telegram ones (not used yet: the outbox that delivers them comes with the notification rules).
    var channels: [any NotificationChannel] { get }
}

extension UpdraftExtension {
    public var commands: [any ParsableCommand.Type] { [] }
    public var configKeys: [ConfigKeySpec] { [] }
    public func resources(_ configuration: UpdraftConfiguration) -> [ResourceProvider] { [] }
    public func routes(_ configuration: UpdraftConfiguration) -> APIRoutes { APIRoutes() }
    public var channels: [any NotificationChannel] { [] }
}
