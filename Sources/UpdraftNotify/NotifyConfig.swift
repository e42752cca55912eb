import Foundation
import UpdraftConfig
import UpdraftHTTP
import UpdraftRuntime

/// The channels' configuration keys (`notifications.*`). URLs with tokens and the tokens
/// themselves are secrets: from the environment, a `_file`, or an owner-only `updraft.yaml`;
/// never printed by `config show`, errors or logs.
///
/// ```yaml
/// notifications:
///   slack_webhook_url_file: /run/secrets/slack      # or UPDRAFT_NOTIFICATIONS_SLACK_WEBHOOK_URL
///   telegram_bot_token_file: /run/secrets/telegram
///   telegram_chat_id: "-1001234567890"
/// ```
public enum NotifyConfig {
    public static let keys: [ConfigKeySpec] = [
        ConfigKey<Secret>.notifyWebhookURL.spec, ConfigKey<Secret>.notifyWebhookSecret.spec, ConfigKey<Secret>.notifySlackURL.spec,
        ConfigKey<Secret>.notifyDiscordURL.spec, ConfigKey<Secret>.notifyTelegramToken.spec, ConfigKey<String>.notifyTelegramChat.spec,
        ConfigKey<String>.notifyTelegramAPI.spec, ConfigKey<String>.notifySMTPURL.spec, ConfigKey<String>.notifySMTPUsername.spec,
        ConfigKey<Secret>.notifySMTPPassword.spec, ConfigKey<String>.notifySMTPSecurity.spec, ConfigKey<String>.notifyEmailFrom.spec,
        ConfigKey<[String]>.notifyEmailTo.spec, ConfigKey<String>.notifyUIAddress.spec, ConfigKey<[String]>.notifyRules.spec,
        ConfigKey<Int>.notifyGroupSeconds.spec, ConfigKey<Int>.notifyPerMinute.spec, ConfigKey<Int>.notifyMaxAttempts.spec,
    ]

    /// The names of every channel type.
    public static let channelNames = ["webhook", "slack", "discord", "telegram", "email"]

    /// The engine's rules and the configured channels' names (`notifications.rules`,
    /// `notifications.group_seconds`); a rule line that cannot be read or names a channel that
    /// is not configured throws, naming the key and the line.
    public static func settings(_ configuration: UpdraftConfiguration) throws -> NotificationSettings {
        let configured = try channels(configuration).keys.sorted()
        let rules = try NotificationRule.parse(configuration[.notifyRules])
        for (index, rule) in rules.enumerated() {
            for name in rule.channels ?? [] where !configured.contains(name) {
                throw NotificationRuleError(
                    "notifications.rules[\(index + 1)]: channel '\(name)' is not configured (configured: "
                        + (configured.isEmpty ? "none" : configured.joined(separator: ", ")) + ")")
            }
        }
        return NotificationSettings(
            rules: rules, channels: configured, groupWindow: TimeInterval(configuration[.notifyGroupSeconds]))
    }

    /// How the outbox is delivered (`notifications.rate_limit_per_minute`, `max_attempts`, `ui_url`).
    public static func policy(_ configuration: UpdraftConfiguration) -> OutboxSender.DeliveryPolicy {
        OutboxSender.DeliveryPolicy(
            maxAttempts: configuration[.notifyMaxAttempts], perMinute: configuration[.notifyPerMinute],
            uiURL: configuration[.notifyUIAddress])
    }

    /// The channels `configuration` sets up, by name (a channel without its URL or token is
    /// absent); throws for an SMTP address that is not `smtp://` or `smtps://`, or e-mail without
    /// a sender or recipients.
    public static func channels(
        _ configuration: UpdraftConfiguration, http: HTTPClient = HTTPClient()
    ) throws -> [String: any NotificationChannel] {
        var channels: [String: any NotificationChannel] = [:]
        let webhook = configuration[.notifyWebhookURL]
        if !webhook.isEmpty {
            let secret = configuration[.notifyWebhookSecret]
            channels["webhook"] = WebhookChannel(url: webhook.revealed, signingSecret: secret.isEmpty ? nil : secret.revealed, http: http)
        }
        let slack = configuration[.notifySlackURL]
        if !slack.isEmpty { channels["slack"] = SlackChannel(webhookURL: slack.revealed, http: http) }
        let discord = configuration[.notifyDiscordURL]
        if !discord.isEmpty { channels["discord"] = DiscordChannel(webhookURL: discord.revealed, http: http) }
        let token = configuration[.notifyTelegramToken]
        let chat = configuration[.notifyTelegramChat]
        if !token.isEmpty, !chat.isEmpty {
            channels["telegram"] = TelegramChannel(
                botToken: token.revealed, chatId: chat, apiBase: configuration[.notifyTelegramAPI], http: http)
        }
        let smtp = configuration[.notifySMTPURL]
        if !smtp.isEmpty {
            guard let scheme = URL(string: smtp)?.scheme?.lowercased(), ["smtp", "smtps"].contains(scheme), URL(string: smtp)?.host != nil
            else { throw NotificationRuleError("notifications.smtp_url: '\(smtp)' is not an smtp:// or smtps:// address") }
            let from = configuration[.notifyEmailFrom], to = configuration[.notifyEmailTo]
            guard !from.isEmpty, !to.isEmpty else {
                throw NotificationRuleError(
                    "notifications.smtp_url is set: notifications.email_from and notifications.email_to are needed too")
            }
            guard let security = SMTPClient.Security(rawValue: configuration[.notifySMTPSecurity]) else {
                throw NotificationRuleError("notifications.smtp_security: one of tls, starttls_if_offered, none")
            }
            let username = configuration[.notifySMTPUsername], password = configuration[.notifySMTPPassword]
            channels["email"] = EmailChannel(
                smtp: SMTPClient(
                    url: smtp, username: username.isEmpty ? nil : username, password: password.isEmpty ? nil : password.revealed,
                    security: security), from: from, to: to)
        }
        return channels
    }
}

