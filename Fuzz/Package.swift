// swift-tools-version:6.2
import Foundation
import PackageDescription

// libFuzzer targets for Klaxon's parsers, a package of their own so `swift build` of the root package never builds
// them: they only link with `-sanitize=fuzzer`, which supplies `main`. Build and run them with scripts/fuzz.sh.

// A path dependency's identity is its folder's name (`main`, `klaxon`, a CI clone's name...): read it.
let root = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "KlaxonFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: "..")],
    targets: [
        // One binary; KLAXON_FUZZ_TARGET picks the parser (config, matchers, template, alerts, silence,
        // time-interval). `-parse-as-library`: libFuzzer's main calls LLVMFuzzerTestOneInput.
        .executableTarget(
            name: "klaxon-fuzz",
            dependencies: [
                .product(name: "KlaxonCore", package: root),
                .product(name: "KlaxonConfig", package: root),
                .product(name: "KlaxonTemplate", package: root),
                .product(name: "KlaxonAPIModels", package: root),
                .product(name: "KlaxonGoCompat", package: root),
            ],
            path: "Sources/KlaxonFuzz",
            swiftSettings: [.swiftLanguageMode(.v6), .unsafeFlags(["-parse-as-library"])]
        )
    ]
)
