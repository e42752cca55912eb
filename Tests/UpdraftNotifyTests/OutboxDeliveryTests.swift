import ExchangeSandbox
import Foundation
import Logging
import ServiceLifecycle
import Testing
import UpdraftCore
import UpdraftHTTP
import UpdraftNotify
import UpdraftRuntime
import UpdraftStore
import UpdraftTesting

/// The engine's notifications end to end: rules write the outbox in the run's commit, the
/// sender delivers through real channels to the sandbox's receivers, dedupes, groups, waits out
/// failures and rate limits, and never fails a run.
@Suite struct OutboxDeliveryTests {
    static var http: HTTPClient { HTTPClient(configuration: .init(retry: HTTPRetryPolicy(maxAttempts: 1), traffic: HostTraffic())) }

    static func sandbox() -> SandboxServer {
        SandboxServer(configuration: SandboxConfiguration(now: Date(timeIntervalSince1970: 1_765_000_000), coinCount: 3))
    }

    static func webhook(_ endpoints: SandboxEndpoints) -> [String: any NotificationChannel] {
        ["webhook": WebhookChannel(url: endpoints.root + "/__receivers/webhook", http: http)]
    }

    static func settings(_ lines: [String], channels: [String] = ["webhook"]) throws -> NotificationSettings {
        NotificationSettings(rules: try NotificationRule.parse(lines), channels: channels, groupWindow: 30)
    }

    @Test func failuresOfOneRunMakeOneMessageNamingEachTaskAndHowToLook() async throws {
        let dag = DAG("etl") { d in
            d.task("extract") { _ in }
            d.task("load_a") { _ in throw TaskFailure("the table a is locked") }
            d.task("load_b") { _ in throw TaskFailure("the table b is locked") }
        }
        let harness = try await DAGTestHarness(dags: [dag], notifications: try Self.settings(["failure dags=etl"]))
        let result = try await harness.run("etl")
        #expect(result.state == .failed)
        let records = try await harness.store.notifications(NotificationQuery())
        #expect(records.count == 1)
        #expect(Set(records[0].draft.items.map(\.taskId)) == ["load_a", "load_b"])
        // The run ended: no need to wait out the grouping window.
        #expect(records[0].nextAttemptAt <= Date())
        let server = Self.sandbox()
        try await server.withRunning { endpoints in
            let sender = OutboxSender(
                store: harness.store, channels: Self.webhook(endpoints), policy: .init(uiURL: "http://127.0.0.1:8080/"))
            try await sender.deliverDue(now: Date())
            try await sender.deliverDue(now: Date().addingTimeInterval(3600))
        }
        #expect(server.received.count == 1)
        let json = try #require(server.received.first?.json)
        #expect(json["title"] as? String == "etl: 2 tasks failed in run \(result.run.runId)")
        let text = try #require(json["text"] as? String)
        #expect(text.contains("load_a (try 1): ") && text.contains("the table a is locked") && text.contains("the table b is locked"))
        let links = try #require(json["links"] as? [[String: Any]])
        #expect(links.contains { $0["label"] as? String == "updraft runs show \(result.run.runId) --dag etl" })
        #expect(links.contains { ($0["url"] as? String)?.hasPrefix("http://127.0.0.1:8080/dags/etl/runs/") == true })
        #expect(try await harness.store.notifications(NotificationQuery(status: .sent)).count == 1)
    }

