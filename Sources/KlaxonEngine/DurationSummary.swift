import Synchronization

/// A Prometheus summary without quantiles, which is what Alertmanager's summaries are (`_sum` and `_count` only):
/// the engine observes durations, the server renders the family at scrape time (swift-metrics has no summary type).
public final class DurationSummary: Sendable {
    /// The family name.
    public let name: String
    private let state = Mutex<(count: UInt64, sum: Double)>((0, 0))

    /// A summary named `name`, at zero.
    public init(name: String) { self.name = name }

    /// Adds `count` observations that took `seconds` in total.
    public func observe(seconds: Double, count: UInt64 = 1) {
        state.withLock {
            $0.count += count
            $0.sum += seconds
        }
    }

    /// Times `body` as one observation.
    public func time<T>(_ body: () throws -> T) rethrows -> T {
        let start = ContinuousClock.now
        defer { observe(seconds: (ContinuousClock.now - start).timeInterval) }
        return try body()
    }

    /// The exposition text of the family: its `# TYPE` line, `_sum` and `_count`.
    public var exposition: String {
        let (count, sum) = state.withLock { ($0.count, $0.sum) }
        return "# TYPE \(name) summary\n\(name)_sum \(sum)\n\(name)_count \(count)\n"
    }
}
