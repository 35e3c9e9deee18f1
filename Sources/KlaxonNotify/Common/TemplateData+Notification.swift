import Foundation
import KlaxonCore
import KlaxonTemplate

extension TemplateData {
    /// The data Alertmanager's notifiers render their templates against (`notify.GetTemplateData`): the receiver
    /// name `regexp.QuoteMeta`-escaped, the group status, the alerts with their status at `notification.now`
    /// (a firing alert shows Go's zero `EndsAt`), the group labels, and the labels and annotations every alert
    /// shares.
    public init(notification: GroupNotification, externalURL: String) {
        let now = notification.now
        let alerts = notification.alerts.map { alert in
            let resolved = alert.isResolved(at: now)
            return TemplateAlert(
                status: resolved ? AlertStatus.resolved.rawValue : AlertStatus.firing.rawValue,
                labels: KV(labelSet: alert.labels),
                annotations: KV(labelSet: alert.annotations),
                startsAt: alert.startsAt,
                endsAt: resolved ? alert.endsAt : TemplateTime.goZeroDate,
                generatorURL: alert.generatorURL,
                fingerprint: alert.fingerprint.description)
        }
        self.init(
            receiver: notification.quotedReceiver,
            status: notification.status.rawValue,
            alerts: alerts,
            groupLabels: KV(labelSet: notification.groupLabels),
            commonLabels: KV(labelSet: notification.commonLabels),
            commonAnnotations: KV(labelSet: notification.commonAnnotations),
            externalURL: externalURL)
    }
}

extension KV {
    /// The pairs of a label set.
    init(labelSet: LabelSet) {
        self.init(labelSet.labels.map { ($0.name, $0.value) })
    }
}

/// Renders one notification's templated config fields the way Alertmanager's `notify.TmplText` does: an empty
/// text is empty without being parsed; a failure names the field, and is not retried by the caller.
struct NotificationTemplater: Sendable {
    let templates: TemplateSet
    let data: TemplateValue

    init(templates: TemplateSet, notification: GroupNotification, externalURL: String) {
        self.templates = templates
        data = TemplateData(notification: notification, externalURL: externalURL).value()
    }

    /// Renders `text`; `field` is the config key reported on failure (`title`, `details.firing`, ...).
    func render(_ text: String, field: String) throws(NotificationBuildError) -> String {
        if text.isEmpty { return "" }
        do {
            return try templates.render(text: text, data: data)
        } catch {
            throw NotificationBuildError(field: field, reason: String(describing: error))
        }
    }

    /// Renders `text` as Go's html/template (Alertmanager's `TmplHTML`): values are escaped for where they land.
    func renderHTML(_ text: String, field: String) throws(NotificationBuildError) -> String {
        if text.isEmpty { return "" }
        do {
            return try templates.renderHTML(text: text, data: data)
        } catch {
            throw NotificationBuildError(field: field, reason: String(describing: error))
        }
    }
}

/// Alertmanager's `notify.TmplText` where the notifier never looks at the error (its SNS notifier overwrites it with
/// the next call's result): once a template fails, that field and every field rendered after it with the same
/// renderer are empty, and the notification goes out. ``failure`` keeps the first error for the log.
struct EmptyOnTemplateError {
    let templater: NotificationTemplater
    /// The first template error; nil while every render succeeded.
    private(set) var failure: NotificationBuildError?

    init(_ templater: NotificationTemplater) {
        self.templater = templater
    }

    /// `text` rendered, or "" when it or an earlier render failed.
    mutating func render(_ text: String, field: String) -> String {
        guard failure == nil else { return "" }
        do {
            return try templater.render(text, field: field)
        } catch {
            failure = error
            return ""
        }
    }
}

/// Why a notification could not be built (a template failed, a key is empty or unreadable). It does not go
/// away on retry, and its message never contains a secret.
struct NotificationBuildError: Error, Sendable, CustomStringConvertible {
    /// The message.
    var description: String

    /// A config field (`title`, `fields[0].value`, `details.firing`) whose template failed.
    init(field: String, reason: String) {
        description = "failed to template \(field): \(reason)"
    }

    /// Any other problem.
    init(_ message: String) {
        description = message
    }

    /// The notifier outcome: not retried.
    var result: NotifyResult { .failed(retry: false, reason: .other, message: description) }
}

/// A failure found before anything was sent (no region, unreadable credentials), retried or not as Alertmanager
/// decides. Its message never contains a secret.
struct NotificationFailure: Error {
    var retry: Bool
    var message: String

    var result: NotifyResult { .failed(retry: retry, reason: .other, message: message) }
}

extension String {
    /// Alertmanager's `notify.TruncateInRunes`: at most `limit` Unicode scalars; a cut text keeps `limit - 1`
    /// of them and ends with `…`.
    func truncatedInRunes(_ limit: Int) -> (text: String, truncated: Bool) {
        let scalars = unicodeScalars
        guard scalars.count > limit else { return (self, false) }
        if limit <= 3 {
            return (String(String.UnicodeScalarView(scalars.prefix(limit))), true)
        }
        return (String(String.UnicodeScalarView(scalars.prefix(limit - 1))) + "…", true)
    }

    /// Alertmanager's `notify.TruncateInBytes`: at most `limit` UTF-8 bytes, never cutting a character; a cut
    /// text keeps whole characters up to `limit - 3` bytes and ends with `…` (3 bytes). Below 4 bytes there is
    /// no room for text: `…` at 3, dots under it.
    func truncatedInBytes(_ limit: Int) -> (text: String, truncated: Bool) {
        guard utf8.count > limit else { return (self, false) }
        if limit <= 3 { return (limit == 3 ? "…" : String(repeating: ".", count: max(0, limit)), true) }
        var kept = String.UnicodeScalarView()
        var bytes = 0
        for scalar in unicodeScalars {
            let width = String(scalar).utf8.count
            guard bytes + width <= limit - 3 else { break }
            kept.append(scalar)
            bytes += width
        }
        return (String(kept) + "…", true)
    }
}
