import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import UpdraftCore
import UpdraftRuntime
import UpdraftStore

/// What every handler shares: the engine, the token service, the limits.
public struct APIServerContext: Sendable {
    public let engine: Engine
    public let tokens: TokenService
    public let passwords: PasswordHasher
    public let throttle: LoginThrottle
    /// `api.maximum_page_limit` (Airflow's default: 100).
    public let maximumPageLimit: Int
    public let logger: Logger
    /// This process's resources (the extensions' routes read their stores through them).
    public let resources: Resources
    /// The server's metrics (served at `/metrics`).
    let metrics: APIMetrics
    /// Served over TLS (session cookies are then `Secure`).
    let secure: Bool
    /// The web UI's navigation bar (pages with a navigation title, in route order).
    public let navigation: [NavigationItem]
    /// The store's change stamp, shared by every live page of this server.
    public let changeStamps = ChangeStampCache()

    public var store: any StateStore { engine.store }
    public var now: Date { engine.clock.now }
}

/// Hummingbird's per-request context, with the client's address for the login throttle.
public struct APIRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    public var remoteAddress: SocketAddress? { channel.remoteAddress }

    /// Requests carry at most 16 MiB (a pool or a variable is far smaller; an asset event's extra too).
    public var maxUploadSize: Int { 16 << 20 }
}
