import KlaxonCore

extension ConfigDecoder {
    private static let receiverKeys = [
        "name", "email_configs", "pagerduty_configs", "slack_configs", "webhook_configs", "opsgenie_configs",
        "wechat_configs", "pushover_configs", "victorops_configs", "sns_configs", "telegram_configs",
        "webex_configs", "discord_configs", "msteams_configs",
    ]

    func decodeReceiver(_ n: YNode) throws(ConfigError) -> Receiver? {
        let before = typeErrorCount
        guard let f = fields(n, known: Self.receiverKeys) else { return nil }
        var r = Receiver(name: f.string("name") ?? "")
        for key in f.order where key != "name" {
            let items = sequence(f[key], goType: "[]*config.\(Self.goTypeName(key))") ?? []
            switch key {
            case "webhook_configs":
                for item in items { if let c = try decodeWebhook(item) { r.webhookConfigs.append(c) } }
            case "slack_configs":
                for item in items { if let c = try decodeSlack(item) { r.slackConfigs.append(c) } }
            case "pagerduty_configs":
                for item in items { if let c = try decodePagerDuty(item) { r.pagerdutyConfigs.append(c) } }
            case "email_configs":
                for item in items { if let c = try decodeEmail(item) { r.emailConfigs.append(c) } }
            default:
                guard let spec = OtherIntegrationSpec.byKey[key] else { continue }
                for item in items {
                    guard let c = try decodeOther(item, spec: spec) else { continue }
                    r.otherConfigs.append(c)
                    try decodeDelivered(item, shown: c, into: &r)
                }
            }
        }
        guard typeErrorCount == before else { return nil }
        if r.name.isEmpty { throw f.error("missing name in receiver") }
        return r
    }

    private static func goTypeName(_ key: String) -> String {
        switch key {
        case "webhook_configs": "WebhookConfig"
        case "slack_configs": "SlackConfig"
        case "pagerduty_configs": "PagerdutyConfig"
        case "email_configs": "EmailConfig"
        case "opsgenie_configs": "OpsGenieConfig"
        case "victorops_configs": "VictorOpsConfig"
        case "wechat_configs": "WechatConfig"
        case "pushover_configs": "PushoverConfig"
        case "sns_configs": "SNSConfig"
        case "telegram_configs": "TelegramConfig"
        case "webex_configs": "WebexConfig"
        case "discord_configs": "DiscordConfig"
        default: "MSTeamsConfig"
        }
    }

    // MARK: webhook

    func decodeWebhook(_ n: YNode) throws(ConfigError) -> WebhookConfig? {
        let keys = ["send_resolved", "http_config", "url", "url_file", "max_alerts"]
        let before = typeErrorCount
        guard let f = fields(n, known: keys) else { return nil }
        var c = WebhookConfig()
        for key in f.order {
            switch key {
            case "send_resolved": c.sendResolved = f.bool(key) ?? true
            case "http_config":
                if let h = try decodeHTTPConfig(f[key]) {
                    c.httpConfig = h
                    c.httpConfigGiven = true
                }
            case "url": c.url = try f.secretURL(key)
            case "url_file": c.urlFile = f.filePath(key)
            case "max_alerts": c.maxAlerts = int(f[key], goType: "uint64", unsigned: true) ?? 0
            default: break
            }
        }
        guard typeErrorCount == before else { return nil }
        if c.url != nil, c.urlFile != nil { throw f.error("at most one of url & url_file must be configured") }
        if c.url == nil, c.urlFile == nil { throw f.error("missing URL in webhook config") }
        return c
    }

    // MARK: slack

