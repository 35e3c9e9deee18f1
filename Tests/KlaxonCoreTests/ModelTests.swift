import Foundation
import Testing

@testable import KlaxonCore

@Test(arguments: [
    ([:], "cbf29ce484222325"),
    (["alertname": "InhibitTest", "cluster": "c2", "severity": "warning"], "49f30b4cf5ae4bd7"),
])
func fingerprintsEqualAlertmanagers(labels: [String: String], expected: String) {
    #expect(LabelSet(labels).fingerprint.description == expected)
}

@Test func labelSetPrintsLikePrometheusWithGoQuoting() {
    let set: LabelSet = ["team": "multi", "alertname": "Multi", "q": "a\"b\nc"]
    #expect(set.description == #"{alertname="Multi", q="a\"b\nc", team="multi"}"#)
    #expect(LabelSet.empty.description == "{}")
}

@Test func labelSetBeforeOrdersBySizeThenFirstDifferingName() {
    #expect(LabelSet(["a": "1"]).isBefore(LabelSet(["a": "1", "b": "2"])))
    // Equal sizes: the set lacking the smaller name sorts first.
    #expect(LabelSet(["b": "1"]).isBefore(LabelSet(["a": "1"])))
    #expect(!LabelSet(["a": "1"]).isBefore(LabelSet(["b": "1"])))
    #expect(LabelSet(["a": "1"]).isBefore(LabelSet(["a": "2"])))
    #expect(!LabelSet(["a": "1"]).isBefore(LabelSet(["a": "1"])))
}

@Test func notificationOrderPutsJobThenInstanceFirst() {
    let now = Date(timeIntervalSince1970: 0)
    func alert(_ l: [String: String]) -> Alert { Alert(labels: LabelSet(l), startsAt: now, updatedAt: now) }
    let withJob = alert(["job": "b", "z": "1"])
    let withSmallerJob = alert(["job": "a", "z": "9", "y": "1"])
    let noJob = alert(["a": "1"])
    let sorted = [noJob, withJob, withSmallerJob].sorted(by: Alert.notificationOrder)
    #expect(sorted == [withSmallerJob, withJob, noJob])
}

@Test(arguments: [
    ("1h30m", 5_400_000, "1h30m"), ("90s", 90_000, "1m30s"), ("1d", 86_400_000, "1d"), ("1w", 604_800_000, "1w"),
    ("0s", 0, "0s"), ("0", 0, "0s"), ("500ms", 500, "500ms"), ("2h0m", 7_200_000, "2h"), ("1y", 31_536_000_000, "1y"),
    ("4h", 14_400_000, "4h"), ("5m", 300_000, "5m"),
])
func durationsRoundTripWithPrometheusFormatting(text: String, ms: Int64, formatted: String) throws {
    let d = try PromDuration(parsing: text)
    #expect(d.milliseconds == ms)
    #expect(d.description == formatted)
    #expect(try PromDuration(parsing: d.description) == d)
}

@Test(arguments: ["", "-1s", "1", "1x", "1m1h", "1h1h", "1.5h", "h", " 1h", "1h ", "99999999999999999999s"])
func invalidDurationsAreRejectedWithPrometheusMessage(text: String) {
    let error = #expect(throws: PromDurationError.self) { try PromDuration(parsing: text) }
    #expect(error?.description == "not a valid duration string: \"\(text)\"")
}

@Test func labelNamesFollowClassicRules() {
    #expect(LabelName.isValid("alertname"))
    #expect(LabelName.isValid("_x9"))
    #expect(!LabelName.isValid("0bad"))
    #expect(!LabelName.isValid(""))
    #expect(!LabelName.isValid("a-b"))
    #expect(!LabelName.isValid("a:b"))
}

@Test func alertMergeKeepsEarliestStartAndExplicitLaterEnd() {
    let t0 = Date(timeIntervalSince1970: 1000)
    let old = Alert(labels: ["a": "1"], startsAt: t0, endsAt: t0 + 600, updatedAt: t0)
    let new = Alert(labels: ["a": "1"], startsAt: t0 + 10, endsAt: t0 + 180, updatedAt: t0 + 10)
    let merged = old.merged(with: new, now: t0 + 10)
    #expect(merged.startsAt == t0)
    #expect(merged.endsAt == t0 + 600)
    // Resolving (endsAt <= now) does shorten it.
    let resolve = Alert(labels: ["a": "1"], startsAt: t0 + 10, endsAt: t0 + 20, updatedAt: t0 + 20)
    #expect(old.merged(with: resolve, now: t0 + 20).endsAt == t0 + 20)
    // A defaulted (timeout) end does not survive.
    var timedOut = old
    timedOut.timeout = true
    #expect(timedOut.merged(with: new, now: t0 + 10).endsAt == t0 + 180)
}
