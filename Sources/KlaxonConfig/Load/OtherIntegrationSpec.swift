import KlaxonGoCompat

/// The integrations Klaxon validates but does not deliver to: their keys, secrets and required fields.
struct OtherIntegrationSpec: Sendable {
    let name: String
    let keys: [String]
    let secretKeys: Set<String>
    let urlKeys: Set<String>
    let sendResolvedDefault: Bool
    /// Required-field checks done while decoding the entry: (missing keys that must all be absent, message).
    let required: [(keys: [String], message: String)]

    func validate(_ f: Fields) throws(ConfigError) {
        for rule in required where !rule.keys.contains(where: { f.has($0) && !(f.string($0) ?? "x").isEmpty }) {
            throw f.error(rule.message)
        }
    }

    static let all: [OtherIntegrationSpec] = [
        .init(
            name: "opsgenie",
            keys: [
                "send_resolved", "http_config", "api_key", "api_key_file", "api_url", "message", "description",
                "source", "details", "entity", "responders", "actions", "tags", "note", "priority", "update_alerts",
            ],
            secretKeys: ["api_key"], urlKeys: ["api_url"], sendResolvedDefault: true, required: []),
        .init(
            name: "wechat",
            keys: [
                "send_resolved", "http_config", "api_secret", "corp_id", "message", "api_url", "to_user", "to_party",
                "to_tag", "agent_id", "message_type",
            ],
            secretKeys: ["api_secret"], urlKeys: ["api_url"], sendResolvedDefault: false, required: []),
        .init(
            name: "pushover",
            keys: [
                "send_resolved", "http_config", "user_key", "token", "title", "message", "url", "url_title",
                "sound", "priority", "retry", "expire", "html",
            ],
            secretKeys: ["user_key", "token"], urlKeys: [], sendResolvedDefault: true,
            required: [
                (["user_key"], "missing user key in Pushover config"), (["token"], "missing token in Pushover config"),
            ]),
        .init(
            name: "victorops",
            keys: [
                "send_resolved", "http_config", "api_key", "api_key_file", "api_url", "routing_key", "message_type",
                "state_message", "entity_display_name", "monitoring_tool", "custom_fields",
            ],
            secretKeys: ["api_key"], urlKeys: ["api_url"], sendResolvedDefault: true,
            required: [(["routing_key"], "missing Routing key in VictorOps config")]),
        .init(
            name: "sns",
            keys: [
                "send_resolved", "http_config", "api_url", "sigv4", "topic_arn", "phone_number", "target_arn",
                "subject", "message", "attributes",
            ],
            secretKeys: [], urlKeys: [], sendResolvedDefault: true,
            required: [
                (
                    ["topic_arn", "phone_number", "target_arn"],
                    "must provide either a Target ARN, Topic ARN, or Phone Number for SNS config"
                )
            ]),
        .init(
            name: "telegram",
            keys: [
                "send_resolved", "http_config", "api_url", "bot_token", "chat_id", "message", "disable_notifications",
                "parse_mode",
            ],
            secretKeys: ["bot_token"], urlKeys: ["api_url"], sendResolvedDefault: true,
            required: [
                (["bot_token"], "missing bot_token on telegram_config"),
                (["chat_id"], "missing chat_id on telegram_config"),
            ]),
        .init(
            name: "webex",
            keys: ["send_resolved", "http_config", "api_url", "message", "room_id"],
            secretKeys: [], urlKeys: ["api_url"], sendResolvedDefault: true,
            required: [(["room_id"], "missing room_id on webex_config")]),
        .init(
            name: "discord",
            keys: ["send_resolved", "http_config", "webhook_url", "title", "message"],
            secretKeys: ["webhook_url"], urlKeys: ["webhook_url"], sendResolvedDefault: true,
            required: [(["webhook_url"], "no discord webhook URL provided")]),
        .init(
            name: "msteams",
            keys: ["send_resolved", "http_config", "webhook_url", "webhook_url_file", "title", "summary", "text"],
            secretKeys: ["webhook_url"], urlKeys: ["webhook_url"], sendResolvedDefault: true,
            required: [
                (["webhook_url", "webhook_url_file"], "one of webhook_url or webhook_url_file must be configured")
            ]),
    ]

    static let byKey: [String: OtherIntegrationSpec] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.name + "_configs", $0) })

    /// Checks that need the global section (API keys that may come from it).
    static func checkGlobal(
        _ c: OtherIntegrationConfig, global g: GlobalConfig, at n: YNode, decoder: ConfigDecoder
    ) throws(ConfigError) {
        func has(_ key: String) -> Bool {
            guard case .mapping(let pairs) = c.fields else { return false }
            return pairs.contains { $0.0 == key && $0.1 != .literal("null") && $0.1 != .string("") }
        }
        switch c.integration {
        case "opsgenie":
            if !has("api_key"), !has("api_key_file"), g.opsgenieAPIKey == nil, g.opsgenieAPIKeyFile == nil {
                throw decoder.error("no global OpsGenie API Key set either inline or in a file", at: n)
            }
        case "wechat":
            if !has("api_secret"), g.wechatAPISecret == nil {
                throw decoder.error("no global Wechat ApiSecret set", at: n)
            }
            if !has("corp_id"), g.wechatAPICorpID.isEmpty {
                throw decoder.error("no global Wechat CorpID set", at: n)
            }
        case "victorops":
            if !has("api_key"), !has("api_key_file"), g.victoropsAPIKey == nil {
                throw decoder.error("no global VictorOps API Key set", at: n)
            }
        case "webex":
            if c.httpConfig.authorization == nil {
                throw decoder.error("missing webex_configs.http_config.authorization", at: n)
            }
        default:
            break
        }
    }
}

