import KlaxonCore
import Testing

@testable import KlaxonConfig

/// The `tracing` section as Alertmanager 0.30 reads it (tracing/config.go), plus Klaxon's one refusal: gRPC export.
private func load(tracing: String) throws(ConfigError) -> Config {
    try Config.parse(
        yaml: """
            route:
              receiver: default
            receivers:
              - name: default
            tracing:
            \(tracing.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            """,
        baseDirectory: "/etc/klaxon")
}

@Test func configWithoutTracingSectionHasNoTracing() throws {
    let config = try Config.parse(
        yaml: "route:\n  receiver: default\nreceivers:\n  - name: default\n", baseDirectory: "/")
    #expect(config.tracing == nil)
}

@Test func tracingSectionIsReadWithAlertmanagersDefaults() throws {
    let tracing = try #require(try load(tracing: "client_type: http\nendpoint: otel:4318").tracing)
    #expect(tracing.clientType == .http)
    #expect(tracing.endpoint == "otel:4318")
    #expect(tracing.samplingFraction == 0)
    #expect(tracing.insecure == false)
    #expect(tracing.compression == "")
    #expect(tracing.timeout == nil)
    #expect(tracing.tracesURL == "https://otel:4318/v1/traces")
}

@Test func everyTracingFieldIsRead() throws {
    let tracing = try #require(
        try load(
            tracing: """
                client_type: http
                endpoint: 127.0.0.1:4318
                sampling_fraction: 0.25
                insecure: true
                compression: gzip
                timeout: 3s
                tls_config: {ca_file: ca.pem}
                headers:
                  X-Scope-OrgID: {values: [platform, ignored]}
                  X-Token: {secrets: [s3cret]}
                """
        ).tracing)
    #expect(tracing.samplingFraction == 0.25)
    #expect(tracing.insecure)
    #expect(tracing.compression == "gzip")
    #expect(tracing.timeout == .seconds(3))
    #expect(tracing.tlsConfig?.caFile == "/etc/klaxon/ca.pem")
    #expect(tracing.headers.map(\.name) == ["X-Scope-OrgID", "X-Token"])
    #expect(tracing.headers.map(\.value.revealed) == ["platform", "s3cret"])
    #expect(tracing.tracesURL == "http://127.0.0.1:4318/v1/traces")
}

@Test func integerSamplingFractionIsAFloat() throws {
    #expect(try load(tracing: "client_type: http\nendpoint: a:1\nsampling_fraction: 1").tracing?.samplingFraction == 1)
}

/// Klaxon's refusal of gRPC export, with what to do instead.
private let grpcRefused =
    "tracing client_type grpc is not supported by Klaxon, which exports spans over OTLP/HTTP only: "
    + "set client_type: http and the collector's OTLP/HTTP endpoint (usually port 4318)"

@Test(arguments: [
    // Alertmanager 0.30's messages.
    ("client_type: http", "tracing endpoint must be set"),
    (
        "client_type: udp\nendpoint: a:1",
        "expected tracing client type to be to be http or grpc, but got udp"
    ),
    (
        "client_type: http\nendpoint: a:1\ncompression: zstd",
        "invalid compression type zstd provided, valid options: gzip"
    ),
    (
        "client_type: http\nendpoint: a:1\nheaders: {authorization: {values: [x]}}",
        #"setting header "Authorization" is not allowed"#
    ),
    (
        "client_type: http\nendpoint: a:1\nheaders: {X-Org: {files: [/org]}}",
        "header files are not supported for tracing configuration"
    ),
    (
        "client_type: http\nendpoint: a:1\nsampling_fraction: half",
        "yaml: unmarshal errors:\n  line 8: cannot unmarshal !!str `half` into float64"
    ),
    (
        "client_type: http\nendpoint: a:1\nendpiont: b:2",
        "yaml: unmarshal errors:\n  line 8: field endpiont not found in type tracing.plain"
    ),
    // Klaxon exports over OTLP/HTTP only: gRPC, also Alertmanager's default, is refused with what to do.
    ("endpoint: a:4317", grpcRefused),
    ("client_type: grpc\nendpoint: a:4317", grpcRefused),
])
func badTracingSectionIsRefused(section: String, message: String) {
    let error = #expect(throws: ConfigError.self) { try load(tracing: section) }
    #expect(error?.description == message, "\(section)")
}

@Test func statusShowsTheTracingSectionWithHeaderSecretsMasked() throws {
    let config = try load(
        tracing: """
            client_type: http
            endpoint: otel:4318
            sampling_fraction: 0.5
            insecure: true
            timeout: 5s
            headers:
              X-Scope-OrgID: {values: [platform]}
              X-Token: {secrets: [s3cret]}
            """)
    let yaml = config.maskedYAML()
    #expect(
        yaml.hasSuffix(
            """
            tracing:
              client_type: http
              endpoint: otel:4318
              sampling_fraction: 0.5
              insecure: true
              headers:
                X-Scope-OrgID:
                  values:
                  - platform
                X-Token:
                  secrets:
                  - <secret>
              timeout: 5s

            """), "\(yaml)")
    #expect(!yaml.contains("s3cret"))
}
