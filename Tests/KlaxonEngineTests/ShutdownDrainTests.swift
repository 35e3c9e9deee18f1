import Foundation
import KlaxonCore
import KlaxonEngine
import KlaxonStorage
import KlaxonTestSupport
import Logging
import ServiceLifecycle
import Synchronization
import Testing

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)

/// A receiver's integration whose send lasts until the test lets it finish, or until it is cancelled.
private final class GatedNotifier: Notifier {
    private struct State {
        var released = false
        var waiter: CheckedContinuation<Void, Never>?
        var outcomes: [String] = []
    }

    let integrationName = "webhook"
    let sendResolved = true
    /// One element each time a send begins.
    let started: AsyncStream<Void>
    private let startedContinuation: AsyncStream<Void>.Continuation
    private let state = Mutex(State())

    init() {
        (started, startedContinuation) = AsyncStream.makeStream(of: Void.self)
    }

    /// `delivered` or `cancelled`, per send that ended.
    var outcomes: [String] { state.withLock { $0.outcomes } }

    /// Lets the send in progress (and every later one) finish.
    func release() {
        state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.released = true
            defer { state.waiter = nil }
            return state.waiter
        }?.resume()
    }

    func notify(_ notification: GroupNotification) async -> NotifyResult {
        startedContinuation.yield()
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let finished = state.withLock { state -> Bool in
                    if state.released || Task.isCancelled { return true }
                    state.waiter = continuation
                    return false
                }
                if finished { continuation.resume() }
            }
        } onCancel: {
            state.withLock { state -> CheckedContinuation<Void, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }?.resume()
        }
        let cancelled = Task.isCancelled
        state.withLock { $0.outcomes.append(cancelled ? "cancelled" : "delivered") }
        return cancelled
            ? .failed(retry: true, reason: .contextCanceled, message: "context canceled")
            : .delivered(status: "200")
    }
}

/// SIGTERM (graceful shutdown) while a notification is being sent: Alertmanager cancels the send; Klaxon lets it
/// finish, for up to `Dispatcher.defaultDrainLimit`, so the page goes out before the process stops and the
/// notification log records it (no second page after the restart).
@Suite(.timeLimit(.minutes(1))) struct ShutdownDrainTests {
    private let route = RouteSpec(
        receiver: "team", groupBy: .labels(["alertname"]), groupWait: .seconds(30), groupInterval: .minutes(5),
        repeatInterval: .hours(4))

    /// Runs an engine whose one group's notification is being sent (the notifier holds it) and calls `whileSending`
    /// with the clock, the running services and the notifier; returns once the services have ended.
    private func whileANotificationIsBeingSent(
        store: InMemoryStateStore, notifier: GatedNotifier,
        _ whileSending: (ManualClock, ServiceGroup) async throws -> Void
    ) async throws {
        let clock = ManualClock(now: t0)
        let engine = try Engine(
            config: EngineConfig(route: Route(root: route), receivers: ["team": [notifier]]), options: EngineOptions(),
            stateStore: store, logger: Logger(label: "test"), clock: clock)
        let group = ServiceGroup(services: engine.services, logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }  // allowed: structured child task of a task group
            var started = notifier.started.makeAsyncIterator()
            engine.receive([firing(["alertname": "Down"], at: t0)], now: t0)
            await clock.sleeper(until: t0 + 30)
            clock.advance(to: t0 + 30)
            _ = await started.next()
            try await whileSending(clock, group)
            try await tasks.waitForAll()
        }
    }

    /// When the dispatcher gives up on flushes in flight, counted from the flush at t0 + 30.
    private let drainEnds = t0 + 30 + Dispatcher.defaultDrainLimit.timeInterval

    @Test func aNotificationBeingSentAtShutdownIsDeliveredAndLoggedBeforeKlaxonStops() async throws {
        let (store, notifier) = (InMemoryStateStore(), GatedNotifier())
        try await whileANotificationIsBeingSent(store: store, notifier: notifier) { clock, group in
            await group.triggerGracefulShutdown()
            // The dispatcher has stopped taking flushes and waits for this one: its drain limit is armed.
            await clock.sleeper(until: drainEnds)
            notifier.release()
        }
        #expect(notifier.outcomes == ["delivered"])
        #expect(try store.loadNotificationLog().map(\.receiver.groupName) == ["team"])
    }

    @Test func aSendStillRunningAfterTheDrainLimitIsCancelledSoShutdownEnds() async throws {
        let (store, notifier) = (InMemoryStateStore(), GatedNotifier())
        try await whileANotificationIsBeingSent(store: store, notifier: notifier) { clock, group in
            await group.triggerGracefulShutdown()
            await clock.sleeper(until: drainEnds)
            #expect(notifier.outcomes.isEmpty, "the send was cut off before the drain limit")
            clock.advance(to: drainEnds)
        }
        #expect(notifier.outcomes == ["cancelled"])
        #expect(try store.loadNotificationLog().isEmpty, "a cancelled send must not be logged as sent")
    }
}
