import Foundation
import Hummingbird
import KlaxonAPIModels
import KlaxonConfig
import KlaxonCore
import KlaxonEngine
import KlaxonGoCompat
import KlaxonHTTP
import KlaxonNotify
import KlaxonStorage
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import Synchronization
import Tracing
import UnixSignals

/// The composition root: loads the config, opens the state database, builds the engine, the HTTP API
/// and `/metrics`, and runs them as services with graceful shutdown (SIGINT/SIGTERM) and reload (SIGHUP,
/// `POST /-/reload`).
public struct KlaxonApp: Sendable {
    private let options: ServerOptions

    /// Creates the app.
    public init(options: ServerOptions) { self.options = options }

    /// Where state is kept, as logs show it: the PostgreSQL URL with its password masked, or `--storage.path`.
    private var storageDescription: String { options.storageURL?.masked ?? options.storagePath }

    /// The store's connection settings from `--storage.url`; the password is revealed only to log in.
    static func postgresSettings(_ url: StorageURL) -> PostgresSettings {
        let tls: PostgresSettings.TLSMode =
            switch url.sslMode {
            case .disable: .disable
            case .prefer: .prefer
            case .require: .require
            case .verifyFull: .verifyFull
            }
        return PostgresSettings(
            host: url.host, port: url.port, user: url.user, password: url.password?.revealed, database: url.database,
            tls: tls)
    }

