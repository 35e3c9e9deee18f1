import KlaxonCore

extension Config {
    /// The config re-rendered as YAML the way Alertmanager's `/api/v2/status` shows `config.original` (and
    /// `amtool config show` prints it): defaults filled in, matchers re-rendered, every secret as `<secret>`.
    /// Klaxon also masks webhook URLs.
    public func maskedYAML() -> String {
        maskedTree.rendered
    }

    /// ``maskedYAML()`` as a principal of `scope` may see it: routes that serve only other tenants (a matcher on
    /// `tenantLabel` that accepts none of the scope's tenants) are left out with everything below them, and so are
    /// the receivers and time intervals only they use and the inhibition rules confined to other tenants. Shared
    /// routes stay: the scope's alerts reach them too. Secrets are masked as in ``maskedYAML()``.
    public func maskedYAML(visibleTo scope: TenantScope, tenantLabel: String) -> String {
        maskedTree(visibleTo: scope, tenantLabel: tenantLabel).rendered
    }

    /// The tree behind ``maskedYAML()``.
    public var maskedTree: YAMLValue { maskedTree(visibleTo: .all, tenantLabel: "") }

    private func maskedTree(visibleTo scope: TenantScope, tenantLabel: String) -> YAMLValue {
        var visible = VisibleNames()
        let routeTree =
            renderRoute(route, path: [], scope: scope, tenantLabel: tenantLabel, visible: &visible) ?? .mapping([])
        let shownReceivers = scope == .all ? receivers : receivers.filter { visible.receivers.contains($0.name) }
        let shownRules = inhibitRules.filter {
            !scope.excludes($0.sourceMatchers, tenantLabel: tenantLabel)
                && !scope.excludes($0.targetMatchers, tenantLabel: tenantLabel)
        }
        func shown(_ names: [String]) -> [String] { scope == .all ? names : names.filter(visible.intervals.contains) }
        var b = YAMLMappingBuilder()
        b.add("global", Self.render(global))
        b.add("route", routeTree)
        b.add("inhibit_rules", omitEmpty: .sequence(shownRules.map(Self.render)))
        b.add("receivers", omitEmpty: .sequence(shownReceivers.map(Self.render)))
        b.add("templates", .sequence(templates.map { .string($0) }))
        // yaml.v2 leaks the `flow` flag of a time interval's `location` into the next collection it emits.
        var pendingFlow = false
        b.add(
            "mute_time_intervals",
            omitEmpty: renderNamedIntervals(shown(muteTimeIntervalNames), pendingFlow: &pendingFlow))
        b.add("time_intervals", omitEmpty: renderNamedIntervals(shown(timeIntervalNames), pendingFlow: &pendingFlow))
        if let tracing { b.add("tracing", Self.render(tracing)) }
        return b.value
    }

    /// Receivers and time intervals named by the routes shown.
    private struct VisibleNames {
        var receivers: Set<String> = []
        var intervals: Set<String> = []
    }

    private static func secret(_ s: Secret?) -> String? {
        guard let s, !s.isEmpty else { return nil }
        return Secret.masked
    }

    static func render(_ g: GlobalConfig) -> YAMLValue {
        var b = YAMLMappingBuilder()
        b.add("resolve_timeout", .string(g.resolveTimeout.description))
        b.add("http_config", render(g.httpConfig))
        b.add("smtp_from", omitEmpty: g.smtpFrom)
        b.add("smtp_hello", omitEmpty: g.smtpHello)
        b.add("smtp_smarthost", omitEmpty: g.smtpSmarthost)
        b.add("smtp_auth_username", omitEmpty: g.smtpAuthUsername)
        b.add("smtp_auth_password", omitEmpty: secret(g.smtpAuthPassword))
        b.add("smtp_auth_password_file", omitEmpty: g.smtpAuthPasswordFile)
        b.add("smtp_auth_secret", omitEmpty: secret(g.smtpAuthSecret))
        b.add("smtp_auth_identity", omitEmpty: g.smtpAuthIdentity)
        b.add("smtp_require_tls", .bool(g.smtpRequireTLS))
        b.add("slack_api_url", omitEmpty: g.slackAPIURL.map { _ in Secret.masked })
        b.add("slack_api_url_file", omitEmpty: g.slackAPIURLFile)
        b.add("pagerduty_url", omitEmpty: g.pagerdutyURL?.string)
        b.add("opsgenie_api_url", .string(g.opsgenieAPIURL.string))
        b.add("opsgenie_api_key", omitEmpty: secret(g.opsgenieAPIKey))
        b.add("opsgenie_api_key_file", omitEmpty: g.opsgenieAPIKeyFile)
        b.add("wechat_api_url", .string(g.wechatAPIURL.string))
        b.add("wechat_api_secret", omitEmpty: secret(g.wechatAPISecret))
        b.add("wechat_api_corp_id", omitEmpty: g.wechatAPICorpID)
        b.add("victorops_api_url", .string(g.victoropsAPIURL.string))
        b.add("victorops_api_key", omitEmpty: secret(g.victoropsAPIKey))
        b.add("telegram_api_url", .string(g.telegramAPIURL.string))
        b.add("webex_api_url", .string(g.webexAPIURL.string))
        return b.value
    }

