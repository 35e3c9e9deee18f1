import KlaxonGoCompat

/// `discord_configs` entry.
public struct DiscordConfig: Sendable, Hashable {
    /// `send_resolved`; default true.
    public var sendResolved: Bool = true
    /// `http_config` (the global one when not given).
    public var httpConfig: HTTPClientConfig = HTTPClientConfig()
    /// `webhook_url` (required).
    public var webhookURL: SecretURL?
    /// `title`.
    public var title: String = #"{{ template "discord.default.title" . }}"#
    /// `message`.
    public var message: String = #"{{ template "discord.default.message" . }}"#
    var httpConfigGiven = false
}

/// `webex_configs` entry.
public struct WebexConfig: Sendable, Hashable {
    /// `send_resolved`; default true.
    public var sendResolved: Bool = true
    /// `http_config` (the global one when not given); its `authorization` is required.
    public var httpConfig: HTTPClientConfig = HTTPClientConfig()
    /// `api_url` (or the global `webex_api_url`).
    public var apiURL: ConfigURL?
    /// `message`.
    public var message: String = #"{{ template "webex.default.message" . }}"#
    /// `room_id` (required; sent as written, not a template).
    public var roomID: String = ""
    var httpConfigGiven = false
}

/// `pushover_configs` entry.
public struct PushoverConfig: Sendable, Hashable {
    /// `send_resolved`; default true.
    public var sendResolved: Bool = true
    /// `http_config` (the global one when not given).
    public var httpConfig: HTTPClientConfig = HTTPClientConfig()
    /// `user_key` (required; a template).
    public var userKey: Secret = Secret("")
    /// `token` (required; a template).
    public var token: Secret = Secret("")
    /// `title`.
    public var title: String = #"{{ template "pushover.default.title" . }}"#
    /// `message`.
    public var message: String = #"{{ template "pushover.default.message" . }}"#
    /// `url`.
    public var url: String = #"{{ template "pushover.default.url" . }}"#
    /// `url_title`.
    public var urlTitle: String = ""
    /// `sound`.
    public var sound: String = ""
    /// `priority`: emergency (2) while firing, normal (0) when resolved.
    public var priority: String = #"{{ if eq .Status "firing" }}2{{ else }}0{{ end }}"#
    /// `retry`; default 1m.
    public var retry: GoDuration = GoDuration(.seconds(60))
    /// `expire`; default 1h.
    public var expire: GoDuration = GoDuration(.seconds(3600))
    /// `html`.
    public var html: Bool = false
    var httpConfigGiven = false
}

/// `opsgenie_configs` entry.
public struct OpsGenieConfig: Sendable, Hashable {
    /// A `responders` entry; every field is a template.
    public struct Responder: Sendable, Hashable {
        /// `id`.
        public var id: String = ""
        /// `name` (for `type: teams`, a comma-separated list of team names).
        public var name: String = ""
        /// `username`.
        public var username: String = ""
        /// `type`: team, teams, user, escalation or schedule (any case), or a template.
        public var type: String = ""

        /// Creates a responder.
        public init(id: String = "", name: String = "", username: String = "", type: String = "") {
            self.id = id
            self.name = name
            self.username = username
            self.type = type
        }
    }

    /// `send_resolved`; default true.
    public var sendResolved: Bool = true
    /// `http_config` (the global one when not given).
    public var httpConfig: HTTPClientConfig = HTTPClientConfig()
    /// `api_key` (or the global `opsgenie_api_key`); a template.
    public var apiKey: Secret?
    /// `api_key_file` (or the global one), resolved; its content is a template too.
    public var apiKeyFile: String?
    /// `api_url` (or the global `opsgenie_api_url`), its path ending in `/`.
    public var apiURL: ConfigURL?
    /// `message`.
    public var message: String = #"{{ template "opsgenie.default.message" . }}"#
    /// `description`.
    public var description: String = #"{{ template "opsgenie.default.description" . }}"#
    /// `source`.
    public var source: String = #"{{ template "opsgenie.default.source" . }}"#
    /// `details`: templates, over the common labels.
    public var details: [String: String] = [:]
    /// `entity`.
    public var entity: String = ""
    /// `responders`.
    public var responders: [Responder] = []
    /// `actions`: a comma-separated list.
    public var actions: String = ""
    /// `tags`: a comma-separated list.
    public var tags: String = ""
    /// `note`.
    public var note: String = ""
    /// `priority`.
    public var priority: String = ""
    /// `update_alerts`: also update the message and description of an open alert.
    public var updateAlerts: Bool = false
    var httpConfigGiven = false
}

