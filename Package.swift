// swift-tools-version:6.2
import PackageDescription

/// Every target: Swift 6 language mode, existentials spelled `any P`, and warnings are errors (CI and local builds
/// alike, so a warning cannot land). Dependencies keep their own settings.
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "Klaxon",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "klaxon", targets: ["klaxon"]),
        .executable(name: "klaxonctl", targets: ["klaxonctl"]),
        // For the Benchmarks/ package, which depends on this one by path.
        .library(name: "KlaxonCore", targets: ["KlaxonCore"]),
        .library(name: "KlaxonConfig", targets: ["KlaxonConfig"]),
        .library(name: "KlaxonTemplate", targets: ["KlaxonTemplate"]),
        .library(name: "KlaxonHTTP", targets: ["KlaxonHTTP"]),
        .library(name: "KlaxonNotify", targets: ["KlaxonNotify"]),
        .library(name: "KlaxonGoCompat", targets: ["KlaxonGoCompat"]),
        .library(name: "KlaxonAPIModels", targets: ["KlaxonAPIModels"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        // 3.x and 4.x share the SHA256 API; the range lets postgres-nio and hummingbird-auth pick the same copy.
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        // --web.config.file: TLS (NIO SSL, HTTP/2 over ALPN) and bcrypt basic auth, as exporter-toolkit serves them.
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.46.0"),
        // The web UI's server-rendered pages.
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        // The `tracing:` section (Alertmanager 0.30): spans through the swift-distributed-tracing API, exported by
        // swift-otel over OTLP/HTTP only (the OTLPGRPC trait would build gRPC Swift as well; see README, Tracing).
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
        // --storage.url postgres://...: the PostgreSQL state store in KlaxonStorage (SQLite stays the default).
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // Go standard-library behaviour: strconv.Quote, encoding/json, time formats and durations, net/url.
        .target(name: "KlaxonGoCompat", swiftSettings: strict),
        // Pure domain: labels, matchers, routing, grouping, inhibition, silences, time intervals, dedup.
        .target(name: "KlaxonCore", dependencies: ["KlaxonGoCompat"], swiftSettings: strict),
        // alertmanager.yml -> typed Config.
        .target(
            name: "KlaxonConfig",
            dependencies: ["KlaxonCore", "KlaxonGoCompat", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        // Go text/template in Swift, with Alertmanager's functions and data model.
        .target(name: "KlaxonTemplate", dependencies: ["KlaxonCore", "KlaxonGoCompat"], swiftSettings: strict),
        // libcurl as a system library plus a shim for the variadic curl_easy_setopt.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // The outbound HTTP client over libcurl: pooling, timeouts, TLS options, proxies.
        .target(
            name: "KlaxonHTTP",
            dependencies: ["CCurl", .product(name: "Tracing", package: "swift-distributed-tracing")],
            swiftSettings: strict
        ),
        // The integrations (webhook, Slack, PagerDuty) and the mapping of http_config onto the HTTP client.
        .target(
            name: "KlaxonNotify",
            dependencies: [
                "KlaxonHTTP", "KlaxonCore", "KlaxonConfig", "KlaxonGoCompat", "KlaxonTemplate",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // SQLite (GRDB), PostgreSQL (postgres-nio) and in-memory implementations of the core's store protocols.
        .target(
            name: "KlaxonStorage",
            dependencies: [
                "KlaxonCore", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Actors and timers: alert store, dispatcher, notify pipeline, GC loops.
        .target(
            name: "KlaxonEngine",
            dependencies: [
                "KlaxonCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strict
        ),
        // API v2 request and response types, shared by the server and klaxonctl.
        .target(name: "KlaxonAPIModels", dependencies: ["KlaxonCore", "KlaxonGoCompat"], swiftSettings: strict),
        // The web UI: view models computed from API types, pages rendered from embedded Mustache templates, CSS and JS.
        .target(
            name: "KlaxonUI",
            dependencies: [
                "KlaxonCore", "KlaxonAPIModels", "KlaxonGoCompat",
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: strict
        ),
        // HTTP API v2, /metrics, /-/reload; App.swift is the composition root.
        .target(
            name: "KlaxonServer",
            dependencies: [
                "KlaxonCore", "KlaxonConfig", "KlaxonTemplate", "KlaxonEngine", "KlaxonStorage", "KlaxonNotify",
                "KlaxonGoCompat", "KlaxonAPIModels", "KlaxonUI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "OTel", package: "swift-otel"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "klaxon",
            dependencies: [
                "KlaxonServer", "KlaxonAPIModels", "KlaxonGoCompat",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "KlaxonCtl",
            dependencies: [
                "KlaxonCore", "KlaxonConfig", "KlaxonTemplate", "KlaxonHTTP", "KlaxonGoCompat", "KlaxonAPIModels",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "klaxonctl",
            dependencies: ["KlaxonCtl", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict
        ),

        .testTarget(name: "KlaxonGoCompatTests", dependencies: ["KlaxonGoCompat"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "KlaxonCoreTests", dependencies: ["KlaxonCore", "KlaxonGoCompat"], swiftSettings: strict),
        .testTarget(
            name: "KlaxonConfigTests",
            dependencies: ["KlaxonConfig"],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(name: "KlaxonTemplateTests", dependencies: ["KlaxonTemplate"], exclude: ["Fixtures"], swiftSettings: strict),
        // A loopback HTTP server and socket helpers for the tests that talk to a real port; the manual engine clock.
        .target(
            name: "KlaxonTestSupport",
            dependencies: [
                "KlaxonHTTP", "KlaxonEngine",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/KlaxonTestSupport",
            swiftSettings: strict
        ),
        .testTarget(name: "KlaxonHTTPTests", dependencies: ["KlaxonHTTP", "KlaxonTestSupport"], swiftSettings: strict),
        .testTarget(name: "KlaxonNotifyTests", dependencies: ["KlaxonNotify", "KlaxonHTTP", "KlaxonTestSupport", .product(name: "Logging", package: "swift-log")], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "KlaxonStorageTests",
            dependencies: ["KlaxonStorage", "KlaxonTestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "KlaxonEngineTests",
            dependencies: [
                "KlaxonEngine", "KlaxonStorage", "KlaxonTestSupport",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "KlaxonServerTests",
            dependencies: [
                "KlaxonServer", "KlaxonAPIModels", "KlaxonTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "KlaxonCtlTests", dependencies: ["KlaxonCtl", "KlaxonAPIModels", "KlaxonHTTP", "KlaxonTestSupport", .product(name: "Crypto", package: "swift-crypto")], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "KlaxonAPIModelsTests", dependencies: ["KlaxonAPIModels", "KlaxonCore"], swiftSettings: strict),
        .testTarget(name: "KlaxonUITests", dependencies: ["KlaxonUI", "KlaxonAPIModels", "KlaxonCore"], swiftSettings: strict),
    ]
)