extension OtherIntegrationSpec {
    private static func template(_ name: String) -> YAMLValue { .string("{{ template \"\(name)\" . }}") }

    /// Field order and defaults as Alertmanager 0.25 marshals each integration (after `send_resolved` and
    /// `http_config`); nil defaults are left out when not set.
    static func displayOrder(_ integration: String, global g: GlobalConfig) -> [(String, YAMLValue?)] {
        switch integration {
        case "discord":
            return [
                ("webhook_url", nil), ("title", template("discord.default.title")),
                ("message", template("discord.default.message")),
            ]
        case "opsgenie":
            return [
                ("api_key", g.opsgenieAPIKey.map { _ in .string(Secret.masked) }),
                ("api_key_file", g.opsgenieAPIKeyFile.map { .string($0) }),
                ("api_url", .string(g.opsgenieAPIURL.string)),
                ("message", template("opsgenie.default.message")),
                ("description", template("opsgenie.default.description")),
                ("source", template("opsgenie.default.source")), ("details", nil), ("entity", nil),
                ("responders", nil), ("actions", nil), ("tags", nil), ("note", nil), ("priority", nil),
                ("update_alerts", nil),
            ]
        case "wechat":
            return [
                ("api_secret", g.wechatAPISecret.map { _ in .string(Secret.masked) }),
                ("corp_id", g.wechatAPICorpID.isEmpty ? nil : .string(g.wechatAPICorpID)),
                ("message", template("wechat.default.message")), ("api_url", .string(g.wechatAPIURL.string)),
                ("to_user", template("wechat.default.to_user")), ("to_party", template("wechat.default.to_party")),
                ("to_tag", template("wechat.default.to_tag")), ("agent_id", template("wechat.default.agent_id")),
                ("message_type", .string("text")),
            ]
        case "pushover":
            return [
                ("user_key", nil), ("token", nil), ("title", template("pushover.default.title")),
                ("message", template("pushover.default.message")), ("url", template("pushover.default.url")),
                ("url_title", nil), ("sound", nil),
                ("priority", .string(#"{{ if eq .Status "firing" }}2{{ else }}0{{ end }}"#)),
                ("retry", .string("1m0s")), ("expire", .string("1h0m0s")), ("html", .bool(false)),
            ]
        case "victorops":
            return [
                ("api_key", g.victoropsAPIKey.map { _ in .string(Secret.masked) }), ("api_key_file", nil),
                ("api_url", .string(g.victoropsAPIURL.string)), ("routing_key", nil),
                ("message_type", .string("CRITICAL")),
                ("state_message", template("victorops.default.state_message")),
                ("entity_display_name", template("victorops.default.entity_display_name")),
                ("monitoring_tool", template("victorops.default.monitoring_tool")), ("custom_fields", nil),
            ]
        case "sns":
            return [
                ("api_url", nil), ("sigv4", nil), ("topic_arn", nil), ("phone_number", nil), ("target_arn", nil),
                ("subject", template("sns.default.subject")), ("message", template("sns.default.message")),
                ("attributes", nil),
            ]
        case "telegram":
            return [
                ("api_url", .string(g.telegramAPIURL.string)), ("bot_token", nil), ("chat_id", nil),
                ("message", template("telegram.default.message")), ("disable_notifications", nil),
                ("parse_mode", .string("HTML")),
            ]
        case "webex":
            return [
                ("api_url", .string(g.webexAPIURL.string)), ("message", template("webex.default.message")),
                ("room_id", nil),
            ]
        case "msteams":
            return [
                ("webhook_url", nil), ("webhook_url_file", nil), ("title", template("msteams.default.title")),
                ("summary", template("msteams.default.summary")), ("text", template("msteams.default.text")),
            ]
        default:
            return []
        }
    }

    /// The written fields merged over the defaults, in Alertmanager's order; unknown extras keep file order.
    static func displayFields(_ c: OtherIntegrationConfig, global: GlobalConfig) -> YAMLValue {
        guard case .mapping(let written) = c.fields else { return c.fields }
        var given: [String: YAMLValue] = [:]
        for (key, value) in written { given[key] = value }
        let order = displayOrder(c.integration, global: global)
        var out: [(String, YAMLValue)] = []
        for (key, fallback) in order {
            if var value = given[key], value != .literal("null") {
                if c.integration == "pushover", key == "retry" || key == "expire", case .string(let text) = value,
                    let duration = try? GoDuration(parsing: text)
                {
                    value = .string(duration.description)
                }
                out.append((key, value))
            } else if let fallback {
                out.append((key, fallback))
            }
        }
        let known = Set(order.map(\.0))
        out += written.filter { !known.contains($0.0) }
        return .mapping(out)
    }
}
