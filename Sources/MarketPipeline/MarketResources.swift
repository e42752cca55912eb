import Foundation
import UpdraftConfig
import UpdraftRuntime

/// How a process provides the crypto pipeline's resources for `configuration`: the
/// configuration itself, ``MarketStores`` and ``MarketClients``, each built on first use.
///
/// ```swift
/// let resources = Resources(MarketResources.providers(configuration))
/// // a test: the same, with the clients pointed at a sandbox
/// let faked = resources.overriding([.value(MarketClients(configuration: sandboxConfiguration))])
/// ```
public enum MarketResources {
    /// The providers, for ``Resources`` (the binary's extension returns these).
    public static func providers(_ configuration: UpdraftConfiguration) -> [ResourceProvider] {
        [
            .value(configuration),
            .lazy(MarketStores.self) { try MarketStores(home: configuration.homeURL.path) },
            .lazy(MarketClients.self, resources: { MarketClients(configuration: configuration, metrics: $0.metrics) }),
        ]
    }
}
