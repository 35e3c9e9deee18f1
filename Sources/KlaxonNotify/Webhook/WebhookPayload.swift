import Foundation
import KlaxonCore

/// Alertmanager's webhook message, version 4.
public enum WebhookPayload {
    /// Encodes the message exactly as Alertmanager 0.25 does (Go encoder: compact, sorted maps, HTML-safe
    /// escaping, trailing newline). `maxAlerts` 0 means unlimited; the rest are counted in `truncatedAlerts`.
    public static func encode(_ notification: GroupNotification, externalURL: String, maxAlerts: Int) -> [UInt8] {
        var batch = notification
        var truncated = 0
        if maxAlerts > 0, batch.alerts.count > maxAlerts {
            truncated = batch.alerts.count - maxAlerts
            batch.alerts = Array(batch.alerts.prefix(maxAlerts))
        }
        let now = notification.now
        var json = GoJSONWriter(capacity: 512 + batch.alerts.count * 400)
        json.raw("{")
        json.key("receiver")
        json.string(batch.quotedReceiver)
        json.raw(",")
        json.key("status")
        json.string(notification.status.rawValue)
        json.raw(",")
        json.key("alerts")
        json.raw("[")
        for (index, alert) in batch.alerts.enumerated() {
            if index > 0 { json.raw(",") }
            json.raw("{")
            json.key("status")
            json.string(alert.status(at: now).rawValue)
            json.raw(",")
            json.key("labels")
            json.object(alert.labels)
            json.raw(",")
            json.key("annotations")
            json.object(alert.annotations)
            json.raw(",")
            json.key("startsAt")
            json.timeRFC3339Nano(alert.startsAt)
            json.raw(",")
            json.key("endsAt")
            json.timeRFC3339Nano(alert.endsAt)
            json.raw(",")
            json.key("generatorURL")
            json.string(alert.generatorURL)
            json.raw(",")
            json.key("fingerprint")
            json.string(alert.fingerprint.description)
            json.raw("}")
        }
        json.raw("],")
        json.key("groupLabels")
        json.object(batch.groupLabels)
        json.raw(",")
        json.key("commonLabels")
        json.object(batch.commonLabels)
        json.raw(",")
        json.key("commonAnnotations")
        json.object(batch.commonAnnotations)
        json.raw(",")
        json.key("externalURL")
        json.string(externalURL)
        json.raw(",")
        json.key("version")
        json.string("4")
        json.raw(",")
        json.key("groupKey")
        json.string(batch.groupKey)
        json.raw(",")
        json.key("truncatedAlerts")
        json.int(truncated)
        json.raw("}\n")
        return json.bytes
    }
}
