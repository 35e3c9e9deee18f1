import Foundation
import Testing

@testable import KlaxonCore

@Suite struct NotificationBudgetTests {
    /// 12:00:00 on a minute boundary.
    private let minute0 = Date(timeIntervalSince1970: 1_800_000_000 - 1_800_000_000.truncatingRemainder(dividingBy: 60))

    private func flush(_ group: String, receiver: String = "slack", at seconds: Double) -> GroupNotification {
        GroupNotification(
            receiver: receiver, groupKey: "{}:{alertname=\"\(group)\"}", groupLabels: LabelSet(["alertname": group]),
            alerts: [], now: minute0 + seconds)
    }

    @Test func aStormOf500GroupsCostsTheLimitPlusOneDigest() {
        var budget = NotificationBudget()
        var sent = 0
        for i in 0..<500 where budget.admit(flush("A\(i)", at: Double(i) * 0.1), tenant: "finance", limit: 10) {
            sent += 1
        }
        #expect(sent == 10)
        let dueTooEarly = budget.takeDueDigests(now: minute0 + 59)
        #expect(dueTooEarly.isEmpty)
        let digests = budget.takeDueDigests(now: minute0 + 60)
        #expect(digests.count == 1)
        #expect(digests.first?.groups.count == 490)
        #expect(digests.first?.key == NotificationBudget.Key(tenant: "finance", receiver: "slack"))
        #expect(!budget.isHolding)
    }

    @Test func theNextMinuteStartsFresh() {
        var budget = NotificationBudget()
        let admitted2 = budget.admit(flush("A", at: 1), tenant: "finance", limit: 1)
        #expect(admitted2)
        let admitted3 = budget.admit(flush("B", at: 2), tenant: "finance", limit: 1)
        #expect(!admitted3)
        _ = budget.takeDueDigests(now: minute0 + 60)
        let admitted4 = budget.admit(flush("C", at: 61), tenant: "finance", limit: 1)
        #expect(admitted4)
        let admitted5 = budget.admit(flush("D", at: 62), tenant: "finance", limit: 1)
        #expect(!admitted5)
    }

    @Test func aGroupFlushedAgainWhileHeldAppearsOnceWithItsLatestState() {
        var budget = NotificationBudget()
        _ = budget.admit(flush("A", at: 1), tenant: "finance", limit: 1)
        _ = budget.admit(flush("B", at: 2), tenant: "finance", limit: 1)
        _ = budget.admit(flush("B", at: 30), tenant: "finance", limit: 1)
        let groups = budget.takeDueDigests(now: minute0 + 60).first?.groups ?? []
        #expect(groups.map(\.groupKey) == [#"{}:{alertname="B"}"#])
        #expect(groups.first?.now == minute0 + 30)
    }

    @Test func tenantsAndReceiversHaveSeparateBudgets() {
        var budget = NotificationBudget()
        let admitted6 = budget.admit(flush("A", at: 1), tenant: "finance", limit: 1)
        #expect(admitted6)
        let admitted7 = budget.admit(flush("A", at: 1), tenant: "hr", limit: 1)
        #expect(admitted7)
        let admitted8 = budget.admit(flush("A", receiver: "pager", at: 1), tenant: "finance", limit: 1)
        #expect(admitted8)
        let admitted9 = budget.admit(flush("B", at: 2), tenant: "finance", limit: 1)
        #expect(!admitted9)
        let admitted10 = budget.takeDueDigests(now: minute0 + 60).map(\.key.tenant)
        #expect(admitted10 == ["finance"])
    }

    @Test func noLimitNeverHolds() {
        var budget = NotificationBudget()
        for i in 0..<1000 {
            let admitted11 = budget.admit(flush("A\(i)", at: 1), tenant: "finance", limit: nil)
            #expect(admitted11)
        }
        #expect(!budget.isHolding)
    }

    @Test func nothingOvertakesAPendingDigest() {
        // A group flushed in the new minute before the digest went out joins the digest rather than jumping ahead.
        var budget = NotificationBudget()
        _ = budget.admit(flush("A", at: 1), tenant: "finance", limit: 1)
        _ = budget.admit(flush("B", at: 2), tenant: "finance", limit: 1)
        let admitted12 = budget.admit(flush("C", at: 60.5), tenant: "finance", limit: 1)
        #expect(!admitted12)
        let admitted13 = budget.takeDueDigests(now: minute0 + 61)
        #expect(admitted13.first?.groups.count == 2)
    }

    @Test func theDigestIsDueAtTheStartOfTheNextMinute() {
        var budget = NotificationBudget()
        #expect(budget.nextDigestTime == nil)
        _ = budget.admit(flush("A", at: 10), tenant: "finance", limit: 1)
        _ = budget.admit(flush("B", at: 20), tenant: "finance", limit: 1)
        #expect(budget.nextDigestTime == minute0 + 60)
    }

    @Test func aDigestListsEachHeldGroupWithItsAlertCountsAsOneReadableNotification() throws {
        var budget = NotificationBudget()
        let start = minute0 - 600
        func alert(_ name: String, _ instance: String, endsAt: Date = .zero) -> Alert {
            Alert(
                labels: ["alertname": name, "instance": instance, "tenant_id": "finance"], startsAt: start,
                endsAt: endsAt, updatedAt: start)
        }
        func held(_ name: String, _ alerts: [Alert], at seconds: Double) -> GroupNotification {
            GroupNotification(
                receiver: "slack", groupKey: "{}:{alertname=\"\(name)\"}", groupLabels: ["alertname": name],
                alerts: alerts, now: minute0 + seconds)
        }
        _ = budget.admit(held("First", [alert("First", "a")], at: 1), tenant: "finance", limit: 1)
        _ = budget.admit(
            held("Busy", [alert("Busy", "a"), alert("Busy", "b"), alert("Busy", "c", endsAt: minute0)], at: 2),
            tenant: "finance", limit: 1)
        _ = budget.admit(held("Gone", [alert("Gone", "a", endsAt: minute0 + 1)], at: 3), tenant: "finance", limit: 1)
        let digest = try #require(budget.takeDueDigests(now: minute0 + 60).first)
        let notification = digest.notification(
            tenantLabel: "tenant_id", limit: 1, now: minute0 + 60, deadline: minute0 + 120)
        #expect(notification.receiver == "slack")
        #expect(notification.groupKey == #"{}/klaxon-digest:{tenant_id="finance"}"#)
        #expect(notification.groupLabels == ["tenant_id": "finance"])
        #expect(notification.alerts.map { $0.labels["alertname"] } == ["Busy", "Gone"])
        let busy = notification.alerts[0]
        #expect(busy.labels == ["alertname": "Busy", "tenant_id": "finance"])
        #expect(
            busy.annotations["summary"]
                == "2 firing and 1 resolved alerts held: tenant finance is over its limit of 1 notifications per minute to receiver slack"
        )
        #expect(busy.annotations["klaxon_group_key"] == #"{}:{alertname="Busy"}"#)
        #expect(busy.status(at: notification.now) == .firing)
        #expect(busy.startsAt == start)
        let gone = notification.alerts[1]
        #expect(gone.status(at: notification.now) == .resolved)
        #expect(gone.endsAt == minute0 + 1)
        #expect(notification.status == .firing)
    }
}
