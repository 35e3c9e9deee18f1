// swift-tools-version:6.1
import Foundation
import PackageDescription

// Klaxon's benchmarks, a package of their own so the root package never depends on ordo-one/benchmark.
// Run from this folder: `swift package benchmark` (see README.md, "Benchmarks").

// A path dependency's identity is its folder's name (`main`, `klaxon`, a CI clone's name...): read it.
let root = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "KlaxonBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // slack.default.title/text and pagerduty.default.description for a 100-alert group.
        .executableTarget(
            name: "TemplateRender",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "KlaxonTemplate", package: root),
            ],
            path: "Benchmarks/TemplateRender",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // HTTP POST round trips through the libcurl client and SlackNotifier to a sink on 127.0.0.1.
        .executableTarget(
            name: "NotifyRoundTrip",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "KlaxonCore", package: root),
                .product(name: "KlaxonConfig", package: root),
                .product(name: "KlaxonTemplate", package: root),
                .product(name: "KlaxonHTTP", package: root),
                .product(name: "KlaxonNotify", package: root),
            ],
            path: "Benchmarks/NotifyRoundTrip",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
