import Foundation

/// The engine's one source of time: every timer, loop and retry of the engine reads `now` and sleeps through the
/// clock it was given, so tests drive group_wait, group_interval, repeat_interval, retries and garbage collection
/// with a manual clock instead of sleeping.
///
/// Wall time (`Date`), not a monotonic instant: Alertmanager's timers, silences and notification-log entries are
/// wall-clock times, and the core's decisions take `now: Date`.
public protocol EngineClock: Sendable {
    /// The wall time now.
    var now: Date { get }

    /// Suspends until `deadline` has come (at once when it has passed); throws `CancellationError` when the task
    /// is cancelled first.
    func sleep(until deadline: Date) async throws
}

extension EngineClock {
    /// Suspends for `duration` from now; throws `CancellationError` when the task is cancelled first.
    public func sleep(for duration: Duration) async throws {
        try await sleep(until: now.addingTimeInterval(duration.timeInterval))
    }
}

/// The system's wall clock; sleeps on the continuous clock.
public struct SystemEngineClock: EngineClock {
    /// Creates the clock.
    public init() {}

    /// `Date()`.
    public var now: Date { Date() }

    /// Sleeps for the time left until `deadline`.
    public func sleep(until deadline: Date) async throws {
        let left = deadline.timeIntervalSinceNow
        guard left > 0 else {
            try Task.checkCancellation()
            return
        }
        try await Task.sleep(for: .seconds(left))
    }
}

extension Duration {
    /// The duration in seconds, as a `TimeInterval`.
    public var timeInterval: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
