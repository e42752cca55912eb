import Foundation
import Synchronization
import Testing

@testable import UpdraftCore

/// Resources: built once per `Resources`, on first use; replaceable; a missing one is an error.
@Suite struct ResourcesTests {
    final class Client: Sendable {
        let name: String
        init(_ name: String) { self.name = name }
    }

    final class Counter: Sendable {
        let value = Mutex(0)
        func next() -> Int {
            value.withLock {
                $0 += 1; return $0
            }
        }
    }

    @Test func aResourceIsBuiltOnceOnFirstUseAndShared() async throws {
        let builds = Counter()
        let resources = Resources([.lazy(Client.self) { Client("built \(builds.next())") }])
        #expect(builds.value.withLock { $0 } == 0)
        let names = await withTaskGroup(of: String.self) { group in
            for _ in 0..<16 { group.addTask { (try? resources.resolve(Client.self).name) ?? "missing" } }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(names) == ["built 1"])
        #expect(builds.value.withLock { $0 } == 1)
    }

    @Test func anOverrideReplacesTheProviderOfItsType() throws {
        let resources = Resources([.lazy(Client.self) { Client("real") }])
        let faked = resources.overriding([.value(Client("fake"))])
        #expect(try faked.resolve(Client.self).name == "fake")
        #expect(try resources.resolve(Client.self).name == "real")
    }

    @Test func aMissingResourceNamesItsType() {
        let error = #expect(throws: ResourceError.self) { try Resources().resolve(Client.self) }
        #expect(error?.description.contains("Client") == true)
    }

    @Test func aFailedBuildIsRetriedOnTheNextLookup() throws {
        let attempts = Counter()
        struct Unavailable: Error {}
        let resources = Resources([
            .lazy(Client.self) {
                if attempts.next() == 1 { throw Unavailable() }
                return Client("second")
            }
        ])
        #expect(throws: Unavailable.self) { try resources.resolve(Client.self) }
        #expect(try resources.resolve(Client.self).name == "second")
    }
}
