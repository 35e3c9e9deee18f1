import Foundation
import KlaxonConfig
import KlaxonCore
import KlaxonGoCompat
import KlaxonHTTP
import KlaxonTemplate

/// `wechat_configs`: sends a text or Markdown message through WeChat Work's `message/send`, with an access
/// token fetched from `gettoken` and kept for two hours (per notifier, as Alertmanager keeps it per config
/// load). A non-200 answer, an unreadable answer and the expired-token code 42001 (which also drops the token)
/// are retried; other error codes are not.
public struct WechatNotifier: Notifier {
    /// `wechat`.
    public let integrationName = "wechat"
    /// `send_resolved` (default false).
    public let sendResolved: Bool
    private let config: WechatConfig
    private let templates: TemplateSet
    private let externalURL: String
    private let poster: JSONPoster
    private let token: TokenCache

    /// How long a fetched token is used.
    static let tokenLifetime: TimeInterval = 2 * 3600

    /// Creates the notifier for one `wechat_configs` entry. `templates` is the default set plus the config's
    /// `templates:` files; `externalURL` is Alertmanager's external URL without a trailing slash.
    public init(config: WechatConfig, templates: TemplateSet, client: HTTPClient, externalURL: String) {
        sendResolved = config.sendResolved
        self.config = config
        self.templates = templates
        self.externalURL = externalURL
        token = TokenCache()
        poster = JSONPoster(client: client, options: config.httpConfig.clientOptions(), retryStatuses: [])
    }

    /// Fetches a token when there is none (or it is two hours old), then sends the message once.
    public func notify(_ notification: GroupNotification) async -> NotifyResult {
        let templater = NotificationTemplater(
            templates: templates, notification: notification, externalURL: externalURL)
        let base = config.apiURL?.string ?? "https://qyapi.weixin.qq.com/cgi-bin/"
        let accessToken: String
        if let cached = token.current(now: Date()) {
            accessToken = cached
        } else {
            switch await fetchToken(templater, base: base, deadline: notification.deadline) {
            case .success(let fetched):
                accessToken = fetched
                token.store(fetched, at: Date())
            case .failure(let result):
                return result.result
            }
        }
        let body: [UInt8]
        do {
            body = try message(templater)
        } catch {
            return .failed(retry: false, reason: .other, message: "templating error: \(error.description)")
        }
        let url = base + "message/send?" + GoURL.encodeQuery([("access_token", accessToken)])
        let outcome = await poster.send(
            method: "POST", url: url, headers: [HTTPHeader("Content-Type", "application/json")], body: body,
            deadline: notification.deadline, anyStatus: true)
        guard case .response(let response) = outcome else { return outcome.result }
        // Alertmanager retries any answer but 200, and names only its status.
        guard response.status == 200 else {
            let reason: NotifyFailureReason = response.status >= 500 ? .serverError : .clientError
            return .failed(retry: true, reason: reason, message: "unexpected status code \(response.status)")
        }
        return Self.check(response.body, token: token)
    }

    /// The token request: `GET <api_url>gettoken?corpid=…&corpsecret=…` (both rendered as templates). Its
    /// status is not looked at, only its JSON `access_token`.
    private func fetchToken(
        _ templater: NotificationTemplater, base: String, deadline: Date?
    ) async -> Result<String, FetchFailure> {
        let secret: String
        let corpID: String
        do {
            secret = try templater.render(config.apiSecret.revealed, field: "api_secret")
            corpID = try templater.render(config.corpID, field: "corp_id")
        } catch {
            return .failure(FetchFailure(.failed(retry: false, reason: .other, message: "templating error")))
        }
        let url = base + "gettoken?" + GoURL.encodeQuery([("corpsecret", secret), ("corpid", corpID)])
        let outcome = await poster.send(
            method: "GET", url: url, headers: [], body: [], deadline: deadline, anyStatus: true)
        // Alertmanager never looks at this answer's status, only at its JSON.
        guard case .response(let answer) = outcome else { return .failure(FetchFailure(outcome.result)) }
        guard let object = try? JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any] else {
            return .failure(
                FetchFailure(.failed(retry: false, reason: .other, message: "could not read the WeChat token answer")))
        }
        guard let fetched = object["access_token"] as? String, !fetched.isEmpty else {
            return .failure(
                FetchFailure(.failed(retry: false, reason: .other, message: "invalid APISecret for CorpID: \(corpID)")))
        }
        return .success(fetched)
    }

    /// The message body, in the field order of Alertmanager's struct: `text` and `markdown` are both always
    /// present (only the one of `message_type` has the content); the recipients are left out when empty.
    func message(_ templater: NotificationTemplater) throws(NotificationBuildError) -> [UInt8] {
        let render = templater.render
        let toUser = try render(config.toUser, "to_user")
        let toParty = try render(config.toParty, "to_party")
        let toTag = try render(config.toTag, "to_tag")
        let agentID = try render(config.agentID, "agent_id")
        let content = try render(config.message, "message")
        let markdown = config.messageType == "markdown"
        var json = GoJSONWriter(capacity: 256 + content.utf8.count)
        var object = JSONObjectWriter()
        json.raw("{")
        object.key("text", into: &json)
        json.raw(#"{"content":"#)
        json.string(markdown ? "" : content)
        json.raw("}")
        object.optionalString("touser", toUser, into: &json)
        object.optionalString("toparty", toParty, into: &json)
        object.optionalString("totag", toTag, into: &json)
        object.optionalString("agentid", agentID, into: &json)
        object.string("safe", "0", into: &json)
        object.optionalString("msgtype", config.messageType, into: &json)
        object.key("markdown", into: &json)
        json.raw(#"{"content":"#)
        json.string(markdown ? content : "")
        json.raw("}}\n")
        return json.bytes
    }

    /// Reads the answer to `message/send` as Alertmanager 0.25 reads it: the JSON fields `code` and `error`
    /// (WeChat actually answers `errcode` and `errmsg`, so any JSON answer counts as delivered there).
    static func check(_ body: [UInt8], token: TokenCache) -> NotifyResult {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            return .failed(retry: true, reason: .other, message: "could not read the WeChat answer")
        }
        let code = (object["code"] as? NSNumber)?.intValue ?? 0
        let error = object["error"] as? String ?? ""
        switch code {
        case 0:
            return .delivered(status: "200")
        case 42001:
            token.clear()
            return .failed(retry: true, reason: .other, message: error)
        default:
            return .failed(retry: false, reason: .other, message: error)
        }
    }

    /// A token request's failure.
    private struct FetchFailure: Error {
        let result: NotifyResult
        init(_ result: NotifyResult) { self.result = result }
    }

    /// The access token of one notifier and when it was fetched. `@unchecked Sendable`: guarded by `lock`.
    final class TokenCache: @unchecked Sendable {
        private let lock = NSLock()
        private var token: String?
        private var fetchedAt = Date.distantPast

        func current(now: Date) -> String? {
            lock.withLock {
                guard let token, now.timeIntervalSince(fetchedAt) <= WechatNotifier.tokenLifetime else { return nil }
                return token
            }
        }

        func store(_ token: String, at date: Date) {
            lock.withLock {
                self.token = token
                fetchedAt = date
            }
        }

        func clear() {
            lock.withLock { token = nil }
        }
    }
}

extension JSONPoster.Outcome {
    /// The failure, or delivered for an answer.
    var result: NotifyResult {
        switch self {
        case .response(let response): .delivered(status: "\(response.status)")
        case .failed(let result): result
        }
    }
}