    @Test func theSchedulerSendsTheMessagesOfTheRunsItExecutes() async throws {
        let dag = DAG("nightly") { d in d.task("load") { _ in throw TaskFailure("the disk is full") } }
        let harness = try await DAGTestHarness(dags: [dag], notifications: try Self.settings(["failure"]))
        let run = try await harness.engine.trigger(dagId: "nightly")
        let server = Self.sandbox()
        try await server.withRunning { endpoints in
            var logger = Logger(label: "test.scheduler")
            logger.logLevel = .critical
            var scheduler = SchedulerService(engine: harness.engine, logger: logger) { harness.executor }
            scheduler.delivery = OutboxSender(store: harness.store, channels: Self.webhook(endpoints))
            scheduler.deliveryInterval = 0.05
            let group = ServiceGroup(configuration: .init(services: [scheduler], gracefulShutdownSignals: [], logger: logger))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                let deadline = Date().addingTimeInterval(60)
                while server.received.isEmpty, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
        #expect(try await harness.store.run(run.key)?.state == .failed)
        let json = try #require(server.received.first?.json)
        #expect(server.received.count == 1)
        #expect(json["title"] as? String == "nightly: task load failed (try 1)" && json["run_id"] as? String == run.runId)
        #expect(try await harness.store.notifications(NotificationQuery(status: .sent)).count == 1)
    }

    @Test func retriesAndARecoveryAreToldAndOtherDAGsOrTasksAreNot() async throws {
        let failing = Locked(true)
        let dag = DAG("daily") { d in
            d.task("fetch", options: TaskOptions(retry: RetryPolicy(retries: 1, initialDelay: .zero))) { ctx in
                if failing.withLock({ $0 }) || ctx.tryNumber == 1 { throw RuntimeFailure("HTTP 503 from the exchange") }
            }
        }
        let quiet = DAG("quiet") { d in d.task("fetch") { _ in throw TaskFailure("ignored") } }
        let harness = try await DAGTestHarness(
            dags: [dag, quiet],
            notifications: try Self.settings(["retry dags=daily tasks=fet*", "failure dags=daily tasks=other", "recovery dags=d*"]))
        #expect(try await harness.run("daily", logicalDate: Date(timeIntervalSince1970: 1_700_000_000)).state == .failed)
        #expect(try await harness.run("quiet").state == .failed)
        failing.withLock { $0 = false }
        let recovered = try await harness.run("daily", logicalDate: Date(timeIntervalSince1970: 1_700_086_400))
        #expect(recovered.state == .success)
        let events = try await harness.store.notifications(NotificationQuery()).map { "\($0.draft.event) \($0.draft.runId ?? "")" }
        // One retry message per run of `daily`; the failure rule names another task; `quiet` has no rule.
        #expect(events.contains("run_recovered \(recovered.run.runId)"))
        #expect(events.contains("task_retry \(recovered.run.runId)"))
        #expect(!events.contains { $0.hasPrefix("task_failed") })
        #expect(events.count == 3)
        #expect(events.filter { $0.hasPrefix("task_retry") }.count == 2)
    }

    @Test func aFailingChannelIsRetriedWithBackoffAndTheRunStillSucceeds() async throws {
        let dag = DAG("report") { d in
            d.task("publish") { ctx in ctx.notify(key: "report-2026-12-06", title: "the daily report is out", lines: ["12 rows"]) }
        }
        let harness = try await DAGTestHarness(dags: [dag], notifications: try Self.settings([]))
        #expect(try await harness.run("report").state == .success)
        // A second run notifies with the same key: still one message.
        #expect(try await harness.run("report").state == .success)
        #expect(try await harness.store.notifications(NotificationQuery()).count == 1)
        let server = Self.sandbox()
        server.inject(.status(500), on: .receivers)
        let t0 = Date()
        try await server.withRunning { endpoints in
            let sender = OutboxSender(store: harness.store, channels: Self.webhook(endpoints), policy: .init(firstDelay: 30))
            try await sender.deliverDue(now: t0)
            let waiting = try #require(try await harness.store.notifications(NotificationQuery()).first)
            #expect(waiting.status == .pending && waiting.attempts == 1)
            #expect(waiting.lastError?.hasPrefix("channel webhook: HTTP 500") == true)
            #expect(waiting.nextAttemptAt == t0.addingTimeInterval(30))
            try await sender.deliverDue(now: t0.addingTimeInterval(29))
            #expect(server.received.isEmpty)
            try await sender.deliverDue(now: t0.addingTimeInterval(30))
        }
        #expect(server.received.count == 1)
        #expect(server.received.first?.json?["event"] as? String == "task_notice")
        let record = try #require(try await harness.store.notifications(NotificationQuery()).first)
        #expect(record.status == .sent && record.attempts == 2)
        let attempts = try await harness.store.notificationAttempts(id: record.id)
        #expect(attempts.count == 2 && attempts[0].error?.hasPrefix("channel webhook: HTTP 500") == true && attempts[1].error == nil)
    }

    @Test func aRateLimitDefersAndAPermanentRefusalGivesUpAtOnce() async throws {
        let dag = DAG("burst") { d in
            d.task("t") { ctx in for index in 0..<3 { ctx.notify(key: "burst-\(index)", title: "message \(index)") } }
        }
        let harness = try await DAGTestHarness(dags: [dag], notifications: try Self.settings([], channels: ["webhook", "slack"]))
        #expect(try await harness.run("burst").state == .success)
        let server = Self.sandbox()
        server.inject(.rateLimited(retryAfterSeconds: 120), on: .receivers, matching: "/__receivers/slack", times: 1)
        let t0 = Date()
        try await server.withRunning { endpoints in
            var channels = Self.webhook(endpoints)
            channels["slack"] = SlackChannel(webhookURL: endpoints.root + "/__receivers/slack/services/T0/B0/X", http: Self.http)
            let sender = OutboxSender(store: harness.store, channels: channels, policy: .init(perMinute: 2))
            try await sender.deliverDue(now: t0)
            // Two per channel per minute: the webhook's third waits; Slack's 429 asked for 120 s.
            #expect(server.received.filter { $0.service == .webhook }.count == 2)
            // Slack asked to wait: its other messages wait as long, without an attempt.
            let slack = try await harness.store.notifications(NotificationQuery(channel: "slack"))
            #expect(slack.map(\.attempts).sorted() == [0, 0, 1] && slack.allSatisfy { $0.nextAttemptAt == t0.addingTimeInterval(120) })
            try await sender.deliverDue(now: t0.addingTimeInterval(61))
            #expect(server.received.filter { $0.service == .webhook }.count == 3)
        }
        // A channel the configuration does not have fails for good, saying which exist.
        try await harness.store.enqueueNotifications([
            NotificationDraft(key: "x", channel: "pager", event: "test", title: "t", createdAt: t0)
        ])
        try await OutboxSender(store: harness.store, channels: [:]).deliverDue(now: t0.addingTimeInterval(200))
        let pager = try #require(try await harness.store.notifications(NotificationQuery(channel: "pager")).first)
        #expect(pager.status == .failed && pager.lastError == "no channel 'pager' is configured (configured: none)")
    }

    @Test func deadlinesMissedSchedulesAndStaleAssetsAreToldOnceOnAManualClock() async throws {
        let t0 = Date(timeIntervalSince1970: 1_765_000_800)  // 2025-12-06T06:00:00Z
        let clock = ManualClock(now: t0)
        let prices = Asset("prices")
        let hourly = DAG("hourly", schedule: "@hourly", startDate: t0.addingTimeInterval(-86_400)) { d in
            d.task("fetch", options: TaskOptions().updating(prices)) { _ in }
        }
        let harness = try await DAGTestHarness(
            dags: [hourly], clock: clock,
            notifications: try Self.settings([
                "sla dags=hourly after=1h", "missed_schedule grace=5m", "asset_stale asset=prices max_age=2h",
            ]))
        let engine = harness.engine
        // The scheduler last ran the interval ending at t0; then it was down for three hours.
        try await harness.store.setLastScheduledInterval("hourly", DataInterval(start: t0.addingTimeInterval(-3600), end: t0))
        let late = try await engine.trigger(
            dagId: "hourly", logicalDate: t0.addingTimeInterval(-3600),
            dataInterval: DataInterval(start: t0.addingTimeInterval(-3600), end: t0),
            runType: .scheduled)
        try await engine.checkNotificationRules(now: t0.addingTimeInterval(1800))
        #expect(try await harness.store.notifications(NotificationQuery()).isEmpty)
        clock.advance(by: 3 * 3600)
        for _ in 0..<2 { try await engine.checkNotificationRules(now: clock.now) }
        let records = try await harness.store.notifications(NotificationQuery())
        let byEvent = Dictionary(grouping: records, by: \.draft.event)
        #expect(records.count == 3)
        #expect(byEvent["sla_missed"]?.first?.draft.runId == late.runId)
        #expect(
            byEvent["schedule_missed"]?.first?.draft.title == "hourly: 2 scheduled run(s) did not start when due (was the scheduler down?)")
        #expect(byEvent["asset_stale"]?.first?.draft.title == "asset prices not updated for 3h")
    }

