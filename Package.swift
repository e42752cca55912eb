// swift-tools-version:6.0
// Updraft: an Airflow-style workflow engine in Swift, with a crypto market-data pipeline.
// Layers point one way (docs/ARCHITECTURE.md, ADR 0001 and 0008):
//   engine:  UpdraftCore ← UpdraftStore ← UpdraftRuntime ← UpdraftAPI ← UpdraftUI ← UpdraftCLI (knows no domain);
//            UpdraftHTTP, UpdraftRuntime ← UpdraftNotify ← UpdraftCLI
//   domain:  MarketData, Indicators, Forecasting, ExchangeSandbox ← MarketPipeline ← MarketAPI ← MarketCLI
//   binary:  dags/ (UpdraftDAGs) + MarketCLI's extension + UpdraftCLI ← updraft
//   proof:   UpdraftCLI + its own DAG ← updraft-example (a test fails if a market module reaches it)
//   Linux only: run ownership reads /proc (ProcessLiveness.swift refuses other platforms).
import PackageDescription

/// Upcoming language features the newer modules are held to (STYLE.md rule 20); the older ones
/// adopt them with the formatting pass.
let upcoming: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("MemberImportVisibility")]

let package = Package(
    name: "Updraft",
    products: [
        .executable(name: "updraft", targets: ["updraft"]),
        .executable(name: "updraft-bench", targets: ["updraft-bench"]),
        .library(name: "UpdraftRuntime", targets: ["UpdraftRuntime"]),
        .library(name: "UpdraftTesting", targets: ["UpdraftTesting"]),
        /// The engine's CLI and extension seam: a binary of one's own is `UpdraftApplication(...).main()`.
        .library(name: "UpdraftCLI", targets: ["UpdraftCLI"]),
        /// The PostgreSQL state store (PostgresNIO): its own product, so an embedder who keeps
        /// SQLite never builds it.
        .library(name: "UpdraftPostgres", targets: ["UpdraftPostgres"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // MARK: C shims: each C library stays inside one small module.
        .target(name: "CUpdraftSystem", path: "Sources/CUpdraftSystem"),
        /// libcurl's headers; the library itself is opened at run time (UpdraftHTTP's CurlLibrary).
        .systemLibrary(
            name: "CCurl", path: "Sources/CCurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        /// ISA-L's inflate and CRC-32, which read the archives' members (zlib still writes zips and gzip).
        .systemLibrary(
            name: "CIsal", path: "Sources/CIsal", pkgConfig: "libisal",
            providers: [.apt(["libisal-dev"])]),
        /// libFuzzer's driver entry point (updraft-fuzz's fuzz build; compiler-rt links it).
        .systemLibrary(name: "CLibFuzzer", path: "Sources/CLibFuzzer"),

        // MARK: Engine
        /// Pure core: graph, states, trigger rules, retry policy, schedules, run state machine.
        .target(name: "UpdraftCore"),
        /// Durable state store (GRDB over the system libsqlite3) and an in-memory twin.
        .target(
            name: "UpdraftStore",
            dependencies: [
                "UpdraftCore", "CUpdraftSystem", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]),
        /// The state store in PostgreSQL (PostgresNIO, TLS through swift-nio-ssl): rows claimed
        /// with `FOR UPDATE SKIP LOCKED`, wake-ups by `LISTEN/NOTIFY`.
        .target(
            name: "UpdraftPostgres",
            dependencies: [
                "UpdraftCore", "UpdraftStore", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ], swiftSettings: upcoming),
        /// Worker processes of the same binary: spawn, pipe protocol, kill, replace.
        .target(name: "UpdraftWorkers", dependencies: ["CUpdraftSystem"]),
        /// Scheduler, executor, recovery, logs, DAG registry.
        .target(
            name: "UpdraftRuntime",
            dependencies: [
                "UpdraftCore", "UpdraftStore", "UpdraftWorkers",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        /// Test support for users' DAGs: in-memory store, manual clock, run-to-completion.
        .target(name: "UpdraftTesting", dependencies: ["UpdraftRuntime"]),
        /// The effective configuration: typed keys, file, environment, secrets, provenance.
        .target(name: "UpdraftConfig", dependencies: [.product(name: "Yams", package: "Yams")]),
        /// Airflow's REST API v2 over the engine (Hummingbird 2): auth (JWT, bcrypt), the OpenAPI
        /// document, pagination, errors in FastAPI's shape, Prometheus metrics; domains add routes.
        .target(
            name: "UpdraftAPI",
            dependencies: [
                "UpdraftRuntime", "UpdraftConfig",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ], swiftSettings: upcoming),
        /// The web UI: server-rendered HTML and SVG written as bytes (no templates, no third-party
        /// script), one small hand-written script; its pages are routes of the API server.
        .target(
            name: "UpdraftUI",
            dependencies: [
                "UpdraftAPI", "UpdraftRuntime", "UpdraftStore", "UpdraftCore",
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ], swiftSettings: upcoming),
        /// The engine's CLI library: engine commands, and the extension seam (commands, config
        /// keys, resources; later routes, pages, channels) through which a domain adds its own.
        .target(
            name: "UpdraftCLI",
            dependencies: [
                "UpdraftRuntime", "UpdraftConfig", "UpdraftAPI", "UpdraftUI", "UpdraftNotify",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),

        /// Async HTTP client over libcurl with retries and per-host rate limits (knows no domain:
        /// the notification channels send through it too).
        .target(name: "UpdraftHTTP", dependencies: ["CCurl"]),

        // MARK: Domain
        /// Notification channels: a signed generic webhook, Slack, Discord and Telegram, over
        /// UpdraftHTTP; one attempt per send (the outbox retries).
        .target(
            name: "UpdraftNotify",
            dependencies: [
                "UpdraftHTTP", "UpdraftConfig", "UpdraftRuntime", "UpdraftStore", .product(name: "Crypto", package: "swift-crypto"),
            ], swiftSettings: upcoming),
        /// Binance archive and REST, CoinGecko, zip and CSV, the kline warehouse.
        .target(
            name: "MarketData",
            dependencies: [
                "UpdraftHTTP", "UpdraftStore", "CZlib", "CIsal", "CUpdraftSystem", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto"),
            ]),
        /// Local exchange on 127.0.0.1 speaking the real wire formats, with fault injection.
        /// Its real archive fixtures are a resource, so `updraft sandbox` and `demo` serve them anywhere.
        .target(
            name: "ExchangeSandbox",
            dependencies: [
                "MarketData", .product(name: "Hummingbird", package: "hummingbird"),
            ], resources: [.copy("Fixtures/binance")]),
        /// TA-Lib-exact technical indicators and resampling.
        .target(name: "Indicators"),
        /// Datasets, models, walk-forward validation, model registry, scoring.
        .target(
            name: "Forecasting",
            dependencies: [
                "Indicators", "MarketData", .product(name: "GRDB", package: "GRDB.swift"),
            ]),

        /// The crypto pipeline's logic: its config keys, resources (one market database, clients),
        /// indicator updates, request plans, symbol mapping, the queries the DAGs run.
        .target(
            name: "MarketPipeline",
            dependencies: [
                "UpdraftRuntime", "UpdraftConfig", "UpdraftHTTP", "MarketData", "Indicators", "Forecasting",
                .product(name: "GRDB", package: "GRDB.swift"),
            ], swiftSettings: upcoming),
        /// The market API under `/api/market/v1` (symbols, candles, indicators, gaps, models,
        /// predictions): routes for the engine's API server, read from the pipeline's stores.
        .target(
            name: "MarketAPI",
            dependencies: [
                "UpdraftAPI", "UpdraftRuntime", "UpdraftStore", "UpdraftCore", "MarketPipeline", "MarketData", "Indicators", "Forecasting",
                .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "NIOPosix", package: "swift-nio"),
            ], swiftSettings: upcoming),
        /// The market's web UI pages (Market, Models): candlestick charts with indicator panels and
        /// predictions, gaps heatmap, the model registry and drift, drawn as SVG in Swift from the
        /// same reads as the market API.
        .target(
            name: "MarketUI",
            dependencies: [
                "UpdraftUI", "UpdraftAPI", "MarketAPI", "MarketPipeline", "MarketData", "Indicators", "Forecasting",
                "UpdraftCore", "UpdraftRuntime",
                .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "GRDB", package: "GRDB.swift"),
            ], swiftSettings: upcoming),
        /// The domain's CLI groups (data, indicators, models, predictions, sandbox, demo) and its
        /// ``UpdraftExtension``.
        .target(
            name: "MarketCLI",
            dependencies: [
                "UpdraftCLI", "UpdraftAPI", "MarketPipeline", "MarketAPI", "MarketUI", "MarketData", "ExchangeSandbox", "Indicators",
                "Forecasting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ], swiftSettings: upcoming),

        // MARK: DAGs and executables
        .target(
            name: "UpdraftDAGs",
            dependencies: [
                "UpdraftRuntime", "UpdraftConfig", "MarketPipeline", "MarketData", "Forecasting",
            ], path: "dags"),
        .executableTarget(name: "updraft", dependencies: ["UpdraftCLI", "MarketCLI", "UpdraftDAGs", "UpdraftPostgres"]),
        /// Proof that the engine stands alone: its own DAG and the whole engine CLI, no market module.
        .executableTarget(name: "updraft-example", dependencies: ["UpdraftCLI"], swiftSettings: upcoming),
        /// Test-only binary: the engine CLI and API server over DAGs made for the API tests (Swift and
        /// the official Python client, Tests/api-client).
        .executableTarget(name: "updraft-api-fixture", dependencies: ["UpdraftCLI"], swiftSettings: upcoming),
        /// Test-only host for worker pools: UpdraftWorkersTests spawns it (and it benchmarks them).
        .executableTarget(name: "updraft-worker-fixture", dependencies: ["UpdraftWorkers"]),
        /// Test-only: libFuzzer targets over the parsers of outside bytes (kline CSV, zip, CHECKSUM,
        /// cron, the config file, `--conf`). Tests/fuzz/run builds it with `-sanitize=fuzzer,address
        /// -DUPDRAFT_FUZZ`; a plain build replays input files through a target.
        .executableTarget(
            name: "updraft-fuzz", dependencies: ["MarketData", "UpdraftCore", "UpdraftConfig", "CLibFuzzer"],
            swiftSettings: upcoming),
        .executableTarget(
            name: "updraft-bench",
            dependencies: [
                "UpdraftRuntime", "UpdraftConfig", "UpdraftDAGs", "MarketPipeline", "MarketData", "ExchangeSandbox", "Indicators",
                "Forecasting", "UpdraftPostgres", "CUpdraftSystem", .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),

        // MARK: Tests
        .testTarget(name: "UpdraftCoreTests", dependencies: ["UpdraftCore"]),
        .testTarget(
            name: "UpdraftStoreTests",
            dependencies: ["UpdraftStore", "UpdraftPostgres", "UpdraftTesting", .product(name: "GRDB", package: "GRDB.swift")],
            // Read by path (MigrationTests), not a bundled resource.
            exclude: ["Fixtures"]),
        .testTarget(name: "UpdraftWorkersTests", dependencies: ["UpdraftWorkers", "updraft-worker-fixture"]),
        .testTarget(
            name: "UpdraftRuntimeTests",
            dependencies: [
                "UpdraftRuntime", "UpdraftTesting", "UpdraftDAGs", "UpdraftPostgres",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ]),
        .testTarget(
            name: "UpdraftCLITests",
            dependencies: [
                "UpdraftCLI", "MarketCLI", "UpdraftDAGs", "updraft", "updraft-example", "updraft-api-fixture", "UpdraftTesting",
                "ExchangeSandbox",
            ],
            exclude: ["Engine/Snapshots"]),
        .testTarget(
            name: "MarketDataTests", dependencies: ["MarketData", "ExchangeSandbox", "MarketCLI", "UpdraftCLI", "Forecasting"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "IndicatorsTests", dependencies: ["Indicators", "MarketCLI", "UpdraftCLI", "MarketData"],
            exclude: ["Fixtures"]),
        .testTarget(name: "ForecastingTests", dependencies: ["Forecasting", "MarketData"], exclude: ["Fixtures"]),
        .testTarget(
            name: "UpdraftAPITests",
            dependencies: [
                "UpdraftAPI", "UpdraftTesting", "UpdraftRuntime", .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ], swiftSettings: upcoming),
        .testTarget(
            name: "UpdraftUITests",
            dependencies: [
                "UpdraftUI", "UpdraftAPI", "UpdraftTesting", "UpdraftRuntime", "UpdraftStore", "UpdraftCore",
                .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
            ], swiftSettings: upcoming),
        .testTarget(name: "UpdraftConfigTests", dependencies: ["UpdraftConfig", "UpdraftAPI", "UpdraftNotify", "MarketPipeline"]),
        .testTarget(
            name: "MarketAPITests",
            dependencies: [
                "MarketAPI", "UpdraftAPI", "UpdraftRuntime", "UpdraftStore", "UpdraftCore", "MarketPipeline", "MarketData",
                "Forecasting", "ExchangeSandbox", .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: upcoming),
        .testTarget(
            name: "UpdraftNotifyTests",
            dependencies: [
                "UpdraftNotify", "UpdraftHTTP", "UpdraftConfig", "ExchangeSandbox", "UpdraftRuntime", "UpdraftStore", "UpdraftCore",
                "UpdraftTesting", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ], swiftSettings: upcoming),
        .testTarget(
            name: "MarketUITests",
            dependencies: [
                "MarketUI", "UpdraftUI", "MarketAPI", "UpdraftAPI", "UpdraftRuntime", "UpdraftStore", "UpdraftCore",
                "MarketPipeline", "MarketData", "Forecasting", "ExchangeSandbox",
                .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
            ], swiftSettings: upcoming),
        .testTarget(name: "MarketPipelineTests", dependencies: ["MarketPipeline"], swiftSettings: upcoming),
        .testTarget(
            name: "UpdraftDAGsTests",
            dependencies: [
                "UpdraftDAGs", "MarketPipeline", "MarketCLI", "UpdraftTesting", "ExchangeSandbox", "updraft",
            ]),
    ]
)
