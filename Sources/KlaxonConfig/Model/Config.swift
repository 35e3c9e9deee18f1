import KlaxonCore

/// A loaded alertmanager.yml (Alertmanager 0.25 format), validated, with defaults and global settings applied.
public struct Config: Sendable {
    /// `global`, with defaults.
    public var global: GlobalConfig
    /// `route` as written (optional fields kept, so inheritance stays visible).
    public var route: RouteSpec
    /// The routing tree with inheritance applied.
    public var routeTree: Route
    /// `receivers`, in file order.
    public var receivers: [Receiver]
    /// `inhibit_rules`.
    public var inhibitRules: [InhibitRuleConfig]
    /// `time_intervals` and `mute_time_intervals` by name (one namespace).
    public var timeIntervals: [String: [TimeIntervalConfig]]
    /// Names from `mute_time_intervals` (deprecated list), in file order.
    public var muteTimeIntervalNames: [String]
    /// Names from `time_intervals`, in file order.
    public var timeIntervalNames: [String]
    /// `templates` globs, resolved against the config file's directory.
    public var templates: [String]
    /// The file text as read.
    public var original: String
    /// Annotation of the route tree for display: `match`/`match_re` as written, per route path.
    var routeDisplay: [[Int]: RouteDisplay]
    /// `tracing` (an Alertmanager 0.30 section); nil: spans are neither made nor exported.
    public var tracing: TracingConfig? = nil

    /// The receiver with this name.
    public func receiver(named name: String) -> Receiver? {
        receivers.first { $0.name == name }
    }
}

/// What `match`/`match_re`/`matchers` looked like in the file, to render them back as Alertmanager does.
struct RouteDisplay: Sendable {
    var match: [(String, String)] = []
    var matchRE: [(String, String)] = []
    var matchers: [Matcher] = []
}

/// `global`.
public struct GlobalConfig: Sendable, Hashable {
    /// `resolve_timeout`; default 5m.
    public var resolveTimeout: PromDuration = .minutes(5)
    /// `http_config`; inherited by integrations without their own.
    public var httpConfig: HTTPClientConfig = HTTPClientConfig()
    /// `smtp_from`.
    public var smtpFrom: String = ""
    /// `smtp_hello`; default `localhost`.
    public var smtpHello: String = "localhost"
    /// `smtp_smarthost`.
    public var smtpSmarthost: String = ""
    /// `smtp_auth_username`.
    public var smtpAuthUsername: String = ""
    /// `smtp_auth_password`.
    public var smtpAuthPassword: Secret?
    /// `smtp_auth_password_file`, resolved against the config file's folder.
    public var smtpAuthPasswordFile: String?
    /// `smtp_auth_secret`.
    public var smtpAuthSecret: Secret?
    /// `smtp_auth_identity`.
    public var smtpAuthIdentity: String = ""
    /// `smtp_require_tls`; default true.
    public var smtpRequireTLS: Bool = true
    /// `slack_api_url`.
    public var slackAPIURL: SecretURL?
    /// `slack_api_url_file`, resolved.
    public var slackAPIURLFile: String?
    /// `pagerduty_url` (nil only when the file sets it to null).
    public var pagerdutyURL: ConfigURL? = ConfigURL(validated: "https://events.pagerduty.com/v2/enqueue")
    /// `opsgenie_api_url`.
    public var opsgenieAPIURL: ConfigURL = ConfigURL(validated: "https://api.opsgenie.com/")
    /// `opsgenie_api_key`.
    public var opsgenieAPIKey: Secret?
    /// `opsgenie_api_key_file`, resolved.
    public var opsgenieAPIKeyFile: String?
    /// `wechat_api_url`.
    public var wechatAPIURL: ConfigURL = ConfigURL(validated: "https://qyapi.weixin.qq.com/cgi-bin/")
    /// `wechat_api_secret`.
    public var wechatAPISecret: Secret?
    /// `wechat_api_corp_id`.
    public var wechatAPICorpID: String = ""
    /// `victorops_api_url`.
    public var victoropsAPIURL: ConfigURL = ConfigURL(
        validated: "https://alert.victorops.com/integrations/generic/20131114/alert/")
    /// `victorops_api_key`.
    public var victoropsAPIKey: Secret?
    /// `telegram_api_url`.
    public var telegramAPIURL: ConfigURL = ConfigURL(validated: "https://api.telegram.org")
    /// `webex_api_url`.
    public var webexAPIURL: ConfigURL = ConfigURL(validated: "https://webexapis.com/v1/messages")

    /// Alertmanager's defaults.
    public init() {}
}

/// An `inhibit_rules` entry. `source_match(_re)` and `target_match(_re)` are folded into the matcher lists.
public struct InhibitRuleConfig: Sendable, Hashable {
    /// Matchers a source alert must satisfy.
    public var sourceMatchers: [Matcher]
    /// Matchers a target alert must satisfy.
    public var targetMatchers: [Matcher]
    /// Labels that must be equal in source and target.
    public var equal: [String]
    /// As written, for display.
    var display: InhibitDisplay

    /// Equality over the semantic fields.
    public static func == (lhs: InhibitRuleConfig, rhs: InhibitRuleConfig) -> Bool {
        lhs.sourceMatchers == rhs.sourceMatchers && lhs.targetMatchers == rhs.targetMatchers
            && lhs.equal == rhs.equal
    }

    /// Hashes the semantic fields.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(sourceMatchers)
        hasher.combine(targetMatchers)
        hasher.combine(equal)
    }
}

struct InhibitDisplay: Sendable {
    var sourceMatch: [(String, String)] = []
    var sourceMatchRE: [(String, String)] = []
    var sourceMatchers: [Matcher] = []
    var targetMatch: [(String, String)] = []
    var targetMatchRE: [(String, String)] = []
    var targetMatchers: [Matcher] = []
}

extension Config: CustomStringConvertible, CustomReflectable {
    /// The masked YAML (never the file text, which holds secrets).
    public var description: String { maskedYAML() }

    /// Reflection without ``original`` (the raw file text holds secrets in clear).
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "global": global, "route": route, "receivers": receivers, "inhibitRules": inhibitRules,
                "timeIntervals": timeIntervals, "templates": templates,
            ], displayStyle: .struct)
    }
}