extension ConfigKey where Value == [String] {
    /// `notifications.rules`: when the engine sends messages, one rule per line.
    public static var notifyRules: ConfigKey<[String]> {
        ConfigKey(
            "notifications.rules", .list, default: [],
            "Rules, one per line: failure|retry|recovery|sla|missed_schedule|asset_stale [dags=a,b] [tasks=x*] [channels=slack] ...")
    }
    /// `notifications.email_to`: the recipients of e-mail.
    public static var notifyEmailTo: ConfigKey<[String]> {
        ConfigKey("notifications.email_to", .list, default: [], "Recipients of the e-mail channel.")
    }
}

extension ConfigKey where Value == Int {
    /// `notifications.group_seconds`: how long a run's first failure waits for others.
    public static var notifyGroupSeconds: ConfigKey<Int> {
        ConfigKey(
            "notifications.group_seconds", .integer(minimum: 0), default: 30,
            "Seconds a run's first failure waits so that later failures of the run join its message (the run's end sends it at once).")
    }
    /// `notifications.rate_limit_per_minute`: messages per channel per minute.
    public static var notifyPerMinute: ConfigKey<Int> {
        ConfigKey("notifications.rate_limit_per_minute", .integer(minimum: 1), default: 20, "Messages per channel per minute; more wait.")
    }
    /// `notifications.max_attempts`: delivery attempts before a message is given up.
    public static var notifyMaxAttempts: ConfigKey<Int> {
        ConfigKey(
            "notifications.max_attempts", .integer(minimum: 1), default: 8,
            "Attempts per message (30 s, then doubling up to an hour, between them) before it is marked failed.")
    }
}

extension ConfigKey where Value == Secret {
    /// `notifications.webhook_url`: where the generic webhook POSTs (a secret: it may hold a token).
    public static var notifyWebhookURL: ConfigKey<Secret> {
        ConfigKey("notifications.webhook_url", .secret, default: Secret(""), "URL the generic webhook channel POSTs JSON to.")
    }
    /// `notifications.webhook_signing_secret`: the HMAC key of `X-Updraft-Signature`.
    public static var notifyWebhookSecret: ConfigKey<Secret> {
        ConfigKey(
            "notifications.webhook_signing_secret", .secret, default: Secret(""),
            "Key of the webhook's X-Updraft-Signature: sha256=<HMAC of the body>; empty sends no signature.")
    }
    /// `notifications.slack_webhook_url`: a Slack incoming webhook.
    public static var notifySlackURL: ConfigKey<Secret> {
        ConfigKey("notifications.slack_webhook_url", .secret, default: Secret(""), "Slack incoming webhook URL.")
    }
    /// `notifications.discord_webhook_url`: a Discord channel webhook.
    public static var notifyDiscordURL: ConfigKey<Secret> {
        ConfigKey("notifications.discord_webhook_url", .secret, default: Secret(""), "Discord webhook URL.")
    }
    /// `notifications.smtp_password`: the SMTP login's password.
    public static var notifySMTPPassword: ConfigKey<Secret> {
        ConfigKey("notifications.smtp_password", .secret, default: Secret(""), "Password of the SMTP login.")
    }
    /// `notifications.telegram_bot_token`: the bot's token (`123456:ABC…`).
    public static var notifyTelegramToken: ConfigKey<Secret> {
        ConfigKey("notifications.telegram_bot_token", .secret, default: Secret(""), "Telegram bot token for sendMessage.")
    }
}

extension ConfigKey where Value == String {
    /// `notifications.telegram_chat_id`: the chat the bot writes to.
    public static var notifyTelegramChat: ConfigKey<String> {
        ConfigKey("notifications.telegram_chat_id", .string, default: "", "Telegram chat id the bot writes to.")
    }
    /// `notifications.telegram_api`: Telegram's Bot API address (the sandbox in tests).
    public static var notifyTelegramAPI: ConfigKey<String> {
        ConfigKey("notifications.telegram_api", .url, default: "https://api.telegram.org", "Telegram Bot API address.")
    }
    /// `notifications.smtp_url`: the mail server, `smtps://host:465` or `smtp://host:587`.
    public static var notifySMTPURL: ConfigKey<String> {
        ConfigKey(
            "notifications.smtp_url", .string, default: "",
            "Mail server of the e-mail channel: smtps://host:465 or smtp://host:587 (no password here: smtp_password).")
    }
    /// `notifications.smtp_username`: the SMTP login (empty: none).
    public static var notifySMTPUsername: ConfigKey<String> {
        ConfigKey("notifications.smtp_username", .string, default: "", "SMTP login (empty: send without one).")
    }
    /// `notifications.smtp_security`: `tls` (default), `starttls_if_offered` or `none`.
    public static var notifySMTPSecurity: ConfigKey<String> {
        ConfigKey(
            "notifications.smtp_security", .choice(SMTPClient.Security.allCases.map(\.rawValue)), default: "tls",
            "tls: smtps:// or STARTTLS required; starttls_if_offered; none (a relay on loopback).")
    }
    /// `notifications.email_from`: the sender address.
    public static var notifyEmailFrom: ConfigKey<String> {
        ConfigKey("notifications.email_from", .string, default: "", "Sender address of the e-mail channel.")
    }
    /// `notifications.ui_url`: the web UI's address, for links in messages.
    public static var notifyUIAddress: ConfigKey<String> {
        ConfigKey("notifications.ui_url", .string, default: "", "The web UI's address for links in messages (empty: no links).")
    }
}