/// `victorops_configs` entry.
public struct VictorOpsConfig: Sendable, Hashable {
    /// `send_resolved`; default true.
    public var sendResolved: Bool = true
    /// `http_config` (the global one when not given).
    public var httpConfig: HTTPClientConfig = HTTPClientConfig()
    /// `api_key` (or the global `victorops_api_key`).
    public var apiKey: Secret?
    /// `api_key_file`, resolved.
    public var apiKeyFile: String?
    /// `api_url` (or the global `victorops_api_url`), its path ending in `/`.
    public var apiURL: ConfigURL?
    /// `routing_key` (required; a template).
    public var routingKey: String = ""
    /// `message_type`: INFO, WARNING or CRITICAL while firing (anything else is sent as CRITICAL).
    public var messageType: String = "CRITICAL"
    /// `state_message`.
    public var stateMessage: String = #"{{ template "victorops.default.state_message" . }}"#
    /// `entity_display_name`.
    public var entityDisplayName: String = #"{{ template "victorops.default.entity_display_name" . }}"#
    /// `monitoring_tool`.
    public var monitoringTool: String = #"{{ template "victorops.default.monitoring_tool" . }}"#
    /// `custom_fields`: templates, added to the payload.
    public var customFields: [String: String] = [:]
    var httpConfigGiven = false

    /// Payload fields a custom field must not replace.
    public static let reservedFields = [
        "routing_key", "message_type", "state_message", "entity_display_name", "monitoring_tool", "entity_id",
        "entity_state",
    ]
}

/// `wechat_configs` entry.
public struct WechatConfig: Sendable, Hashable {
    /// `send_resolved`; default false.
    public var sendResolved: Bool = false
    /// `http_config` (the global one when not given).
    public var httpConfig: HTTPClientConfig = HTTPClientConfig()
    /// `api_secret` (or the global `wechat_api_secret`); a template.
    public var apiSecret: Secret = Secret("")
    /// `corp_id` (or the global `wechat_api_corp_id`); a template.
    public var corpID: String = ""
    /// `api_url` (or the global `wechat_api_url`).
    public var apiURL: ConfigURL?
    /// `message`.
    public var message: String = #"{{ template "wechat.default.message" . }}"#
    /// `to_user`.
    public var toUser: String = #"{{ template "wechat.default.to_user" . }}"#
    /// `to_party`.
    public var toParty: String = #"{{ template "wechat.default.to_party" . }}"#
    /// `to_tag`.
    public var toTag: String = #"{{ template "wechat.default.to_tag" . }}"#
    /// `agent_id`.
    public var agentID: String = #"{{ template "wechat.default.agent_id" . }}"#
    /// `message_type`: `text` (default) or `markdown`.
    public var messageType: String = "text"
    var httpConfigGiven = false
}

/// `telegram_configs` entry.
public struct TelegramConfig: Sendable, Hashable {
    /// `send_resolved`; default true.
    public var sendResolved: Bool = true
    /// `http_config` (the global one when not given).
    public var httpConfig: HTTPClientConfig = HTTPClientConfig()
    /// `api_url` (or the global `telegram_api_url`).
    public var apiURL: ConfigURL?
    /// `bot_token` (required; not a template).
    public var botToken: Secret = Secret("")
    /// `chat_id` (required, not 0).
    public var chatID: Int = 0
    /// `message`.
    public var message: String = #"{{ template "telegram.default.message" . }}"#
    /// `disable_notifications`.
    public var disableNotifications: Bool = false
    /// `parse_mode`: `HTML` (default; the message is rendered as html/template), `Markdown`, `MarkdownV2` or empty.
    public var parseMode: String = "HTML"
    var httpConfigGiven = false
}
