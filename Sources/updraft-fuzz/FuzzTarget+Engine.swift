import Foundation
import UpdraftConfig
import UpdraftCore

extension FuzzTarget {
    /// The expression parsed, then its next and previous fire times around a leap day and the epoch.
    static func cron(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            let cron = try CronExpression(text)
            for date in [Date.utc(2024, 2, 29, 12, 34), Date(timeIntervalSince1970: 0)] {
                _ = cron.next(after: date)
                _ = cron.previous(before: date)
                _ = cron.matches(date)
            }
        } catch {
            describe(error)
        }
        do { _ = try Schedule(text) } catch { describe(error) }
    }

    /// The engine's keys and one key of every other kind, so each interpretation runs.
    static let configCatalog = ConfigCatalog.engine.adding([
        ConfigKeySpec("fuzz.url", .url, default: .string("https://example.com"), "A URL."),
        ConfigKeySpec("fuzz.number", .number(minimum: 0), default: .number(1), "A number."),
        ConfigKeySpec("fuzz.flag", .boolean, default: .boolean(false), "A boolean."),
        ConfigKeySpec("fuzz.items", .list, default: .list([]), "A list."),
        ConfigKeySpec("fuzz.exchanges", .listOf(["binance", "kraken"]), default: .list(["binance"]), "Words."),
        ConfigKeySpec("fuzz.schedule", .schedule, default: .string("@daily"), "A schedule."),
        ConfigKeySpec("fuzz.mode", .choice(["fast", "safe"]), default: .string("safe"), "A choice."),
        ConfigKeySpec("fuzz.token", .secret, default: .string(""), "A secret."),
    ])

    /// The bytes as the text of the configuration file, read by the loader's text entry point.
    static func config(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        for ownerOnly in [true, false] {
            do {
                let configuration = try ConfigLoader.parse(
                    yaml: text, file: "updraft.yaml", catalog: configCatalog, ownerOnly: ownerOnly)
                for setting in configuration.settings { _ = setting.displayValue }
            } catch {
                describe(error)
            }
        }
    }

    /// A DAG with a param of every kind, as `dags trigger --conf` meets it.
    static let confDAG = DAG(
        "fuzz_conf",
        params: [
            .integer("n", default: 200), .string("marker_dir", default: nil), .number("ratio", default: 0.5),
            .boolean("dry_run", default: false), DAGParam("symbols", kind: .array, default: ["BTCUSDT"]),
            DAGParam("options", kind: .object),
        ]
    ) { _ in }

    /// The JSON text decoded as `--conf` is (an object), then resolved against the DAG's params.
    static func conf(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            guard case .object(let conf) = try JSONValue.parse(text, source: "--conf") else { return }
            let resolved = try confDAG.resolveParams(conf)
            _ = JSONValue.object(resolved).description
            _ = resolved["n"]?.intValue
        } catch {
            describe(error)
        }
    }
}
