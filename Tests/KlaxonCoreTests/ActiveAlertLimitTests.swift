import Foundation
import Testing

@testable import KlaxonCore

@Suite struct ActiveAlertLimitTests {
    private let now = Date(timeIntervalSince1970: 1_800_000_000)

    private func alert(_ name: String, tenant: String?, resolved: Bool = false) -> Alert {
        var labels = ["alertname": name]
        if let tenant { labels["tenant_id"] = tenant }
        return Alert(
            labels: LabelSet(labels), startsAt: now - 60, endsAt: resolved ? now - 1 : now + 300, updatedAt: now)
    }

    @Test func newFiringAlertsPastTheLimitAreRefusedAndTheBatchCannotOvershoot() {
        var counts = ["finance": 1]
        let batch = [alert("A", tenant: "finance"), alert("B", tenant: "finance"), alert("C", tenant: "finance")]
        let result = ActiveAlertLimit.admit(
            batch, tenantLabel: "tenant_id", limit: { $0 == "finance" ? 2 : nil }, counts: &counts, now: now,
            isHeldFiring: { _ in false })
        #expect(result.admitted.map { $0.labels["alertname"] } == ["A"])
        #expect(result.refused.map { $0.alert.labels["alertname"] } == ["B", "C"])
        #expect(result.refused.first?.limit == 2)
        #expect(counts["finance"] == 2)
    }

    @Test func updatesAndResolvesOfHeldAlertsAreAlwaysAdmitted() {
        var counts = ["finance": 5]
        let held = alert("Held", tenant: "finance")
        let resolving = alert("Gone", tenant: "finance", resolved: true)
        let result = ActiveAlertLimit.admit(
            [held, resolving], tenantLabel: "tenant_id", limit: { _ in 5 }, counts: &counts, now: now,
            isHeldFiring: { $0.labels["alertname"] == "Held" })
        #expect(result.admitted.count == 2)
        #expect(result.refused.isEmpty)
        #expect(counts["finance"] == 5)
    }

    @Test func otherTenantsAndPlatformAlertsAreNotLimited() {
        var counts = ["finance": 9]
        let result = ActiveAlertLimit.admit(
            [alert("A", tenant: "hr"), alert("B", tenant: nil)], tenantLabel: "tenant_id",
            limit: { $0 == "finance" ? 1 : nil }, counts: &counts, now: now, isHeldFiring: { _ in false })
        #expect(result.admitted.count == 2)
    }

    @Test func countsIncludeOnlyFiringAlertsOfATenant() {
        let counts = ActiveAlertLimit.counts(
            [alert("A", tenant: "finance"), alert("B", tenant: "finance", resolved: true), alert("C", tenant: nil)],
            tenantLabel: "tenant_id", now: now)
        #expect(counts == ["finance": 1])
    }
}
