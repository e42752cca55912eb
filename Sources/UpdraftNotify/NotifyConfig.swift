import Foundation
import UpdraftConfig
import UpdraftHTTP

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
        ConfigKey<String>.notifyTelegramAPI.spec, ConfigKey<String>.notifyUIAddress.spec,
    ]

    /// The names of every channel type.
    public static let channelNames = ["webhook", "slack", "discord", "telegram"]

    /// The channels `configuration` sets up, by name (a channel without its URL or token is absent).
    public static func channels(_ configuration: UpdraftConfiguration, http: HTTPClient = HTTPClient()) -> [String: any NotificationChannel]
    {
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
        return channels
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
    /// `notifications.ui_url`: the web UI's address, for links in messages.
    public static var notifyUIAddress: ConfigKey<String> {
        ConfigKey("notifications.ui_url", .string, default: "", "The web UI's address for links in messages (empty: no links).")
    }
}
