import Foundation
import Testing

@testable import KlaxonConfig

/// SplitMix64: a seeded generator so failures reproduce.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Test func randomBytesNeverCrashTheLoader() {
    var rng = SplitMix64(state: 42)
    for _ in 0..<300 {
        let count = Int.random(in: 0..<200, using: &rng)
        let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let text = String(decoding: bytes, as: UTF8.self)
        _ = try? Config.parse(yaml: text, baseDirectory: ".")
    }
}

@Test func mutatedValidConfigsNeverCrashTheLoader() {
    var rng = SplitMix64(state: 7)
    let seeds = ["shared/tenant-routing.yml", "shared/severity-routing.yml", "good/conf.good-rich.yml"].map(
        Fixtures.text)
    let tokens = [":", "-", " ", "\n", "[", "]", "{", "}", "'", "\"", "...", "0", "~", "&a", "*a", "!!str", "#", "\t"]
    var loaded = 0
    for i in 0..<400 {
        var chars = Array(seeds[i % seeds.count])
        for _ in 0..<Int.random(in: 1...4, using: &rng) where !chars.isEmpty {
            let at = Int.random(in: 0..<chars.count, using: &rng)
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: chars.remove(at: at)
            case 1: chars.insert(contentsOf: tokens.randomElement(using: &rng) ?? "", at: at)
            default:
                let end = min(chars.count, at + Int.random(in: 1...40, using: &rng))
                chars.removeSubrange(at..<end)
            }
        }
        if let config = try? Config.parse(yaml: String(chars), baseDirectory: ".") {
            loaded += 1
            _ = config.maskedYAML()
        }
    }
    #expect(loaded > 0)
}
