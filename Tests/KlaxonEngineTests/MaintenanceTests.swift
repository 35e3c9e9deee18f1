import Foundation
import KlaxonCore
import KlaxonEngine
import KlaxonStorage
import KlaxonTestSupport
import Logging
import Testing

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)

/// Garbage collection on the engine's clock: resolved alerts go every `--alerts.gc-interval` (30m), expired silences
/// once they are past `--data.retention` (120h), checked at least every minute.
@Suite(.timeLimit(.minutes(1))) struct MaintenanceTests {
    @Test func resolvedAlertIsDroppedFromTheStoreAtTheAlertGCInterval() async throws {
        let clock = ManualClock(now: t0)
        let engine = try manualEngine(route: RouteSpec(receiver: "team"), receivers: [:], clock: clock)
        engine.receive([Alert(labels: ["alertname": "Gone"], startsAt: t0, endsAt: t0 + 10, updatedAt: t0)], now: t0)
        try await withRunningServices(engine.services) {
            await clock.sleeper(until: t0 + 60)
            clock.advance(to: t0 + 1799)
            // Woken for the state GC a minute before; the alert GC is the next thing it sleeps for.
            await clock.sleeper(until: t0 + 1800)
            #expect(engine.alerts.count == 1)
            clock.advance(to: t0 + 1800)
            await clock.sleeper(until: t0 + 1859)
            #expect(engine.alerts.count == 0)
        }
    }

    @Test func expiredSilenceIsKeptForTheRetentionThenForgotten() async throws {
        let clock = ManualClock(now: t0)
        let engine = try manualEngine(route: RouteSpec(receiver: "team"), receivers: [:], clock: clock)
        let id = try engine.setSilence(
            PostableSilence(
                id: "", matchers: [SilenceMatcherSpec(name: "job", value: "api", isRegex: false)], startsAt: t0,
                endsAt: t0 + 60, createdBy: "me", comment: "short"), now: t0)
        let retention: TimeInterval = 120 * 3600
        try await withRunningServices(engine.services) {
            clock.advance(to: t0 + 60 + retention - 30)
            await clock.sleeper(until: t0 + 60 + retention + 30)
            #expect(engine.silence(id: id) != nil)
            clock.advance(to: t0 + 60 + retention + 30)
            await clock.sleeper(until: t0 + 60 + retention + 90)
            #expect(engine.silence(id: id) == nil)
        }
    }

    @Test func auditEntriesAreKeptForTheAuditRetentionThenPruned() throws {
        let store = InMemoryStateStore()
        var options = EngineOptions()
        options.auditRetention = .hours(720)
        let engine = try Engine(
            config: EngineConfig(route: Route(root: RouteSpec(receiver: "team")), receivers: [:]), options: options,
            stateStore: store, logger: Logger(label: "test"), clock: ManualClock(now: t0))
        let retention: TimeInterval = 720 * 3600
        for (object, age) in [("old", retention + 1), ("recent", retention - 1)] {
            try store.appendAudit(
                AuditEntry(
                    time: t0 - age, kind: .silenceCreated, principal: "p", tenants: [], remoteAddress: "",
                    object: object))
        }
        engine.collectState(now: t0)
        #expect(try store.audit(AuditQuery()).map(\.object) == ["recent"])
    }
}
