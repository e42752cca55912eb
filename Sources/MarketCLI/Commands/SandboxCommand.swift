import ArgumentParser
import ExchangeSandbox
import Foundation
import UpdraftCLI

/// `updraft sandbox`: Serve a local fake exchange on 127.0.0.1.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Serve a local fake exchange on 127.0.0.1.",
        discussion: """
            Speaks CoinGecko coins/markets, Binance exchangeInfo and klines, the data.binance.vision \
            archive and its S3 bucket listing, over a deterministic synthetic market. Runs until \
            SIGINT or SIGTERM and prints the base URLs to point clients at.
            """
    )

    @Option(help: ArgumentHelp("Port to listen on (0 picks a free one).", valueName: "n"))
    var port: Int = 8787

    @Option(help: ArgumentHelp("Seed of the synthetic market.", valueName: "n"))
    var seed: UInt64 = 42

    @Option(help: ArgumentHelp("The sandbox's fixed current time (ISO 8601, UTC); default: the system clock.", valueName: "date-time"))
    var now: String?

    @Option(help: ArgumentHelp("First day of synthetic history (YYYY-MM-DD); default: two months before now.", valueName: "date"))
    var historyStart: String?

    @Option(
        help: ArgumentHelp(
            "Directory of real archive files to serve as they are (holding data/spot/…); default: the real archive files built into updraft.",
            valueName: "dir"))
    var fixtures: String?

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0…65535, got \(port)") }
        if let now, Self.parseDate(now) == nil { throw ValidationError("--now is not an ISO 8601 date-time: \(now)") }
        if let historyStart, Self.parseDate(historyStart) == nil {
            throw ValidationError("--history-start is not a date (YYYY-MM-DD): \(historyStart)")
        }
        if let fixtures, !FileManager.default.fileExists(atPath: fixtures) {
            throw ValidationError("--fixtures directory does not exist: \(fixtures)")
        }
    }

    /// The sandbox these options describe; without `--fixtures`, the archive files built into `updraft`.
    func sandboxConfiguration() -> SandboxConfiguration {
        SandboxConfiguration(
            port: port, seed: seed, now: now.flatMap(Self.parseDate),
            historyStart: historyStart.flatMap(Self.parseDate),
            fixtureRoot: fixtures ?? SandboxFixtures.binanceRoot)
    }

    func run() async throws {
        let configuration = sandboxConfiguration()
        let server = SandboxServer(configuration: configuration)
        try await server.run { endpoints in
            print("updraft sandbox listening on \(endpoints.root) (seed \(configuration.seed))")
            print(endpoints.description)
            if let root = configuration.fixtureRoot { print("fixtures   \(root)") }
            fflush(nil)
        }
    }

    static func parseDate(_ text: String) -> Date? {
        let full = ISO8601DateFormatter()
        if let date = full.date(from: text) { return date }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        return day.date(from: text)
    }
}
