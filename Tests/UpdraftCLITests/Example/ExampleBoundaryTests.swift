import Foundation
import Testing

/// The engine stands alone: `updraft-example` (its own DAG and the engine CLI) reaches no market
/// module, read from `swift package describe --type json`.
@Suite struct ExampleBoundaryTests {
    /// What the engine must never pull in: the crypto domain's modules and their libraries.
    /// (Hummingbird is the engine's own since the API server; the sandbox's use of it is not.
    /// GRDBSQLite, GRDB's module over the system SQLite, is the store's too since the grid counts
    /// rows through SQLite's C API.)
    static let forbidden: Set = [
        "MarketData", "Forecasting", "Indicators", "ExchangeSandbox", "MarketCLI", "MarketPipeline", "MarketAPI", "MarketUI",
        "UpdraftDAGs", "CZlib", "CIsal",
    ]

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The package description. A scratch path of its own keeps it off the lock that the running
    /// `swift test` holds on `.build` (describing needs no build).
    static func describe() throws -> [String: Any] {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("updraft-describe-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "swift", "package", "--package-path", packageRoot.path, "--scratch-path", scratch.path,
            "describe", "--type", "json",
        ]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Every target and product `root` reaches, transitively: target dependencies, and product
    /// dependencies (this package's products expand to their targets; other packages' products
    /// are leaves, named as the manifest names them).
    static func closure(of root: String, in package: [String: Any]) -> Set<String> {
        let targets = (package["targets"] as? [[String: Any]] ?? []).reduce(into: [String: [String: Any]]()) {
            $0[$1["name"] as? String ?? ""] = $1
        }
        let products = (package["products"] as? [[String: Any]] ?? []).reduce(into: [String: [String]]()) {
            $0[$1["name"] as? String ?? ""] = $1["targets"] as? [String] ?? []
        }
        var seen: Set<String> = []
        var queue = [root]
        while let name = queue.popLast() {
            guard seen.insert(name).inserted, let target = targets[name] else { continue }
            queue += target["target_dependencies"] as? [String] ?? []
            for product in target["product_dependencies"] as? [String] ?? [] {
                queue += products[product] ?? []
                queue.append(product)
            }
        }
        return seen
    }

    @Test func theExampleReachesNoMarketModule() throws {
        let package = try Self.describe()
        let reached = Self.closure(of: "updraft-example", in: package)
        #expect(reached.contains("UpdraftCLI") && reached.contains("UpdraftRuntime"), "\(reached.sorted())")
        #expect(reached.isDisjoint(with: Self.forbidden), "reached: \(reached.intersection(Self.forbidden).sorted())")
        // The engine CLI library on its own too.
        #expect(Self.closure(of: "UpdraftCLI", in: package).isDisjoint(with: Self.forbidden))
        // The walk does find them where they are: the crypto binary reaches the market modules.
        let crypto = Self.closure(of: "updraft", in: package)
        #expect(crypto.isSuperset(of: ["MarketData", "MarketCLI", "MarketPipeline", "MarketAPI", "ExchangeSandbox"]), "\(crypto.sorted())")
        // The engine serves the API: its example binary has the server too.
        #expect(Self.closure(of: "updraft-example", in: package).contains("UpdraftAPI"))
    }
}
