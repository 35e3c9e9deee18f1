import Foundation
import KlaxonGoCompat

/// One alert as templates see it (Alertmanager's `template.Alert`).
public struct TemplateAlert: Sendable, Hashable {
    /// `firing` or `resolved`.
    public var status: String
    /// The alert's labels.
    public var labels: KV
    /// The alert's annotations.
    public var annotations: KV
    /// When the alert started.
    public var startsAt: Date
    /// When the alert ended; Go's zero time (`TemplateTime.goZeroDate`) for a firing alert.
    public var endsAt: Date
    /// The URL of the alert's source.
    public var generatorURL: String
    /// The alert's fingerprint as 16 hex digits.
    public var fingerprint: String

    /// Creates an alert.
    public init(
        status: String, labels: KV, annotations: KV, startsAt: Date, endsAt: Date, generatorURL: String,
        fingerprint: String
    ) {
        self.status = status
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
        self.fingerprint = fingerprint
    }
}

/// The data a notification template runs against (Alertmanager's `template.Data`).
public struct TemplateData: Sendable, Hashable {
    /// The receiver name (Alertmanager escapes it with `regexp.QuoteMeta` before it gets here).
    public var receiver: String
    /// `firing` if any alert fires, else `resolved`.
    public var status: String
    /// The alerts of the group.
    public var alerts: [TemplateAlert]
    /// The group's labels.
    public var groupLabels: KV
    /// Labels equal across all alerts.
    public var commonLabels: KV
    /// Annotations equal across all alerts.
    public var commonAnnotations: KV
    /// Alertmanager's external URL.
    public var externalURL: String

    /// Creates template data.
    public init(
        receiver: String, status: String, alerts: [TemplateAlert], groupLabels: KV, commonLabels: KV,
        commonAnnotations: KV, externalURL: String
    ) {
        self.receiver = receiver
        self.status = status
        self.alerts = alerts
        self.groupLabels = groupLabels
        self.commonLabels = commonLabels
        self.commonAnnotations = commonAnnotations
        self.externalURL = externalURL
    }

    /// The value to pass to `TemplateSet.execute` / `render`.
    public func value() -> TemplateValue { TemplateValue(storage: .data(self)) }
}

extension TemplateData {
    /// Decodes Alertmanager's JSON form of `template.Data` (the webhook payload shape, as `amtool template render
    /// --template.data` reads it). Times keep their instant; they print in UTC.
    public init(alertmanagerJSON data: Data) throws {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw TemplateError(message: "template data: JSON object expected")
        }
        func kv(_ any: Any?) -> KV {
            guard let dict = any as? [String: Any] else { return KV() }
            return KV(dict.compactMapValues { $0 as? String })
        }
        func time(_ any: Any?) throws -> Date {
            guard let text = any as? String else { return TemplateTime.goZeroDate }
            guard let parsed = try? GoTime.parseRFC3339(text) else {
                throw TemplateError(message: "template data: invalid time \(text)")
            }
            return parsed.date
        }
        var alerts: [TemplateAlert] = []
        for case let item as [String: Any] in root["alerts"] as? [Any] ?? [] {
            alerts.append(
                TemplateAlert(
                    status: item["status"] as? String ?? "", labels: kv(item["labels"]),
                    annotations: kv(item["annotations"]), startsAt: try time(item["startsAt"]),
                    endsAt: try time(item["endsAt"]), generatorURL: item["generatorURL"] as? String ?? "",
                    fingerprint: item["fingerprint"] as? String ?? ""))
        }
        self.init(
            receiver: root["receiver"] as? String ?? "", status: root["status"] as? String ?? "", alerts: alerts,
            groupLabels: kv(root["groupLabels"]), commonLabels: kv(root["commonLabels"]),
            commonAnnotations: kv(root["commonAnnotations"]), externalURL: root["externalURL"] as? String ?? "")
    }
}
