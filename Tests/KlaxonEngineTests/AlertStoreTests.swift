import Foundation
import KlaxonCore
import Testing

@testable import KlaxonEngine

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)

@Test func repeatedPostsOfOneAlertExtendItInsteadOfDuplicating() {
    let store = AlertStore()
    let first = Alert(labels: ["a": "1"], startsAt: t0, endsAt: t0 + 300, updatedAt: t0, timeout: true)
    store.put(first, now: t0)
    let again = Alert(labels: ["a": "1"], startsAt: t0 + 60, endsAt: t0 + 360, updatedAt: t0 + 60, timeout: true)
    let stored = store.put(again, now: t0 + 60)
    #expect(store.count == 1)
    #expect(stored.startsAt == t0)
    #expect(stored.endsAt == t0 + 360)
}

@Test func refireAfterResolutionReplacesTheAlert() {
    let store = AlertStore()
    store.put(Alert(labels: ["a": "1"], startsAt: t0, endsAt: t0 + 10, updatedAt: t0), now: t0)
    let refire = Alert(labels: ["a": "1"], startsAt: t0 + 100, endsAt: t0 + 400, updatedAt: t0 + 100)
    #expect(store.put(refire, now: t0 + 100).startsAt == t0 + 100)
}

@Test func garbageCollectionDropsOnlyResolvedAlerts() {
    let store = AlertStore()
    store.put(Alert(labels: ["a": "1"], startsAt: t0, endsAt: t0 + 10, updatedAt: t0), now: t0)
    store.put(Alert(labels: ["a": "2"], startsAt: t0, endsAt: t0 + 1000, updatedAt: t0), now: t0)
    let removed = store.collectGarbage(now: t0 + 20)
    #expect(removed.map { $0.labels["a"] } == ["1"])
    #expect(store.all().map { $0.labels["a"] } == ["2"])
}
