import KlaxonGoCompat

/// Typed configs for the integrations of `OtherIntegrationSpec` that Klaxon delivers. The entry has already been
/// checked (known keys, types, required fields) by `decodeOther`, which also keeps how it is shown; this reads
/// the values the notifier needs, with Alertmanager's defaults.
extension ConfigDecoder {
    func decodeDelivered(_ n: YNode, shown: OtherIntegrationConfig, into r: inout Receiver) throws(ConfigError) {
        guard Receiver.deliveredOtherIntegrations.contains(shown.integration),
            let f = fields(n, known: OtherIntegrationSpec.byKey[shown.integration + "_configs"]?.keys ?? [])
        else { return }
        switch shown.integration {
        case "discord":
            var c = DiscordConfig(shown: shown)
            c.webhookURL = try f.secretURL("webhook_url")
            if let v = f.string("title") { c.title = v }
            if let v = f.string("message") { c.message = v }
            r.discordConfigs.append(c)
        case "webex":
            var c = WebexConfig(shown: shown)
            c.apiURL = try f.url("api_url")
            if let v = f.string("message") { c.message = v }
            c.roomID = f.string("room_id") ?? ""
            r.webexConfigs.append(c)
        case "pushover":
            var c = PushoverConfig(shown: shown)
            c.userKey = f.secret("user_key") ?? Secret("")
            c.token = f.secret("token") ?? Secret("")
            if let v = f.string("title") { c.title = v }
            if let v = f.string("message") { c.message = v }
            if let v = f.string("url") { c.url = v }
            c.urlTitle = f.string("url_title") ?? ""
            c.sound = f.string("sound") ?? ""
            if let v = f.string("priority") { c.priority = v }
            if let v = try f.goDuration("retry") { c.retry = v }
            if let v = try f.goDuration("expire") { c.expire = v }
            c.html = f.bool("html") ?? false
            r.pushoverConfigs.append(c)
        case "opsgenie":
            var c = OpsGenieConfig(shown: shown)
            c.apiKey = f.secret("api_key").flatMap { $0.isEmpty ? nil : $0 }
            c.apiKeyFile = f.filePath("api_key_file")
            c.apiURL = try f.url("api_url")
            if let v = f.string("message") { c.message = v }
            if let v = f.string("description") { c.description = v }
            if let v = f.string("source") { c.source = v }
            for (key, value) in f.stringMap("details") ?? [] { c.details[key] = value }
            c.entity = f.string("entity") ?? ""
            c.actions = f.string("actions") ?? ""
            c.tags = f.string("tags") ?? ""
            c.note = f.string("note") ?? ""
            c.priority = f.string("priority") ?? ""
            c.updateAlerts = f.bool("update_alerts") ?? false
            for item in sequence(f["responders"], goType: "[]config.OpsGenieConfigResponder") ?? [] {
                guard let rf = fields(item, known: ["id", "name", "username", "type"]) else { continue }
                let responder = OpsGenieConfig.Responder(
                    id: rf.string("id") ?? "", name: rf.string("name") ?? "", username: rf.string("username") ?? "",
                    type: rf.string("type") ?? "")
                try Self.validate(responder, at: rf)
                c.responders.append(responder)
            }
            if c.apiKey != nil, c.apiKeyFile != nil {
                throw f.error("at most one of api_key & api_key_file must be configured")
            }
            r.opsgenieConfigs.append(c)
        case "victorops":
            var c = VictorOpsConfig(shown: shown)
            c.apiKey = f.secret("api_key").flatMap { $0.isEmpty ? nil : $0 }
            c.apiKeyFile = f.filePath("api_key_file")
            c.apiURL = try f.url("api_url")
            c.routingKey = f.string("routing_key") ?? ""
            if let v = f.string("message_type") { c.messageType = v }
            if let v = f.string("state_message") { c.stateMessage = v }
            if let v = f.string("entity_display_name") { c.entityDisplayName = v }
            if let v = f.string("monitoring_tool") { c.monitoringTool = v }
            for (key, value) in f.stringMap("custom_fields") ?? [] { c.customFields[key] = value }
            if c.apiKey != nil, c.apiKeyFile != nil {
                throw f.error("at most one of api_key & api_key_file must be configured")
            }
            for name in VictorOpsConfig.reservedFields where c.customFields[name] != nil {
                throw f.error(
                    "victorOps config contains custom field \(name) which cannot be used as it conflicts with the "
                        + "fixed/static fields")
            }
            r.victoropsConfigs.append(c)
        case "wechat":
            var c = WechatConfig(shown: shown)
            c.apiSecret = f.secret("api_secret") ?? Secret("")
            c.corpID = f.string("corp_id") ?? ""
            c.apiURL = try f.url("api_url")
            if let v = f.string("message") { c.message = v }
            if let v = f.string("to_user") { c.toUser = v }
            if let v = f.string("to_party") { c.toParty = v }
            if let v = f.string("to_tag") { c.toTag = v }
            if let v = f.string("agent_id") { c.agentID = v }
            if let v = f.string("message_type"), !v.isEmpty { c.messageType = v }
            if c.messageType != "text", c.messageType != "markdown" {
                throw f.error(
                    "weChat message type \(GoQuote.quote(c.messageType)) does not match valid options "
                        + "^(text|markdown)$")
            }
            r.wechatConfigs.append(c)
        case "telegram":
            var c = TelegramConfig(shown: shown)
            c.apiURL = try f.url("api_url")
            c.botToken = f.secret("bot_token") ?? Secret("")
            c.chatID = int(f["chat_id"], goType: "int64") ?? 0
            if let v = f.string("message") { c.message = v }
            c.disableNotifications = f.bool("disable_notifications") ?? false
            if let v = f.string("parse_mode") { c.parseMode = v }
            if c.chatID == 0 { throw f.error("missing chat_id on telegram_config") }
            if !["", "Markdown", "MarkdownV2", "HTML"].contains(c.parseMode) {
                throw f.error(
                    "unknown parse_mode on telegram_config, must be Markdown, MarkdownV2, HTML or empty string")
            }
            r.telegramConfigs.append(c)
        case "sns":
            var c = SNSConfig(shown: shown)
            c.apiURL = f.string("api_url") ?? ""
            c.topicARN = f.string("topic_arn") ?? ""
            c.phoneNumber = f.string("phone_number") ?? ""
            c.targetARN = f.string("target_arn") ?? ""
            if let v = f.string("subject") { c.subject = v }
            if let v = f.string("message") { c.message = v }
            for (key, value) in f.stringMap("attributes") ?? [] { c.attributes[key] = value }
            if let s = fields(f["sigv4"], known: ["region", "access_key", "secret_key", "profile", "role_arn"]) {
                c.sigv4.region = s.string("region") ?? ""
                c.sigv4.accessKey = s.string("access_key") ?? ""
                c.sigv4.secretKey = s.secret("secret_key")
                c.sigv4.profile = s.string("profile") ?? ""
                c.sigv4.roleARN = s.string("role_arn") ?? ""
                if c.sigv4.accessKey.isEmpty != (c.sigv4.secretKey?.isEmpty ?? true) {
                    throw s.error(
                        "must provide a AWS SigV4 Access key and Secret Key if credentials are specified in the SigV4 "
                            + "config")
                }
            }
            // Alertmanager 0.25's test, `(target == "") != (topic == "") != (phone == "")`, also refuses two of the
            // three (and accepts all three).
            if (c.targetARN.isEmpty != c.topicARN.isEmpty) != c.phoneNumber.isEmpty {
                throw f.error("must provide either a Target ARN, Topic ARN, or Phone Number for SNS config")
            }
            r.snsConfigs.append(c)
        default:
            break
        }
    }

