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
    public var headers: [Header] = []
    /// `compression`: empty or `gzip`.
    public var compression: String = ""
    /// `timeout` of one export; nil is the exporter's default (10s).
    public var timeout: PromDuration?

    /// One of `headers`: its name and the value sent.
    public struct Header: Sendable, Hashable {
        /// The header name as written.
        public var name: String
        /// The value sent.
        public var value: Secret
        /// Whether it came from `secrets` (shown as `<secret>`) rather than `values`.
        public var isSecret: Bool
    }

    /// The defaults; `endpoint` must be set before use.
    public init() {}

    /// The OTLP/HTTP URL spans are posted to: `http(s)://<endpoint>/v1/traces`.
    public var tracesURL: String {
        (insecure ? "http://" : "https://") + endpoint + "/v1/traces"
    }
}
