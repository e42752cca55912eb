import Foundation

/// The built resources of one ``Resources``; each is built at most once at a time and kept.
final class ResourceCache: @unchecked Sendable {
    private let lock = NSRecursiveLock()
    private var values: [ObjectIdentifier: any Sendable] = [:]

    /// The value for `id`, building it under the lock on first use (recursive: a builder may
    /// look up another resource of the same ``Resources``).
    func value(for id: ObjectIdentifier, build: () throws -> any Sendable) throws -> any Sendable {
        lock.lock()
        defer { lock.unlock() }
        if let value = values[id] { return value }
        let value = try build()
        values[id] = value
        return value
    }
}