    func decodeSlack(_ n: YNode) throws(ConfigError) -> SlackConfig? {
        let keys = [
            "send_resolved", "http_config", "api_url", "api_url_file", "channel", "username", "color", "title",
            "title_link", "pretext", "text", "fields", "short_fields", "footer", "fallback", "callback_id",
            "icon_emoji", "icon_url", "image_url", "thumb_url", "link_names", "mrkdwn_in", "actions",
        ]
        let before = typeErrorCount
        guard let f = fields(n, known: keys) else { return nil }
        var c = SlackConfig()
        for key in f.order {
            switch key {
            case "send_resolved": c.sendResolved = f.bool(key) ?? false
            case "http_config":
                if let h = try decodeHTTPConfig(f[key]) {
                    c.httpConfig = h
                    c.httpConfigGiven = true
                }
            case "api_url": c.apiURL = try f.secretURL(key)
            case "api_url_file": c.apiURLFile = f.filePath(key)
            case "channel": c.channel = f.string(key) ?? ""
            case "username": c.username = f.string(key) ?? ""
            case "color": c.color = f.string(key) ?? ""
            case "title": c.title = f.string(key) ?? ""
            case "title_link": c.titleLink = f.string(key) ?? ""
            case "pretext": c.pretext = f.string(key) ?? ""
            case "text": c.text = f.string(key) ?? ""
            case "short_fields": c.shortFields = f.bool(key) ?? false
            case "footer": c.footer = f.string(key) ?? ""
            case "fallback": c.fallback = f.string(key) ?? ""
            case "callback_id": c.callbackID = f.string(key) ?? ""
            case "icon_emoji": c.iconEmoji = f.string(key) ?? ""
            case "icon_url": c.iconURL = f.string(key) ?? ""
            case "image_url": c.imageURL = f.string(key) ?? ""
            case "thumb_url": c.thumbURL = f.string(key) ?? ""
            case "link_names": c.linkNames = f.bool(key) ?? false
            case "mrkdwn_in": c.mrkdwnIn = f.stringList(key) ?? []
            case "fields":
                for item in sequence(f[key], goType: "[]*config.SlackField") ?? [] {
                    let itemBefore = typeErrorCount
                    guard let s = fields(item, known: ["title", "value", "short"]) else { continue }
                    let field = SlackConfig.Field(
                        title: s.string("title") ?? "", value: s.string("value") ?? "", short: s.bool("short"))
                    guard typeErrorCount == itemBefore else { continue }
                    if field.title.isEmpty { throw s.error("missing title in Slack field configuration") }
                    if field.value.isEmpty { throw s.error("missing value in Slack field configuration") }
                    c.fields.append(field)
                }
            case "actions":
                for item in sequence(f[key], goType: "[]*config.SlackAction") ?? [] {
                    if let action = try decodeSlackAction(item) { c.actions.append(action) }
                }
            default: break
            }
        }
        guard typeErrorCount == before else { return nil }
        if c.apiURL != nil, c.apiURLFile != nil {
            throw f.error("at most one of api_url & api_url_file must be configured")
        }
        return c
    }

    private func decodeSlackAction(_ n: YNode) throws(ConfigError) -> SlackConfig.Action? {
        let keys = ["type", "text", "url", "style", "name", "value", "confirm"]
        let before = typeErrorCount
        guard let s = fields(n, known: keys) else { return nil }
        var a = SlackConfig.Action(type: s.string("type") ?? "", text: s.string("text") ?? "")
        a.url = s.string("url") ?? ""
        a.style = s.string("style") ?? ""
        a.name = s.string("name") ?? ""
        a.value = s.string("value") ?? ""
        if let cf = fields(s["confirm"], known: ["text", "title", "ok_text", "dismiss_text"]) {
            let confirm = SlackConfig.Action.Confirm(
                text: cf.string("text") ?? "", title: cf.string("title") ?? "", okText: cf.string("ok_text") ?? "",
                dismissText: cf.string("dismiss_text") ?? "")
            if typeErrorCount == before, confirm.text.isEmpty {
                throw cf.error("missing text in Slack confirmation configuration")
            }
            a.confirm = confirm
        }
        guard typeErrorCount == before else { return nil }
        if a.type.isEmpty { throw s.error("missing type in Slack action configuration") }
        if a.text.isEmpty { throw s.error("missing text in Slack action configuration") }
        if a.url.isEmpty, a.name.isEmpty { throw s.error("missing name or url in Slack action configuration") }
        return a
    }

    // MARK: pagerduty

