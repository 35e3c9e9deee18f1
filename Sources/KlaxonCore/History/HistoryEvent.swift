import Foundation

/// One event of Klaxon's timeline ("what fired, what was sent, and why"): an alert's state change, a notification
/// attempt, a silence change or a configuration reload. Kept in the state store for `--history.retention` and read
/// through `GET /api/klaxon/v1/history`.
public struct HistoryEvent: Sendable, Hashable {
    /// What happened.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// An alert was first seen firing (or fired again after resolving).
        case firing
        /// An alert resolved.
        case resolved
        /// A flushed alert was muted by silences (`detail`: their IDs).
        case silenced
        /// A flushed alert that was silenced no longer is.
        case unsilenced
        /// A flushed alert was inhibited (`detail`: the source fingerprint and rule).
        case inhibited
        /// A flushed alert that was inhibited no longer is.
        case uninhibited
        /// A group's notification was held back by a time interval (`detail`: which).
        case muted
        /// A notification attempt of one integration (`outcome`, `status`, `latency`).
        case notification
        /// A silence was created, updated or expired (`detail`).
        case silence
        /// The configuration was reloaded (`detail`: the outcome).
        case reload
    }

    /// How a notification attempt ended.
    public enum Outcome: String, Sendable, Hashable, CaseIterable {
        /// Delivered.
        case sent
        /// Failed; retried while the deadline allows.
        case failed
        /// Failed for good (not retryable, or out of time).
        case gaveUp = "gave_up"
        /// Not sent: the notification log says the receiver already has it.
        case deduplicated
        /// Coalesced into a tenant's digest.
        case digested
    }

    /// The store's sequence number: increases with every stored event (0 before it is stored). The cursor of the
    /// history API.
    public var sequence: Int64
    /// When it happened.
    public var time: Date
    /// What happened.
    public var kind: Kind
    /// The alert's labels; for a notification or a muted group, the labels its alerts have in common.
    public var labels: LabelSet
    /// The alert's fingerprint, or the fingerprints of the alerts a notification carried.
    public var fingerprints: [Fingerprint]
    /// The receiver (notification, muted).
    public var receiver: String
    /// The integration and its index, as `slack[0]` (notification).
    public var integration: String
    /// The group key (notification, muted).
    public var groupKey: String
    /// The outcome (notification).
    public var outcome: Outcome?
    /// The HTTP status or error class of a notification attempt (`200`, `503`, `timeout`), "" otherwise.
    public var status: String
    /// The attempt number, from 1 (notification); 0 otherwise.
    public var attempt: Int
    /// How long the attempt took, in seconds (notification).
    public var latency: Double?
    /// Kind-specific detail: silence IDs, the inhibiting source and rule, the interval, the silence change.
    public var detail: String

    /// Creates an event.
    public init(
        sequence: Int64 = 0, time: Date, kind: Kind, labels: LabelSet = .empty, fingerprints: [Fingerprint] = [],
        receiver: String = "", integration: String = "", groupKey: String = "", outcome: Outcome? = nil,
        status: String = "", attempt: Int = 0, latency: Double? = nil, detail: String = ""
    ) {
        self.sequence = sequence
        self.time = time
        self.kind = kind
        self.labels = labels
        self.fingerprints = fingerprints
        self.receiver = receiver
        self.integration = integration
        self.groupKey = groupKey
        self.outcome = outcome
        self.status = status
        self.attempt = attempt
        self.latency = latency
        self.detail = detail
    }

    /// Whether the event concerns alerts (and so has labels to scope and filter by).
    public var isAlertEvent: Bool { kind != .silence && kind != .reload }
}

/// What `GET /api/klaxon/v1/history` selects, oldest first.
public struct HistoryQuery: Sendable, Hashable {
    /// Events after this sequence number (the cursor), nil from the start.
    public var after: Int64?
    /// At or after this time.
    public var since: Date?
    /// Before this time.
    public var until: Date?
    /// Only these kinds (all when empty).
    public var kinds: Set<HistoryEvent.Kind>
    /// Only events of this receiver.
    public var receiver: String?
    /// Only events concerning this alert.
    public var fingerprint: Fingerprint?
    /// At most this many.
    public var limit: Int

    /// Creates a query.
    public init(
        after: Int64? = nil, since: Date? = nil, until: Date? = nil, kinds: Set<HistoryEvent.Kind> = [],
        receiver: String? = nil, fingerprint: Fingerprint? = nil, limit: Int = 100
    ) {
        self.after = after
        self.since = since
        self.until = until
        self.kinds = kinds
        self.receiver = receiver
        self.fingerprint = fingerprint
        self.limit = limit
    }

