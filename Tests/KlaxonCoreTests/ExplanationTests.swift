import Foundation
import Testing

@testable import KlaxonCore

/// 2023-11-14T22:13:20Z, a Tuesday.
private let now = Date(timeIntervalSince1970: 1_700_000_000)

private func matchers(_ text: String) -> [Matcher] {
    // Trusted test literals; a typo yields no matchers and the assertions fail.
    (try? Matchers.parse(text))?.matchers ?? []
}

/// finance pages go to finance-pager (continue) and then to oncall; warnings are muted at night and only sent in
/// office hours.
private let tree = Route(
    root: RouteSpec(
        receiver: "default", groupBy: .labels(["alertname"]),
        routes: [
            RouteSpec(
                receiver: "finance-pager", groupBy: .labels(["alertname", "tenant_id"]),
                matchers: matchers(#"{tenant_id="finance"}"#), continueMatching: true),
            RouteSpec(
                receiver: "oncall", matchers: matchers(#"{severity="critical"}"#), muteTimeIntervals: ["night"]),
            RouteSpec(
                receiver: "office", matchers: matchers(#"{severity="warning"}"#), activeTimeIntervals: ["office"]),
        ]))

/// 22:00-24:00 and 00:00-06:00 UTC.
private let night = NamedTimeInterval(
    name: "night",
    intervals: [
        TimeIntervalSpec(times: [TimeRange(startMinute: 22 * 60, endMinute: 24 * 60)]),
        TimeIntervalSpec(times: [TimeRange(startMinute: 0, endMinute: 6 * 60)]),
    ])
/// 09:00-17:00 UTC.
private let office = NamedTimeInterval(
    name: "office", intervals: [TimeIntervalSpec(times: [TimeRange(startMinute: 9 * 60, endMinute: 17 * 60)])])

private let ruleDownInhibitsCritical = InhibitRule(
    sourceMatchers: Matchers(matchers(#"{alertname="ClusterDown"}"#)),
    targetMatchers: Matchers(matchers(#"{severity="critical"}"#)), equal: ["cluster"])

private func explain(
    _ labels: LabelSet, at: Date = now, silences: [Silence] = [], sources: [Alert] = []
) -> Explanation {
    var inhibitor = Inhibitor(rules: [ruleDownInhibitsCritical])
    for source in sources { inhibitor.observe(source) }
    return Explanation(
        labels: labels, at: at, now: now, route: tree, timeIntervals: ["night": night, "office": office],
        inhibitor: inhibitor, silences: silences)
}

private func silence(_ id: String, _ text: String, from start: Date, to end: Date) -> Silence {
    Silence(
        id: id, matchers: matchers(text), startsAt: start, endsAt: end, updatedAt: start, createdBy: "me",
        comment: "c")
}

@Suite struct ExplanationTests {
    @Test func routesComeInTreeOrderWithPathGroupKeyAndContinue() {
        let e = explain(["alertname": "Slow", "tenant_id": "finance", "severity": "critical"], at: now - 12 * 3600)
        #expect(e.routes.map(\.route.receiver) == ["finance-pager", "oncall"])
        #expect(e.routes.map(\.path) == [[#"{}"#, #"{tenant_id="finance"}"#], [#"{}"#, #"{severity="critical"}"#]])
        #expect(e.routes[0].groupKey == #"{}/{tenant_id="finance"}:{alertname="Slow", tenant_id="finance"}"#)
        #expect(e.routes[0].route.continueMatching && !e.routes[1].route.continueMatching)
        #expect(e.verdicts.map(\.notifies) == [true, true])
    }

    @Test func aRouteInsideAMuteIntervalIsSuppressedAndTheOthersStillNotify() {
        // 22:13 UTC: inside "night".
        let e = explain(["alertname": "Slow", "tenant_id": "finance", "severity": "critical"])
        #expect(e.routes[1].muteTimeIntervals == [Explanation.IntervalCheck(name: "night", holds: true)])
        #expect(e.routes.map(\.muted) == [false, true])
        #expect(e.verdicts.map(\.suppression) == [nil, .muteTimeInterval("night")])
    }

    @Test func aRouteOutsideAllItsActiveIntervalsIsSuppressedUntilTheyHold() {
        let labels: LabelSet = ["alertname": "Disk", "severity": "warning"]
        #expect(explain(labels).verdicts.map(\.suppression) == [.outsideActiveTimeIntervals(["office"])])
        let inOffice = explain(labels, at: now + 12 * 3600)  // 10:13 UTC the next day
        #expect(inOffice.verdicts.map(\.notifies) == [true])
        #expect(inOffice.routes[0].activeTimeIntervals == [Explanation.IntervalCheck(name: "office", holds: true)])
    }

    @Test func silencesCountWhenActiveAtTheInstantIncludingPendingOnesAndNotThoseEndedBefore() {
        let labels: LabelSet = ["alertname": "Disk", "severity": "warning"]
        let later = now + 12 * 3600
        let silences = [
            silence("b-pending", #"{alertname="Disk"}"#, from: now + 3600, to: now + 24 * 3600),
            silence("a-ends-soon", #"{alertname="Disk"}"#, from: now - 60, to: now + 60),
            silence("c-other", #"{alertname="Other"}"#, from: now - 60, to: now + 24 * 3600),
        ]
        let e = explain(labels, at: later, silences: silences)
        #expect(e.silencedBy.map(\.silence.id) == ["b-pending"])
        #expect(e.silencedBy.map(\.stateNow) == [.pending])
        #expect(e.verdicts.map(\.suppression) == [.silenced(["b-pending"])])
        #expect(explain(labels, at: now + 12 * 3600 + 86400, silences: silences).silencedBy.isEmpty)
    }

    @Test func inhibitionComesFirstAndNamesEverySourceWithItsRule() {
        let target: LabelSet = ["alertname": "Slow", "severity": "critical", "cluster": "eu"]
        let sources = [
            Alert(
                labels: ["alertname": "ClusterDown", "cluster": "eu"], startsAt: now - 60, endsAt: .zero, updatedAt: now
            ),
            Alert(
                labels: ["alertname": "ClusterDown", "cluster": "us"], startsAt: now - 60, endsAt: .zero, updatedAt: now
            ),
        ]
        let silences = [silence("s", #"{alertname="Slow"}"#, from: now - 60, to: now + 3600)]
        let e = explain(target, silences: silences, sources: sources)
        let eu = sources[0]
        #expect(e.inhibitedBy == [InhibitingSource(rule: 0, fingerprint: eu.fingerprint, labels: eu.labels)])
        // Inhibition is checked before the mute interval and the silence, as in the pipeline.
        #expect(e.verdicts.map(\.suppression) == [.inhibited(e.inhibitedBy[0])])
    }

    @Test func aSourceResolvedBeforeTheInstantNoLongerInhibits() {
        let target: LabelSet = ["alertname": "Slow", "severity": "critical", "cluster": "eu"]
        let source = Alert(
            labels: ["alertname": "ClusterDown", "cluster": "eu"], startsAt: now - 60, endsAt: now + 600,
            updatedAt: now)
        #expect(explain(target, sources: [source]).inhibitedBy.count == 1)
        #expect(explain(target, at: now + 601, sources: [source]).inhibitedBy.isEmpty)
    }

    @Test func inhibitorSourcesAgreeWithInhibitedBy() {
        var inhibitor = Inhibitor(rules: [ruleDownInhibitsCritical])
        let a = Alert(
            labels: ["alertname": "ClusterDown", "cluster": "eu", "x": "1"], startsAt: now, endsAt: .zero,
            updatedAt: now)
        let b = Alert(
            labels: ["alertname": "ClusterDown", "cluster": "eu", "x": "2"], startsAt: now, endsAt: .zero,
            updatedAt: now)
        inhibitor.observe(a)
        inhibitor.observe(b)
        let target: LabelSet = ["severity": "critical", "cluster": "eu"]
        let all = inhibitor.sources(inhibiting: target, fingerprint: target.fingerprint, now: now)
        #expect(all.map(\.fingerprint) == [a.fingerprint, b.fingerprint].sorted())
        #expect(inhibitor.inhibitedBy(target, fingerprint: target.fingerprint, now: now) == all.first?.fingerprint)
    }
}
