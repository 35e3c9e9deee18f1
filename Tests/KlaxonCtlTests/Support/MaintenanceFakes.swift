import Foundation
import KlaxonAPIModels
import KlaxonCore

@testable import KlaxonCtl

/// A clock the tests move by hand; shared by the fake server and the code under test.
final class TestClock: @unchecked Sendable {
    // Safe: `date` is only read and written under `lock`.
    private let lock = NSLock()
    private var date: Date

    init(_ date: Date = Date(timeIntervalSince1970: 1_764_576_000)) { self.date = date }  // 2025-12-01 08:00:00 UTC

    var now: Date {
        lock.lock()
        defer { lock.unlock() }
        return date
    }

    func advance(_ seconds: TimeInterval) {
        lock.lock()
        date += seconds
        lock.unlock()
    }

    /// A closure for `MaintenanceService(now:)`.
    var function: @Sendable () -> Date { { [self] in now } }
}

/// An in-memory silence API that follows Alertmanager 0.25's rules (§1.7 of the behaviour notes): state from time,
/// update in place only with identical matchers and unchanged start, otherwise a new ID with the old one expired;
/// validation errors as 400; expiring an unknown ID answers 500 `silence not found`. Every call is logged, and
/// failures can be queued per operation. Like a real server, time passes: each call moves the clock 1 ms on, so a
/// silence expired by one call (endsAt = now) reads as expired in the next.
actor FakeSilenceServer: SilenceAPI {
    enum Operation: Hashable, Sendable { case list, post, expire }

    struct Stored: Sendable {
        var id: String
        var matchers: [SilenceMatcherSpec]
        var startsAt: Date
        var endsAt: Date
        var updatedAt: Date
        var createdBy: String
        var comment: String
    }

    /// What another pipeline does right after one of our posts succeeded.
    enum Interference: Sendable {
        /// Replaces the window just posted by one with these matchers (its own start with other matchers).
        case replace(with: [SilenceMatcherSpec], createdBy: String)
        /// Adds a window with these matchers beside the one just posted (its own start, from the same empty list).
        case duplicate(with: [SilenceMatcherSpec], createdBy: String)
        /// Expires the window just posted (a `maintenance end` of the key).
        case end
    }

    let clock: TestClock
    private var interferences: [Interference] = []
    private var lostReplies: [APIClientError] = []
    private(set) var stored: [Stored] = []
    private(set) var log: [String] = []
    private var failures: [Operation: [APIClientError?]] = [:]
    private var nextID = 1

    init(clock: TestClock) { self.clock = clock }

    /// After `successes` more successful calls, the next `count` calls of `operation` fail with `error`.
    func fail(_ operation: Operation, with error: APIClientError, times count: Int = 1, after successes: Int = 0) {
        failures[operation, default: []] +=
            Array(repeating: nil, count: successes)
            + Array(repeating: error, count: count)
    }

    /// The next `count` posts are applied, but their reply is lost: the client gets `error` (a timeout).
    func loseReplies(ofPosts count: Int, with error: APIClientError = FakeSilenceServer.timeout) {
        lostReplies += Array(repeating: error, count: count)
    }

    /// After each of the next successful posts, one of `interferences` happens, in order.
    func interfere(_ interferences: Interference...) {
        self.interferences += interferences
    }

    /// Puts a silence in place directly (another tool, or a racing pipeline).
    @discardableResult
    func insert(
        matchers: [SilenceMatcherSpec], startsAt: Date, endsAt: Date, createdBy: String, comment: String
    ) -> String {
        let id = newID()
        stored.append(
            Stored(
                id: id, matchers: matchers, startsAt: startsAt, endsAt: endsAt, updatedAt: clock.now,
                createdBy: createdBy, comment: comment))
        return id
    }

    /// The silences that are active now.
    var active: [GettableSilence] { stored.map(gettable).filter { $0.state == .active } }

    func silences(filter: [String]) async throws -> [GettableSilence] {
        try failIfQueued(.list)
        log.append("list")
        return stored.map(gettable)
    }

    func postSilence(_ silence: PostableSilence) async throws -> String {
        try failIfQueued(.post)
        let now = clock.now
        guard silence.startsAt < silence.endsAt else {
            throw Self.error(400, .postSilences, "Failed to create silence: start time must be before end time")
        }
        guard silence.endsAt >= now else {
            throw Self.error(400, .postSilences, "Failed to create silence: end time can't be in the past")
        }
        guard !silence.matchers.isEmpty else {
            throw Self.error(400, .postSilences, "silence invalid: at least one matcher must be specified")
        }
        if !silence.id.isEmpty {
            let id = silence.id
            guard let index = stored.firstIndex(where: { $0.id == id }) else {
                throw Self.error(404, .postSilences, "silence not found")
            }
            let old = gettable(stored[index])
            let sameStart = Int(old.startsAt.timeIntervalSince1970) == Int(silence.startsAt.timeIntervalSince1970)
            let canUpdate =
                old.matchers == silence.matchers
                && (old.state == .active ? sameStart : old.state == .pending ? silence.startsAt >= now : false)
            if canUpdate {
                stored[index].endsAt = silence.endsAt
                stored[index].startsAt = silence.startsAt
                stored[index].comment = silence.comment
                stored[index].createdBy = silence.createdBy
                stored[index].updatedAt = now
                log.append("update \(id)")
                interfereAfterPost(id)
                return id
            }
            if old.state != .expired { expireStored(index) }
        }
        let id = newID()
        stored.append(
            Stored(
                id: id, matchers: silence.matchers, startsAt: max(silence.startsAt, now), endsAt: silence.endsAt,
                updatedAt: now, createdBy: silence.createdBy, comment: silence.comment))
        log.append("create \(id)")
        interfereAfterPost(id)
        if !lostReplies.isEmpty { throw lostReplies.removeFirst() }
        return id
    }

    private func interfereAfterPost(_ id: String) {
        guard !interferences.isEmpty, let index = stored.firstIndex(where: { $0.id == id }) else { return }
        let posted = stored[index]
        switch interferences.removeFirst() {
        case .replace(let matchers, let createdBy):
            let other = newID()
            stored.append(
                Stored(
                    id: other, matchers: matchers, startsAt: clock.now, endsAt: posted.endsAt, updatedAt: clock.now,
                    createdBy: createdBy, comment: posted.comment))
            expireStored(index)
            log.append("other pipeline: create \(other), expire \(id)")
        case .duplicate(let matchers, let createdBy):
            let other = newID()
            stored.append(
                Stored(
                    id: other, matchers: matchers, startsAt: clock.now, endsAt: posted.endsAt, updatedAt: clock.now,
                    createdBy: createdBy, comment: posted.comment))
            log.append("other pipeline: create \(other)")
        case .end:
            expireStored(index)
            log.append("other pipeline: expire \(id)")
        }
    }

    func expireSilence(id: String) async throws {
        try failIfQueued(.expire)
        guard let index = stored.firstIndex(where: { $0.id == id }) else {
            throw Self.error(500, .deleteSilence, "silence not found")
        }
        expireStored(index)
        log.append("expire \(id)")
    }

    private func expireStored(_ index: Int) {
        let now = clock.now
        switch gettable(stored[index]).state {
        case .active: stored[index].endsAt = now
        case .pending:
            stored[index].startsAt = now
            stored[index].endsAt = now
        default: break
        }
        stored[index].updatedAt = now
    }

    private func gettable(_ s: Stored) -> GettableSilence {
        let now = clock.now
        let state: SilenceState = now < s.startsAt ? .pending : now > s.endsAt ? .expired : .active
        return GettableSilence(
            id: s.id, state: state, startsAt: s.startsAt, endsAt: s.endsAt, updatedAt: s.updatedAt,
            createdBy: s.createdBy, comment: s.comment, matchers: s.matchers)
    }

    private func newID() -> String {
        defer { nextID += 1 }
        return "silence-\(nextID)"
    }

    private func failIfQueued(_ operation: Operation) throws {
        clock.advance(0.001)
        guard var queue = failures[operation], !queue.isEmpty else { return }
        let next = queue.removeFirst()
        failures[operation] = queue
        guard let error = next else { return }
        log.append("fail \(operation)")
        throw error
    }

    static func error(_ status: Int, _ endpoint: Endpoint, _ message: String) -> APIClientError {
        APIClientError.status(status, endpoint: endpoint, body: Array("\"\(message)\"".utf8))
    }

    static let timeout = APIClientError.transport(
        method: "POST", url: "http://127.0.0.1:9/api/v2/silences",
        reason: "context deadline exceeded (Client.Timeout exceeded while awaiting headers)")

    static let connectionRefused = APIClientError.transport(
        method: "GET", url: "http://127.0.0.1:9/api/v2/silences",
        reason: "dial tcp 127.0.0.1:9: connect: connection refused")
}
