import KlaxonCore

/// The access file (`--access.config.file`): who may do what in which tenants, and the per-tenant limits. Klaxon's
/// own format (Alertmanager has none); without the file every request is allowed, as in Alertmanager.
public struct AccessConfig: Sendable, Hashable {
    /// One principal and how a machine proves to be it.
    public struct Entry: Sendable, Hashable {
        /// Name, role and tenants.
        public var principal: Principal
        /// The SHA-256 of the principal's bearer token (32 bytes), for machines; nil for basic-auth users.
        public var bearerTokenSHA256: [UInt8]?

        /// Creates an entry.
        public init(principal: Principal, bearerTokenSHA256: [UInt8]? = nil) {
            self.principal = principal
            self.bearerTokenSHA256 = bearerTokenSHA256
        }
    }

    /// The label that names an alert's tenant; nil to use `--tenant.label`.
    public var tenantLabel: String?
    /// The principals, in file order.
    public var entries: [Entry]
    /// Limits by tenant name as written; `default` applies to every tenant not listed.
    public var limits: [String: TenantLimits]

    /// Creates an access config.
    public init(tenantLabel: String? = nil, entries: [Entry] = [], limits: [String: TenantLimits] = [:]) {
        self.tenantLabel = tenantLabel
        self.entries = entries
        self.limits = limits
    }

    /// The principal with this name (a web config user authenticated by password), if listed.
    public func principal(named name: String) -> Principal? {
        entries.first { $0.principal.name == name }?.principal
    }

    /// The limits that apply to `tenant`: its own entry, each limit it leaves out taken from `default`.
    public func limits(for tenant: String) -> TenantLimits {
        let fallback = limits["default"] ?? TenantLimits()
        guard let own = limits[tenant] else { return fallback }
        return TenantLimits(
            maxActiveAlerts: own.maxActiveAlerts ?? fallback.maxActiveAlerts,
            maxSilences: own.maxSilences ?? fallback.maxSilences,
            maxNotificationsPerMinute: own.maxNotificationsPerMinute ?? fallback.maxNotificationsPerMinute)
    }
}
