import Foundation
import KlaxonAPIModels
import KlaxonCore

/// What `POST /api/v2/alerts` does with decoded alerts before storing them (Alertmanager's handler).
struct AlertIngest {
    /// Alerts to store.
    var valid: [Alert] = []
    /// One message per invalid alert, in body order.
    var errors: [String] = []
    /// Alerts counted as firing / resolved (before validation, as Alertmanager counts).
    var firing = 0
    var resolved = 0

    /// Defaults the timestamps, drops empty-valued labels and validates each alert.
    init(_ postable: [PostableAlert], now: Date, resolveTimeout: PromDuration) {
        valid.reserveCapacity(postable.count)
        for item in postable {
            var startsAt = item.startsAt ?? .zero
            var endsAt = item.endsAt ?? .zero
            var timeout = false
            if startsAt == .zero { startsAt = endsAt == .zero ? now : endsAt }
            if endsAt == .zero {
                timeout = true
                endsAt = now.addingTimeInterval(resolveTimeout.seconds)
            }
            if endsAt > now { firing += 1 } else { resolved += 1 }
            let alert = Alert(
                labels: item.labels.removingEmptyValues(), annotations: item.annotations, startsAt: startsAt,
                endsAt: endsAt,
                generatorURL: item.generatorURL, updatedAt: now, timeout: timeout)
            if let error = Self.validate(alert) {
                errors.append(error)
            } else {
                valid.append(alert)
            }
        }
    }

    /// Alertmanager's `Alert.Validate` messages.
    static func validate(_ alert: Alert) -> String? {
        if alert.startsAt == .zero { return "start time missing" }
        if alert.endsAt != .zero, alert.endsAt < alert.startsAt { return "start time must be before end time" }
        if let invalid = alert.labels.labels.first(where: { !LabelName.isValid($0.name) }) {
            return "invalid label set: invalid name \(GoQuote.quote(invalid.name))"
        }
        if alert.labels.isEmpty { return "at least one label pair required" }
        if let invalid = alert.annotations.labels.first(where: { !LabelName.isValid($0.name) }) {
            return "invalid annotations: invalid name \(GoQuote.quote(invalid.name))"
        }
        return nil
    }

    /// The 400 body text: Alertmanager 0.25 joins the messages with `"; "`.
    var joinedErrors: String { errors.joined(separator: "; ") }

    /// Alerts of tenants the caller may not post for, taken out of `valid` (the others are kept, as invalid alerts
    /// in a batch leave the rest stored), with one message each.
    mutating func refuseOtherTenants(for caller: Caller) -> (alerts: [Alert], messages: [String]) {
        guard let tenantLabel = caller.tenantLabel, !caller.seesEverything else { return ([], []) }
        var refused: [Alert] = []
        var messages: [String] = []
        valid.removeAll { alert in
            guard !caller.sees(alert.labels) else { return false }
            let tenant = alert.labels[tenantLabel].map { "\(tenantLabel) \(GoQuote.quote($0)) is not one of yours" }
            messages.append("alert \(alert.labels): \(tenant ?? "no \(tenantLabel) label")")
            refused.append(alert)
            return true
        }
        return (refused, messages)
    }
}

/// Checks of `POST /api/v2/silences` done before the store, with Alertmanager 0.25's messages.
enum SilenceValidation {
    static func validate(_ silence: PostableSilence, now: Date) -> APIOutcome<SilenceRequest, String> {
        if silence.startsAt >= silence.endsAt {
            return .failure("Failed to create silence: start time must be before end time")
        }
        if silence.endsAt < now { return .failure("Failed to create silence: end time can't be in the past") }
        let matchers: [Matcher]
        do {
            matchers = try SilenceStore.validate(silence.matchers)
        } catch {
            return .failure(error.description)
        }
        return .success(
            SilenceRequest(
                id: silence.id.isEmpty ? nil : silence.id, matchers: matchers, startsAt: silence.startsAt,
                endsAt: silence.endsAt, createdBy: silence.createdBy, comment: silence.comment))
    }
}