    func decodePagerDuty(_ n: YNode) throws(ConfigError) -> PagerDutyConfig? {
        let keys = [
            "send_resolved", "http_config", "service_key", "service_key_file", "routing_key", "routing_key_file",
            "url", "client", "client_url", "description", "details", "images", "links", "source", "severity",
            "class", "component", "group",
        ]
        let before = typeErrorCount
        guard let f = fields(n, known: keys) else { return nil }
        var c = PagerDutyConfig()
        var sourceGiven = false
        for key in f.order {
            switch key {
            case "send_resolved": c.sendResolved = f.bool(key) ?? true
            case "http_config":
                if let h = try decodeHTTPConfig(f[key]) {
                    c.httpConfig = h
                    c.httpConfigGiven = true
                }
            case "service_key": c.serviceKey = f.secret(key)
            case "service_key_file": c.serviceKeyFile = f.filePath(key)
            case "routing_key": c.routingKey = f.secret(key)
            case "routing_key_file": c.routingKeyFile = f.filePath(key)
            case "url": c.url = try f.url(key)
            case "client": c.client = f.string(key) ?? ""
            case "client_url": c.clientURL = f.string(key) ?? ""
            case "description": c.description = f.string(key) ?? ""
            case "details":
                for (name, value) in f.stringMap(key) ?? [] { c.details[name] = value }
            case "images":
                for item in sequence(f[key], goType: "[]config.PagerdutyImage") ?? [] {
                    guard let i = fields(item, known: ["src", "alt", "href"]) else { continue }
                    c.images.append(
                        .init(src: i.string("src") ?? "", alt: i.string("alt") ?? "", href: i.string("href") ?? ""))
                }
            case "links":
                for item in sequence(f[key], goType: "[]config.PagerdutyLink") ?? [] {
                    guard let l = fields(item, known: ["href", "text"]) else { continue }
                    c.links.append(.init(href: l.string("href") ?? "", text: l.string("text") ?? ""))
                }
            case "source":
                if let v = f.string(key), !v.isEmpty {
                    c.source = v
                    sourceGiven = true
                }
            case "severity":
                if let v = f.string(key), !v.isEmpty {
                    c.severity = v
                    c.severityGiven = true
                }
            case "class": c.class = f.string(key) ?? ""
            case "component": c.component = f.string(key) ?? ""
            case "group": c.group = f.string(key) ?? ""
            default: break
            }
        }
        guard typeErrorCount == before else { return nil }
        if !sourceGiven { c.source = c.client }
        let noRouting = c.routingKey?.isEmpty ?? true, noService = c.serviceKey?.isEmpty ?? true
        if noRouting, noService, c.routingKeyFile == nil, c.serviceKeyFile == nil {
            throw f.error("missing service or routing key in PagerDuty config")
        }
        if !noRouting, c.routingKeyFile != nil {
            throw f.error("at most one of routing_key & routing_key_file must be configured")
        }
        if !noService, c.serviceKeyFile != nil {
            throw f.error("at most one of service_key & service_key_file must be configured")
        }
        return c
    }

    // MARK: email

