import KlaxonCore

/// `tracing`: where spans go (Alertmanager 0.30's section; Alertmanager 0.25 rejects the key, Klaxon accepts it).
///
/// Without the section, or without an endpoint, nothing is traced and no span is made.
public struct TracingConfig: Sendable, Hashable {
    /// `client_type`: how spans are exported.
    public enum ClientType: String, Sendable, Hashable {
        /// OTLP over gRPC (Alertmanager's default; Klaxon refuses it at load, see ``ConfigDecoder``).
        case grpc
        /// OTLP over HTTP with protobuf bodies, to `<endpoint>/v1/traces`.
        case http
    }

    /// `client_type`; default `grpc`, as in Alertmanager.
    public var clientType: ClientType = .grpc
    /// `endpoint`: `host:port` of the OTLP receiver (required).
    public var endpoint: String = ""
    /// `sampling_fraction`: the share of new traces kept (a parent's decision wins); default 0, as in Alertmanager.
    public var samplingFraction: Double = 0
    /// `insecure`: plain HTTP instead of HTTPS.
    public var insecure: Bool = false
    /// `tls_config` (used when not `insecure`).
    public var tlsConfig: HTTPClientConfig.TLSConfig?
    /// `headers`: sent with each export (the first of a header's `values`, else of its `secrets`).
    public var headers: [(name: String, value: Secret)] = []
    /// `compression`: empty or `gzip`.
    public var compression: String = ""
    /// `timeout` of one export; nil is the exporter's default (10s).
    public var timeout: PromDuration?

    /// The defaults; `endpoint` must be set before use.
    public init() {}

    /// The OTLP/HTTP URL spans are posted to: `http(s)://<endpoint>/v1/traces`.
    public var tracesURL: String {
        (insecure ? "http://" : "https://") + endpoint + "/v1/traces"
    }

    /// Equality over every field.
    public static func == (lhs: TracingConfig, rhs: TracingConfig) -> Bool {
        lhs.clientType == rhs.clientType && lhs.endpoint == rhs.endpoint
            && lhs.samplingFraction == rhs.samplingFraction && lhs.insecure == rhs.insecure
            && lhs.tlsConfig == rhs.tlsConfig && lhs.compression == rhs.compression && lhs.timeout == rhs.timeout
            && lhs.headers.map(\.name) == rhs.headers.map(\.name)
            && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }

    /// Hashes every field.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(clientType)
        hasher.combine(endpoint)
        hasher.combine(samplingFraction)
        hasher.combine(insecure)
        hasher.combine(tlsConfig)
        hasher.combine(compression)
        hasher.combine(timeout)
        for header in headers {
            hasher.combine(header.name)
            hasher.combine(header.value)
        }
    }
}
