import Foundation
import KlaxonCore

extension ConfigDecoder {
    // MARK: global

    private static let globalKeys = [
        "resolve_timeout", "http_config", "smtp_from", "smtp_hello", "smtp_smarthost", "smtp_auth_username",
        "smtp_auth_password", "smtp_auth_password_file", "smtp_auth_secret", "smtp_auth_identity", "smtp_require_tls",
        "slack_api_url",
        "slack_api_url_file", "pagerduty_url", "opsgenie_api_url", "opsgenie_api_key", "opsgenie_api_key_file",
        "wechat_api_url", "wechat_api_secret", "wechat_api_corp_id", "victorops_api_url", "victorops_api_key",
        "telegram_api_url", "webex_api_url",
    ]

    func decodeGlobal(_ n: YNode?) throws(ConfigError) -> (GlobalConfig, Bool) {
        var g = GlobalConfig()
        let before = typeErrorCount
        guard let f = fields(n, known: Self.globalKeys) else { return (g, false) }
        if let v = try f.duration("resolve_timeout") { g.resolveTimeout = v }
        if let v = try decodeHTTPConfig(f["http_config"]) { g.httpConfig = v }
        if let v = f.string("smtp_from") { g.smtpFrom = v }
        if let v = f.string("smtp_hello") { g.smtpHello = v }
        if let v = f.string("smtp_smarthost") { g.smtpSmarthost = v }
        if let v = f.string("smtp_auth_username") { g.smtpAuthUsername = v }
        g.smtpAuthPassword = f.secret("smtp_auth_password")
        g.smtpAuthPasswordFile = f.filePath("smtp_auth_password_file")
        g.smtpAuthSecret = f.secret("smtp_auth_secret")
        if let v = f.string("smtp_auth_identity") { g.smtpAuthIdentity = v }
        if let v = f.bool("smtp_require_tls") { g.smtpRequireTLS = v }
        g.slackAPIURL = try f.secretURL("slack_api_url")
        g.slackAPIURLFile = f.filePath("slack_api_url_file")
        if f["pagerduty_url"] != nil { g.pagerdutyURL = try f.url("pagerduty_url") }
        if let v = try f.url("opsgenie_api_url") { g.opsgenieAPIURL = v }
        g.opsgenieAPIKey = f.secret("opsgenie_api_key")
        g.opsgenieAPIKeyFile = f.filePath("opsgenie_api_key_file")
        if let v = try f.url("wechat_api_url") { g.wechatAPIURL = v }
        g.wechatAPISecret = f.secret("wechat_api_secret")
        if let v = f.string("wechat_api_corp_id") { g.wechatAPICorpID = v }
        if let v = try f.url("victorops_api_url") { g.victoropsAPIURL = v }
        g.victoropsAPIKey = f.secret("victorops_api_key")
        if let v = try f.url("telegram_api_url") { g.telegramAPIURL = v }
        if let v = try f.url("webex_api_url") { g.webexAPIURL = v }
        guard typeErrorCount == before else { return (g, true) }
        if g.slackAPIURL != nil, g.slackAPIURLFile != nil {
            throw f.error("at most one of slack_api_url & slack_api_url_file must be configured")
        }
        if g.opsgenieAPIKey != nil, g.opsgenieAPIKeyFile != nil {
            throw f.error("at most one of opsgenie_api_key & opsgenie_api_key_file must be configured")
        }
        if !(g.smtpAuthPassword?.isEmpty ?? true), g.smtpAuthPasswordFile != nil {
            throw f.error("at most one of smtp_auth_password & smtp_auth_password_file must be configured")
        }
        return (g, f.has("http_config"))
    }

    // MARK: http_config

