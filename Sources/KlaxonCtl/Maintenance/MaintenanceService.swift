import Foundation
import KlaxonAPIModels
import KlaxonCore

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
    ///
    /// The window must end up carrying the requested matchers (as a set). When, after this start has applied its
    /// plan, the key's window carries other matchers, another pipeline is using the same key for another target:
    /// this start expires the silences it posted and throws ``MaintenanceStartError/Reason/conflict(holder:)``
    /// instead of fighting over the key. When no window of the key is left open (a `maintenance end` raced in), it
    /// throws ``MaintenanceStartError/Reason/closed``.
    ///
    /// Any other failure is thrown as ``MaintenanceStartError/Reason/failed(_:)``, saying whether a silence may
    /// have been created or extended before it (``MaintenanceStartError/mayHaveOpened``).
    public func start(_ request: MaintenanceRequest) async throws -> StartResult {
        var progress = StartProgress()
        do {
            return try await converge(request, progress: &progress)
        } catch let error as MaintenanceStartError {
            throw error
        } catch {
            throw MaintenanceStartError(
                key: request.key, reason: .failed(error), requested: request.matchers,
                mayHaveOpened: !progress.posted.isEmpty || progress.postUncertain, posted: progress.posted)
        }
    }

    /// What a start has done to the server so far.
    struct StartProgress {
        /// The IDs the server returned for this start's posts.
        var posted: [String] = []
        /// A post failed without a clear rejection (no response, a timeout, a 5xx): the server may have applied it.
        var postUncertain = false
    }

    private func converge(_ request: MaintenanceRequest, progress: inout StartProgress) async throws -> StartResult {
        let startTime = now()
        var result: StartResult?
        for _ in 0..<3 {
            let silences = try await retry.run { try await api.silences(filter: []) }
            let open = MaintenancePlanner.windows(of: request.key, in: silences)
            if let done = result,
                let settled = try await settle(done, request, open: open, final: false, progress: &progress)
            {
                return settled
            }
            let plan = MaintenancePlanner.planStart(request, silences: silences, now: startTime)
            var silenceID = plan.kept?.id ?? ""
            var expired: [String] = []
            if let post = plan.post {
                do {
                    silenceID = try await retry.run { try await api.postSilence(post) }
                } catch {
                    // A 4xx is a rejection: nothing was applied. Anything else may have been.
                    let status = (error as? APIClientError)?.status ?? 0
                    if !(400..<500).contains(status) { progress.postUncertain = true }
                    throw error
                }
                progress.posted.append(silenceID)
                // Alertmanager creates a new silence when it cannot update in place, and expires the old one
                // itself; make sure of it, since the window must stay one silence.
                if !post.id.isEmpty, post.id != silenceID {
                    let previous = post.id
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
        guard let done = result else { preconditionFailure("the loop runs at least once") }
        guard let settled = try await settle(done, request, open: open, final: true, progress: &progress) else {
            preconditionFailure("a final settle always decides")
        }
        return settled
    }

    /// Decides, from the key's open windows after this start applied a plan, whether the window has converged:
    /// the result (the window with the requested matchers), nil to go another round, or an error.
    private func settle(
        _ done: StartResult, _ request: MaintenanceRequest, open: [GettableSilence], final: Bool,
        progress: inout StartProgress
    ) async throws -> StartResult? {
        let requested = Set(request.matchers)
        let ours = open.filter { Set($0.matchers) == requested }
        let others = open.filter { Set($0.matchers) != requested }
        if let holder = others.max(by: { ($0.endsAt, $1.id) < ($1.endsAt, $0.id) }) {
            // Another pipeline replaced or duplicated the window with its own matchers after this start planned.
            // Fighting would flip the window between targets; leave it to them and take back what we posted.
            for silence in ours where progress.posted.contains(silence.id) {
                try await expireIgnoringGone(silence.id)
            }
            progress.posted = []
            throw MaintenanceStartError(
                key: request.key, reason: .conflict(holder: holder), requested: request.matchers)
        }
        guard let window = ours.max(by: { ($0.endsAt, $1.id) < ($1.endsAt, $0.id) }) else {
            throw MaintenanceStartError(key: request.key, reason: .closed, requested: request.matchers)
        }
        guard ours.count == 1 || final else { return nil }
        var settled = done
        settled.silenceID = window.id
        settled.endsAt = window.endsAt
        settled.openWindows = ours.count
        return settled
    }

    /// Expires every open silence of `key`, listing again until none is left (a pipeline may be starting the same
    /// key at this moment). Returns the expired IDs; none when the window was already closed.
    ///
    /// A failure is thrown as ``MaintenanceEndError``, with the silences of the key last seen open.
    public func end(key: MaintenanceKey) async throws -> [String] {
        var expired: [String] = []
        var seen: [String]?
        do {
            for _ in 0..<3 {
                let silences = try await retry.run { try await api.silences(filter: []) }
                let ids = MaintenancePlanner.planEnd(key: key, silences: silences)
                seen = ids
                if ids.isEmpty { return expired }
                for id in ids {
                    try await expireIgnoringGone(id)
                    expired.append(id)
                }
            }
        } catch {
            throw MaintenanceEndError(underlying: error, lastSeenOpen: seen.map { $0.filter { !expired.contains($0) } })
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

/// Why `maintenance start` did not leave the requested window open.
public struct MaintenanceStartError: Error, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Sendable {
        /// A call failed (after its retries).
        case failed(any Error)
        /// Another pipeline holds the key with other matchers (`holder` is its window).
        case conflict(holder: GettableSilence)
        /// No window of the key is open after the start: it was closed at the same time.
        case closed
    }

    /// The window's key.
    public var key: MaintenanceKey
    /// What went wrong.
    public var reason: Reason
    /// The matchers the start asked for.
    public var requested: [SilenceMatcherSpec]
    /// Whether a silence of the window may be open because of this start: a post succeeded, or failed in a way
    /// that does not rule out that the server applied it.
    public var mayHaveOpened: Bool
    /// The silence IDs the server returned for this start's posts, newest last (there may be others).
    public var posted: [String]

    /// Creates an error.
    public init(
        key: MaintenanceKey, reason: Reason, requested: [SilenceMatcherSpec], mayHaveOpened: Bool = false,
        posted: [String] = []
    ) {
        self.key = key
        self.reason = reason
        self.requested = requested
        self.mayHaveOpened = mayHaveOpened
        self.posted = posted
    }

    /// One message, without the `could not open maintenance window KEY: ` prefix the commands put before it.
    public var description: String {
        switch reason {
        case .failed(let error):
            return "\(error)"
        case .conflict(let holder):
            return "another pipeline holds maintenance window \(key) with matchers "
                + holder.matchers.map(\.description).joined(separator: " ") + " (silence \(holder.id)), not "
                + requested.map(\.description).joined(separator: " ")
                + "; nothing was left open for these matchers. One key is one window: distinct deployment targets "
                + "need distinct keys (include the target, job and matrix value in --key)"
        case .closed:
            return "no silence of maintenance window \(key) is open after starting it: it was closed at the same "
                + "time (a `maintenance end --key \(key)` or another job's `maintenance run` ending); nothing is "
                + "silenced"
        }
    }
}

/// Why `maintenance end` could not close a window.
public struct MaintenanceEndError: Error, CustomStringConvertible {
    /// The failed call's error.
    public var underlying: any Error
    /// The key's silences still open in the last listing that succeeded; nil when no listing did.
    public var lastSeenOpen: [String]?

    /// The failed call's message.
    public var description: String { "\(underlying)" }
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
