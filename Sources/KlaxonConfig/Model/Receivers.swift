/// A receiver: a name and its integrations.
public struct Receiver: Sendable, Hashable {
    /// `name`.
    public var name: String
    /// `webhook_configs`.
    public var webhookConfigs: [WebhookConfig] = []
    /// `slack_configs`.
    public var slackConfigs: [SlackConfig] = []
    /// `pagerduty_configs`.
    public var pagerdutyConfigs: [PagerDutyConfig] = []
    /// `email_configs`.
    public var emailConfigs: [EmailConfig] = []
    /// `discord_configs`.
    public var discordConfigs: [DiscordConfig] = []
    /// `webex_configs`.
    public var webexConfigs: [WebexConfig] = []
    /// `pushover_configs`.
    public var pushoverConfigs: [PushoverConfig] = []
    /// `opsgenie_configs`.
    public var opsgenieConfigs: [OpsGenieConfig] = []
    /// `victorops_configs`.
    public var victoropsConfigs: [VictorOpsConfig] = []
    /// `wechat_configs`.
    public var wechatConfigs: [WechatConfig] = []
    /// `telegram_configs`.
    public var telegramConfigs: [TelegramConfig] = []
    /// `sns_configs`.
    public var snsConfigs: [SNSConfig] = []
    /// Every other integration (opsgenie, victorops, pushover, wechat, sns, telegram, webex, discord, msteams),
    /// validated and kept as YAML for display. Those Klaxon delivers also have a typed config above
    /// (``deliveredOtherIntegrations``); the rest are not delivered.
    public var otherConfigs: [OtherIntegrationConfig] = []

    /// The integrations of ``otherConfigs`` that also have a typed config and are delivered.
    public static let deliveredOtherIntegrations: Set<String> = [
        "discord", "webex", "pushover", "opsgenie", "victorops", "wechat", "telegram", "sns",
    ]

    /// Creates a receiver with no integrations.
    public init(name: String) { self.name = name }
}

/// `webhook_configs` entry.
public struct WebhookConfig: Sendable, Hashable {
    /// `send_resolved`; default true.
    public var sendResolved: Bool = true
    /// `http_config` (the global one when not given).
    public var httpConfig: HTTPClientConfig = HTTPClientConfig()
    /// `url` (secret in Klaxon).
    public var url: SecretURL?
    /// `url_file`, resolved (Klaxon accepts it as later Alertmanager versions do).
    public var urlFile: String?
    /// `max_alerts`; 0 = unlimited.
    public var maxAlerts: Int = 0
    var httpConfigGiven = false
}

/// `slack_configs` entry. Text fields are Go templates; defaults are Alertmanager's template references.
public struct SlackConfig: Sendable, Hashable {
    /// A `fields` entry.
    public struct Field: Sendable, Hashable {
        /// `title`.
        public var title: String
        /// `value`.
        public var value: String
        /// `short`; nil falls back to `short_fields`.
        public var short: Bool?
    }

    /// An `actions` entry.
    public struct Action: Sendable, Hashable {
        /// A `confirm` block.
        public struct Confirm: Sendable, Hashable {
            /// `text`.
            public var text: String
            /// `title`.
            public var title: String = ""
            /// `ok_text`.
            public var okText: String = ""
            /// `dismiss_text`.
            public var dismissText: String = ""
        }
        /// `type`.
        public var type: String
        /// `text`.
        public var text: String
        /// `url`.
        public var url: String = ""
        /// `style`.
        public var style: String = ""
        /// `name`.
        public var name: String = ""
        /// `value`.
        public var value: String = ""
        /// `confirm`.
        public var confirm: Confirm?
    }

    /// `send_resolved`; default false.
    public var sendResolved: Bool = false
    /// `http_config`.
    public var httpConfig: HTTPClientConfig = HTTPClientConfig()
    /// `api_url` (or the global `slack_api_url`).
    public var apiURL: SecretURL?
    /// `api_url_file` (or the global `slack_api_url_file`), resolved.
    public var apiURLFile: String?
    /// `channel`.
    public var channel: String = ""
    /// `username`.
    public var username: String = #"{{ template "slack.default.username" . }}"#
    /// `color`.
    public var color: String = #"{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}"#
    /// `title`.
    public var title: String = #"{{ template "slack.default.title" . }}"#
    /// `title_link`.
    public var titleLink: String = #"{{ template "slack.default.titlelink" . }}"#
    /// `pretext`.
    public var pretext: String = #"{{ template "slack.default.pretext" . }}"#
    /// `text`.
    public var text: String = #"{{ template "slack.default.text" . }}"#
    /// `fields`.
    public var fields: [Field] = []
    /// `short_fields`.
    public var shortFields: Bool = false
    /// `footer`.
    public var footer: String = #"{{ template "slack.default.footer" . }}"#
    /// `fallback`.
    public var fallback: String = #"{{ template "slack.default.fallback" . }}"#
    /// `callback_id`.
    public var callbackID: String = #"{{ template "slack.default.callbackid" . }}"#
    /// `icon_emoji`.
    public var iconEmoji: String = #"{{ template "slack.default.iconemoji" . }}"#
    /// `icon_url`.
    public var iconURL: String = #"{{ template "slack.default.iconurl" . }}"#
    /// `image_url`.
    public var imageURL: String = ""
    /// `thumb_url`.
    public var thumbURL: String = ""
    /// `link_names`.
    public var linkNames: Bool = false
    /// `mrkdwn_in` as written (empty: the notifier uses `["fallback", "pretext", "text"]`).
    public var mrkdwnIn: [String] = []
    /// `actions`.
    public var actions: [Action] = []

