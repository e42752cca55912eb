import Foundation
import Synchronization
import Testing
import UpdraftCLI

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `updraft scheduler --metrics-port 0` serves its own `/metrics` on loopback: its heartbeat,
/// the engine's metrics of the runs it executes, and the counters its worker processes report
/// with their replies (`example_etl`'s `load` counts its rows through `ctx.metrics`).
@Suite(.timeLimit(.minutes(5))) struct SchedulerMetricsTests {
    @Test func aSchedulerServesItsMetricsAndTheCountersOfItsWorkers() async throws {
        let cli = try BinaryHarness(product: "updraft-example")
        let (scheduler, out, _) = try cli.start(["scheduler", "--parallelism", "1", "--metrics-port", "0"])
        defer { if scheduler.isRunning { kill(scheduler.processIdentifier, SIGKILL) } }
        let stdout = StdoutLines(out)
        var url: URL?
        let announced = try await BinaryHarness.waitUntil(while: scheduler) {
            url = stdout.firstMatch(of: #/metrics at (http://127\.0\.0\.1:\d+/metrics)/#).flatMap { URL(string: $0) }
            return url != nil
        }
        let metricsURL = try #require(url, "no metrics address announced: \(stdout.text)")
        #expect(announced)
        let trigger = try cli.run(["dags", "trigger", "example_etl", "--conf", #"{"n": 4}"#])
        #expect(trigger.status == 0, "\(trigger.stderr)")

        var text = ""
        let finished = try await BinaryHarness.waitUntil(while: scheduler) {
            text = try await Self.scrape(metricsURL)
            return text.contains(#"updraft_ti_finish_total{dag_id="example_etl",task_id="load",state="success"} 1"#)
        }
        #expect(finished, "\(text)")
        #expect(text.contains("updraft_scheduler_heartbeat_total "))
        #expect(text.contains(#"updraft_ti_start_total{dag_id="example_etl",task_id="extract"} 1"#))
        #expect(text.contains(#"updraft_rows_ingested_total{table="example"} 4"#))
        #expect(text.contains(#"updraft_dagrun_duration_seconds_count{dag_id="example_etl",state="success"} 1"#))
        #expect(text.contains(#"updraft_pool_open_slots{pool="default_pool"}"#))

        kill(scheduler.processIdentifier, SIGTERM)
        scheduler.waitUntilExit()
        #expect(scheduler.terminationReason == .exit && scheduler.terminationStatus == 0)
    }

    /// `standalone` shares one registry between its scheduler and its API server: `/metrics`
    /// shows the engine's metrics beside the API's, and the pool gauges once (the scheduler's).
    @Test func standaloneServesTheSchedulersMetricsAtTheAPIsMetrics() async throws {
        let cli = try BinaryHarness(product: "updraft-example")
        let (server, out, _) = try cli.start(["standalone", "--parallelism", "1", "--port", "0"])
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        let stdout = StdoutLines(out)
        var url: URL?
        _ = try await BinaryHarness.waitUntil(while: server) {
            url = stdout.firstMatch(of: #/listening on (http://127\.0\.0\.1:\d+)/#).flatMap { URL(string: $0 + "/metrics") }
            return url != nil
        }
        let metricsURL = try #require(url, "no address announced: \(stdout.text)")
        // The API's /metrics needs a token (viewer): the first admin's, printed once by standalone.
        let password = try #require(stdout.firstMatch(of: #/with password: (\S+)/#), "no admin: \(stdout.text)")
        let bearer = try await Self.token(metricsURL, password: password)
        let trigger = try cli.run(["dags", "trigger", "example_etl"])
        #expect(trigger.status == 0, "\(trigger.stderr)")
        var text = ""
        let finished = try await BinaryHarness.waitUntil(while: server) {
            text = try await Self.scrape(metricsURL, bearer: bearer)
            return text.contains(#"updraft_ti_finish_total{dag_id="example_etl",task_id="load",state="success"} 1"#)
        }
        #expect(finished, "\(text)")
        #expect(text.contains("updraft_scheduler_heartbeat_total "))
        #expect(text.contains(#"updraft_rows_ingested_total{table="example"} 5"#))
        #expect(text.components(separatedBy: "# TYPE updraft_pool_open_slots gauge").count == 2)
        kill(server.processIdentifier, SIGTERM)
        server.waitUntilExit()
        #expect(server.terminationReason == .exit && server.terminationStatus == 0)
    }

    static func scrape(_ url: URL, bearer: String? = nil) async throws -> String {
        var request = URLRequest(url: url)
        if let bearer { request.setValue("Bearer " + bearer, forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        return String(decoding: data, as: UTF8.self)
    }

    /// A token of `admin` from the server whose `/metrics` is `metricsURL`.
    static func token(_ metricsURL: URL, password: String) async throws -> String {
        var request = URLRequest(url: metricsURL.deletingLastPathComponent().appendingPathComponent("auth/token"))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"username": "admin", "password": "\#(password)"}"#.utf8)
        let (data, _) = try await URLSession.shared.data(for: request)
        guard case .object(let fields) = try JSONDecoder().decode(JSONValue.self, from: data),
            case .string(let token)? = fields["access_token"]
        else { throw BinaryHarnessError(message: "no token in \(String(decoding: data, as: UTF8.self))") }
        return token
    }
}

/// A child's standard output, read on a thread of its own as it arrives.
final class StdoutLines: Sendable {
    private let buffer = Mutex("")

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            while true {
                let data = handle.availableData
                if data.isEmpty { return }
                self.buffer.withLock { $0 += String(decoding: data, as: UTF8.self) }
            }
        }
    }

    var text: String { buffer.withLock { $0 } }

    /// The first capture of `pattern` in what was read so far.
    func firstMatch(of pattern: Regex<(Substring, Substring)>) -> String? {
        text.firstMatch(of: pattern).map { String($0.1) }
    }
}
