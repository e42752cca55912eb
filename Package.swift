// swift-tools-version:6.0
// Updraft: an Airflow-style workflow engine in Swift, with a crypto market-data pipeline.
// Layers point one way (docs/ARCHITECTURE.md):
//   UpdraftCore ← UpdraftStore ← UpdraftRuntime ← domain modules ← dags ← updraft
// Linux only: run ownership reads /proc (see ProcessLiveness.swift, which refuses other platforms).
import PackageDescription

let package = Package(
    name: "Updraft",
    products: [
        .executable(name: "updraft", targets: ["updraft"]),
        .executable(name: "updraft-bench", targets: ["updraft-bench"]),
        .library(name: "UpdraftRuntime", targets: ["UpdraftRuntime"]),
        .library(name: "UpdraftTesting", targets: ["UpdraftTesting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // MARK: C shims: each C library stays inside one small module.
        .target(name: "CUpdraftSystem", path: "Sources/CUpdraftSystem"),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),

        // MARK: Engine
        /// Pure core: graph, states, trigger rules, retry policy, schedules, run state machine.
        .target(name: "UpdraftCore"),
        /// Durable state store (GRDB over the system libsqlite3) and an in-memory twin.
        .target(name: "UpdraftStore", dependencies: [
            "UpdraftCore", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        /// Worker processes of the same binary: spawn, pipe protocol, kill, replace.
        .target(name: "UpdraftWorkers", dependencies: ["CUpdraftSystem"]),
        /// Scheduler, executor, recovery, logs, DAG registry.
        .target(name: "UpdraftRuntime", dependencies: [
            "UpdraftCore", "UpdraftStore", "UpdraftWorkers",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        /// Test support for users' DAGs: in-memory store, manual clock, run-to-completion.
        .target(name: "UpdraftTesting", dependencies: ["UpdraftRuntime"]),

        // MARK: Domain
        /// Async HTTP client over libcurl with retries and per-host rate limits.
        .target(name: "UpdraftHTTP", dependencies: ["CCurl"]),
        /// Binance archive and REST, CoinGecko, zip and CSV, the kline warehouse.
        .target(name: "MarketData", dependencies: [
            "UpdraftHTTP", "CZlib", .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        /// Local exchange on 127.0.0.1 speaking the real wire formats, with fault injection.
        /// Its real archive fixtures are a resource, so `updraft sandbox` and `demo` serve them anywhere.
        .target(name: "ExchangeSandbox", dependencies: [
            "MarketData", .product(name: "Hummingbird", package: "hummingbird"),
        ], resources: [.copy("Fixtures/binance")]),
        /// TA-Lib-exact technical indicators and resampling.
        .target(name: "Indicators"),
        /// Datasets, models, walk-forward validation, model registry, scoring.
        .target(name: "Forecasting", dependencies: [
            "Indicators", "MarketData", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        /// The effective configuration: file, environment, defaults, provenance.
        .target(name: "UpdraftConfig", dependencies: [.product(name: "Yams", package: "Yams")]),

        // MARK: DAGs and executables
        .target(name: "UpdraftDAGs", dependencies: [
            "UpdraftRuntime", "UpdraftConfig", "MarketData", "Indicators", "Forecasting",
        ], path: "dags"),
        .target(name: "UpdraftCLI", dependencies: [
            "UpdraftRuntime", "UpdraftConfig", "MarketData", "ExchangeSandbox", "Indicators",
            "Forecasting", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .executableTarget(name: "updraft", dependencies: ["UpdraftCLI", "UpdraftDAGs"]),
        /// Test-only host for worker pools: UpdraftWorkersTests spawns it (and it benchmarks them).
        .executableTarget(name: "updraft-worker-fixture", dependencies: ["UpdraftWorkers"]),
        .executableTarget(name: "updraft-bench", dependencies: [
            "UpdraftRuntime", "UpdraftDAGs", "MarketData", "ExchangeSandbox", "Indicators", "Forecasting",
        ]),

        // MARK: Tests
        .testTarget(name: "UpdraftCoreTests", dependencies: ["UpdraftCore"]),
        .testTarget(name: "UpdraftStoreTests", dependencies: ["UpdraftStore", "UpdraftTesting"]),
        .testTarget(name: "UpdraftWorkersTests", dependencies: ["UpdraftWorkers", "updraft-worker-fixture"]),
        .testTarget(name: "UpdraftRuntimeTests", dependencies: [
            "UpdraftRuntime", "UpdraftTesting", "UpdraftDAGs",
        ]),
        .testTarget(name: "UpdraftCLITests", dependencies: ["UpdraftCLI", "UpdraftDAGs", "updraft"],
                    exclude: ["Engine/Snapshots"]),
        .testTarget(name: "MarketDataTests", dependencies: ["MarketData", "ExchangeSandbox", "UpdraftCLI"]),
        .testTarget(name: "IndicatorsTests", dependencies: ["Indicators", "UpdraftCLI", "MarketData"], exclude: ["Fixtures"]),
        .testTarget(name: "ForecastingTests", dependencies: ["Forecasting", "MarketData"], exclude: ["Fixtures"]),
        .testTarget(name: "UpdraftConfigTests", dependencies: ["UpdraftConfig"]),
        .testTarget(name: "UpdraftDAGsTests", dependencies: [
            "UpdraftDAGs", "UpdraftTesting", "ExchangeSandbox", "updraft",
        ]),
    ]
)
