import Foundation

/// `max_active_alerts`: which posted alerts a tenant at its limit may not add. Only a new firing alert counts as
/// one more: an update or a resolve of an alert already held (and firing) is always admitted, so nothing that is
/// firing is lost, and a resolved alert never counts.
///
/// Pure: the caller passes the tenants' active counts (a snapshot of the store, see `ActiveAlertCounts`) and how to
/// tell whether an alert is already held as firing.
public enum ActiveAlertLimit {
    /// An alert refused for its tenant's limit.
    public struct Refusal: Sendable, Hashable {
        /// The alert.
        public var alert: Alert
        /// Its tenant.
        public var tenant: String
        /// The tenant's `max_active_alerts`.
        public var limit: Int
    }

    /// Splits `alerts` into admitted and refused, counting each admitted new firing alert into `counts` (so a batch
    /// cannot overshoot the limit). Alerts without the tenant label, or of tenants without a limit, are admitted.
    public static func admit(
        _ alerts: [Alert], tenantLabel: String, limit: (String) -> Int?, counts: inout [String: Int], now: Date,
        isHeldFiring: (Alert) -> Bool
    ) -> (admitted: [Alert], refused: [Refusal]) {
        var admitted: [Alert] = []
        var refused: [Refusal] = []
        admitted.reserveCapacity(alerts.count)
        for alert in alerts {
            guard let tenant = alert.labels[tenantLabel], !tenant.isEmpty, let max = limit(tenant),
                !alert.isResolved(at: now), !isHeldFiring(alert)
            else {
                admitted.append(alert)
                continue
            }
            let count = counts[tenant, default: 0]
            if count >= max {
                refused.append(Refusal(alert: alert, tenant: tenant, limit: max))
            } else {
                counts[tenant] = count + 1
                admitted.append(alert)
            }
        }
        return (admitted, refused)
    }

    /// Firing alerts per tenant among `alerts` (a store snapshot).
    public static func counts(_ alerts: some Sequence<Alert>, tenantLabel: String, now: Date) -> [String: Int] {
        var counts: [String: Int] = [:]
        for alert in alerts where !alert.isResolved(at: now) {
            guard let tenant = alert.labels[tenantLabel], !tenant.isEmpty else { continue }
            counts[tenant, default: 0] += 1
        }
        return counts
    }
}
