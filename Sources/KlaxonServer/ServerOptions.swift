import KlaxonCore
import Logging

/// Everything the `klaxon` command line sets (Alertmanager's flags, same names and defaults).
public struct ServerOptions: Sendable {
    /// `--config.file`.
    public var configFile = "alertmanager.yml"
    /// `--storage.path`.
    public var storagePath = "data/"
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
    /// `--web.get-concurrency`.
    public var getConcurrency = 0
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