    static func render(_ t: HTTPClientConfig.TLSConfig) -> YAMLValue? {
        guard !t.isEmpty else { return nil }
        var b = YAMLMappingBuilder()
        b.add("ca_file", omitEmpty: t.caFile)
        b.add("cert_file", omitEmpty: t.certFile)
        b.add("key_file", omitEmpty: t.keyFile)
        b.add("server_name", omitEmpty: t.serverName)
        b.add("insecure_skip_verify", .bool(t.insecureSkipVerify))
        b.add("min_version", omitEmpty: t.minVersion)
        return b.value
    }

    /// `tracing` in Alertmanager 0.30's field order and omissions; header secrets masked.
    static func render(_ t: TracingConfig) -> YAMLValue {
        var b = YAMLMappingBuilder()
        b.add("client_type", .string(t.clientType.rawValue))
        b.add("endpoint", .string(t.endpoint))
        if t.samplingFraction != 0 {
            let f = t.samplingFraction
            let integral = f == f.rounded() && abs(f) < 1e6
            b.add("sampling_fraction", .literal(integral ? String(Int64(f)) : "\(f)"))
        }
        if t.insecure { b.add("insecure", .bool(true)) }
        if let tls = t.tlsConfig { b.add("tls_config", render(tls) ?? .mapping([])) }
        if !t.headers.isEmpty {
            b.add(
                "headers",
                .mapping(
                    t.headers.map { header in
                        header.isSecret
                            ? (header.name, .mapping([("secrets", .sequence([.string(Secret.masked)]))]))
                            : (header.name, .mapping([("values", .sequence([.string(header.value.revealed)]))]))
                    }))
        }
        b.add("compression", omitEmpty: t.compression)
        if let timeout = t.timeout, timeout.milliseconds != 0 { b.add("timeout", .string(timeout.description)) }
        return b.value
    }

