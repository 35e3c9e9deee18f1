import KlaxonConfig
import KlaxonCore
import KlaxonGoCompat
import Logging

/// Everything the `klaxon` command line sets (Alertmanager's flags, same names and defaults).
public struct ServerOptions: Sendable {
    /// `--config.file`.
    public var configFile = "alertmanager.yml"
    /// `--storage.path`.
    public var storagePath = "data/"
    /// `--storage.url` (or `--storage.url-file`): silences, the notification log and the audit trail in PostgreSQL;
    /// nil: SQLite under `storagePath`.
    public var storageURL: StorageURL?
    /// `--data.retention`.
    public var retention = PromDuration.hours(120)
    /// `--data.maintenance-interval`.
    public var maintenanceInterval = PromDuration.minutes(15)
    /// `--alerts.gc-interval`.
    public var alertGCInterval = PromDuration.minutes(30)
    /// `--web.listen-address`.
    public var listenAddress = ":9093"
    /// `--web.external-url`; empty: `http://<hostname>:<port>`.
    public var externalURL = ""
    /// `--web.route-prefix`; nil: the path of the external URL.
    public var routePrefix: String?
    /// `--web.get-concurrency`: GET requests processed at once; 0 or less: the number of processors or 8,
    /// whichever is larger.
    public var getConcurrency = 0
    /// `--web.timeout`: how long a request may take before it is answered 503; 0 or less: no timeout.
    public var webTimeout = GoDuration(nanoseconds: 0)
    /// `--log.level`.
    public var logLevel = Logger.Level.info
    /// `--log.format`.
    public var logFormat = LogfmtHandler.Format.logfmt
    /// `--tenant.label`: the label whose values get per-tenant metrics.
    public var tenantLabel = "tenant_id"
    /// `--tenant.max-metric-tenants`: per-tenant series beyond this many tenants are folded into `other`.
    public var maxMetricTenants = 500
    /// `--web.config.file`: TLS, basic auth and response headers in exporter-toolkit's format; nil: plain HTTP, no
    /// authentication.
    public var webConfigFile: String?
    /// `--audit.retention`: how long the audit trail is kept.
    public var auditRetention = PromDuration.hours(720)
    /// `--history.retention`: how long the timeline of alert changes and notifications is kept.
    public var historyRetention = PromDuration.hours(168)
    /// `--history.max-events`: the timeline's size cap (oldest events are dropped first); 0 keeps no timeline.
    public var historyMaxEvents = 5_000_000
    /// `--access.config.file`: principals, roles, tenants and limits; nil: no authorization, as Alertmanager.
    public var accessConfigFile: String?
    /// `--web.max-request-bytes`: larger request bodies are refused with 413.
    public var maxRequestBytes = 32 << 20

    /// `--cluster.advertise-address`, else `--cluster.listen-address`: this replica's peer address in the status;
    /// empty: clustering disabled.
    public var clusterPeerAddress = ""

    /// Alertmanager's defaults.
    public init() {}
}
