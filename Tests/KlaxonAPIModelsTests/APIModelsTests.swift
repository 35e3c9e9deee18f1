import Foundation
import KlaxonAPIModels
import KlaxonCore
import Testing

@Suite struct APIModels {
    private static let now = Date(timeIntervalSince1970: 1_795_327_939)

    static let silenceStates: [(TimeInterval, TimeInterval, SilenceState)] = [
        (60, 120, .pending), (-60, 60, .active), (-60, 0, .active), (-120, -60, .expired),
    ]

    @Test(arguments: silenceStates)
    func storedSilenceIsShownWithItsStateAtRequestTimeAndItsMatchersAsWritten(
        starts: TimeInterval, ends: TimeInterval, state: SilenceState
    ) throws {
        let matchers = [
            try Matcher(type: .equal, name: "job", value: "api"),
            try Matcher(type: .regexNoMatch, name: "env", value: "dev|qa"),
        ]
        let silence = Silence(
            id: "s1", matchers: matchers, startsAt: Self.now + starts, endsAt: Self.now + ends,
            updatedAt: Self.now - 300, createdBy: "me", comment: "why")
        let shown = GettableSilence(silence, now: Self.now)
        #expect(shown.state == state)
        #expect(shown.state == silence.state(at: Self.now))
        #expect(shown.matchers.map(\.description) == matchers.map(\.description))
        #expect(
            [shown.id, shown.createdBy, shown.comment] == [silence.id, silence.createdBy, silence.comment])
        #expect(
            [shown.startsAt, shown.endsAt, shown.updatedAt] == [silence.startsAt, silence.endsAt, silence.updatedAt])
    }

    @Test func postingAGettableSilenceUpdatesItInPlace() {
        let shown = GettableSilence(
            id: "s1", state: .active, startsAt: Self.now, endsAt: Self.now + 60, updatedAt: Self.now,
            createdBy: "me", comment: "why", matchers: [SilenceMatcherSpec(name: "job", value: "api")])
        let postable = shown.postable
        #expect(postable.id == shown.id)
        #expect(postable.matchers == shown.matchers)
        #expect([postable.startsAt, postable.endsAt] == [shown.startsAt, shown.endsAt])
        #expect([postable.createdBy, postable.comment] == [shown.createdBy, shown.comment])
    }

    @Test(arguments: Matcher.MatchType.allCases)
    func matcherFlagsAreTheOperatorsAPIFields(type: Matcher.MatchType) {
        let spec = SilenceMatcherSpec(type: type, name: "a", value: "b")
        #expect(spec.isRegex == type.isRegex)
        #expect(spec.isEqual == type.isEqual)
        #expect(SilenceMatcherSpec(name: "a", value: "b", isRegex: spec.isRegex, isEqual: spec.isEqual) == spec)
    }

    @Test func storedAlertIsShownWithItsLabelFingerprintUnlessGivenOne() {
        let alert = Alert(
            labels: ["alertname": "X", "job": "api"], annotations: ["summary": "s"], startsAt: Self.now,
            endsAt: Self.now + 300, generatorURL: "http://gen", updatedAt: Self.now)
        let shown = GettableAlert(alert: alert, receivers: ["web"], state: .suppressed, silencedBy: ["s1"])
        #expect(shown.fingerprint == alert.fingerprint.description)
        #expect(shown.labels == alert.labels)
        #expect(shown.annotations == alert.annotations)
        #expect(shown.generatorURL == alert.generatorURL)
        #expect([shown.startsAt, shown.endsAt, shown.updatedAt] == [alert.startsAt, alert.endsAt, alert.updatedAt])
        #expect(shown.state == .suppressed)
        #expect(shown.silencedBy == ["s1"])
        #expect(shown.inhibitedBy.isEmpty)
        let given = Fingerprint(42)
        #expect(
            GettableAlert(alert: alert, fingerprint: given, receivers: [], state: .active).fingerprint
                == given.description)
    }

    @Test func anAlertQueryAsksForEverythingByDefault() {
        let query = AlertQuery()
        #expect([query.active, query.silenced, query.inhibited, query.unprocessed, query.muted].allSatisfy { $0 })
        #expect(query.filter.isEmpty)
        #expect(query.receiver.isEmpty)
    }
}
