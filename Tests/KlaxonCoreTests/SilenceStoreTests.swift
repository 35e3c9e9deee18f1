import Foundation
import Testing

@testable import KlaxonCore

private let t0 = Date(timeIntervalSince1970: 1_700_000_000)

private func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

private func specs(_ text: String) -> [SilenceMatcherSpec] {
    // Test-only parse of trusted literals; a bad literal fails the test through the thrown error.
    (try? Matchers.parse(text))?.matchers.map(SilenceMatcherSpec.init) ?? []
}

private func postable(
    _ matchers: String, id: String = "", start: Double = 0, end: Double = 3600, comment: String = "c"
) -> PostableSilence {
    PostableSilence(
        id: id, matchers: specs(matchers), startsAt: at(start), endsAt: at(end), createdBy: "me", comment: comment)
}

/// Hands out `id-1`, `id-2`, ...
private final class IDs {
    var next = 0
    func make() -> String {
        next += 1
        return "id-\(next)"
    }
}

struct SilenceErrorCase: Sendable, CustomTestStringConvertible {
    var name: String
    var postable: PostableSilence
    var expected: String
    var notFound = false
    var testDescription: String { name }
}

@Test(arguments: [
    SilenceErrorCase(
        name: "start equals end", postable: postable(#"a="1""#, start: 10, end: 10),
        expected: "Failed to create silence: start time must be before end time"),
    SilenceErrorCase(
        name: "start after end, also in the past", postable: postable(#"a="1""#, start: -10, end: -20),
        expected: "Failed to create silence: start time must be before end time"),
    SilenceErrorCase(
        name: "end in the past", postable: postable(#"a="1""#, start: -20, end: -1),
        expected: "Failed to create silence: end time can't be in the past"),
    SilenceErrorCase(
        name: "unknown id", postable: postable(#"a="1""#, id: "nope"), expected: "silence not found",
        notFound: true),
    SilenceErrorCase(
        name: "unknown id beats invalid matcher",
        postable: PostableSilence(
            id: "nope", matchers: [SilenceMatcherSpec(name: "a", value: "(", isRegex: true)], startsAt: t0,
            endsAt: at(60), createdBy: "", comment: ""),
        expected: "silence not found", notFound: true),
    SilenceErrorCase(
        name: "no matchers",
        postable: PostableSilence(matchers: [], startsAt: t0, endsAt: at(60), createdBy: "", comment: ""),
        expected: "silence invalid: at least one matcher required"),
    SilenceErrorCase(
        name: "only an empty equality", postable: postable(#"a="""#),
        expected: "silence invalid: at least one matcher must not match the empty string"),
    SilenceErrorCase(
        name: "regex matching empty", postable: postable(#"a=~"x|""#),
        expected: "silence invalid: at least one matcher must not match the empty string"),
    SilenceErrorCase(
        name: "every matcher matches empty", postable: postable(#"a=~".*",b="""#),
        expected: "silence invalid: at least one matcher must not match the empty string"),
    SilenceErrorCase(
        name: "invalid label name",
        postable: PostableSilence(
            matchers: [SilenceMatcherSpec(name: "0a", value: "x", isRegex: false)], startsAt: t0, endsAt: at(60),
            createdBy: "", comment: ""),
        expected: #"silence invalid: invalid label matcher 0: invalid label name "0a""#),
    SilenceErrorCase(
        name: "unclosed group",
        postable: PostableSilence(
            matchers: [SilenceMatcherSpec(name: "a", value: "(", isRegex: true)], startsAt: t0, endsAt: at(60),
            createdBy: "", comment: ""),
        expected:
            #"silence invalid: invalid label matcher 0: invalid regular expression "(": "#
            + "error parsing regexp: missing closing ): `(`"),
    SilenceErrorCase(
        name: "unclosed class",
        postable: PostableSilence(
            matchers: [SilenceMatcherSpec(name: "a", value: "[a", isRegex: true)], startsAt: t0, endsAt: at(60),
            createdBy: "", comment: ""),
        expected:
            #"silence invalid: invalid label matcher 0: invalid regular expression "[a": "#
            + "error parsing regexp: missing closing ]: `[a`"),
    SilenceErrorCase(
        name: "unexpected paren",
        postable: PostableSilence(
            matchers: [SilenceMatcherSpec(name: "a", value: ")", isRegex: true)], startsAt: t0, endsAt: at(60),
            createdBy: "", comment: ""),
        expected:
            #"silence invalid: invalid label matcher 0: invalid regular expression ")": "#
            + "error parsing regexp: unexpected ): `)`"),
    SilenceErrorCase(
        name: "nested repetition",
        postable: PostableSilence(
            matchers: [SilenceMatcherSpec(name: "a", value: "a**", isRegex: true)], startsAt: t0, endsAt: at(60),
            createdBy: "", comment: ""),
        expected:
            #"silence invalid: invalid label matcher 0: invalid regular expression "a**": "#
            + "error parsing regexp: invalid nested repetition operator: `**`"),
    SilenceErrorCase(
        name: "invalid matcher reported by index before the empty check",
        postable: PostableSilence(
            matchers: [
                SilenceMatcherSpec(name: "a", value: "", isRegex: false),
                SilenceMatcherSpec(name: "b", value: "(", isRegex: true),
            ], startsAt: t0, endsAt: at(60), createdBy: "", comment: ""),
        expected:
            #"silence invalid: invalid label matcher 1: invalid regular expression "(": "#
            + "error parsing regexp: missing closing ): `(`"),
])
func invalidSilencesAreRejectedWithAlertmanagersMessages(_ c: SilenceErrorCase) {
    var store = SilenceStore()
    let ids = IDs()
    let error = #expect(throws: SilenceError.self) { try store.set(c.postable, now: t0, newID: ids.make) }
    #expect(error?.description == c.expected)
    #expect(error?.isNotFound == c.notFound)
    #expect(store.count == 0)
    #expect(store.version == 0)
}

@Test func handlerErrorsHaveABareStoreMessage() {
    #expect(SilenceError.startNotBeforeEnd.message == "start time must be before end time")
    #expect(SilenceError.endInPast.message == "end time can't be in the past")
    #expect(SilenceError.notFound.description == "silence not found")
}

@Test(arguments: [#"a!="b""#, #"a!~"x""#, #"a="",b="1""#, #"a=~"x+""#])
func silencesWithAMatcherRejectingEmptyAreAccepted(matchers: String) throws {
    var store = SilenceStore()
    let result = try store.set(postable(matchers), now: t0, newID: IDs().make)
    #expect(store.get(id: result.id)?.matchers.map(\.description) == specs(matchers).map(\.description))
}

@Test func createAssignsANewIDClampsStartToNowAndStampsUpdatedAt() throws {
    var store = SilenceStore()
    let ids = IDs()
    let result = try store.set(postable(#"a="1""#, start: -30, end: 60), now: t0, newID: ids.make)
    #expect(result.id == "id-1")
    #expect(result.expired == nil)
    let stored = try #require(store.get(id: "id-1"))
    #expect(stored == result.silence)
    #expect(stored.startsAt == t0)
    #expect(stored.endsAt == at(60))
    #expect(stored.updatedAt == t0)
    #expect(stored.createdBy == "me")
    #expect(stored.state(at: t0) == .active)

    let future = try store.set(postable(#"a="1""#, start: 30, end: 60), now: t0, newID: ids.make)
    #expect(future.id == "id-2")
    #expect(store.get(id: "id-2")?.startsAt == at(30))
    #expect(store.get(id: "id-2")?.state(at: t0) == .pending)
}

struct UpdateCase: Sendable, CustomTestStringConvertible {
    var name: String
    /// The existing silence: created at t0 with these offsets.
    var existingStart: Double
    var existingEnd: Double
    /// When the update is posted.
    var now: Double
    var update: PostableSilence
    var inPlace: Bool
    /// Expected (startsAt, endsAt) offsets of the previous silence afterwards, when it is replaced.
    var previousAfter: (Double, Double)?
    var testDescription: String { name }
}

@Test(arguments: [
    UpdateCase(
        name: "active: same start second, later end", existingStart: 0, existingEnd: 600, now: 100,
        update: postable(#"a="1""#, start: 0.5, end: 900), inPlace: true),
    UpdateCase(
        name: "active: earlier end still in the future", existingStart: 0, existingEnd: 600, now: 100,
        update: postable(#"a="1""#, start: 0, end: 200), inPlace: true),
    UpdateCase(
        name: "active: end exactly now", existingStart: 0, existingEnd: 600, now: 100,
        update: postable(#"a="1""#, start: 0, end: 100), inPlace: true),
    UpdateCase(
        name: "active: start moved to another second", existingStart: 0, existingEnd: 600, now: 100,
        update: postable(#"a="1""#, start: 1, end: 600), inPlace: false, previousAfter: (0, 100)),
    UpdateCase(
        name: "active: matchers changed", existingStart: 0, existingEnd: 600, now: 100,
        update: postable(#"a="2""#, start: 0, end: 600), inPlace: false, previousAfter: (0, 100)),
    UpdateCase(
        name: "active: extra matcher", existingStart: 0, existingEnd: 600, now: 100,
        update: postable(#"a="1",b="2""#, start: 0, end: 600), inPlace: false, previousAfter: (0, 100)),
    UpdateCase(
        name: "active: operator changed", existingStart: 0, existingEnd: 600, now: 100,
        update: postable(#"a=~"1""#, start: 0, end: 600), inPlace: false, previousAfter: (0, 100)),
    UpdateCase(
        name: "pending: start moved later", existingStart: 300, existingEnd: 600, now: 100,
        update: postable(#"a="1""#, start: 400, end: 700), inPlace: true),
    UpdateCase(
        name: "pending: start moved to exactly now", existingStart: 300, existingEnd: 600, now: 100,
        update: postable(#"a="1""#, start: 100, end: 700), inPlace: true),
    UpdateCase(
        name: "pending: start moved into the past", existingStart: 300, existingEnd: 600, now: 100,
        update: postable(#"a="1""#, start: 50, end: 700), inPlace: false, previousAfter: (100, 100)),
    UpdateCase(
        name: "expired: identical repost", existingStart: 0, existingEnd: 60, now: 100,
        update: postable(#"a="1""#, start: 0, end: 600), inPlace: false, previousAfter: (0, 60)),
])
func updatesFollowAlertmanagersCanUpdateRules(_ c: UpdateCase) throws {
    var store = SilenceStore()
    let ids = IDs()
    _ = try store.set(postable(#"a="1""#, start: c.existingStart, end: c.existingEnd), now: t0, newID: ids.make)
    var update = c.update
    update.id = "id-1"
    update.comment = "changed"
    let now = at(c.now)
    let result = try store.set(update, now: now, newID: ids.make)
    let written = try #require(store.get(id: result.id))
    #expect(written.comment == "changed")
    #expect(written.updatedAt == now)
    #expect(written.endsAt == update.endsAt)
    if c.inPlace {
        #expect(result.id == "id-1")
        #expect(result.expired == nil)
        #expect(store.count == 1)
        #expect(written.startsAt == update.startsAt)
    } else {
        #expect(result.id == "id-2")
        #expect(store.count == 2)
        #expect(written.startsAt == max(update.startsAt, now))
        let previous = try #require(store.get(id: "id-1"))
        #expect(previous.comment == "c")
        let (start, end) = try #require(c.previousAfter)
        #expect(previous.startsAt == at(start))
        #expect(previous.endsAt == at(end))
        // Only a silence that was not already expired is rewritten.
        #expect((result.expired != nil) == (c.existingEnd >= c.now))
        #expect(result.expired.map { $0 == previous } ?? true)
    }
}

@Test func anInvalidReplacementStillExpiresThePreviousSilence() throws {
    // Observed with Alertmanager 0.25: the old silence is expired before the new one is validated.
    var store = SilenceStore()
    let ids = IDs()
    _ = try store.set(postable(#"q="1""#), now: t0, newID: ids.make)
    _ = store.takeChanges()
    let bad = PostableSilence(
        id: "id-1", matchers: [SilenceMatcherSpec(name: "q", value: "(", isRegex: true)], startsAt: t0,
        endsAt: at(3600), createdBy: "", comment: "")
    #expect(throws: SilenceError.self) { try store.set(bad, now: at(10), newID: ids.make) }
    #expect(store.get(id: "id-1")?.endsAt == at(10))
    #expect(store.count == 1)
    let r1 = store.takeChanges()
    #expect(r1.written.map(\.id) == ["id-1"])
}

@Test func expireEndsActiveAndPendingSilencesAndLeavesExpiredOnes() throws {
    var store = SilenceStore()
    let ids = IDs()
    _ = try store.set(postable(#"a="1""#, start: 0, end: 600), now: t0, newID: ids.make)
    _ = try store.set(postable(#"a="2""#, start: 300, end: 600), now: t0, newID: ids.make)
    _ = try store.set(postable(#"a="3""#, start: 0, end: 50), now: t0, newID: ids.make)
    let now = at(100)

    let active = try store.expire(id: "id-1", now: now)
    #expect(active?.startsAt == t0)
    #expect(active?.endsAt == now)
    #expect(active?.updatedAt == now)

    let pending = try store.expire(id: "id-2", now: now)
    #expect(pending?.startsAt == now)
    #expect(pending?.endsAt == now)

    let version = store.version
    let expired = try store.expire(id: "id-3", now: now)
    #expect(expired == nil)
    #expect(store.get(id: "id-3")?.endsAt == at(50))
    #expect(store.get(id: "id-3")?.updatedAt == t0)
    #expect(store.version == version)

    // A second expiry is a no-op too.
    let r2 = try store.expire(id: "id-1", now: at(101))
    #expect(r2 == nil)
    #expect(store.get(id: "id-1")?.endsAt == now)

    #expect {
        try store.expire(id: "missing", now: now)
    } throws: { error in
        (error as? SilenceError)?.isNotFound == true
    }
}

@Test(arguments: [
    (-0.001, SilenceState.pending), (0, .active), (30, .active), (60, .active), (60.001, .expired),
])
func stateIsPendingBeforeStartAndActiveThroughEnd(offset: Double, expected: SilenceState) throws {
    let silence = Silence(
        id: "x", matchers: [try Matcher(type: .equal, name: "a", value: "1")], startsAt: t0, endsAt: at(60),
        updatedAt: t0, createdBy: "", comment: "")
    #expect(silence.state(at: at(offset)) == expected)
}

@Test(arguments: [
    ([#"upd="1""#], ["A"]),
    ([#"upd=~"1""#], []),
    ([#"env=~"prod|dev""#], ["B"]),
    ([#"env=~"prod|dev""#, #"upd!="2""#], ["B"]),
    ([#"env=~"prod|dev""#, #"upd="1""#], []),
    ([#"f=~"x""#, #"f!="y""#], ["C"]),
    ([], ["A", "B", "C"]),
])
func queryFilterRequiresEachFilterMatcherVerbatim(filter: [String], expected: [String]) throws {
    var store = SilenceStore()
    let fixed = ["A", "B", "C"]
    var next = 0
    let idOf = {
        defer { next += 1 }
        return fixed[next]
    }
    _ = try store.set(postable(#"upd="1""#, end: 10), now: t0, newID: idOf)
    _ = try store.set(postable(#"env=~"prod|dev",upd!="2""#, end: 20), now: t0, newID: idOf)
    _ = try store.set(postable(#"f=~"x",f!="y""#, end: 30), now: t0, newID: idOf)
    let matchers = try filter.map { try Matcher.parse($0) }
    #expect(store.query(filter: matchers, now: t0).map(\.id) == expected)
}

@Test func queryOrdersActiveByEndThenPendingByStartThenExpiredByEndDescending() throws {
    var store = SilenceStore()
    let layout: [(String, Double, Double)] = [
        ("active-late", 0, 500), ("pending-late", 300, 900), ("expired-old", 0, 20), ("active-early", 0, 200),
        ("pending-early", 150, 1000), ("expired-recent", 0, 80), ("active-tie-b", 0, 400), ("active-tie-a", 0, 400),
    ]
    for (id, start, end) in layout {
        _ = try store.set(postable(#"a="1""#, start: start, end: end), now: t0, newID: { id })
    }
    let order = store.query(now: at(100)).map(\.id)
    #expect(
        order == [
            "active-early", "active-tie-a", "active-tie-b", "active-late", "pending-early", "pending-late",
            "expired-recent", "expired-old",
        ])
}

@Test func gcDropsSilencesOnceEndPlusRetentionIsReached() throws {
    var store = SilenceStore()
    let ids = IDs()
    _ = try store.set(postable(#"a="1""#, end: 60), now: t0, newID: ids.make)
    _ = try store.set(postable(#"a="2""#, end: 120), now: t0, newID: ids.make)
    _ = store.takeChanges()
    let retention = PromDuration.hours(120)
    let version = store.version
    let r3 = store.gc(now: at(60 + 120 * 3600 - 1), retention: retention)
    #expect(r3.isEmpty)
    #expect(store.version == version)
    #expect(store.count == 2)
    let r4 = store.gc(now: at(60 + 120 * 3600), retention: retention)
    #expect(r4 == ["id-1"])
    #expect(store.version > version)
    #expect(store.get(id: "id-1") == nil)
    #expect(store.get(id: "id-2") != nil)
    let r5 = store.takeChanges()
    #expect(r5 == SilenceChanges(written: [], removed: ["id-1"]))
}

@Test func countsTrackEachState() throws {
    var store = SilenceStore()
    let ids = IDs()
    _ = try store.set(postable(#"a="1""#, end: 60), now: t0, newID: ids.make)
    _ = try store.set(postable(#"a="2""#, end: 600), now: t0, newID: ids.make)
    _ = try store.set(postable(#"a="3""#, start: 300, end: 600), now: t0, newID: ids.make)
    let counts = store.counts(at: at(100))
    #expect(counts == SilenceCounts(active: 1, pending: 1, expired: 1))
    #expect(SilenceState.allCases.map { counts[$0] } == [1, 1, 1])
}

@Test func everyWriteBumpsTheVersionAndIsReportedOnce() throws {
    var store = SilenceStore()
    let ids = IDs()
    #expect(store.version == 0)
    let first = try store.set(postable(#"a="1""#), now: t0, newID: ids.make)
    #expect(store.version == 1)
    let second = try store.set(postable(#"a="2""#, id: first.id), now: at(10), newID: ids.make)
    #expect(second.written.map(\.id) == ["id-1", "id-2"])
    #expect(store.version == 3)
    let changes = store.takeChanges()
    #expect(changes.written.map(\.id) == ["id-1", "id-2"])
    #expect(changes.written.first?.endsAt == at(10))
    let r6 = store.takeChanges()
    #expect(r6.isEmpty)
}

@Test func mergeKeepsTheNewerUpdateAndDropsSilencesPastRetention() throws {
    var store = SilenceStore()
    let matchers = [try Matcher(type: .equal, name: "a", value: "1")]
    func silence(updated: Double, end: Double, comment: String) -> Silence {
        Silence(
            id: "s", matchers: matchers, startsAt: t0, endsAt: at(end), updatedAt: at(updated), createdBy: "",
            comment: comment)
    }
    let retention = PromDuration.seconds(100)
    let r7 = store.merge(silence(updated: 10, end: 50, comment: "v1"), now: at(20), retention: retention)
    #expect(r7)
    let r8 = store.merge(silence(updated: 5, end: 50, comment: "old"), now: at(20), retention: retention)
    #expect(!r8)
    let r9 = store.merge(silence(updated: 10, end: 50, comment: "same"), now: at(20), retention: retention)
    #expect(!r9)
    let r10 = store.merge(silence(updated: 11, end: 50, comment: "v2"), now: at(20), retention: retention)
    #expect(r10)
    #expect(store.get(id: "s")?.comment == "v2")
    let r11 = store.merge(silence(updated: 12, end: 50, comment: "late"), now: at(151), retention: retention)
    #expect(!r11)
    let r12 = store.merge(silence(updated: 12, end: 50, comment: "edge"), now: at(150), retention: retention)
    #expect(r12)
}