    @Test func emailGoesThroughSMTPWithItsLoginAndRefusalsNameNoPassword() async throws {
        let smtp = SandboxSMTPServer(login: ("alerts", "pa55word"), refusing: ["nobody@example.com"])
        let message = Notification(
            event: "task_failed", title: "etl: task load failed (try 2) — ünïcode", lines: ["KeyError: 'close'", ".leading dot"],
            dagId: "etl", runId: "r1", links: [.init("updraft runs show r1 --dag etl")],
            timestamp: Date(timeIntervalSince1970: 1_765_000_000))
        let (wrongPassword, refused) = try await smtp.withRunning { port in
            let url = "smtp://127.0.0.1:\(port)"
            try await EmailChannel(
                smtp: SMTPClient(url: url, username: "alerts", password: "pa55word", security: .none), from: "updraft@example.com",
                to: ["ops@example.com"]
            ).send(message)
            var first: ChannelError?, second: ChannelError?
            do {
                try await EmailChannel(
                    smtp: SMTPClient(url: url, username: "alerts", password: "WRONG-SECRET", security: .none), from: "updraft@example.com",
                    to: ["ops@example.com"]
                ).send(message)
            } catch let error as ChannelError { first = error }
            do {
                try await EmailChannel(
                    smtp: SMTPClient(url: url, username: "alerts", password: "pa55word", security: .none), from: "updraft@example.com",
                    to: ["nobody@example.com"]
                ).send(message)
            } catch let error as ChannelError { second = error }
            return (first, second)
        }
        let mail = try #require(smtp.received.first)
        #expect(smtp.received.count == 1)
        #expect(mail.from == "updraft@example.com" && mail.recipients == ["ops@example.com"] && mail.username == "alerts")
        #expect(
            mail.data.contains(
                "Subject: =?UTF-8?B?" + Data("etl: task load failed (try 2) — ünïcode".utf8).base64EncodedString() + "?=\r\n"))
        #expect(mail.data.contains("Date: Sat, 06 Dec 2025 05:46:40 +0000\r\n"))
        #expect(mail.data.contains("\r\n\r\nKeyError: 'close'\r\n.leading dot\r\n\r\nupdraft runs show r1 --dag etl\r\n"))
        let login = try #require(wrongPassword)
        #expect(login.isPermanent && login.description.contains("535") && !login.description.contains("WRONG-SECRET"))
        let recipient = try #require(refused)
        #expect(recipient.isPermanent && recipient.description.contains("550"))
    }

    /// Each service's own documented example (kept with its address) is accepted by the sandbox's
    /// receiver, and our payload uses only fields the service documents, with the example's types.
    @Test(arguments: [
        ("slack-incoming-webhook", "/__receivers/slack/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"),
        ("discord-execute-webhook", "/__receivers/discord/api/webhooks/1/token"),
        ("telegram-sendmessage", "/bot123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11/sendMessage"),
    ])
    func ourPayloadsHaveTheShapeOfEachServicesDocumentedExample(_ fixture: String, _ path: String) async throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/notifications")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(fixture + ".json"))) as? [String: Any])
        #expect((document["source"] as? String)?.hasPrefix("https://") == true)
        let example = try #require(document["example"] as? [String: Any])
        let fields = Set(try #require(document["fields"] as? [String]))
        let server = Self.sandbox()
        let bytes = try JSONSerialization.data(withJSONObject: example)
        let status = try await server.withRunning { endpoints in
            let response = try await Self.http.send(
                HTTPRequest(url: endpoints.root + path, headers: ["Content-Type": "application/json"], method: "POST", body: Array(bytes)))
            let notification = Notification(event: "test", title: "Hello", lines: ["World"], timestamp: Date())
            switch fixture {
            case "slack-incoming-webhook": try await SlackChannel(webhookURL: endpoints.root + path, http: Self.http).send(notification)
            case "discord-execute-webhook": try await DiscordChannel(webhookURL: endpoints.root + path, http: Self.http).send(notification)
            default:
                try await TelegramChannel(
                    botToken: "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11", chatId: "-100", apiBase: endpoints.root, http: Self.http
                )
                .send(notification)
            }
            return response.status
        }
        #expect((200..<300).contains(status))
        #expect(server.received.count == 2)
        let ours = try #require(server.received.last?.json)
        #expect(Set(ours.keys).isSubset(of: fields), "undocumented fields: \(Set(ours.keys).subtracting(fields))")
        for (key, value) in example where key != "chat_id" {
            guard let mine = ours[key] else { continue }
            #expect(type(of: mine) == type(of: value) || (mine is String) == (value is String), "\(key) has another type")
        }
    }
}

/// A retryable failure of a test's task.
struct RuntimeFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A value guarded by a lock, for tasks' test state.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