    var httpConfigGiven = false

    /// What Slack gets when `mrkdwn_in` is not set.
    public static let defaultMrkdwnIn = ["fallback", "pretext", "text"]
}

/// `pagerduty_configs` entry.
public struct PagerDutyConfig: Sendable, Hashable {
    /// An `images` entry.
    public struct Image: Sendable, Hashable {
        /// `src`.
        public var src: String
        /// `alt`.
        public var alt: String
        /// `href`.
        public var href: String
    }

    /// A `links` entry.
    public struct Link: Sendable, Hashable {
        /// `href`.
        public var href: String
        /// `text`.
        public var text: String
    }

    /// `send_resolved`; default true.
    public var sendResolved: Bool = true
    /// `http_config`.
    public var httpConfig: HTTPClientConfig = HTTPClientConfig()
    /// `service_key` (Events API v1).
    public var serviceKey: Secret?
    /// `service_key_file`, resolved.
    public var serviceKeyFile: String?
    /// `routing_key` (Events API v2).
    public var routingKey: Secret?
    /// `routing_key_file`, resolved.
    public var routingKeyFile: String?
    /// `url` (the global `pagerduty_url` when not given).
    public var url: ConfigURL?
    /// `client`.
    public var client: String = #"{{ template "pagerduty.default.client" . }}"#
    /// `client_url`.
    public var clientURL: String = #"{{ template "pagerduty.default.clientURL" . }}"#
    /// `description`.
    public var description: String = #"{{ template "pagerduty.default.description" .}}"#
    /// `details`, merged over the defaults (`firing`, `resolved`, `num_firing`, `num_resolved`).
    public var details: [String: String] = PagerDutyConfig.defaultDetails
    /// `images`.
    public var images: [Image] = []
    /// `links`.
    public var links: [Link] = []
    /// `source` (defaults to `client`).
    public var source: String = #"{{ template "pagerduty.default.client" . }}"#
    /// `severity`; default `error`.
    public var severity: String = "error"
    /// `class`.
    public var `class`: String = ""
    /// `component`.
    public var component: String = ""
    /// `group`.
    public var group: String = ""

    var httpConfigGiven = false
    var severityGiven = false

    /// Whether this uses Events API v2 (`routing_key`) rather than v1 (`service_key`).
    public var usesEventsV2: Bool { routingKey != nil || routingKeyFile != nil }

    /// Alertmanager's default `details`.
    public static let defaultDetails: [String: String] = [
        "firing": #"{{ template "pagerduty.default.instances" .Alerts.Firing }}"#,
        "resolved": #"{{ template "pagerduty.default.instances" .Alerts.Resolved }}"#,
        "num_firing": "{{ .Alerts.Firing | len }}",
        "num_resolved": "{{ .Alerts.Resolved | len }}",
    ]
}

/// `email_configs` entry.
public struct EmailConfig: Sendable, Hashable {
    /// `send_resolved`; default false.
    public var sendResolved: Bool = false
    /// `to`.
    public var to: String = ""
    /// `from` (or global `smtp_from`).
    public var from: String = ""
    /// `hello` (or global `smtp_hello`).
    public var hello: String = ""
    /// `smarthost` (or global `smtp_smarthost`).
    public var smarthost: String = ""
    /// `auth_username`.
    public var authUsername: String = ""
    /// `auth_password`.
    public var authPassword: Secret?
    /// `auth_password_file`, resolved against the config file's folder (read at each notification, raw, as
    /// Alertmanager reads it).
    public var authPasswordFile: String?
    /// `auth_secret`.
    public var authSecret: Secret?
    /// `auth_identity`.
    public var authIdentity: String = ""
    /// `headers` (with `From`, `To`, `Subject` defaults).
    public var headers: [String: String] = [:]
    /// `html`.
    public var html: String = #"{{ template "email.default.html" . }}"#
    /// `text`.
    public var text: String = ""
    /// `require_tls` (or global `smtp_require_tls`).
    public var requireTLS: Bool = true
    /// `tls_config`.
    public var tlsConfig: HTTPClientConfig.TLSConfig = .init()
    var requireTLSGiven = false
}

/// An integration Klaxon validates but does not deliver to.
public struct OtherIntegrationConfig: Sendable, Hashable {
    /// Alertmanager's integration name (`opsgenie`, `victorops`, `msteams`, ...).
    public var integration: String
    /// `send_resolved` (each integration's default applied).
    public var sendResolved: Bool
    /// `http_config` (the global one when not given).
    public var httpConfig: HTTPClientConfig
    /// The other fields as written, secrets masked, for display.
    public var fields: YAMLValue
    var httpConfigGiven: Bool
}
