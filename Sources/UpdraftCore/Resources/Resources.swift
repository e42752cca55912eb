import Foundation

/// What a process gives its task bodies: HTTP clients, databases, model registries. Each resource
/// is built once per process, lazily, on its first use (in a worker, or in the run's owner for
/// in-process execution), then shared by every try of that process, as Dagster's resources are.
///
/// A resource is looked up by its type, so a misspelt name does not compile:
///
/// ```swift
/// let resources = Resources([.lazy(Warehouse.self) { try Warehouse(path: path) }])
/// d.task("load") { ctx in
///     let warehouse = try ctx.resource(Warehouse.self)
///     …
/// }
/// ```
///
/// A test replaces one with ``overriding(_:)`` (or `DAGTestHarness(dags:resources:)`).
public final class Resources: Sendable {
    private let providers: [ObjectIdentifier: ResourceProvider]
    private let built = ResourceCache()
    /// The counters this process's tries and resources increment (`ctx.metrics`), shipped to the
    /// run's owner with each try's reply.
    public let metrics = TaskMetrics()

    /// Resources from `providers`; a later provider of the same type wins.
    public init(_ providers: [ResourceProvider] = []) {
        self.providers = Dictionary(providers.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
    }

    /// The resources with `overrides` replacing (or adding) providers of the same types; nothing
    /// already built is shared with the copy.
    public func overriding(_ overrides: [ResourceProvider]) -> Resources {
        Resources(Array(providers.values) + overrides)
    }

    /// The resource of type `R`, built on first use. Throws ``ResourceError`` when no provider
    /// declares `R`, or with the builder's error (the next lookup tries again).
    public func resolve<R: Sendable>(_ type: R.Type = R.self) throws -> R {
        let id = ObjectIdentifier(type)
        guard let provider = providers[id] else { throw ResourceError.notProvided(String(describing: type)) }
        let value = try built.value(for: id) { try provider.build(self) }
        guard let typed = value as? R else { throw ResourceError.notProvided(String(describing: type)) }
        return typed
    }

    /// The types this process can provide, for error messages and `config show`.
    public var providedTypes: [String] { providers.values.map(\.name).sorted() }
}

/// Builds one resource type; see ``Resources``.
public struct ResourceProvider: Sendable {
    let id: ObjectIdentifier
    let name: String
    let build: @Sendable (Resources) throws -> any Sendable

    /// A resource built by `build` on its first use in this process.
    public static func lazy<R: Sendable>(_ type: R.Type, _ build: @escaping @Sendable () throws -> R) -> ResourceProvider {
        ResourceProvider(id: ObjectIdentifier(type), name: String(describing: type), build: { _ in try build() })
    }

    /// A resource built from the process's ``Resources`` on first use: it may look up other
    /// resources or keep `resources.metrics` to count what it does.
    ///
    /// ```swift
    /// .lazy(MarketClients.self, resources: { resources in MarketClients(configuration: c, metrics: resources.metrics) })
    /// ```
    public static func lazy<R: Sendable>(
        _ type: R.Type, resources build: @escaping @Sendable (Resources) throws -> R
    ) -> ResourceProvider {
        ResourceProvider(id: ObjectIdentifier(type), name: String(describing: type), build: build)
    }

    /// A resource that already exists (tests: a fake client, an in-memory database).
    public static func value<R: Sendable>(_ value: R) -> ResourceProvider {
        ResourceProvider(id: ObjectIdentifier(R.self), name: String(describing: R.self), build: { _ in value })
    }
}

/// A resource that could not be provided.
public enum ResourceError: Error, CustomStringConvertible, Sendable {
    /// No provider declares the type.
    case notProvided(String)

    public var description: String {
        switch self {
        case .notProvided(let type):
            "no resource of type \(type) in this process: the binary's extension must provide it"
        }
    }
}