    /// Alertmanager's responder checks. A plain `type` is checked lower-cased, but Alertmanager 0.25 lower-cases
    /// a copy: the type is sent as written.
    private static func validate(_ responder: OpsGenieConfig.Responder, at f: Fields) throws(ConfigError) {
        var r = responder
        if r.id.isEmpty, r.username.isEmpty, r.name.isEmpty {
            throw f.error(
                "opsGenieConfig responder \(shown(r)) has to have at least one of id, username or name specified")
        }
        guard !r.type.contains("{{") else { return }
        r.type = r.type.lowercased()
        let valid: Set<String> = ["team", "teams", "user", "escalation", "schedule"]
        if !valid.contains(r.type) {
            throw f.error(
                "opsGenieConfig responder \(shown(r)) type does not match valid options "
                    + "^(team|teams|user|escalation|schedule)$")
        }
    }

    /// Go's `%v` of a responder: `{id name username type}`.
    private static func shown(_ r: OpsGenieConfig.Responder) -> String {
        "{\(r.id) \(r.name) \(r.username) \(r.type)}"
    }

    /// The global `http_config` and API URLs, for entries that do not set their own.
    func applyGlobalToDelivered(_ g: GlobalConfig, to r: inout Receiver, at n: YNode) throws(ConfigError) {
        for i in r.discordConfigs.indices where !r.discordConfigs[i].httpConfigGiven {
            r.discordConfigs[i].httpConfig = g.httpConfig
        }
        for i in r.pushoverConfigs.indices where !r.pushoverConfigs[i].httpConfigGiven {
            r.pushoverConfigs[i].httpConfig = g.httpConfig
        }
        for i in r.opsgenieConfigs.indices {
            var c = r.opsgenieConfigs[i]
            if !c.httpConfigGiven { c.httpConfig = g.httpConfig }
            if c.apiURL == nil { c.apiURL = g.opsgenieAPIURL }
            if let url = c.apiURL, !Self.pathEndsInSlash(url.string) {
                c.apiURL = ConfigURL(validated: Self.appendingSlashToPath(url.string))
            }
            if c.apiKey == nil, c.apiKeyFile == nil {
                c.apiKey = g.opsgenieAPIKey
                c.apiKeyFile = g.opsgenieAPIKeyFile
            }
            r.opsgenieConfigs[i] = c
        }
        for i in r.victoropsConfigs.indices {
            var c = r.victoropsConfigs[i]
            if !c.httpConfigGiven { c.httpConfig = g.httpConfig }
            if c.apiURL == nil { c.apiURL = g.victoropsAPIURL }
            if let url = c.apiURL, !Self.pathEndsInSlash(url.string) {
                c.apiURL = ConfigURL(validated: Self.appendingSlashToPath(url.string))
            }
            if c.apiKey == nil, c.apiKeyFile == nil { c.apiKey = g.victoropsAPIKey }
            r.victoropsConfigs[i] = c
        }
        for i in r.wechatConfigs.indices {
            var c = r.wechatConfigs[i]
            if !c.httpConfigGiven { c.httpConfig = g.httpConfig }
            if c.apiURL == nil { c.apiURL = g.wechatAPIURL }
            if c.apiSecret.isEmpty, let secret = g.wechatAPISecret { c.apiSecret = secret }
            if c.corpID.isEmpty { c.corpID = g.wechatAPICorpID }
            r.wechatConfigs[i] = c
        }
        for i in r.snsConfigs.indices where !r.snsConfigs[i].httpConfigGiven {
            r.snsConfigs[i].httpConfig = g.httpConfig
        }
        for i in r.telegramConfigs.indices {
            if !r.telegramConfigs[i].httpConfigGiven { r.telegramConfigs[i].httpConfig = g.httpConfig }
            if r.telegramConfigs[i].apiURL == nil { r.telegramConfigs[i].apiURL = g.telegramAPIURL }
        }
        for i in r.webexConfigs.indices {
            if !r.webexConfigs[i].httpConfigGiven { r.webexConfigs[i].httpConfig = g.httpConfig }
            if r.webexConfigs[i].apiURL == nil { r.webexConfigs[i].apiURL = g.webexAPIURL }
        }
    }

