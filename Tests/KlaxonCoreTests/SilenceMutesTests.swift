import Foundation
import Testing

@testable import KlaxonCore

private let t0 = Date(timeIntervalSince1970: 1_700_000_000)

private func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

private func post(
    _ store: inout SilenceStore, _ matchers: String, id: String, start: Double = 0, end: Double = 600
) throws {
    let parsed = try Matchers.parse(matchers).matchers.map(SilenceMatcherSpec.init)
    _ = try store.set(
        PostableSilence(matchers: parsed, startsAt: at(start), endsAt: at(end), createdBy: "", comment: ""),
        now: t0, newID: { id })
}

@Test func onlyActiveMatchingSilencesMuteAndIDsAreSorted() throws {
    var store = SilenceStore()
    try post(&store, #"job="api""#, id: "b")
    try post(&store, #"job="api",env="prod""#, id: "a")
    try post(&store, #"job="api""#, id: "pending", start: 300)
    try post(&store, #"job="api""#, id: "expired", end: 50)
    try post(&store, #"job="db""#, id: "other")
    let labels: LabelSet = ["job": "api", "env": "prod"]
    #expect(store.mutes(labels, now: at(100)) == ["a", "b"])
    #expect(store.mutes(["job": "api"], now: at(100)) == ["b"])
    #expect(store.mutes(labels, now: at(300)) == ["a", "b", "pending"])
    #expect(store.mutes(labels, now: at(40)) == ["a", "b", "expired"])
    #expect(store.mutes(["job": "web"], now: at(100)).isEmpty)
}

@Test func silencesWithoutAnEqualityMatcherStillMute() throws {
    var store = SilenceStore()
    try post(&store, #"job!="db""#, id: "not-db")
    try post(&store, #"job=~"ap.*""#, id: "regex")
    try post(&store, #"job=~"api|web""#, id: "alternatives")
    try post(&store, #"job=~"api|",env="prod""#, id: "empty-alternative")
    #expect(store.mutes(["job": "api"], now: t0) == ["alternatives", "not-db", "regex"])
    #expect(store.mutes(["job": "web"], now: t0) == ["alternatives", "not-db"])
    #expect(store.mutes(["env": "prod"], now: t0) == ["empty-alternative", "not-db"])
    #expect(store.mutes(["job": "db"], now: t0).isEmpty)
}

@Test func updatedAndExpiredSilencesLeaveTheIndex() throws {
    var store = SilenceStore()
    try post(&store, #"job="api""#, id: "s1")
    #expect(store.mutes(["job": "api"], now: t0) == ["s1"])
    // Same matchers, same start, new end: updated in place.
    _ = try store.set(
        PostableSilence(
            id: "s1", matchers: [SilenceMatcherSpec(name: "job", value: "api", isRegex: false)], startsAt: t0,
            endsAt: at(60), createdBy: "", comment: ""),
        now: at(10), newID: { "unused" })
    #expect(store.mutes(["job": "api"], now: at(60)) == ["s1"])
    #expect(store.mutes(["job": "api"], now: at(61)).isEmpty)
    try store.expire(id: "s1", now: at(20))
    #expect(store.mutes(["job": "api"], now: at(20)) == ["s1"])
    #expect(store.mutes(["job": "api"], now: at(21)).isEmpty)
    store.gc(now: at(30), retention: .hours(1))
    #expect(store.count == 1)
    #expect(store.mutes(["job": "api"], now: at(20)).isEmpty)
}

/// SplitMix64: a small seeded generator so the property test is reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Test(arguments: [1, 2, 3, 4] as [UInt64])
func indexedMutesAgreeWithBruteForceOnRandomData(seed: UInt64) throws {
    var rng = SeededGenerator(seed: seed)
    let names = ["job", "env", "instance", "team", "severity"]
    let values = ["a", "b", "c", "d", ""]
    let operators: [Matcher.MatchType] = [.equal, .equal, .equal, .notEqual, .regexMatch, .regexNoMatch]
    func randomValue(_ type: Matcher.MatchType) -> String {
        switch type {
        case .equal, .notEqual:
            return values.randomElement(using: &rng) ?? ""
        case .regexMatch, .regexNoMatch:
            return ["a|b", "c", "a.*", "b|", ".*", "d|c|a"].randomElement(using: &rng) ?? ""
        }
    }
    var store = SilenceStore()
    var created: [String] = []
    var counter = 0
    var clock = 0.0
    for _ in 0..<400 {
        clock += 1
        let now = at(clock)
        let action = Int.random(in: 0..<10, using: &rng)
        if action < 7 || created.isEmpty {
            let count = Int.random(in: 1...3, using: &rng)
            let specs = (0..<count).map { _ in
                let type = operators.randomElement(using: &rng) ?? .equal
                return SilenceMatcherSpec(
                    type: type, name: names.randomElement(using: &rng) ?? "job",
                    value: randomValue(type))
            }
            let start = clock + Double(Int.random(in: -20...20, using: &rng))
            let postable = PostableSilence(
                id: Bool.random(using: &rng) ? (created.randomElement(using: &rng) ?? "") : "", matchers: specs,
                startsAt: at(start), endsAt: at(start + Double(Int.random(in: 1...60, using: &rng))),
                createdBy: "", comment: "")
            if let result = try? store.set(
                postable, now: now,
                newID: {
                    counter += 1
                    return "s\(counter)"
                })
            {
                created.append(result.id)
            }
        } else if action < 9 {
            _ = try? store.expire(id: created.randomElement(using: &rng) ?? "", now: now)
        } else {
            store.gc(now: now, retention: .seconds(30))
        }
        for _ in 0..<20 {
            var pairs: [(String, String)] = []
            for name in names where Bool.random(using: &rng) {
                pairs.append((name, values.dropLast().randomElement(using: &rng) ?? "a"))
            }
            let labels = LabelSet(pairs: pairs)
            // Time only moves forward for the store (GC prunes silences expired at its `now`).
            let probe = at(clock + Double(Int.random(in: 0...5, using: &rng)))
            let expected = store.all.filter { $0.state(at: probe) == .active && $0.matches(labels) }.map(\.id)
                .sorted()
            #expect(store.mutes(labels, now: probe) == expected, "labels \(labels) at \(probe)")
        }
    }
    #expect(created.count > 100)
}

@Test func muteIndexFilesUnderEqualityOrLiteralAlternativesOnly() throws {
    func keys(_ text: String) throws -> [Label]? {
        SilenceMuteIndex.keys(for: try Matcher.parse(text))
    }
    #expect(try keys(#"a="x""#) == [Label(name: "a", value: "x")])
    #expect(try keys(#"a="""#) == nil)
    #expect(try keys(#"a=~"x|y|x""#) == [Label(name: "a", value: "x"), Label(name: "a", value: "y")])
    #expect(try keys(#"a=~"x|""#) == nil)
    #expect(try keys(#"a=~"x.*""#) == nil)
    #expect(try keys(#"a!="x""#) == nil)
    #expect(try keys(#"a!~"x""#) == nil)
}
