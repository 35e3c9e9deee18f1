import KlaxonAPIModels
import KlaxonConfig
import Logging
import OTel
import ServiceLifecycle
import Tracing

/// Builds the tracer of a `tracing` section (Alertmanager 0.30's): swift-otel's tracer with a batch span processor
/// and an OTLP/HTTP protobuf exporter to `http(s)://<endpoint>/v1/traces`, sampling new traces at
/// `sampling_fraction` and following a parent's decision, as Alertmanager's `ParentBased(TraceIDRatioBased)` does.
///
/// The tracer is passed to the engine, the HTTP client and the request middleware; it is not bootstrapped globally,
/// so nothing else in the process (dependencies included) makes spans.
enum TracingSetup {
    /// The tracer and the service that exports its spans (run it in the service group; it flushes on shutdown).
    static func make(_ config: TracingConfig, logger: Logger) throws -> (tracer: any Tracer, service: any Service) {
        var otel = OTel.Configuration.default
        otel.serviceName = "klaxon"
        otel.resourceAttributes = ["service.version": KlaxonVersion.version]
        otel.diagnosticLogger = .custom(logger)
        otel.diagnosticLogLevel = .warning
        otel.metrics.enabled = false
        otel.logs.enabled = false
        otel.traces.enabled = true
        // Alertmanager hands the fraction to TraceIDRatioBased, which samples everything from 1 up and nothing
        // below 0.
        let fraction = config.samplingFraction.isNaN ? 0 : min(max(config.samplingFraction, 0), 1)
        otel.traces.sampler = .parentBasedTraceIDRatio(ratio: fraction) ?? .parentBasedAlwaysOff
        otel.traces.exporter = .otlp
        var exporter = otel.traces.otlpExporter
        exporter.protocol = .httpProtobuf
        exporter.endpoint = config.tracesURL
        exporter.compression = config.compression == "gzip" ? .gzip : .none
        if config.compression == "gzip" {
            // swift-otel 1.6's OTLP/HTTP exporter does not compress (its setting is read by the gRPC exporter only).
            logger.warning(
                "tracing.compression gzip is accepted but spans are exported uncompressed",
                metadata: ["endpoint": "\(config.endpoint)"])
        }
        if let timeout = config.timeout, timeout.milliseconds > 0 {
            exporter.timeout = .milliseconds(timeout.milliseconds)
        }
        exporter.headers = config.headers.map { ($0.name, $0.value.revealed) }
        if !config.insecure, let tls = config.tlsConfig {
            exporter.certificateFilePath = tls.caFile
            exporter.clientCertificateFilePath = tls.certFile
            exporter.clientKeyFilePath = tls.keyFile
            if tls.serverName != nil || tls.insecureSkipVerify || tls.minVersion != nil {
                logger.warning(
                    "tracing.tls_config: server_name, insecure_skip_verify and min_version are not applied to span export",
                    metadata: ["endpoint": "\(config.endpoint)"])
            }
        }
        otel.traces.otlpExporter = exporter
        let backend = try OTel.makeTracingBackend(configuration: otel)
        return (backend.factory, backend.service)
    }
}