    /// Runs until SIGINT/SIGTERM.
    public func run() async throws {
        let logger = Logger(label: "klaxon")
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = ServerMetrics.timerBuckets
        MetricsSystem.bootstrap(factory)
        let metrics = ServerMetrics(
            registry: registry, tenantLabel: options.tenantLabel, maxTenants: options.maxMetricTenants,
            databaseFile: options.storagePath == StateStores.inMemoryPath || options.storageURL != nil
                ? nil : (options.storagePath as NSString).appendingPathComponent("klaxon.db"))

        let config: Config
        do {
            config = try Config.load(file: options.configFile)
        } catch {
            logger.critical(
                "Loading configuration file failed", metadata: ["file": "\(options.configFile)", "err": "\(error)"])
            metrics.configReloaded(success: false)
            throw error
        }
        var webConfig: WebConfigFile?
        if let path = options.webConfigFile {
            do {
                webConfig = try WebConfigFile(path: path)
            } catch {
                logger.critical(
                    "Loading web configuration file failed", metadata: ["file": "\(path)", "err": "\(error)"])
                throw error
            }
        }
        let passwords = BasicAuthPasswords()
        let access: AccessControl
        do {
            access = try AccessControl(
                file: options.accessConfigFile, defaultTenantLabel: options.tenantLabel,
                checkPassword: { [webConfig] user, password in
                    guard case .success(let current) = webConfig?.current() else { return false }
                    return await passwords.check(user: user, password: password, users: current.basicAuthUsers)
                })
        } catch {
            logger.critical(
                "Loading access file failed",
                metadata: ["file": "\(options.accessConfigFile ?? "")", "err": "\(error)"])
            throw error
        }
        let (host, port) = try Self.listenAddress(options.listenAddress)
        let externalURL = Self.externalURL(options.externalURL, port: port)
        let routePrefix = options.routePrefix ?? (URL(string: externalURL)?.path ?? "/")

        // `tracing` (Alertmanager 0.30): without it no tracer exists and no span is made anywhere.
        var tracing: (tracer: any Tracer, service: any Service)?
        if let section = config.tracing {
            do {
                tracing = try TracingSetup.make(section, logger: logger)
            } catch {
                logger.critical("Setting up tracing failed", metadata: ["err": "\(error)"])
                throw error
            }
        }
        let stateStore: any StateStore & AuditStore & HistoryStore
        do {
            stateStore = try StateStores.open(
                storagePath: options.storagePath, postgres: options.storageURL.map(Self.postgresSettings),
                logger: logger)
        } catch {
            // StorageError's reasons name the database with its password masked.
            logger.critical(
                "Opening the state store failed", metadata: ["storage": "\(storageDescription)", "err": "\(error)"])
            throw error
        }
        let httpClient = HTTPClient(tracer: tracing?.tracer)
        let builder = IntegrationBuilder(client: httpClient, externalURL: externalURL, logger: logger)
        var engineOptions = EngineOptions()
        engineOptions.retention = options.retention
        engineOptions.auditRetention = options.auditRetention
        engineOptions.historyRetention = options.historyRetention
        engineOptions.historyMaxEvents = options.historyMaxEvents
        engineOptions.alertGCInterval = options.alertGCInterval
        engineOptions.maintenanceInterval = options.maintenanceInterval
        engineOptions.externalURL = externalURL
        // The access file's max_notifications_per_minute; without an access file no tenant is limited.
        let tenantPolicy = access.file.map { _ in
            TenantNotificationPolicy(
                tenantLabel: { access.tenantLabel },
                limit: { access.config?.limits(for: $0).maxNotificationsPerMinute },
                observe: { metrics.notificationLimited($0) })
        }
        let engine = try Engine(
            config: try builder.engineConfig(config), options: engineOptions, stateStore: stateStore, logger: logger,
            tenantPolicy: tenantPolicy,
            tracing: tracing.map { EngineTracing(tracer: $0.tracer, tenantLabel: options.tenantLabel) })
        let runtime = RuntimeConfig(config, loadedAt: engine.clock.now)
        metrics.configReloaded(success: true, config: config)

        let reloader = ConfigReloader(
            configFile: options.configFile, builder: builder, engine: engine, runtime: runtime, metrics: metrics,
            access: access, audit: stateStore, startupTracing: config.tracing, logger: logger)
        let reload: @Sendable (String, String) async throws -> Void = { try await reloader.reload(by: $0, from: $1) }

        let backend = EngineAPIBackend(
            engine: engine, runtime: runtime, metrics: metrics, startedAt: engine.clock.now, auditStore: stateStore,
            logger: logger,
            peer: options.clusterPeerAddress.isEmpty
                ? nil : AlertmanagerStatus.Peer(name: ULID.make(), address: options.clusterPeerAddress),
            reload: reload)
        let router = Router(context: KlaxonRequestContext.self)
        let metricsPath = routePrefix.hasSuffix("/") ? routePrefix + "metrics" : routePrefix + "/metrics"
        // Outermost: the request's span covers everything below it.
        if let tracing { router.add(middleware: TracingMiddleware(tracer: tracing.tracer)) }
        // First: every request is counted, including those authentication refuses.
        router.add(
            middleware: HTTPMetricsMiddleware(
                metrics: metrics,
                prefix: AlertmanagerAPI<EngineAPIBackend, KlaxonRequestContext>.normalizedPrefix(routePrefix),
                metricsPath: metricsPath))
        if let webConfig {
            // First, so that it is in front of every route (middleware applies to the routes added after it). Under an
            // access file, the access middleware authenticates (a bearer token is as good as a password there).
            router.add(
                middleware: WebConfigMiddleware(
                    webConfig: webConfig, passwords: passwords, checksPasswords: access.file == nil, logger: logger))
        }
        router.add(
            middleware: AccessMiddleware(
                control: access,
                prefix: AlertmanagerAPI<EngineAPIBackend, KlaxonRequestContext>.normalizedPrefix(routePrefix)))
        // Alertmanager's GET concurrency limit and request timeout, for authenticated requests.
        router.add(
            middleware: RequestLimitMiddleware(
                getLimit: RequestLimitMiddleware<KlaxonRequestContext>.getLimit(
                    forFlag: options.getConcurrency, processors: ProcessInfo.processInfo.activeProcessorCount),
                timeout: options.webTimeout, exceeded: metrics.getConcurrencyLimitExceeded))
        let clock = engine.clock
        let api = AlertmanagerAPI<EngineAPIBackend, KlaxonRequestContext>(
            backend: backend, routePrefix: routePrefix, maxBodyBytes: options.maxRequestBytes,
            tenantLabel: options.tenantLabel, limits: { access.config?.limits(for: $0) ?? TenantLimits() },
            now: { clock.now })
        router.add(middleware: api)
        // The web UI after the API (API paths win), reading through the API's operations.
        router.add(
            middleware: WebUI(
                api: api, routePrefix: routePrefix, tenantLabel: options.tenantLabel, externalURL: externalURL))
        router.get(RouterPath(metricsPath)) { _, context -> Response in
            guard context.caller.may(.readMetrics) else {
                return APIResponse.plainText("\(context.caller.name) may not read metrics\n", status: .forbidden)
            }
            metrics.refresh(engine: engine)
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            metrics.emitSummaries(engine: engine, into: &buffer)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        let http = Application(
            router: router,
            server: webConfig?.serverBuilder(logger: logger, address: "\(host):\(port)")
                ?? HTTP1ConnectionChannel.builder(),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            logger: logger)

        logger.info(
            "Starting Klaxon",
            metadata: [
                "version": "\(KlaxonVersion.version)", "listen": "\(host):\(port)", "storage": "\(storageDescription)",
            ])
        // Graceful shutdown runs in reverse: the HTTP server stops taking requests first, then reloads, then the
        // engine (dispatching, maintenance, the notification-log writer), and the HTTP client that in-flight
        // notifications used goes last.
        // The span exporter is first, so it stops last and exports the spans of what shut down before it.
        let engineServices: [any Service] =
            (tracing.map { [$0.service] } ?? []) + [HTTPClientService(client: httpClient)] + engine.services
        let services: [any Service] =
            engineServices + [ReloadOnHangup(reload: { try await reload("SIGHUP", "") }, logger: logger), http]
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }

    /// `:9093` → (`0.0.0.0`, 9093); `127.0.0.1:0` → as given.
    static func listenAddress(_ address: String) throws -> (String, Int) {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
            throw ServerError("invalid --web.listen-address \"\(address)\": expected host:port")
        }
        var host = String(address[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }

    /// `--web.external-url`, or `http://<hostname>:<port>`, without a trailing slash.
    static func externalURL(_ flag: String, port: Int) -> String {
        var url = flag.isEmpty ? "http://\(ProcessInfo.processInfo.hostName):\(port)" : flag
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}

/// A startup or flag error with a human reason.
public struct ServerError: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Keeps the outbound HTTP client until graceful shutdown reaches it (after the engine, whose notifications use it),
/// then shuts it down.
struct HTTPClientService: Service {
    let client: HTTPClient

    func run() async throws {
        try? await gracefulShutdown()
        client.shutdown()
    }
}

/// Reloads the configuration on SIGHUP.
struct ReloadOnHangup: Service {
    let reload: @Sendable () async throws -> Void
    let logger: Logger

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            try? await reload()
        }
    }
}
