import Foundation
import Testing

@testable import KlaxonCore

private let now = Date(timeIntervalSince1970: 1_700_000_000)

private func matchers(_ text: String) -> Matchers {
    // Trusted test literals; a typo yields no matchers and the assertions fail.
    (try? Matchers.parse(text)) ?? .none
}

private func alert(_ labels: LabelSet, endsAt: Date = .zero) -> Alert {
    Alert(labels: labels, startsAt: now.addingTimeInterval(-60), endsAt: endsAt, updatedAt: now)
}

private let criticalInhibitsWarning = InhibitRule(
    sourceMatchers: matchers(#"severity="critical""#), targetMatchers: matchers(#"severity="warning""#),
    equal: ["alertname", "cluster"])

struct InhibitCase: Sendable, CustomTestStringConvertible {
    var name: String
    var source: LabelSet
    var target: LabelSet
    var inhibited: Bool
    var testDescription: String { name }
}

@Test(arguments: [
    InhibitCase(
        name: "equal labels equal", source: ["severity": "critical", "alertname": "A", "cluster": "c1"],
        target: ["severity": "warning", "alertname": "A", "cluster": "c1"], inhibited: true),
    InhibitCase(
        name: "equal label differs", source: ["severity": "critical", "alertname": "A", "cluster": "c1"],
        target: ["severity": "warning", "alertname": "A", "cluster": "c2"], inhibited: false),
    InhibitCase(
        name: "both lack the equal labels", source: ["severity": "critical"], target: ["severity": "warning"],
        inhibited: true),
    InhibitCase(
        name: "missing equals empty", source: ["severity": "critical", "alertname": "A", "cluster": ""],
        target: ["severity": "warning", "alertname": "A"], inhibited: true),
    InhibitCase(
        name: "missing on one side only", source: ["severity": "critical", "alertname": "A"],
        target: ["severity": "warning", "alertname": "A", "cluster": "c1"], inhibited: false),
    InhibitCase(
        name: "target does not match target matchers", source: ["severity": "critical", "alertname": "A"],
        target: ["severity": "info", "alertname": "A"], inhibited: false),
    InhibitCase(
        name: "source does not match source matchers", source: ["severity": "warning", "alertname": "A"],
        target: ["severity": "warning", "alertname": "A", "x": "1"], inhibited: false),
    InhibitCase(
        name: "other labels do not matter", source: ["severity": "critical", "alertname": "A", "x": "1"],
        target: ["severity": "warning", "alertname": "A", "y": "2"], inhibited: true),
])
func inhibitionComparesEqualLabelsWithMissingAsEmpty(_ c: InhibitCase) {
    var inhibitor = Inhibitor(rules: [criticalInhibitsWarning])
    inhibitor.observe(alert(c.source))
    inhibitor.observe(alert(c.target))
    let result = inhibitor.inhibitedBy(c.target, fingerprint: c.target.fingerprint, now: now)
    #expect(result == (c.inhibited ? c.source.fingerprint : nil))
}

@Test func resolvedSourcesDoNotInhibit() {
    var inhibitor = Inhibitor(rules: [criticalInhibitsWarning])
    let source: LabelSet = ["severity": "critical", "alertname": "A"]
    let target: LabelSet = ["severity": "warning", "alertname": "A"]
    inhibitor.observe(alert(source, endsAt: now.addingTimeInterval(10)))
    #expect(inhibitor.inhibitedBy(target, fingerprint: target.fingerprint, now: now) == source.fingerprint)
    #expect(
        inhibitor.inhibitedBy(target, fingerprint: target.fingerprint, now: now.addingTimeInterval(9.9))
            == source.fingerprint)
    #expect(inhibitor.inhibitedBy(target, fingerprint: target.fingerprint, now: now.addingTimeInterval(10)) == nil)
    // A later update that fires again counts again.
    inhibitor.observe(alert(source))
    #expect(
        inhibitor.inhibitedBy(target, fingerprint: target.fingerprint, now: now.addingTimeInterval(10))
            == source.fingerprint)
}