    func decodeHTTPConfig(_ n: YNode?) throws(ConfigError) -> HTTPClientConfig? {
        let keys = [
            "basic_auth", "authorization", "oauth2", "bearer_token", "bearer_token_file", "tls_config", "proxy_url",
            "follow_redirects", "enable_http2",
        ]
        let before = typeErrorCount
        guard let f = fields(n, known: keys) else { return nil }
        var c = HTTPClientConfig()
        if let b = fields(f["basic_auth"], known: ["username", "password", "password_file"]) {
            c.basicAuth = .init(
                username: b.string("username") ?? "", password: b.secret("password"),
                passwordFile: b.filePath("password_file"))
        }
        if let a = fields(
            f["authorization"], known: ["type", "credentials", "credentials_file"], goType: "config.Authorization")
        {
            c.authorization = .init(
                type: a.string("type") ?? "", credentials: a.secret("credentials"),
                credentialsFile: a.filePath("credentials_file"))
        }
        if let o = fields(
            f["oauth2"],
            known: [
                "client_id", "client_secret", "client_secret_file", "scopes", "token_url", "endpoint_params",
                "tls_config", "proxy_url",
            ], goType: "config.OAuth2")
        {
            var oauth = HTTPClientConfig.OAuth2()
            oauth.clientID = o.string("client_id") ?? ""
            oauth.clientSecret = o.secret("client_secret")
            oauth.clientSecretFile = o.filePath("client_secret_file")
            oauth.scopes = o.stringList("scopes") ?? []
            oauth.tokenURL = o.string("token_url") ?? ""
            oauth.endpointParams = Dictionary(o.stringMap("endpoint_params") ?? [], uniquingKeysWith: { $1 })
            oauth.tlsConfig = decodeTLSConfig(o["tls_config"]) ?? .init()
            oauth.proxyURL = o.string("proxy_url")
            c.oauth2 = oauth
        }
        let bearerToken = f.secret("bearer_token")
        let bearerTokenFile = f.filePath("bearer_token_file")
        c.tlsConfig = decodeTLSConfig(f["tls_config"]) ?? .init()
        if let proxy = f.string("proxy_url"), !proxy.isEmpty {
            if let message = GoURL.validationError(proxy), case .failure = GoURL.parse(proxy) {
                throw f.error(message, at: "proxy_url")
            }
            c.proxyURL = proxy
        }
        if let v = f.bool("follow_redirects") { c.followRedirects = v }
        if let v = f.bool("enable_http2") { c.enableHTTP2 = v }
        guard typeErrorCount == before else { return c }
        try validate(&c, bearerToken: bearerToken, bearerTokenFile: bearerTokenFile, f: f)
        return c
    }

