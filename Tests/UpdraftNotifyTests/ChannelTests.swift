import ExchangeSandbox
import Foundation
import Testing
import UpdraftHTTP
import UpdraftNotify

/// Each channel's message as the sandbox's receivers got it, their limits and refusals, and no
/// secret in any error.
@Suite struct ChannelTests {
    static let notification = Notification(
        event: "task_failed", title: "etl.load failed (try 2 of 3)",
        lines: ["TaskFailure: the variable <api_ok> is not 'yes' & @everyone"], dagId: "etl", runId: "manual__1", taskId: "load",
        tryNumber: 2,
        links: [.init("updraft runs show etl manual__1"), .init("run page", url: "http://127.0.0.1:8080/dags/etl/runs/manual__1")],
        timestamp: Date(timeIntervalSince1970: 1_765_000_000))

    static func sandbox() -> SandboxServer {
        SandboxServer(configuration: SandboxConfiguration(now: Date(timeIntervalSince1970: 1_765_000_000), coinCount: 5))
    }

    /// A client of its own per use: a 429's pause of the host is not the next test's business.
    static var http: HTTPClient { HTTPClient(configuration: .init(retry: HTTPRetryPolicy(maxAttempts: 1), traffic: HostTraffic())) }

    @Test func theWebhookGetsTheNotificationAsJSONSignedWithTheSecret() async throws {
        let server = Self.sandbox()
        try await server.withRunning { endpoints in
            try await WebhookChannel(url: endpoints.root + "/__receivers/webhook", signingSecret: "shh", http: Self.http).send(
                Self.notification)
        }
        let message = try #require(server.received.first)
        #expect(message.service == .webhook)
        let json = try #require(message.json)
        #expect(json["event"] as? String == "task_failed" && json["dag_id"] as? String == "etl" && json["try_number"] as? Int == 2)
        #expect(json["timestamp"] as? String == "2025-12-06T05:46:40Z")
        #expect((json["text"] as? String)?.hasPrefix("etl.load failed (try 2 of 3)\nTaskFailure") == true)
        // The signature is the HMAC of the body exactly as received.
        #expect(message.headers["x-updraft-signature"] == WebhookChannel.signature(of: message.body, secret: "shh"))
        #expect(message.headers["x-updraft-signature"]?.hasPrefix("sha256=") == true)
    }

    @Test func slackGetsTextAndBlocksWithItsControlCharactersEscaped() async throws {
        let server = Self.sandbox()
        try await server.withRunning { endpoints in
            try await SlackChannel(webhookURL: endpoints.root + "/__receivers/slack/services/T000/B000/XXXX", http: Self.http)
                .send(Self.notification)
        }
        let json = try #require(server.received.first?.json)
        #expect(json["text"] as? String == "etl.load failed (try 2 of 3)")
        let blocks = try #require(json["blocks"] as? [[String: Any]])
        #expect(blocks.map { $0["type"] as? String } == ["header", "section"])
        let section = try #require((blocks[1]["text"] as? [String: Any])?["text"] as? String)
        #expect(section.contains("&lt;api_ok&gt; is not 'yes' &amp; @everyone"))
        #expect(section.contains("<http://127.0.0.1:8080/dags/etl/runs/manual__1|run page>"))
    }

    @Test func discordGetsAtMost2000CharactersAndPingsNobody() async throws {
        let server = Self.sandbox()
        var long = Self.notification
        long.lines = [String(repeating: "x", count: 5_000)]
        let message = long
        try await server.withRunning { endpoints in
            try await DiscordChannel(webhookURL: endpoints.root + "/__receivers/discord/api/webhooks/1/abc", http: Self.http).send(message)
        }
        let json = try #require(server.received.first?.json)
        #expect((json["content"] as? String)?.count == 2_000 && (json["content"] as? String)?.hasSuffix("…") == true)
        #expect((json["allowed_mentions"] as? [String: Any])?["parse"] as? [String] == [])
        #expect(json["username"] as? String == "Updraft")
    }

    @Test func telegramGetsChatAndTextWithinItsLimit() async throws {
        let server = Self.sandbox()
        var long = Self.notification
        long.lines = [String(repeating: "y", count: 9_000)]
        let sent = long
        try await server.withRunning { endpoints in
            try await TelegramChannel(botToken: "123456:ABC-DEF", chatId: "-100200", apiBase: endpoints.root, http: Self.http).send(sent)
        }
        let message = try #require(server.received.first)
        #expect(message.path == "/bot123456:ABC-DEF/sendMessage")
        let json = try #require(message.json)
        #expect(json["chat_id"] as? String == "-100200" && (json["text"] as? String)?.count == 4_096)
        #expect(json["disable_web_page_preview"] as? Bool == true)
    }

    @Test func refusalsSayWhyAndWhenToRetryAndNeverTheSecret() async throws {
        let server = Self.sandbox()
        server.inject(.rateLimited(retryAfterSeconds: 7), on: .receivers)
        let (discord, telegram) = try await server.withRunning { endpoints in
            var first: ChannelError?, second: ChannelError?
            do {
                try await DiscordChannel(webhookURL: endpoints.root + "/__receivers/discord/api/webhooks/1/SECRET-TOKEN", http: Self.http)
                    .send(Self.notification)
            } catch let error as ChannelError { first = error }
            do {
                try await TelegramChannel(botToken: "999:SECRET", chatId: "", apiBase: endpoints.root, http: Self.http).send(
                    Self.notification)
            } catch let error as ChannelError { second = error }
            return (first, second)
        }
        let limited = try #require(discord)
        #expect(limited.status == 429 && limited.retryAfter == 7 && limited.reason == "You are being rate limited.")
        let refused = try #require(telegram)
        #expect(refused.status == 400 && refused.reason == "Bad Request: chat_id is empty")
        for error in [limited, refused] {
            #expect(!error.description.contains("SECRET") && !error.description.contains("999:"))
        }
        #expect(server.received.isEmpty)
        // Nobody listening: no answer, and still no secret.
        var closed: ChannelError?
        do {
            try await SlackChannel(webhookURL: "http://127.0.0.1:9/services/T/B/SECRET", http: Self.http).send(Self.notification)
        } catch { closed = error }
        let refusedConnection = try #require(closed)
        #expect(refusedConnection.status == 0 && !refusedConnection.description.contains("SECRET"))
    }
}
