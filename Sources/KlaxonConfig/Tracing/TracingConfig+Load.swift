import KlaxonCore
import KlaxonGoCompat

extension ConfigDecoder {
    private static let tracingKeys = [
        "client_type", "endpoint", "sampling_fraction", "insecure", "tls_config", "headers", "compression", "timeout",
    ]

    /// Prometheus common's reserved headers (`config.ReservedHeaders`): set by the client itself, so refused here.
    static let reservedTracingHeaders: Set<String> = [
        "Authorization", "Host", "Content-Encoding", "Content-Length", "Content-Type", "User-Agent", "Connection",
        "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Www-Authenticate", "Accept-Encoding",
        "X-Prometheus-Remote-Write-Version", "X-Prometheus-Remote-Read-Version",
        "X-Prometheus-Scrape-Timeout-Seconds", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256",
    ]

    /// `tracing`, checked as Alertmanager 0.30 checks it (`tracing.TracingConfig.UnmarshalYAML`: a client type of
    /// `http` or `grpc`, an endpoint, no compression but `gzip`; reserved headers refused), then Klaxon's own limit:
    /// spans are exported over OTLP/HTTP only, so `grpc` (also the default) is refused with a reason.
    func decodeTracing(_ n: YNode?) throws(ConfigError) -> TracingConfig? {
        guard let f = fields(n, known: Self.tracingKeys, goType: "tracing.plain") else { return nil }
        var c = TracingConfig()
        var clientType: String?
        for key in f.order {
            switch key {
            case "client_type": clientType = f.string(key)
            case "endpoint": c.endpoint = f.string(key) ?? ""
            case "sampling_fraction": c.samplingFraction = float(f[key]) ?? 0
            case "insecure": c.insecure = f.bool(key) ?? false
            case "tls_config": c.tlsConfig = decodeTLSConfig(f[key])
            case "headers": c.headers = try decodeTracingHeaders(f[key])
            case "compression": c.compression = f.string(key) ?? ""
            case "timeout": c.timeout = try f.duration(key)
            default: break
            }
        }
        if let clientType {
            guard let type = TracingConfig.ClientType(rawValue: clientType) else {
                throw error(
                    "expected tracing client type to be to be http or grpc, but got \(clientType)",
                    at: f["client_type"])
            }
            c.clientType = type
        }
        if let typeError = unmarshalError() { throw typeError }
        if c.endpoint.isEmpty { throw error("tracing endpoint must be set", at: n) }
        if !c.compression.isEmpty, c.compression != "gzip" {
            throw error(
                "invalid compression type \(c.compression) provided, valid options: gzip", at: f["compression"])
        }
        if c.clientType == .grpc {
            throw error(
                "tracing client_type grpc is not supported by Klaxon, which exports spans over OTLP/HTTP only: "
                    + "set client_type: http and the collector's OTLP/HTTP endpoint (usually port 4318)",
                at: f["client_type"] ?? n)
        }
        return c
    }

    /// Prometheus common's `Headers`: `name: {values: [...], secrets: [...], files: [...]}`. Alertmanager's tracing
    /// sends the first value, else the first secret, and refuses files.
    private func decodeTracingHeaders(_ n: YNode?) throws(ConfigError) -> [TracingConfig.Header] {
        var result: [TracingConfig.Header] = []
        for (name, node) in pairs(n, goType: "map[string]config.Header") ?? [] {
            let canonical = Self.canonicalHeader(name)
            if Self.reservedTracingHeaders.contains(canonical) {
                throw error("setting header \(GoQuote.quote(canonical)) is not allowed", at: node)
            }
            guard let h = fields(node, known: ["values", "secrets", "files"], goType: "config.Header") else {
                continue
            }
            if let value = h.stringList("values")?.first {
                result.append(TracingConfig.Header(name: name, value: Secret(value), isSecret: false))
            } else if let secret = h.stringList("secrets")?.first {
                result.append(TracingConfig.Header(name: name, value: Secret(secret), isSecret: true))
            } else if !(h.stringList("files") ?? []).isEmpty {
                throw error("header files are not supported for tracing configuration", at: node)
            }
        }
        return result
    }

    /// A YAML number decoded into a Go `float64` (integers too); anything else is a type error.
    func float(_ n: YNode?) -> Double? {
        guard let n, !isNull(n) else { return nil }
        let k = kind(n.node)
        guard k == .float || k == .int, let s = n.node.scalar?.string else {
            recordTypeError(n, into: "float64")
            return nil
        }
        let text = s.filter { $0 != "_" }
        switch text.lowercased() {
        case ".inf", "+.inf": return .infinity
        case "-.inf": return -.infinity
        case ".nan": return .nan
        default: return Double(text) ?? Self.parseInt(text).map(Double.init)
        }
    }
}
