import Foundation
import Testing

@testable import KlaxonCore

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)

private func route(wait: Int64 = 30, interval: Int64 = 300) -> Route {
    Route(
        root: RouteSpec(
            receiver: "r", groupBy: .labels(["alertname"]), groupWait: .seconds(wait), groupInterval: .seconds(interval)
        ))
}

private func alert(
    _ name: String, instance: String = "a", startsAt: Date = t0, endsAt: Date = .zero, updated: Date = t0
)
    -> Alert
{
    Alert(
        labels: ["alertname": name, "instance": instance], startsAt: startsAt, endsAt: endsAt, updatedAt: updated)
}

@Test func firstFlushWaitsGroupWait() {
    let group = AggregationGroup(route: route(), labels: ["alertname": "A"], first: alert("A"), now: t0)
    #expect(group.nextFlush == t0 + 30)
    #expect(group.groupKey == #"{}:{alertname="A"}"#)
}

@Test func oldAlertFlushesImmediatelyBeforeTheFirstFlushOnly() {
    var group = AggregationGroup(
        route: route(), labels: ["alertname": "A"], first: alert("A", startsAt: t0 - 60), now: t0)
    #expect(group.nextFlush == t0)
    _ = group.beginFlush(now: t0)
    group.endFlush(snapshot: [], succeeded: true, now: t0)
    // After the first flush an old alert waits for the next group_interval tick.
    let moved = group.insert(alert("A", instance: "b", startsAt: t0 - 600), now: t0 + 1)
    #expect(!moved)
    #expect(group.nextFlush == t0 + 300)
}

@Test func flushZeroesFiringEndsAtAndSortsAlerts() {
    var group = AggregationGroup(
        route: route(), labels: ["alertname": "A"], first: alert("A", instance: "b", endsAt: t0 + 300), now: t0)
    _ = group.insert(alert("A", instance: "a", endsAt: t0 + 300), now: t0)
    let snapshot = group.beginFlush(now: t0 + 30)
    #expect(snapshot?.map { $0.labels["instance"] } == ["a", "b"])
    #expect(snapshot?.allSatisfy { $0.endsAt == .zero } == true)
    #expect(group.nextFlush == t0 + 330)
}

@Test func resolvedAlertsLeaveTheGroupOnlyAfterASuccessfulFlush() {
    var group = AggregationGroup(
        route: route(), labels: ["alertname": "A"], first: alert("A", endsAt: t0 + 10), now: t0)
    let snapshot = group.beginFlush(now: t0 + 30) ?? []
    #expect(snapshot.first?.endsAt == t0 + 10)
    group.endFlush(snapshot: snapshot, succeeded: false, now: t0 + 31)
    #expect(group.alerts.count == 1)
    let again = group.beginFlush(now: t0 + 330) ?? []
    group.endFlush(snapshot: again, succeeded: true, now: t0 + 331)
    #expect(group.isEmpty)
    #expect(group.emptySince == t0 + 331)
}

@Test func resolvedAlertUpdatedDuringTheFlushStays() {
    var group = AggregationGroup(
        route: route(), labels: ["alertname": "A"], first: alert("A", endsAt: t0 + 10), now: t0)
    let snapshot = group.beginFlush(now: t0 + 30) ?? []
    _ = group.insert(alert("A", startsAt: t0 + 31, endsAt: t0 + 400, updated: t0 + 31), now: t0 + 31)
    group.endFlush(snapshot: snapshot, succeeded: true, now: t0 + 32)
    #expect(group.alerts.count == 1)
}

@Test func flushesOfOneGroupNeverOverlap() {
    var group = AggregationGroup(route: route(), labels: ["alertname": "A"], first: alert("A"), now: t0)
    #expect(group.beginFlush(now: t0 + 30) != nil)
    #expect(group.beginFlush(now: t0 + 330) == nil)
    #expect(group.nextFlush == t0 + 330)
}