    func decodeEmail(_ n: YNode) throws(ConfigError) -> EmailConfig? {
        let keys = [
            "send_resolved", "to", "from", "hello", "smarthost", "auth_username", "auth_password",
            "auth_password_file", "auth_secret",
            "auth_identity", "headers", "html", "text", "require_tls", "tls_config",
        ]
        let before = typeErrorCount
        guard let f = fields(n, known: keys) else { return nil }
        var c = EmailConfig()
        c.sendResolved = f.bool("send_resolved") ?? false
        c.to = f.string("to") ?? ""
        c.from = f.string("from") ?? ""
        c.hello = f.string("hello") ?? ""
        c.smarthost = f.string("smarthost") ?? ""
        c.authUsername = f.string("auth_username") ?? ""
        c.authPassword = f.secret("auth_password")
        c.authPasswordFile = f.filePath("auth_password_file")
        c.authSecret = f.secret("auth_secret")
        c.authIdentity = f.string("auth_identity") ?? ""
        let headers = f.stringMap("headers") ?? []
        if let v = f.string("html") { c.html = v }
        c.text = f.string("text") ?? ""
        if let v = f.bool("require_tls") {
            c.requireTLS = v
            c.requireTLSGiven = true
        }
        c.tlsConfig = decodeTLSConfig(f["tls_config"]) ?? .init()
        guard typeErrorCount == before else { return nil }
        if c.to.isEmpty { throw f.error("missing to address in email config") }
        for (name, value) in headers {
            let canonical = Self.canonicalHeader(name)
            if c.headers[canonical] != nil {
                throw f.error("duplicate header \(GoQuote.quote(canonical)) in email config", at: "headers")
            }
            c.headers[canonical] = value
        }
        if c.headers["Subject"] == nil { c.headers["Subject"] = #"{{ template "email.default.subject" . }}"# }
        return c
    }

    /// Go's `textproto.CanonicalMIMEHeaderKey` for ASCII names.
    static func canonicalHeader(_ name: String) -> String {
        var upper = true
        var out = ""
        for ch in name {
            out.append(upper ? Character(ch.uppercased()) : Character(ch.lowercased()))
            upper = ch == "-"
        }
        return out
    }

    // MARK: other integrations

    func decodeOther(_ n: YNode, spec: OtherIntegrationSpec) throws(ConfigError) -> OtherIntegrationConfig? {
        let before = typeErrorCount
        guard let f = fields(n, known: spec.keys) else { return nil }
        var sendResolved = spec.sendResolvedDefault
        var http = HTTPClientConfig()
        var httpGiven = false
        var rest: [(String, YAMLValue)] = []
        for key in f.order {
            guard let value = f[key] else { continue }
            switch key {
            case "send_resolved": sendResolved = f.bool(key) ?? spec.sendResolvedDefault
            case "http_config":
                if let h = try decodeHTTPConfig(value) {
                    http = h
                    httpGiven = true
                }
            default:
                if spec.urlKeys.contains(key) {
                    _ = try decoder(urlAt: value)
                }
                if spec.secretKeys.contains(key), !isNull(value) {
                    rest.append((key, .string(Secret.masked)))
                } else {
                    rest.append((key, raw(value, secretKeys: ["secret_key", "access_key"])))
                }
            }
        }
        guard typeErrorCount == before else { return nil }
        try spec.validate(f)
        return OtherIntegrationConfig(
            integration: spec.name, sendResolved: sendResolved, httpConfig: http, fields: .mapping(rest),
            httpConfigGiven: httpGiven)
    }

    private func decoder(urlAt n: YNode) throws(ConfigError) -> ConfigURL? { try url(n) }

    // MARK: global inheritance

    func applyGlobal(_ g: GlobalConfig, to r: inout Receiver, at n: YNode) throws(ConfigError) {
        for i in r.webhookConfigs.indices where !r.webhookConfigs[i].httpConfigGiven {
            r.webhookConfigs[i].httpConfig = g.httpConfig
        }
        for i in r.emailConfigs.indices {
            var c = r.emailConfigs[i]
            if c.smarthost.isEmpty {
                guard !g.smtpSmarthost.isEmpty else { throw error("no global SMTP smarthost set", at: n) }
                c.smarthost = g.smtpSmarthost
            }
            if c.from.isEmpty {
                guard !g.smtpFrom.isEmpty else { throw error("no global SMTP from set", at: n) }
                c.from = g.smtpFrom
            }
            if c.hello.isEmpty { c.hello = g.smtpHello }
            if c.authUsername.isEmpty { c.authUsername = g.smtpAuthUsername }
            if (c.authPassword?.isEmpty ?? true) && c.authPasswordFile == nil {
                c.authPassword = g.smtpAuthPassword
                c.authPasswordFile = g.smtpAuthPasswordFile
            }
            if c.authSecret == nil { c.authSecret = g.smtpAuthSecret }
            if c.authIdentity.isEmpty { c.authIdentity = g.smtpAuthIdentity }
            if !c.requireTLSGiven { c.requireTLS = g.smtpRequireTLS }
            if c.headers["From"] == nil { c.headers["From"] = c.from }
            if c.headers["To"] == nil { c.headers["To"] = c.to }
            r.emailConfigs[i] = c
        }
        for i in r.slackConfigs.indices {
            if !r.slackConfigs[i].httpConfigGiven { r.slackConfigs[i].httpConfig = g.httpConfig }
            if r.slackConfigs[i].apiURL == nil, r.slackConfigs[i].apiURLFile == nil {
                guard g.slackAPIURL != nil || g.slackAPIURLFile != nil else {
                    throw error("no global Slack API URL set either inline or in a file", at: n)
                }
                r.slackConfigs[i].apiURL = g.slackAPIURL
                r.slackConfigs[i].apiURLFile = g.slackAPIURLFile
            }
        }
        for i in r.pagerdutyConfigs.indices {
            if !r.pagerdutyConfigs[i].httpConfigGiven { r.pagerdutyConfigs[i].httpConfig = g.httpConfig }
            if r.pagerdutyConfigs[i].url == nil {
                guard let url = g.pagerdutyURL else { throw error("no global PagerDuty URL set", at: n) }
                r.pagerdutyConfigs[i].url = url
            }
        }
        try applyGlobalToDelivered(g, to: &r, at: n)
        for i in r.otherConfigs.indices {
            if !r.otherConfigs[i].httpConfigGiven { r.otherConfigs[i].httpConfig = g.httpConfig }
            try OtherIntegrationSpec.checkGlobal(r.otherConfigs[i], global: g, at: n, decoder: self)
            r.otherConfigs[i].fields = OtherIntegrationSpec.displayFields(r.otherConfigs[i], global: g)
        }
    }
}
