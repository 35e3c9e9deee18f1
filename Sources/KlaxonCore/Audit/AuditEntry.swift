import Foundation

/// One state change and who made it: what the audit trail (`GET /api/klaxon/v1/audit`, `klaxonctl audit`) shows.
///
/// A silence's `createdBy` is what the client wrote; `principal` is who authenticated (empty when Klaxon runs
/// without an access file and nobody authenticates).
public struct AuditEntry: Hashable, Sendable {
    /// What changed.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case silenceCreated = "silence_created"
        case silenceUpdated = "silence_updated"
        case silenceExpired = "silence_expired"
        case maintenanceOpened = "maintenance_opened"
        case maintenanceExtended = "maintenance_extended"
        case maintenanceClosed = "maintenance_closed"
        case configReloaded = "config_reloaded"
        case configRejected = "config_rejected"
        case limitHit = "limit_hit"
    }

    /// The store's sequence number, increasing with each entry (0 until stored); pages continue after it.
    public var sequence: Int64
    /// When it happened.
    public var time: Date
    /// What happened.
    public var kind: Kind
    /// The authenticated principal ("" without an access file).
    public var principal: String
    /// The tenants the change concerns, sorted; empty for platform-wide changes (config, platform silences).
    public var tenants: [String]
    /// The client's address.
    public var remoteAddress: String
    /// The object changed: a silence id, a config file, a tenant and limit.
    public var object: String
    /// The object before the change as JSON, when there was one.
    public var before: String?
    /// The object after the change as JSON, when there is one.
    public var after: String?
    /// A short human reason (a reload error, the limit that was hit).
    public var message: String

    /// Creates an entry.
    public init(
        sequence: Int64 = 0, time: Date, kind: Kind, principal: String, tenants: [String], remoteAddress: String,
        object: String, before: String? = nil, after: String? = nil, message: String = ""
    ) {
        self.sequence = sequence
        self.time = time
        self.kind = kind
        self.principal = principal
        self.tenants = Array(Set(tenants)).sorted()
        self.remoteAddress = remoteAddress
        self.object = object
        self.before = before
        self.after = after
        self.message = message
    }
}

/// Which audit entries to return, newest first.
public struct AuditQuery: Hashable, Sendable {
    /// What the caller may see: every entry for `.all`; otherwise entries that concern only the scope's tenants
    /// (platform-wide entries and entries that also concern another tenant are not shown).
    public var scope: TenantScope
    /// Only entries concerning this tenant.
    public var tenant: String?
    /// Only entries by this principal.
    public var principal: String?
    /// Only these kinds (all when empty).
    public var kinds: Set<AuditEntry.Kind>
    /// Only entries at or after this time.
    public var since: Date?
    /// Only entries before this time.
    public var until: Date?
    /// Only entries older than this sequence number (the previous page's last), for the next page.
    public var before: Int64?
    /// At most this many entries.
    public var limit: Int

    /// Creates a query.
    public init(
        scope: TenantScope = .all, tenant: String? = nil, principal: String? = nil, kinds: Set<AuditEntry.Kind> = [],
        since: Date? = nil, until: Date? = nil, before: Int64? = nil, limit: Int = 100
    ) {
        self.scope = scope
        self.tenant = tenant
        self.principal = principal
        self.kinds = kinds
        self.since = since
        self.until = until
        self.before = before
        self.limit = limit
    }

    /// Whether `entry` is one this query returns (ignoring `limit`): the one definition every store follows.
    public func matches(_ entry: AuditEntry) -> Bool {
        if case .tenants(let allowed) = scope {
            guard !entry.tenants.isEmpty, entry.tenants.allSatisfy(allowed.contains) else { return false }
        }
        if let tenant, !entry.tenants.contains(tenant) { return false }
        if let principal, entry.principal != principal { return false }
        if !kinds.isEmpty, !kinds.contains(entry.kind) { return false }
        if let since, entry.time < since { return false }
        if let until, entry.time >= until { return false }
        if let before, entry.sequence >= before { return false }
        return true
    }
}

/// Where audit entries are kept (the state store's database by default), for `--audit.retention`.
public protocol AuditStore: Sendable {
    /// Stores an entry and returns it with its sequence number.
    @discardableResult func appendAudit(_ entry: AuditEntry) throws -> AuditEntry
    /// The entries the query selects, newest first, at most `query.limit`.
    func audit(_ query: AuditQuery) throws -> [AuditEntry]
    /// Deletes entries older than `cutoff`; returns how many.
    @discardableResult func pruneAudit(olderThan cutoff: Date) throws -> Int
}
