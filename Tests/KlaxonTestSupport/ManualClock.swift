import Foundation
import KlaxonEngine
import Logging
import ServiceLifecycle
import Synchronization

/// An engine clock that only moves when a test moves it: `advance(to:)` wakes every sleeper whose deadline has come,
/// in deadline order. Tests wait for the engine to arm a timer with `sleeper(until:)` instead of sleeping.
///
/// With `advancesWhenSlept`, a sleep moves the clock to its deadline and returns at once: for code under test that
/// sleeps on one task only (a retry loop), so the test sees the times it slept until without driving each one.
public final class ManualClock: EngineClock {
    private struct Sleeper {
        let id: UInt64
        let deadline: Date
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct Watcher {
        let deadline: Date?
        let continuation: CheckedContinuation<Date, Never>
    }

    private struct State {
        var now: Date
        var nextID: UInt64 = 0
        var sleepers: [Sleeper] = []
        var watchers: [Watcher] = []
    }

    private let state: Mutex<State>
    private let advancesWhenSlept: Bool

    /// A clock showing `now`.
    public init(now: Date, advancesWhenSlept: Bool = false) {
        state = Mutex(State(now: now))
        self.advancesWhenSlept = advancesWhenSlept
    }

    /// The time the test last moved the clock to.
    public var now: Date { state.withLock { $0.now } }

    /// Suspends until the clock is moved to or past `deadline`.
    public func sleep(until deadline: Date) async throws {
        try Task.checkCancellation()
        if advancesWhenSlept {
            advance(to: deadline)
            return
        }
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (due, cancelled, watchers) = state.withLock { state -> (Bool, Bool, [Watcher]) in
                    if deadline <= state.now { return (true, false, []) }
                    if Task.isCancelled { return (false, true, []) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    let (woken, waiting) = state.watchers.partitioned { $0.deadline == nil || $0.deadline == deadline }
                    state.watchers = waiting
                    return (false, false, woken)
                }
                if due { continuation.resume() }
                if cancelled { continuation.resume(throwing: CancellationError()) }
                for watcher in watchers { watcher.continuation.resume(returning: deadline) }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock to `time` (never back) and wakes the sleepers whose deadline has come.
    public func advance(to time: Date) {
        let woken = state.withLock { state -> [Sleeper] in
            state.now = max(state.now, time)
            let now = state.now
            let (woken, sleeping) = state.sleepers.partitioned { $0.deadline <= now }
            state.sleepers = sleeping
            return woken.sorted { $0.deadline < $1.deadline }
        }
        for sleeper in woken { sleeper.continuation.resume() }
    }

    /// Moves the clock on by `duration`.
    public func advance(by duration: TimeInterval) {
        advance(to: now.addingTimeInterval(duration))
    }

    /// Returns once some task sleeps until exactly `deadline` (for example, the dispatcher has armed a group's
    /// timer), or, with nil, until anything; returns that sleeper's deadline.
    @discardableResult
    public func sleeper(until deadline: Date? = nil) async -> Date {
        await withCheckedContinuation { (continuation: CheckedContinuation<Date, Never>) in
            let found = state.withLock { state -> Date? in
                let matching = state.sleepers.filter { deadline == nil || $0.deadline == deadline }
                if let earliest = matching.map(\.deadline).min() { return earliest }
                state.watchers.append(Watcher(deadline: deadline, continuation: continuation))
                return nil
            }
            if let found { continuation.resume(returning: found) }
        }
    }

    /// Deadlines of the tasks sleeping now, earliest first.
    public var sleeperDeadlines: [Date] {
        state.withLock { $0.sleepers.map(\.deadline).sorted() }
    }
}

extension Array {
    fileprivate func partitioned(by matches: (Element) -> Bool) -> (matching: [Element], rest: [Element]) {
        var matching: [Element] = []
        var rest: [Element] = []
        for element in self {
            if matches(element) { matching.append(element) } else { rest.append(element) }
        }
        return (matching, rest)
    }
}

/// Runs `services` in a service group while `body` runs, then shuts them down gracefully and waits for them.
public func withRunningServices<T: Sendable>(
    _ services: [any Service], _ body: @Sendable () async throws -> T
) async throws -> T {
    let group = ServiceGroup(services: services, logger: Logger(label: "test"))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }  // allowed: structured child task of a task group
        let result: Result<T, any Error>
        do {
            result = .success(try await body())
        } catch {
            result = .failure(error)
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return try result.get()
    }
}
