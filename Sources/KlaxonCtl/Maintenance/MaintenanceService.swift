import Foundation

/// Performs the planned `start`, `end` and `list` against a server, re-reading the silences afterwards so that
/// windows opened concurrently under the same key converge to one.
public struct MaintenanceService<API: SilenceAPI>: Sendable {
    /// The server.
    public var api: API
    /// The clock; the CLI passes `Date.init`, tests a fixed time.
    public var now: @Sendable () -> Date
    /// How transient failures are retried.
    public var retry: RetryPolicy

    /// Creates a service.
    public init(api: API, now: @escaping @Sendable () -> Date = { Date() }, retry: RetryPolicy = .standard) {
        self.api = api
        self.now = now
        self.retry = retry
    }

    /// What `start` did.
    public struct StartResult: Hashable, Sendable {
        /// What happened to the window.
        public var outcome: MaintenanceStartPlan.Outcome
        /// The window's silence ID after the start.
        public var silenceID: String
        /// When the window ends.
        public var endsAt: Date
        /// Silences of the key that were expired (replaced windows, duplicates).
        public var expired: [String]
        /// Open windows of the key still on the server after converging (normally 1).
        public var openWindows: Int
    }

    /// Opens the window or extends it (see ``MaintenancePlanner/planStart(_:silences:now:)``); rounds of
    /// list → plan → apply repeat (at most three) until exactly one silence carries the key.
    public func start(_ request: MaintenanceRequest) async throws -> StartResult {
        let startTime = now()
        var result: StartResult?
        for _ in 0..<3 {
            let silences = try await retry.run { try await api.silences(filter: []) }
            let open = MaintenancePlanner.windows(of: request.key, in: silences)
            if var done = result, open.count == 1, let window = open.first {
                done.silenceID = window.id
                done.endsAt = window.endsAt
                done.openWindows = 1
                return done
            }
            let plan = MaintenancePlanner.planStart(request, silences: silences, now: startTime)
            var silenceID = plan.kept?.id ?? ""
            var expired: [String] = []
            if let post = plan.post {
                silenceID = try await retry.run { try await api.postSilence(post) }
                // Alertmanager creates a new silence when it cannot update in place, and expires the old one
                // itself; make sure of it, since the window must stay one silence.
                if let previous = post.id, previous != silenceID {
                    try await expireIgnoringGone(previous)
                    expired.append(previous)
                }
            }
            for id in plan.expire where id != silenceID {
                try await expireIgnoringGone(id)
                expired.append(id)
            }
            if var done = result {
                done.silenceID = silenceID
                done.endsAt = plan.endsAt
                done.expired += expired
                result = done
            } else {
                result = StartResult(
                    outcome: plan.outcome, silenceID: silenceID, endsAt: plan.endsAt, expired: expired, openWindows: 0)
            }
        }
        let silences = try await retry.run { try await api.silences(filter: []) }
        let open = MaintenancePlanner.windows(of: request.key, in: silences)
        guard var done = result else { preconditionFailure("the loop runs at least once") }
        done.openWindows = open.count
        return done
    }

    /// Expires every open silence of `key`, listing again until none is left (a pipeline may be starting the same
    /// key at this moment). Returns the expired IDs; none when the window was already closed.
    public func end(key: MaintenanceKey) async throws -> [String] {
        var expired: [String] = []
        for _ in 0..<3 {
            let silences = try await retry.run { try await api.silences(filter: []) }
            let ids = MaintenancePlanner.planEnd(key: key, silences: silences)
            if ids.isEmpty { return expired }
            for id in ids {
                try await expireIgnoringGone(id)
                expired.append(id)
            }
        }
        return expired
    }

    /// The open windows, ending soonest first.
    public func list() async throws -> [MaintenanceWindow] {
        let silences = try await retry.run { try await api.silences(filter: []) }
        return MaintenanceWindow.open(in: silences).sorted {
            ($0.silence.endsAt, $0.key, $0.silence.id) < ($1.silence.endsAt, $1.key, $1.silence.id)
        }
    }

    /// Expires a silence; one the server no longer knows (Alertmanager 0.25 answers 500 `silence not found`,
    /// 0.26+ 404) is already gone, which is what we wanted.
    private func expireIgnoringGone(_ id: String) async throws {
        do {
            try await retry.run(isRetryable: { !Self.isGone($0) && RetryPolicy.isTransient($0) }) {
                try await api.expireSilence(id: id)
            }
        } catch  where Self.isGone(error) {
            return
        }
    }

    private static func isGone(_ error: any Error) -> Bool {
        guard let error = error as? APIClientError, let status = error.status else { return false }
        return status == 404 || (status == 500 && error.description.hasSuffix("silence not found"))
    }
}

/// How often and how patiently a call is retried when the server is unreachable or answers 5xx.
public struct RetryPolicy: Sendable {
    /// Attempts in all (1 means no retry).
    public var attempts: Int
    /// The pause before the second attempt; it doubles after each failure.
    public var initialDelay: Duration
    /// Called after a failed attempt that will be retried: the attempt number, the error and the pause.
    public var onRetry: @Sendable (Int, any Error, Duration) -> Void

    /// Creates a policy.
    public init(
        attempts: Int, initialDelay: Duration,
        onRetry: @escaping @Sendable (Int, any Error, Duration) -> Void = { _, _, _ in }
    ) {
        self.attempts = attempts
        self.initialDelay = initialDelay
        self.onRetry = onRetry
    }

    /// Three attempts, 0.5 s then 1 s apart.
    public static let standard = RetryPolicy(attempts: 3, initialDelay: .milliseconds(500))
    /// A single attempt.
    public static let none = RetryPolicy(attempts: 1, initialDelay: .zero)

    /// Whether `error` may go away by itself: no response at all, or a 5xx.
    public static func isTransient(_ error: any Error) -> Bool {
        guard let error = error as? APIClientError else { return false }
        if error.isTransportFailure { return true }
        return (error.status ?? 0) >= 500
    }

    /// Runs `body`, retrying errors that `isRetryable` accepts.
    public func run<T: Sendable>(
        isRetryable: (any Error) -> Bool = RetryPolicy.isTransient, _ body: () async throws -> T
    ) async throws -> T {
        var delay = initialDelay
        var attempt = 1
        while true {
            do {
                return try await body()
            } catch  where attempt < attempts && isRetryable(error) {
                onRetry(attempt, error, delay)
                try await Task.sleep(for: delay)
                delay *= 2
                attempt += 1
            }
        }
    }
}