    /// Whether the URL's path (before any query or fragment) ends in `/`.
    static func pathEndsInSlash(_ url: String) -> Bool {
        url.prefix { $0 != "?" && $0 != "#" }.hasSuffix("/")
    }

    /// The URL with `/` appended to its path (Alertmanager does this to `api_url` for OpsGenie and VictorOps).
    static func appendingSlashToPath(_ url: String) -> String {
        let end = url.firstIndex { $0 == "?" || $0 == "#" } ?? url.endIndex
        return url[..<end] + "/" + url[end...]
    }
}

/// The fields every delivered integration's config takes from the generic entry that `decodeOther` read.
protocol DeliveredIntegrationConfig {
    init()
    var sendResolved: Bool { get set }
    var httpConfig: HTTPClientConfig { get set }
    var httpConfigGiven: Bool { get set }
}

extension DeliveredIntegrationConfig {
    /// A config with `send_resolved` and `http_config` as the generic entry has them, the rest at their defaults.
    init(shown: OtherIntegrationConfig) {
        self.init()
        sendResolved = shown.sendResolved
        httpConfig = shown.httpConfig
        httpConfigGiven = shown.httpConfigGiven
    }
}

extension DiscordConfig: DeliveredIntegrationConfig {}
extension WebexConfig: DeliveredIntegrationConfig {}
extension PushoverConfig: DeliveredIntegrationConfig {}
extension OpsGenieConfig: DeliveredIntegrationConfig {}
extension VictorOpsConfig: DeliveredIntegrationConfig {}
extension WechatConfig: DeliveredIntegrationConfig {}
extension TelegramConfig: DeliveredIntegrationConfig {}
extension SNSConfig: DeliveredIntegrationConfig {}
