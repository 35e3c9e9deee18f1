/// Per-tenant limits; nil is unlimited.
public struct TenantLimits: Sendable, Hashable {
    /// Active alerts the tenant may hold; a new alert over it is refused (429), updates of held alerts never are.
    public var maxActiveAlerts: Int?
    /// Active and pending silences the tenant may have.
    public var maxSilences: Int?
    /// Notifications per receiver per minute before the rest are coalesced into a digest.
    public var maxNotificationsPerMinute: Int?

    /// Creates limits.
    public init(maxActiveAlerts: Int? = nil, maxSilences: Int? = nil, maxNotificationsPerMinute: Int? = nil) {
        self.maxActiveAlerts = maxActiveAlerts
        self.maxSilences = maxSilences
        self.maxNotificationsPerMinute = maxNotificationsPerMinute
    }
}
