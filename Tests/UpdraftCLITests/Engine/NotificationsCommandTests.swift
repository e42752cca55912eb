import ExchangeSandbox
import Foundation
import Testing

/// `updraft notifications channels|test` through the engine's own binary, against the sandbox's
/// receivers: the configured channel delivers, an unconfigured one says which keys to set, a
/// refusal says why, and no token reaches an output.
@Suite struct NotificationsCommandTests {
    @Test func aTestMessageGoesThroughTheConfiguredChannelAndNoSecretIsPrinted() async throws {
        let harness = try BinaryHarness(product: "updraft-example")
        let sandbox = SandboxServer(configuration: SandboxConfiguration(now: Date(timeIntervalSince1970: 1_765_000_000), coinCount: 3))
        let results = try await sandbox.withRunning { endpoints in
            let environment = [
                "UPDRAFT_NOTIFICATIONS_TELEGRAM_BOT_TOKEN": "42:SECRET-TOKEN", "UPDRAFT_NOTIFICATIONS_TELEGRAM_CHAT_ID": "-100",
                "UPDRAFT_NOTIFICATIONS_TELEGRAM_API": endpoints.root,
                "UPDRAFT_NOTIFICATIONS_DISCORD_WEBHOOK_URL": endpoints.root + "/__receivers/discord/api/webhooks/1/DISCORD-SECRET",
            ]
            let channels = try harness.run(["notifications", "channels"], environment: environment)
            let sent = try harness.run(["notifications", "test", "telegram"], environment: environment)
            let missing = try harness.run(["notifications", "test", "slack"], environment: environment)
            sandbox.inject(.rateLimited(retryAfterSeconds: 3), on: .receivers)
            let refused = try harness.run(["notifications", "test", "discord"], environment: environment)
            let shown = try harness.run(["config", "show"], environment: environment)
            return [channels, sent, missing, refused, shown]
        }
        let (channels, sent, missing, refused, shown) = (results[0], results[1], results[2], results[3], results[4])
        #expect(channels.status == 0 && channels.stdout.contains("telegram  yes") && channels.stdout.contains("slack     no"))
        #expect(sent.status == 0 && sent.stdout.contains("sent a test message through telegram"))
        let message = try #require(sandbox.received.first)
        #expect(message.service == .telegram && message.path == "/bot42:SECRET-TOKEN/sendMessage")
        #expect((message.json?["text"] as? String)?.hasPrefix("Updraft test message") == true)
        #expect(missing.status != 0 && missing.stderr.contains("notifications.slack_webhook_url"))
        #expect(refused.status != 0 && refused.stderr.contains("HTTP 429") && refused.stderr.contains("retry after 3 s"))
        #expect(sandbox.received.count == 1)
        for result in results {
            #expect(!(result.stdout + result.stderr).contains("SECRET"), "a secret in the output of a command")
        }
        #expect(shown.status == 0 && shown.stdout.contains("notifications.telegram_bot_token"))
    }

    @Test func aFailedRunIsToldThroughTheOutboxByTheProcessThatRanItAndListed() async throws {
        let harness = try BinaryHarness(product: "updraft-example")
        let sandbox = SandboxServer(configuration: SandboxConfiguration(now: Date(timeIntervalSince1970: 1_765_000_000), coinCount: 3))
        let results = try await sandbox.withRunning { endpoints in
            let environment = [
                "UPDRAFT_NOTIFICATIONS_WEBHOOK_URL": endpoints.root + "/__receivers/webhook?token=HOOK-SECRET",
                "UPDRAFT_NOTIFICATIONS_WEBHOOK_SIGNING_SECRET": "SIGNING-SECRET",
                "UPDRAFT_NOTIFICATIONS_RULES": "failure dags=example_etl channels=webhook",
            ]
            let failed = try harness.run(
                ["dags", "trigger", "example_etl", "--conf", #"{"n": 20000}"#, "--wait"], environment: environment)
            let listed = try harness.run(["notifications", "list"], environment: environment)
            let json = try harness.run(["notifications", "list", "--json", "--attempts"], environment: environment)
            let badRule = try harness.run(
                ["runs", "list"], environment: environment.merging(["UPDRAFT_NOTIFICATIONS_RULES": "failure channels=slack"]) { $1 })
            return [failed, listed, json, badRule]
        }
        #expect(results[0].status != 0)
        let message = try #require(sandbox.received.first)
        #expect(sandbox.received.count == 1)
        let json = try #require(message.json)
        #expect(json["event"] as? String == "task_failed" && json["task_id"] as? String == "extract")
        #expect((json["text"] as? String)?.contains("n is 20000: at most 10,000 rows") == true)
        #expect(message.headers["x-updraft-signature"]?.hasPrefix("sha256=") == true)
        #expect(results[1].status == 0 && results[1].stdout.contains("webhook") && results[1].stdout.contains("sent"))
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(results[2].stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 1 && rows[0]["status"] as? String == "sent" && (rows[0]["attempt_log"] as? [Any])?.count == 1)
        #expect(results[3].status != 0 && results[3].stderr.contains("notifications.rules[1]: channel 'slack' is not configured"))
        for result in results {
            #expect(!(result.stdout + result.stderr).contains("SECRET"), "a secret in the output of a command")
        }
    }
}
