import KlaxonCore

/// What the engine needs from a loaded configuration, with integrations already built.
public struct EngineConfig: Sendable {
    /// The routing tree.
    public var route: Route
    /// Integrations per receiver name, in config order (`webhook_configs` first, as Alertmanager builds them).
    public var receivers: [String: [any Notifier]]
    /// Inhibition rules.
    public var inhibitRules: [InhibitRule]
    /// Named time intervals (`time_intervals` and `mute_time_intervals`).
    public var timeIntervals: [String: NamedTimeInterval]
    /// `global.resolve_timeout`.
    public var resolveTimeout: PromDuration

    /// Creates an engine configuration.
    public init(
        route: Route,
        receivers: [String: [any Notifier]],
        inhibitRules: [InhibitRule] = [],
        timeIntervals: [String: NamedTimeInterval] = [:],
        resolveTimeout: PromDuration = .minutes(5)
    ) {
        self.route = route
        self.receivers = receivers
        self.inhibitRules = inhibitRules
        self.timeIntervals = timeIntervals
        self.resolveTimeout = resolveTimeout
    }
}

/// Engine settings from the command line.
public struct EngineOptions: Sendable {
    /// `--data.retention`: how long expired silences and notification-log entries are kept.
    public var retention: PromDuration = .hours(120)
    /// `--audit.retention`: how long audit entries are kept (30 days, the common compliance window).
    public var auditRetention: PromDuration = .hours(720)
    /// `--history.retention`: how long timeline events are kept (7 days).
    public var historyRetention: PromDuration = .hours(168)
    /// `--history.max-events`: the timeline's size cap (oldest events go first); 0 turns the timeline off.
    public var historyMaxEvents = 5_000_000
    /// `--alerts.gc-interval`.
    public var alertGCInterval: PromDuration = .minutes(30)
    /// How often expired silences and log entries are collected.
    public var maintenanceInterval: PromDuration = .minutes(15)
    /// The URL notifications link back to.
    public var externalURL: String = "http://localhost:9093"

    /// Defaults as Alertmanager's flags.
    public init() {}
}