@Test func anAlertMatchingBothSidesIsOnlyInhibitedBySourcesNotMatchingTheTargetSide() {
    // Every alert of team=x is both source and target; only a source outside the target side may inhibit.
    let rule = InhibitRule(
        sourceMatchers: matchers(#"team="x""#), targetMatchers: matchers(#"team="x",severity!="page""#),
        equal: ["alertname"])
    var inhibitor = Inhibitor(rules: [rule])
    let both1: LabelSet = ["team": "x", "alertname": "A", "i": "1"]
    let both2: LabelSet = ["team": "x", "alertname": "A", "i": "2"]
    inhibitor.observe(alert(both1))
    inhibitor.observe(alert(both2))
    #expect(inhibitor.inhibitedBy(both1, fingerprint: both1.fingerprint, now: now) == nil)
    #expect(inhibitor.inhibitedBy(both2, fingerprint: both2.fingerprint, now: now) == nil)
    let pager: LabelSet = ["team": "x", "alertname": "A", "severity": "page"]
    inhibitor.observe(alert(pager))
    #expect(inhibitor.inhibitedBy(both1, fingerprint: both1.fingerprint, now: now) == pager.fingerprint)
    // The pager alert matches the source side only: it is not a target.
    #expect(inhibitor.inhibitedBy(pager, fingerprint: pager.fingerprint, now: now) == nil)
    // A target that is not itself a source may be inhibited by a two-sided source.
    let targetOnlyRule = InhibitRule(
        sourceMatchers: matchers(#"team="x""#), targetMatchers: matchers(#"alertname="A""#), equal: [])
    var second = Inhibitor(rules: [targetOnlyRule])
    second.observe(alert(both1))
    let plain: LabelSet = ["alertname": "A"]
    #expect(second.inhibitedBy(plain, fingerprint: plain.fingerprint, now: now) == both1.fingerprint)
}

@Test func anAlertNeverInhibitsItself() {
    let rule = InhibitRule(sourceMatchers: matchers(#"a="1""#), targetMatchers: .none, equal: [])
    var inhibitor = Inhibitor(rules: [rule])
    let labels: LabelSet = ["a": "1"]
    inhibitor.observe(alert(labels))
    #expect(inhibitor.inhibitedBy(labels, fingerprint: labels.fingerprint, now: now) == nil)
}

@Test func theFirstInhibitingRuleWins() {
    let byCluster = InhibitRule(
        sourceMatchers: matchers(#"kind="cluster-down""#), targetMatchers: matchers(#"kind="node""#),
        equal: ["cluster"], name: "cluster")
    let byRegion = InhibitRule(
        sourceMatchers: matchers(#"kind="region-down""#), targetMatchers: matchers(#"kind="node""#),
        equal: ["region"], name: "region")
    var inhibitor = Inhibitor(rules: [byCluster, byRegion])
    let target: LabelSet = ["kind": "node", "cluster": "c1", "region": "eu"]
    let region: LabelSet = ["kind": "region-down", "region": "eu"]
    let cluster: LabelSet = ["kind": "cluster-down", "cluster": "c1"]
    inhibitor.observe(alert(region))
    #expect(inhibitor.inhibitedBy(target, fingerprint: target.fingerprint, now: now) == region.fingerprint)
    inhibitor.observe(alert(cluster))
    #expect(inhibitor.inhibitedBy(target, fingerprint: target.fingerprint, now: now) == cluster.fingerprint)
    inhibitor.remove(fingerprint: cluster.fingerprint)
    #expect(inhibitor.inhibitedBy(target, fingerprint: target.fingerprint, now: now) == region.fingerprint)
    inhibitor.remove(fingerprint: region.fingerprint)
    #expect(inhibitor.inhibitedBy(target, fingerprint: target.fingerprint, now: now) == nil)
}

@Test func gcDropsResolvedSourcesOnly() {
    var inhibitor = Inhibitor(rules: [criticalInhibitsWarning])
    inhibitor.observe(alert(["severity": "critical", "alertname": "A"], endsAt: now))
    inhibitor.observe(alert(["severity": "critical", "alertname": "B"], endsAt: now.addingTimeInterval(1)))
    inhibitor.observe(alert(["severity": "critical", "alertname": "C"]))
    inhibitor.observe(alert(["severity": "warning", "alertname": "C"]))
    #expect(inhibitor.sourceCount == 3)
    let r1 = inhibitor.gc(now: now)
    #expect(r1 == 1)
    #expect(inhibitor.sourceCount == 2)
}

@Test(arguments: [5, 6] as [UInt64])
func indexedInhibitionAgreesWithBruteForceOnRandomData(seed: UInt64) {
    var rng = SeededGenerator(seed: seed)
    let rules = [
        InhibitRule(
            sourceMatchers: matchers(#"severity="critical""#), targetMatchers: matchers(#"severity=~"warning|info""#),
            equal: ["cluster", "alertname"]),
        InhibitRule(
            sourceMatchers: matchers(#"team="a""#), targetMatchers: matchers(#"team=~"a|b""#), equal: ["cluster"]),
        InhibitRule(sourceMatchers: matchers(#"kind="x""#), targetMatchers: matchers(#"kind!="x""#), equal: []),
    ]
    let vocabulary: [(String, [String])] = [
        ("severity", ["critical", "warning", "info"]), ("cluster", ["c1", "c2", ""]), ("alertname", ["A", "B"]),
        ("team", ["a", "b"]), ("kind", ["x", "y"]),
    ]
    func randomLabels() -> LabelSet {
        var pairs: [(String, String)] = []
        for (name, values) in vocabulary where Int.random(in: 0..<3, using: &rng) > 0 {
            pairs.append((name, values.randomElement(using: &rng) ?? ""))
        }
        return LabelSet(pairs: pairs)
    }
    var inhibitor = Inhibitor(rules: rules)
    var alerts: [Fingerprint: Alert] = [:]
    for _ in 0..<200 {
        let labels = randomLabels()
        let endsAt =
            Bool.random(using: &rng) ? Date.zero : now.addingTimeInterval(Double.random(in: -5...5, using: &rng))
        let a = alert(labels, endsAt: endsAt)
        alerts[a.fingerprint] = a
        inhibitor.observe(a)
    }
    for _ in 0..<300 {
        let target = randomLabels()
        let fingerprint = target.fingerprint
        var expectedRule: Int?
        var qualifying: Set<Fingerprint> = []
        for (index, rule) in rules.enumerated() where rule.targetMatchers.matches(target) {
            let twoSided = rule.sourceMatchers.matches(target)
            qualifying = Set(
                alerts.values.filter { source in
                    rule.sourceMatchers.matches(source.labels) && !source.isResolved(at: now)
                        && source.fingerprint != fingerprint
                        && rule.equal.allSatisfy { (source.labels[$0] ?? "") == (target[$0] ?? "") }
                        && !(twoSided && rule.targetMatchers.matches(source.labels))
                }.map(\.fingerprint))
            if !qualifying.isEmpty {
                expectedRule = index
                break
            }
        }
        let result = inhibitor.inhibitedBy(target, fingerprint: fingerprint, now: now)
        if expectedRule == nil {
            #expect(result == nil, "target \(target)")
        } else {
            #expect(result.map { qualifying.contains($0) } == true, "target \(target)")
        }
    }
}

@Test func theSmallestQualifyingSourceFingerprintIsReported() throws {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let rule = InhibitRule(
        sourceMatchers: try Matchers.parse(#"severity="critical""#),
        targetMatchers: try Matchers.parse(#"severity=~"warning|critical""#), equal: ["cluster"])
    var inhibitor = Inhibitor(rules: [rule])
    let sources: [LabelSet] = [
        ["alertname": "Disk2", "severity": "critical", "cluster": "c1"],
        ["alertname": "Disk", "severity": "critical", "cluster": "c1"],
    ]
    for labels in sources {
        inhibitor.observe(Alert(labels: labels, startsAt: now, endsAt: now + 300, updatedAt: now))
    }
    let target: LabelSet = ["alertname": "Disk", "severity": "warning", "cluster": "c1"]
    let chosen = inhibitor.inhibitedBy(target, fingerprint: target.fingerprint, now: now)
    #expect(chosen == sources.map(\.fingerprint).min())
    #expect(chosen?.description == "248b0109221e892f")
}
