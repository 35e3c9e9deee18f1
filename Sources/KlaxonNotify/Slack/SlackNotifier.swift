import Foundation
import KlaxonConfig
import KlaxonCore
import KlaxonHTTP
import KlaxonTemplate

/// `slack_configs`: posts one attachment message to an incoming webhook (or `chat.postMessage`), with every
/// text field rendered from the templates for each notification.
public struct SlackNotifier: Notifier {
    /// `slack`.
    public let integrationName = "slack"
    /// `send_resolved` (default false).
    public let sendResolved: Bool
    private let config: SlackConfig
    private let templates: TemplateSet
    private let externalURL: String
    private let poster: JSONPoster

    /// Creates the notifier for one `slack_configs` entry. `templates` is the default set plus the config's
    /// `templates:` files; `externalURL` is Alertmanager's external URL without a trailing slash.
    public init(config: SlackConfig, templates: TemplateSet, client: HTTPClient, externalURL: String) {
        sendResolved = config.sendResolved
        self.config = config
        self.templates = templates
        self.externalURL = externalURL
        poster = JSONPoster(client: client, options: config.httpConfig.clientOptions(), retryStatuses: [])
    }

    /// Renders and posts the message once. Template errors, an unreadable `api_url_file` and error answers
    /// from Slack (a 200 that is neither `ok` nor JSON `"ok":true`) fail without retry; 5xx and transport
    /// errors are retried.
    public func notify(_ notification: GroupNotification) async -> NotifyResult {
        let message: SlackMessage
        do {
            let templater = NotificationTemplater(
                templates: templates, notification: notification, externalURL: externalURL)
            message = try SlackMessage(config: config, templater: templater)
        } catch {
            return error.result
        }
        guard let target = apiURL() else {
            return .failed(retry: false, reason: .other, message: "could not read the Slack api_url_file")
        }
        let channel = GoQuote.quote(message.channel)
        switch await poster.post(url: target, body: message.encoded(), deadline: notification.deadline) {
        case .failed(.failed(let retry, let reason, let text)):
            return .failed(retry: retry, reason: reason, message: "channel \(channel): \(text)")
        case .failed(let other):
            return other
        case .response(let response):
            guard let problem = Self.checkAnswer(response) else { return .delivered(status: "\(response.status)") }
            return .failed(retry: problem.retry, reason: .clientError, message: "channel \(channel): \(problem.text)")
        }
    }

    /// `api_url`, else the trimmed content of `api_url_file` (read now, so a rotated file takes effect).
    private func apiURL() -> String? {
        if let url = config.apiURL { return url.revealed }
        guard let path = config.apiURLFile, let content = HTTPClientConfig.readSecretFile(path), !content.isEmpty
        else { return nil }
        return content
    }

    /// Slack answers errors with 200 too: a JSON answer must say `"ok":true`, a plain one must be `ok`.
    static func checkAnswer(_ response: HTTPResponse) -> (retry: Bool, text: String)? {
        let contentType = response.header("Content-Type") ?? ""
        guard contentType.hasPrefix("application/json") else {
            if response.body == Array("ok".utf8) { return nil }
            return (false, "received an error response from Slack: \(response.bodyText)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            return (true, "could not unmarshal JSON response \(GoQuote.quote(response.bodyText))")
        }
        if object["ok"] as? Bool == true { return nil }
        return (false, "error response from Slack: \(object["error"] as? String ?? "")")
    }
}