    private func validate(
        _ c: inout HTTPClientConfig, bearerToken: Secret?, bearerTokenFile: String?, f: Fields
    ) throws(ConfigError) {
        let hasToken = !(bearerToken?.isEmpty ?? true)
        let hasTokenFile = bearerTokenFile != nil
        if hasToken, hasTokenFile {
            throw f.error("at most one of bearer_token & bearer_token_file must be configured")
        }
        if (c.basicAuth != nil || c.oauth2 != nil) && (hasToken || hasTokenFile) {
            throw f.error("at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured")
        }
        if let b = c.basicAuth, !(b.password?.isEmpty ?? true), b.passwordFile != nil {
            throw f.error("at most one of basic_auth password & password_file must be configured")
        }
        if var a = c.authorization {
            if hasToken || hasTokenFile {
                throw f.error("authorization is not compatible with bearer_token & bearer_token_file")
            }
            if !(a.credentials?.isEmpty ?? true), a.credentialsFile != nil {
                throw f.error("at most one of authorization credentials & credentials_file must be configured")
            }
            a.type = a.type.trimmingCharacters(in: .whitespaces)
            if a.type.isEmpty { a.type = "Bearer" }
            if a.type.lowercased() == "basic" {
                throw f.error(#"authorization type cannot be set to "basic", use "basic_auth" instead"#)
            }
            if c.basicAuth != nil || c.oauth2 != nil {
                throw f.error("at most one of basic_auth, oauth2 & authorization must be configured")
            }
            c.authorization = a
        } else if hasToken {
            c.authorization = .init(type: "Bearer", credentials: bearerToken, credentialsFile: nil)
        } else if hasTokenFile {
            c.authorization = .init(type: "Bearer", credentials: nil, credentialsFile: bearerTokenFile)
        }
        if let o = c.oauth2 {
            if c.basicAuth != nil {
                throw f.error("at most one of basic_auth, oauth2 & authorization must be configured")
            }
            if o.clientID.isEmpty { throw f.error("oauth2 client_id must be configured") }
            if (o.clientSecret?.isEmpty ?? true) && o.clientSecretFile == nil {
                throw f.error("either oauth2 client_secret or client_secret_file must be configured")
            }
            if o.tokenURL.isEmpty { throw f.error("oauth2 token_url must be configured") }
            if !(o.clientSecret?.isEmpty ?? true), o.clientSecretFile != nil {
                throw f.error("at most one of oauth2 client_secret & client_secret_file must be configured")
            }
        }
    }

    func decodeTLSConfig(_ n: YNode?) -> HTTPClientConfig.TLSConfig? {
        let keys = ["ca_file", "cert_file", "key_file", "server_name", "insecure_skip_verify", "min_version"]
        guard let t = fields(n, known: keys) else { return nil }
        var c = HTTPClientConfig.TLSConfig()
        c.caFile = t.filePath("ca_file")
        c.certFile = t.filePath("cert_file")
        c.keyFile = t.filePath("key_file")
        c.serverName = t.string("server_name")
        c.insecureSkipVerify = t.bool("insecure_skip_verify") ?? false
        c.minVersion = t.string("min_version")
        return c
    }

    // MARK: route

    private static let routeKeys = [
        "receiver", "group_by", "match", "match_re", "matchers", "mute_time_intervals", "active_time_intervals",
        "continue", "routes", "group_wait", "group_interval", "repeat_interval",
    ]

    func decodeRoute(
        _ n: YNode, routePath: [Int], display: inout [[Int]: RouteDisplay]
    ) throws(ConfigError) -> RouteSpec {
        var spec = RouteSpec()
        let before = typeErrorCount
        guard let f = fields(n, known: Self.routeKeys) else { return spec }
        var shown = RouteDisplay()
        var groupByStrings: [String]?
        for key in f.order {
            switch key {
            case "receiver": spec.receiver = f.string(key)
            case "group_by": groupByStrings = f.stringList(key)
            case "match":
                shown.match = f.stringMap(key) ?? []
            case "match_re":
                for (name, regex) in stringMapNodes(f[key]) {
                    do {
                        _ = try Matcher(type: .regexMatch, name: name, value: regex.1)
                    } catch {
                        throw self.error(error.description, at: regex.0)
                    }
                    shown.matchRE.append((name, regex.1))
                }
            case "matchers":
                shown.matchers = try decodeMatchers(f[key])
            case "mute_time_intervals": spec.muteTimeIntervals = f.stringList(key) ?? []
            case "active_time_intervals": spec.activeTimeIntervals = f.stringList(key) ?? []
            case "continue": spec.continueMatching = f.bool(key) ?? false
            case "routes":
                for (i, child) in (sequence(f[key], goType: "[]*config.Route") ?? []).enumerated() {
                    spec.routes.append(try decodeRoute(child, routePath: routePath + [i], display: &display))
                }
            case "group_wait": spec.groupWait = try f.duration(key)
            case "group_interval": spec.groupInterval = try f.duration(key)
            case "repeat_interval": spec.repeatInterval = try f.duration(key)
            default: break
            }
        }
        display[routePath] = shown
        guard typeErrorCount == before else { return spec }

        for (name, _) in shown.match where !LabelName.isValid(name) {
            throw f.error("invalid label name \(GoQuote.quote(name))", at: "match")
        }
        for (name, _) in shown.matchRE where !LabelName.isValid(name) {
            throw f.error("invalid label name \(GoQuote.quote(name))", at: "match_re")
        }
        var labels: [String] = []
        var all = false
        for label in groupByStrings ?? [] {
            if label == "..." {
                all = true
            } else {
                guard LabelName.isValid(label) else {
                    throw f.error("invalid label name \(GoQuote.quote(label)) in group_by list", at: "group_by")
                }
                labels.append(label)
            }
        }
        if all, !labels.isEmpty {
            throw f.error(
                "cannot have wildcard group_by (`...`) and other other labels at the same time", at: "group_by")
        }
        var seen = Set<String>()
        for label in labels {
            guard seen.insert(label).inserted else {
                throw f.error("duplicated label \(GoQuote.quote(label)) in group_by", at: "group_by")
            }
        }
        if all {
            spec.groupBy = .all
        } else if !labels.isEmpty {
            spec.groupBy = .labels(labels)
        }
        if spec.groupInterval == .zero { throw f.error("group_interval cannot be zero", at: "group_interval") }
        if spec.repeatInterval == .zero { throw f.error("repeat_interval cannot be zero", at: "repeat_interval") }

        spec.matchers = try Self.matchers(match: shown.match, matchRE: shown.matchRE) + shown.matchers
        return spec
    }

    /// `match` as equality matchers, `match_re` as regex matchers over `^(?:re)$` (how Alertmanager 0.25 builds
    /// them, which shows in route keys).
    static func matchers(match: [(String, String)], matchRE: [(String, String)]) throws(ConfigError) -> [Matcher] {
        var out: [Matcher] = []
        do {
            for (name, value) in match { out.append(try Matcher(type: .equal, name: name, value: value)) }
            for (name, value) in matchRE {
                // Alertmanager 0.25 keeps the anchored source as the matcher value, which shows in route keys.
                // Anchored twice, a pattern at Go's nesting limit goes past it; the plain source is checked then.
                if let anchored = try? Matcher(type: .regexMatch, name: name, value: "^(?:" + value + ")$") {
                    out.append(anchored)
                } else {
                    out.append(try Matcher(type: .regexMatch, name: name, value: value))
                }
            }
        } catch {
            throw ConfigError(message: error.description)
        }
        return out
    }

    /// A `map[string]string` with each value's node.
    func stringMapNodes(_ n: YNode?) -> [(String, (YNode, String))] {
        guard let items = pairs(n, goType: "config.plain") else { return [] }
        return items.map { key, value in (key, (value, string(value) ?? "")) }
    }

    /// A `matchers` list: each string holds one or more comma-separated matchers.
    func decodeMatchers(_ n: YNode?) throws(ConfigError) -> [Matcher] {
        var out: [Matcher] = []
        for item in sequence(n, goType: "[]string") ?? [] {
            guard let text = string(item) else { continue }
            do {
                out.append(contentsOf: try Matchers.parse(text).matchers)
            } catch {
                throw self.error(error.description, at: item)
            }
        }
        return out.sorted(by: Matcher.sortOrder)
    }

    // MARK: inhibit_rules

    func decodeInhibitRule(_ n: YNode) throws(ConfigError) -> InhibitRuleConfig? {
        let keys = [
            "source_match", "source_match_re", "source_matchers", "target_match", "target_match_re",
            "target_matchers", "equal",
        ]
        let before = typeErrorCount
        guard let f = fields(n, known: keys) else { return nil }
        var d = InhibitDisplay()
        var equal: [String] = []
        for key in f.order {
            switch key {
            case "source_match": d.sourceMatch = f.stringMap(key) ?? []
            case "target_match": d.targetMatch = f.stringMap(key) ?? []
            case "source_match_re", "target_match_re":
                var list: [(String, String)] = []
                for (name, regex) in stringMapNodes(f[key]) {
                    do {
                        _ = try Matcher(type: .regexMatch, name: name, value: regex.1)
                    } catch {
                        throw self.error(error.description, at: regex.0)
                    }
                    list.append((name, regex.1))
                }
                if key == "source_match_re" { d.sourceMatchRE = list } else { d.targetMatchRE = list }
            case "source_matchers": d.sourceMatchers = try decodeMatchers(f[key])
            case "target_matchers": d.targetMatchers = try decodeMatchers(f[key])
            case "equal":
                for item in sequence(f[key], goType: "model.LabelNames") ?? [] {
                    guard let name = string(item) else { continue }
                    guard LabelName.isValid(name) else {
                        throw error("\(GoQuote.quote(name)) is not a valid label name", at: item)
                    }
                    equal.append(name)
                }
            default: break
            }
        }
        guard typeErrorCount == before else { return nil }
        for (name, _) in d.sourceMatch where !LabelName.isValid(name) {
            throw f.error("invalid label name \(GoQuote.quote(name))", at: "source_match")
        }
        for (name, _) in d.targetMatch where !LabelName.isValid(name) {
            throw f.error("invalid label name \(GoQuote.quote(name))", at: "target_match")
        }
        for (name, _) in d.sourceMatchRE + d.targetMatchRE where !LabelName.isValid(name) {
            throw f.error("invalid label name \(GoQuote.quote(name))")
        }
        return InhibitRuleConfig(
            sourceMatchers: try Self.matchers(match: d.sourceMatch, matchRE: d.sourceMatchRE) + d.sourceMatchers,
            targetMatchers: try Self.matchers(match: d.targetMatch, matchRE: d.targetMatchRE) + d.targetMatchers,
            equal: equal, display: d)
    }

    // MARK: time intervals

    func decodeNamedInterval(
        _ n: YNode, mute: Bool
    ) throws(ConfigError) -> (name: String, intervals: [TimeIntervalConfig], node: YNode)? {
        let before = typeErrorCount
        guard let f = fields(n, known: ["name", "time_intervals"]) else { return nil }
        let name = f.string("name") ?? ""
        var intervals: [TimeIntervalConfig] = []
        for item in sequence(f["time_intervals"], goType: "[]timeinterval.TimeInterval") ?? [] {
            if let interval = try decodeTimeInterval(item) { intervals.append(interval) }
        }
        guard typeErrorCount == before else { return nil }
        if name.isEmpty { throw f.error(mute ? "missing name in mute time interval" : "missing name in time interval") }
        return (name, intervals, n)
    }

    private func decodeTimeInterval(_ n: YNode) throws(ConfigError) -> TimeIntervalConfig? {
        let keys = ["times", "weekdays", "days_of_month", "months", "years", "location"]
        guard let f = fields(n, known: keys, goType: "timeinterval.TimeInterval") else {
            return isNull(n) ? TimeIntervalConfig() : nil
        }
        var c = TimeIntervalConfig()
        // A present list (even empty) is kept, an absent or null one stays nil: Go's yaml.v2 makes the same
        // distinction, and `TimeIntervalSpec.contains` treats an empty list as matching nothing.
        func each(
            _ key: String, _ goType: String, _ parse: (String) throws(TimeIntervalError) -> InclusiveRange
        ) throws(ConfigError) -> [InclusiveRange]? {
            guard let items = sequence(f[key], goType: goType) else { return nil }
            var out: [InclusiveRange] = []
            for item in items {
                guard let text = string(item) else { continue }
                do {
                    out.append(try parse(text))
                } catch {
                    throw self.error(error.description, at: item)
                }
            }
            return out
        }
        for key in f.order {
            switch key {
            case "times":
                guard let items = sequence(f[key], goType: "[]timeinterval.TimeRange") else { continue }
                var times: [TimeRange] = []
                for item in items {
                    let itemBefore = typeErrorCount
                    guard
                        let t = fields(
                            item, known: ["start_time", "end_time"], goType: "timeinterval.yamlTimeRange")
                    else { continue }
                    guard typeErrorCount == itemBefore else { continue }
                    do {
                        times.append(
                            try TimeIntervalSpec.parseTimeRange(
                                start: t.string("start_time") ?? "", end: t.string("end_time") ?? ""))
                    } catch {
                        throw self.error(error.description, at: item)
                    }
                }
                c.spec.times = times
            case "weekdays":
                c.spec.weekdays = try each(key, "[]timeinterval.WeekdayRange", TimeIntervalSpec.parseWeekdayRange)
            case "days_of_month":
                c.spec.daysOfMonth = try each(
                    key, "[]timeinterval.DayOfMonthRange", TimeIntervalSpec.parseDayOfMonthRange)
            case "months": c.spec.months = try each(key, "[]timeinterval.MonthRange", TimeIntervalSpec.parseMonthRange)
            case "years": c.spec.years = try each(key, "[]timeinterval.YearRange", TimeIntervalSpec.parseYearRange)
            case "location":
                if let text = f.string(key) {
                    do {
                        c.spec.location = try TimeIntervalSpec.parseLocation(text)
                    } catch {
                        throw f.error(error.description, at: key)
                    }
                    // time.LoadLocation("") is UTC, and Location.String() prints it so.
                    c.location = text.isEmpty ? "UTC" : text
                }
            default: break
            }
        }
        return c
    }
}