    static func render(_ h: HTTPClientConfig) -> YAMLValue {
        var b = YAMLMappingBuilder()
        if let basic = h.basicAuth {
            var a = YAMLMappingBuilder()
            a.add("username", omitEmpty: basic.username)
            a.add("password", omitEmpty: secret(basic.password))
            a.add("password_file", omitEmpty: basic.passwordFile)
            b.add("basic_auth", a.value)
        }
        if let auth = h.authorization {
            var a = YAMLMappingBuilder()
            a.add("type", omitEmpty: auth.type)
            a.add("credentials", omitEmpty: secret(auth.credentials))
            a.add("credentials_file", omitEmpty: auth.credentialsFile)
            b.add("authorization", a.value)
        }
        if let oauth = h.oauth2 {
            var a = YAMLMappingBuilder()
            a.add("client_id", omitEmpty: oauth.clientID)
            a.add("client_secret", omitEmpty: secret(oauth.clientSecret))
            a.add("client_secret_file", .string(oauth.clientSecretFile ?? ""))
            a.add("scopes", omitEmpty: oauth.scopes)
            a.add("token_url", omitEmpty: oauth.tokenURL)
            a.add(
                "endpoint_params",
                omitEmpty: .mapping(oauth.endpointParams.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
            )
            a.add("tls_config", omitEmpty: render(oauth.tlsConfig))
            a.add("proxy_url", omitEmpty: oauth.proxyURL)
            b.add("oauth2", a.value)
        }
        b.add("tls_config", omitEmpty: render(h.tlsConfig))
        b.add("proxy_url", omitEmpty: h.proxyURL)
        b.add("follow_redirects", .bool(h.followRedirects))
        b.add("enable_http2", .bool(h.enableHTTP2))
        return b.value
    }

    private static func sortedMap(_ pairs: [(String, String)]) -> YAMLValue {
        var seen: [String: String] = [:]
        for (k, v) in pairs { seen[k] = v }
        return .mapping(seen.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
    }

    private func renderRoute(
        _ r: RouteSpec, path: [Int], scope: TenantScope, tenantLabel: String, visible: inout VisibleNames
    ) -> YAMLValue? {
        guard !scope.excludes(r.matchers, tenantLabel: tenantLabel) else { return nil }
        if let receiver = r.receiver { visible.receivers.insert(receiver) }
        visible.intervals.formUnion(r.muteTimeIntervals)
        visible.intervals.formUnion(r.activeTimeIntervals)
        let shown = routeDisplay[path] ?? RouteDisplay()
        var b = YAMLMappingBuilder()
        b.add("receiver", omitEmpty: r.receiver)
        switch r.groupBy {
        case .all: b.add("group_by", .sequence([.string("...")]))
        case .labels(let labels): b.add("group_by", omitEmpty: labels)
        case nil: break
        }
        b.add("match", omitEmpty: Self.sortedMap(shown.match))
        b.add("match_re", omitEmpty: Self.sortedMap(shown.matchRE))
        b.add("matchers", omitEmpty: shown.matchers.map(\.description))
        b.add("mute_time_intervals", omitEmpty: r.muteTimeIntervals)
        b.add("active_time_intervals", omitEmpty: r.activeTimeIntervals)
        b.add("continue", .bool(r.continueMatching))
        b.add(
            "routes",
            omitEmpty: .sequence(
                r.routes.enumerated().compactMap {
                    renderRoute($1, path: path + [$0], scope: scope, tenantLabel: tenantLabel, visible: &visible)
                }))
        b.add("group_wait", omitEmpty: r.groupWait?.description)
        b.add("group_interval", omitEmpty: r.groupInterval?.description)
        b.add("repeat_interval", omitEmpty: r.repeatInterval?.description)
        return b.value
    }

    static func render(_ rule: InhibitRuleConfig) -> YAMLValue {
        let d = rule.display
        var b = YAMLMappingBuilder()
        b.add("source_match", omitEmpty: sortedMap(d.sourceMatch))
        b.add("source_match_re", omitEmpty: sortedMap(d.sourceMatchRE))
        b.add("source_matchers", omitEmpty: d.sourceMatchers.map(\.description))
        b.add("target_match", omitEmpty: sortedMap(d.targetMatch))
        b.add("target_match_re", omitEmpty: sortedMap(d.targetMatchRE))
        b.add("target_matchers", omitEmpty: d.targetMatchers.map(\.description))
        b.add("equal", omitEmpty: rule.equal)
        return b.value
    }

    static func render(_ r: Receiver) -> YAMLValue {
        var b = YAMLMappingBuilder()
        b.add("name", .string(r.name))
        func others(_ name: String) -> YAMLValue {
            .sequence(r.otherConfigs.filter { $0.integration == name }.map(render))
        }
        b.add("discord_configs", omitEmpty: others("discord"))
        b.add("email_configs", omitEmpty: .sequence(r.emailConfigs.map(render)))
        b.add("pagerduty_configs", omitEmpty: .sequence(r.pagerdutyConfigs.map(render)))
        b.add("slack_configs", omitEmpty: .sequence(r.slackConfigs.map(render)))
        b.add("webhook_configs", omitEmpty: .sequence(r.webhookConfigs.map(render)))
        for name in ["opsgenie", "wechat", "pushover", "victorops", "sns", "telegram", "webex", "msteams"] {
            b.add(name + "_configs", omitEmpty: others(name))
        }
        return b.value
    }

    /// A webhook URL with everything after the host masked: `https://hooks.example.com/<secret>`. Tokens live in
    /// the path, query or user info, never in the host; keeping `scheme://host` lets amtool 0.25 (which parses
    /// the webhook URL as a plain URL) read the config back, where a bare `<secret>` fails.
    static func maskedWebhookURL(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return Secret.masked }
        let scheme = url[..<schemeEnd.lowerBound]
        var authority = url[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        guard !authority.isEmpty else { return Secret.masked }
        return "\(scheme)://\(authority)/\(Secret.masked)"
    }

    static func render(_ c: WebhookConfig) -> YAMLValue {
        var b = YAMLMappingBuilder()
        b.add("send_resolved", .bool(c.sendResolved))
        b.add("http_config", render(c.httpConfig))
        b.add("url", omitEmpty: c.url.map { maskedWebhookURL($0.revealed) })
        b.add("url_file", omitEmpty: c.urlFile)
        b.add("max_alerts", .int(c.maxAlerts))
        return b.value
    }

    static func render(_ c: SlackConfig) -> YAMLValue {
        var b = YAMLMappingBuilder()
        b.add("send_resolved", .bool(c.sendResolved))
        b.add("http_config", render(c.httpConfig))
        b.add("api_url", omitEmpty: c.apiURL.map { _ in Secret.masked })
        b.add("api_url_file", omitEmpty: c.apiURLFile)
        b.add("channel", omitEmpty: c.channel)
        b.add("username", omitEmpty: c.username)
        b.add("color", omitEmpty: c.color)
        b.add("title", omitEmpty: c.title)
        b.add("title_link", omitEmpty: c.titleLink)
        b.add("pretext", omitEmpty: c.pretext)
        b.add("text", omitEmpty: c.text)
        b.add(
            "fields",
            omitEmpty: .sequence(
                c.fields.map { field in
                    var f = YAMLMappingBuilder()
                    f.add("title", .string(field.title))
                    f.add("value", .string(field.value))
                    if let short = field.short { f.add("short", .bool(short)) }
                    return f.value
                }))
        b.add("short_fields", .bool(c.shortFields))
        b.add("footer", omitEmpty: c.footer)
        b.add("fallback", omitEmpty: c.fallback)
        b.add("callback_id", omitEmpty: c.callbackID)
        b.add("icon_emoji", omitEmpty: c.iconEmoji)
        b.add("icon_url", omitEmpty: c.iconURL)
        b.add("image_url", omitEmpty: c.imageURL)
        b.add("thumb_url", omitEmpty: c.thumbURL)
        b.add("link_names", .bool(c.linkNames))
        b.add("mrkdwn_in", omitEmpty: c.mrkdwnIn)
        b.add(
            "actions",
            omitEmpty: .sequence(
                c.actions.map { action in
                    var a = YAMLMappingBuilder()
                    a.add("type", .string(action.type))
                    a.add("text", .string(action.text))
                    a.add("url", omitEmpty: action.url)
                    a.add("style", omitEmpty: action.style)
                    a.add("name", omitEmpty: action.name)
                    a.add("value", omitEmpty: action.value)
                    if let confirm = action.confirm {
                        var cf = YAMLMappingBuilder()
                        cf.add("text", .string(confirm.text))
                        cf.add("title", omitEmpty: confirm.title)
                        cf.add("ok_text", omitEmpty: confirm.okText)
                        cf.add("dismiss_text", omitEmpty: confirm.dismissText)
                        a.add("confirm", cf.value)
                    }
                    return a.value
                }))
        return b.value
    }

    static func render(_ c: PagerDutyConfig) -> YAMLValue {
        var b = YAMLMappingBuilder()
        b.add("send_resolved", .bool(c.sendResolved))
        b.add("http_config", render(c.httpConfig))
        b.add("service_key", omitEmpty: secret(c.serviceKey))
        b.add("service_key_file", omitEmpty: c.serviceKeyFile)
        b.add("routing_key", omitEmpty: secret(c.routingKey))
        b.add("routing_key_file", omitEmpty: c.routingKeyFile)
        b.add("url", omitEmpty: c.url?.string)
        b.add("client", omitEmpty: c.client)
        b.add("client_url", omitEmpty: c.clientURL)
        b.add("description", omitEmpty: c.description)
        b.add("details", omitEmpty: sortedMap(c.details.map { ($0.key, $0.value) }))
        b.add(
            "images",
            omitEmpty: .sequence(
                c.images.map { image in
                    var i = YAMLMappingBuilder()
                    i.add("src", omitEmpty: image.src)
                    i.add("alt", omitEmpty: image.alt)
                    i.add("href", omitEmpty: image.href)
                    return i.value
                }))
        b.add(
            "links",
            omitEmpty: .sequence(
                c.links.map { link in
                    var l = YAMLMappingBuilder()
                    l.add("href", omitEmpty: link.href)
                    l.add("text", omitEmpty: link.text)
                    return l.value
                }))
        b.add("source", omitEmpty: c.source)
        if c.severityGiven { b.add("severity", omitEmpty: c.severity) }
        b.add("class", omitEmpty: c.class)
        b.add("component", omitEmpty: c.component)
        b.add("group", omitEmpty: c.group)
        return b.value
    }

    static func render(_ c: EmailConfig) -> YAMLValue {
        var b = YAMLMappingBuilder()
        b.add("send_resolved", .bool(c.sendResolved))
        b.add("to", omitEmpty: c.to)
        b.add("from", omitEmpty: c.from)
        b.add("hello", omitEmpty: c.hello)
        b.add("smarthost", omitEmpty: c.smarthost)
        b.add("auth_username", omitEmpty: c.authUsername)
        b.add("auth_password", omitEmpty: secret(c.authPassword))
        b.add("auth_password_file", omitEmpty: c.authPasswordFile)
        b.add("auth_secret", omitEmpty: secret(c.authSecret))
        b.add("auth_identity", omitEmpty: c.authIdentity)
        b.add("headers", omitEmpty: sortedMap(c.headers.map { ($0.key, $0.value) }))
        b.add("html", omitEmpty: c.html)
        b.add("text", omitEmpty: c.text)
        b.add("require_tls", .bool(c.requireTLS))
        b.add("tls_config", omitEmpty: render(c.tlsConfig))
        return b.value
    }

    static func render(_ c: OtherIntegrationConfig) -> YAMLValue {
        var pairs: [(String, YAMLValue)] = [
            ("send_resolved", .bool(c.sendResolved)), ("http_config", render(c.httpConfig)),
        ]
        if case .mapping(let rest) = c.fields { pairs += rest }
        return .mapping(pairs)
    }

    private func renderNamedIntervals(_ names: [String], pendingFlow: inout Bool) -> YAMLValue {
        guard !names.isEmpty else { return .sequence([]) }
        let flowList = pendingFlow
        pendingFlow = false
        var items: [YAMLValue] = []
        for name in names {
            let flowItem = pendingFlow
            pendingFlow = false
            var entries: [YAMLValue] = []
            for t in timeIntervals[name] ?? [] {
                let entry = renderTimeInterval(t)
                if pendingFlow, case .mapping(let pairs) = entry {
                    entries.append(.flowMapping(pairs))
                } else {
                    entries.append(entry)
                }
                pendingFlow = t.location != nil
            }
            let pairs: [(String, YAMLValue)] = [("name", .string(name)), ("time_intervals", .sequence(entries))]
            items.append(flowItem ? .flowMapping(pairs) : .mapping(pairs))
        }
        return .sequence(items, flow: flowList)
    }

    private func renderTimeInterval(_ t: TimeIntervalConfig) -> YAMLValue {
        do {
            var b = YAMLMappingBuilder()
            b.add(
                "times",
                omitEmpty: .sequence(
                    (t.spec.times ?? []).map {
                        .mapping([
                            ("start_time", .string(Self.clock($0.startMinute))),
                            ("end_time", .string(Self.clock($0.endMinute))),
                        ])
                    }))
            func ranges(_ list: [InclusiveRange]?, _ name: (Int) -> String) -> [String] {
                (list ?? []).map { $0.begin == $0.end ? name($0.begin) : name($0.begin) + ":" + name($0.end) }
            }
            b.add("weekdays", omitEmpty: ranges(t.spec.weekdays) { Weekday.names[$0] }, flow: true)
            b.add("days_of_month", omitEmpty: ranges(t.spec.daysOfMonth) { "\($0)" }, flow: true)
            b.add("months", omitEmpty: ranges(t.spec.months) { "\($0)" }, flow: true)
            b.add("years", omitEmpty: ranges(t.spec.years) { "\($0)" }, flow: true)
            b.add("location", omitEmpty: t.location)
            return b.value
        }
    }

    private static func clock(_ minutes: Int) -> String {
        String(minutes / 60).leftPadded(to: 2) + ":" + String(minutes % 60).leftPadded(to: 2)
    }
}
