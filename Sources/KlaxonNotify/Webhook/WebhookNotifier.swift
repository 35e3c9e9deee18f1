import Foundation
import KlaxonConfig
import KlaxonCore
import KlaxonHTTP

/// `webhook_configs`: posts Alertmanager's version-4 JSON message.
public struct WebhookNotifier: Notifier {
    /// `webhook`.
    public let integrationName = "webhook"
    /// `send_resolved` (default true).
    public let sendResolved: Bool
    private let url: SecretURL?
    private let urlFile: String?
    private let maxAlerts: Int
    private let externalURL: String
    private let poster: JSONPoster

    /// Creates the notifier for one `webhook_configs` entry.
    public init(config: WebhookConfig, client: HTTPClient, externalURL: String) {
        sendResolved = config.sendResolved
        url = config.url
        urlFile = config.urlFile
        maxAlerts = config.maxAlerts
        self.externalURL = externalURL
        poster = JSONPoster(client: client, options: config.httpConfig.clientOptions(), retryStatuses: [])
    }

    /// Posts the message once.
    public func notify(_ notification: GroupNotification) async -> NotifyResult {
        guard let target = url?.revealed ?? urlFile.flatMap(HTTPClientConfig.readSecretFile), !target.isEmpty else {
            return .failed(retry: false, reason: .other, message: "webhook URL is empty")
        }
        let body = WebhookPayload.encode(notification, externalURL: externalURL, maxAlerts: maxAlerts)
        switch await poster.post(url: target, body: body, deadline: notification.deadline) {
        case .response(let response): return .delivered(status: "\(response.status)")
        case .failed(let result): return result
        }
    }
}