    /// Whether an event passes every filter but the limit.
    public func matches(_ event: HistoryEvent) -> Bool {
        matches(
            sequence: event.sequence, kind: event.kind, time: event.time, fingerprints: event.fingerprints,
            receiver: event.receiver)
    }

    /// Whether an event with these fields passes every filter but the limit (what a store checks before it
    /// decodes the rest of the event).
    public func matches(
        sequence: Int64, kind: HistoryEvent.Kind, time: Date, fingerprints: [Fingerprint], receiver: String
    ) -> Bool {
        if let after, sequence <= after { return false }
        if let since, time < since { return false }
        if let until, time >= until { return false }
        if !kinds.isEmpty, !kinds.contains(kind) { return false }
        if let wanted = self.receiver, receiver != wanted { return false }
        if let fingerprint, !fingerprints.contains(fingerprint) { return false }
        return true
    }
}

/// Events recorded together, in recording order: alert state changes at ingest in a compact form (one per new or
/// resolved alert, so at ingest rates they must cost little to keep), and full events.
public struct HistoryBatch: Sendable {
    /// An alert seen firing or resolved at ingest: a `firing` or `resolved` event with nothing but its labels.
    public struct AlertChange: Sendable, Hashable {
        /// When.
        public var time: Date
        /// `firing` or `resolved`.
        public var kind: HistoryEvent.Kind
        /// The alert's labels.
        public var labels: LabelSet
        /// The alert's fingerprint.
        public var fingerprint: Fingerprint

        /// Creates a change.
        public init(time: Date, kind: HistoryEvent.Kind, labels: LabelSet, fingerprint: Fingerprint) {
            self.time = time
            self.kind = kind
            self.labels = labels
            self.fingerprint = fingerprint
        }

        /// The change as a full event.
        public var event: HistoryEvent {
            HistoryEvent(time: time, kind: kind, labels: labels, fingerprints: [fingerprint])
        }
    }

    /// One entry, in recording order.
    public enum Entry {
        case change(AlertChange)
        case event(HistoryEvent)
    }

    /// The alert changes.
    public private(set) var changes: [AlertChange] = []
    /// The full events, each with the number of changes recorded before it.
    public private(set) var events: [(position: Int, event: HistoryEvent)] = []

    /// An empty batch.
    public init() {}

    /// A batch of full events.
    public init(_ events: [HistoryEvent]) {
        self.events = events.map { (0, $0) }
    }

    /// How many events the batch holds.
    public var count: Int { changes.count + events.count }

    /// Whether the batch holds none.
    public var isEmpty: Bool { changes.isEmpty && events.isEmpty }

    /// Adds alert changes.
    public mutating func append(contentsOf changes: some Collection<AlertChange>) {
        self.changes.append(contentsOf: changes)
    }

    /// Adds an event.
    public mutating func append(_ event: HistoryEvent) {
        events.append((changes.count, event))
    }

    /// Calls `body` with each entry in recording order.
    public func forEach(_ body: (Entry) throws -> Void) rethrows {
        var next = 0
        for (position, event) in events {
            while next < position {
                try body(.change(changes[next]))
                next += 1
            }
            try body(.event(event))
        }
        while next < changes.count {
            try body(.change(changes[next]))
            next += 1
        }
    }

    /// The entries as full events, in recording order.
    public var allEvents: [HistoryEvent] {
        var result: [HistoryEvent] = []
        result.reserveCapacity(count)
        forEach { entry in
            switch entry {
            case .change(let change): result.append(change.event)
            case .event(let event): result.append(event)
            }
        }
        return result
    }
}

/// Where the timeline is kept. Implemented by KlaxonStorage next to the state store.
public protocol HistoryStore: Sendable {
    /// Stores the batch's events in one transaction, in recording order, giving each the next sequence number.
    func appendHistory(_ batch: HistoryBatch) throws
    /// The events the query selects, in sequence order, at most `query.limit`.
    func history(_ query: HistoryQuery) throws -> [HistoryEvent]
    /// Deletes events older than `cutoff`, then the oldest ones beyond `maxEvents`; returns how many went.
    @discardableResult func pruneHistory(olderThan cutoff: Date, maxEvents: Int) throws -> Int
    /// Does work deferred while events came fast (the SQLite store's fingerprint index); called when there is
    /// nothing to append.
    func catchUpHistory() throws
}

extension HistoryStore {
    /// Stores events in one transaction, in order, giving each the next sequence number.
    public func appendHistory(_ events: [HistoryEvent]) throws { try appendHistory(HistoryBatch(events)) }

    /// Nothing is deferred.
    public func catchUpHistory() throws {}
}
