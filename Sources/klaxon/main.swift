import ArgumentParser
import Glibc
import KlaxonAPIModels
import KlaxonConfig
import KlaxonCore
import KlaxonGoCompat
import KlaxonServer
import Logging

/// `klaxon`: a drop-in for the `alertmanager` binary. Flags keep Alertmanager's names, meanings and defaults;
/// cluster flags are accepted; with `--cluster.listen-address` the status shows a cluster of this one replica.
@main
struct Klaxon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "klaxon",
        abstract: "Alert routing and silencing, a drop-in replacement for Prometheus Alertmanager.",
        version: KlaxonVersion.banner(program: "klaxon")
    )

    @Option(name: .customLong("config.file"), help: "Alertmanager configuration file name.")
    var configFile = "alertmanager.yml"

    @Option(
        name: .customLong("storage.path"), help: "Base path for data storage (':memory:' keeps state in memory only).")
    var storagePath = "data/"

    @Option(
        name: .customLong("storage.url"),
        help: ArgumentHelp(
            "PostgreSQL URL for silences, the notification log and the audit trail: "
                + "postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=disable|prefer|require|verify-full "
                + "(the password may instead come from PGPASSWORD). Empty: SQLite under --storage.path."))
    var storageURL = ""

    @Option(
        name: .customLong("storage.url-file"),
        help: "File holding the --storage.url value (keeps the password off the command line).")
    var storageURLFile = ""

    @Option(name: .customLong("data.retention"), help: "How long to keep data for.")
    var retention = "120h"

    @Option(name: .customLong("data.maintenance-interval"), help: "Interval between garbage collection runs.")
    var maintenanceInterval = "15m"

    @Option(name: .customLong("alerts.gc-interval"), help: "Interval between alert GC.")
    var alertGCInterval = "30m"

    @Option(name: .customLong("web.listen-address"), help: "Address to listen on for the web interface and API.")
    var listenAddress = ":9093"

    @Option(
        name: .customLong("web.external-url"),
        help: "The URL under which Klaxon is externally reachable (used in notification links).")
    var externalURL = ""

    @Option(
        name: .customLong("web.route-prefix"),
        help: "Prefix for the internal routes of web endpoints. Defaults to the path of --web.external-url.")
    var routePrefix: String?

    @Option(name: .customLong("web.get-concurrency"), help: "Maximum number of GET requests processed concurrently.")
    var getConcurrency = 0

    @Option(name: .customLong("web.timeout"), help: "Timeout for HTTP requests (0: none).")
    var webTimeout = "0s"

    @Option(
        name: .customLong("web.config.file"),
        help: ArgumentHelp(
            "Path to a configuration file that can enable TLS, basic authentication and response headers "
                + "(Prometheus exporter-toolkit format)."))
    var webConfigFile: String?

    @Option(name: .customLong("audit.retention"), help: "How long to keep the audit trail of state changes.")
    var auditRetention = "720h"

    @Option(
        name: .customLong("history.retention"),
        help: "How long to keep the timeline of alert changes and notifications (klaxonctl history).")
    var historyRetention = "168h"

    @Option(
        name: .customLong("history.max-events"),
        help: "The most timeline events to keep; the oldest go first. 0 keeps no timeline.")
    var historyMaxEvents = 5_000_000

    @Option(
        name: .customLong("access.config.file"),
        help: ArgumentHelp(
            "Path to the access file: principals (web config users or bearer tokens), their roles and tenants, and "
                + "per-tenant limits. Without it every request is served, as by Alertmanager."))
    var accessConfigFile: String?

    @Option(name: .customLong("web.max-request-bytes"), help: "Largest accepted request body in bytes.")
    var maxRequestBytes = 32 << 20

    @Option(
        name: .customLong("log.level"),
        help: "Only log messages with the given severity or above: debug, info, warn, error.")
    var logLevel = "info"

    @Option(name: .customLong("log.format"), help: "Output format of log messages: logfmt, json.")
    var logFormat = "logfmt"

    @Option(
        name: .customLong("tenant.label"),
        help: "Label that names an alert's tenant (per-tenant metrics; the access file's default tenant_label).")
    var tenantLabel = "tenant_id"

    @Option(
        name: .customLong("tenant.max-metric-tenants"),
        help: "Per-tenant metric series cap; beyond it tenants are counted as \"other\".")
    var maxMetricTenants = 500

    @Option(
        name: .customLong("cluster.listen-address"),
        help: ArgumentHelp(
            "When set, the status reports a cluster of one: this replica (Klaxon does not gossip; replicas share "
                + "state through the database). Empty: clustering disabled."))
    var clusterListenAddress = ""

    @Option(name: .customLong("cluster.peer"), help: "Accepted and ignored.")
    var clusterPeers: [String] = []

    @Option(name: .customLong("cluster.advertise-address"), help: "Accepted and ignored.")
    var clusterAdvertise: String?

    @Option(name: .customLong("cluster.peer-timeout"), help: "Accepted and ignored.")
    var clusterPeerTimeout: String?

    @Option(name: .customLong("cluster.settle-timeout"), help: "Accepted and ignored.")
    var clusterSettleTimeout: String?

    @Option(name: .customLong("cluster.gossip-interval"), help: "Accepted and ignored.")
    var clusterGossipInterval: String?

    @Option(name: .customLong("cluster.pushpull-interval"), help: "Accepted and ignored.")
    var clusterPushPullInterval: String?

    func validate() throws {
        for (flag, value) in [
            ("data.retention", retention), ("data.maintenance-interval", maintenanceInterval),
            ("alerts.gc-interval", alertGCInterval),
        ] {
            guard (try? PromDuration(parsing: value)) != nil else {
                throw ValidationError("--\(flag): not a valid duration string: \"\(value)\".")
            }
        }
        // Alertmanager reads --web.timeout with Go's time.ParseDuration (`1.5s` is valid, a bare `0` too).
        guard (try? GoDuration(parsing: webTimeout)) != nil else {
            throw ValidationError("--web.timeout: time: invalid duration \"\(webTimeout)\".")
        }
        do {
            _ = try StorageURL.resolve(url: storageURL, urlFile: storageURLFile)
        } catch let error as StorageURLError {
            throw ValidationError(error.description)
        }
        guard Self.levels[logLevel] != nil else {
            throw ValidationError("--log.level must be one of debug, info, warn, error (got \"\(logLevel)\").")
        }
        guard LogfmtHandler.Format(rawValue: logFormat) != nil else {
            throw ValidationError("--log.format must be logfmt or json (got \"\(logFormat)\").")
        }
    }

    private static let levels: [String: Logger.Level] = [
        "debug": .debug, "info": .info, "warn": .warning, "error": .error,
    ]

    func run() async throws {
        var options = ServerOptions()
        options.configFile = configFile
        options.storagePath = storagePath
        options.storageURL = try StorageURL.resolve(url: storageURL, urlFile: storageURLFile)
        options.retention = try PromDuration(parsing: retention)
        options.maintenanceInterval = try PromDuration(parsing: maintenanceInterval)
        options.alertGCInterval = try PromDuration(parsing: alertGCInterval)
        options.listenAddress = listenAddress
        options.externalURL = externalURL
        options.routePrefix = routePrefix
        options.getConcurrency = getConcurrency
        options.webTimeout = try GoDuration(parsing: webTimeout)
        options.logLevel = Self.levels[logLevel] ?? .info
        options.logFormat = LogfmtHandler.Format(rawValue: logFormat) ?? .logfmt
        options.tenantLabel = tenantLabel
        options.maxMetricTenants = maxMetricTenants
        options.maxRequestBytes = maxRequestBytes
        options.webConfigFile = webConfigFile.flatMap { $0.isEmpty ? nil : $0 }
        options.accessConfigFile = accessConfigFile.flatMap { $0.isEmpty ? nil : $0 }
        options.auditRetention = try PromDuration(parsing: auditRetention)
        if !clusterListenAddress.isEmpty {
            options.clusterPeerAddress = clusterAdvertise.flatMap { $0.isEmpty ? nil : $0 } ?? clusterListenAddress
        }
        options.historyRetention = try PromDuration(parsing: historyRetention)
        options.historyMaxEvents = max(0, historyMaxEvents)
        let level = options.logLevel
        let format = options.logFormat
        LoggingSystem.bootstrap { LogfmtHandler(label: $0, level: level, format: format) }
        raiseOpenFileLimit()
        try await KlaxonApp(options: options).run()
    }
}

/// Raises the soft limit on open files to the hard limit, as the Go runtime does for Alertmanager at start-up: a
/// notification storm keeps hundreds of connections open (see `HTTPClient`), beside the API's own sockets, and the
/// common soft default of 1024 would turn that into "too many open files" failures.
private func raiseOpenFileLimit() {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
    limit.rlim_cur = limit.rlim_max
    _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
}
