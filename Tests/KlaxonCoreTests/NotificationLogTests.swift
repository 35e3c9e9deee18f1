import Foundation
import Testing

@testable import KlaxonCore

private let t0 = Date(timeIntervalSince1970: 1_700_000_000)
private let webhook = ReceiverKey(groupName: "team", integration: "webhook", index: 0)

/// Reference values computed with the python-xxhash package (XXH64, seed 0).
private let xxHashVectors: [([UInt8], UInt64)] = [
    ([], 0xef46_db37_51d8_e999),
    (Array("a".utf8), 0xd24e_c4f1_a98c_6e5b),
    (Array("abc".utf8), 0x44bc_2cf5_ad77_0999),
    (Array("1234567890123456789012345678901".utf8), 0x8f36_7cb8_73a5_376e),
    (Array("12345678901234567890123456789012".utf8), 0x40fd_1aa5_2d98_274c),
    (Array("Nobody inspects the spammish repetition".utf8), 0xfbce_a83c_8a37_8bf1),
    ((0..<768).map { UInt8($0 % 256) }, 0x8e03_c838_c596_036f),
]

@Test(arguments: xxHashVectors)
func xxHash64MatchesReferenceVectors(bytes: [UInt8], expected: UInt64) {
    #expect(XXHash64.hash(bytes) == expected)
}

@Test func notificationLogHashIsXXHashOfSortedNameValuePairs() {
    // Reference value computed with the python-xxhash package over b"alertname\xffHigh\xffjob\xffapi\xff".
    let labels: LabelSet = ["job": "api", "alertname": "High"]
    #expect(labels.notificationLogHash == 0x42a2_072b_749f_ddc7)
    #expect(labels.notificationLogHash != labels.fingerprint.rawValue)
}

@Test func stateKeyJoinsGroupKeyReceiverIntegrationAndIndex() {
    let key = NotificationLogKey(groupKey: "{}:{alertname=\"A\"}", receiver: webhook)
    #expect(key.description == "{}:{alertname=\"A\"}:team/webhook/0")
}

@Test(arguments: [
    // (retention, repeat interval, expected lifetime in seconds)
    (PromDuration.hours(120), PromDuration.hours(4), 8 * 3600.0),
    (PromDuration.hours(120), PromDuration.hours(100), 120 * 3600.0),
    (PromDuration.hours(10), PromDuration.hours(5), 10 * 3600.0),
    (PromDuration.hours(10), PromDuration.zero, 10 * 3600.0),
])
func entriesExpireAfterTheSmallerOfRetentionAndTwiceRepeatInterval(
    retention: PromDuration, repeatInterval: PromDuration, lifetime: Double
) {
    var log = NotificationLog()
    let entry = log.log(
        groupKey: "g", receiver: webhook, firing: [1], resolved: [], now: t0,
        retention: retention, repeatInterval: repeatInterval)
    #expect(entry?.expiresAt == t0.addingTimeInterval(lifetime))
    #expect(log.query(groupKey: "g", receiver: webhook) == entry)
}

@Test func queryIsKeyedByGroupAndReceiverIntegration() {
    var log = NotificationLog()
    log.log(
        groupKey: "g", receiver: webhook, firing: [1], resolved: [2], now: t0,
        retention: .hours(120), repeatInterval: .hours(4))
    #expect(log.query(groupKey: "g", receiver: webhook)?.firingAlerts == [1])
    #expect(log.query(groupKey: "g", receiver: webhook)?.resolvedAlerts == [2])
    #expect(log.query(groupKey: "h", receiver: webhook) == nil)
    #expect(log.query(groupKey: "g", receiver: ReceiverKey(groupName: "team", integration: "webhook", index: 1)) == nil)
    #expect(log.query(groupKey: "g", receiver: ReceiverKey(groupName: "team", integration: "slack", index: 0)) == nil)
}

@Test func logKeepsAnExistingEntryWithALaterTimestamp() {
    var log = NotificationLog()
    log.log(
        groupKey: "g", receiver: webhook, firing: [1], resolved: [], now: t0,
        retention: .hours(120), repeatInterval: .hours(4))
    let stale = log.log(
        groupKey: "g", receiver: webhook, firing: [9], resolved: [], now: t0.addingTimeInterval(-1),
        retention: .hours(120), repeatInterval: .hours(4))
    #expect(stale == nil)
    #expect(log.query(groupKey: "g", receiver: webhook)?.firingAlerts == [1])
    let newer = log.log(
        groupKey: "g", receiver: webhook, firing: [2], resolved: [], now: t0.addingTimeInterval(1),
        retention: .hours(120), repeatInterval: .hours(4))
    #expect(newer?.firingAlerts == [2])
    #expect(log.query(groupKey: "g", receiver: webhook)?.firingAlerts == [2])
}

@Test func gcDropsEntriesWhoseExpiryIsNotAfterNow() {
    var log = NotificationLog()
    log.log(
        groupKey: "short", receiver: webhook, firing: [1], resolved: [], now: t0,
        retention: .hours(120), repeatInterval: .hours(1))
    log.log(
        groupKey: "long", receiver: webhook, firing: [1], resolved: [], now: t0,
        retention: .hours(120), repeatInterval: .hours(4))
    let r1 = log.gc(now: t0.addingTimeInterval(2 * 3600 - 1))
    #expect(r1.isEmpty)
    let dropped = log.gc(now: t0.addingTimeInterval(2 * 3600))
    #expect(dropped.map(\.groupKey) == ["short"])
    #expect(log.count == 1)
    #expect(log.query(groupKey: "long", receiver: webhook) != nil)
}

@Test func mergeKeepsTheNewerTimestampAndSkipsExpiredEntries() {
    var log = NotificationLog()
    func entry(_ offset: Double, firing: Set<UInt64>, expires: Double = 3600) -> NotificationLogEntry {
        NotificationLogEntry(
            groupKey: "g", receiver: webhook, timestamp: t0.addingTimeInterval(offset), firingAlerts: firing,
            resolvedAlerts: [], expiresAt: t0.addingTimeInterval(expires))
    }
    let r2 = log.merge(entry(0, firing: [1]), now: t0)
    #expect(r2)
    let r3 = log.merge(entry(-10, firing: [2]), now: t0)
    #expect(!r3)
    let r4 = log.merge(entry(0, firing: [3]), now: t0)
    #expect(!r4)
    #expect(log.query(groupKey: "g", receiver: webhook)?.firingAlerts == [1])
    let r5 = log.merge(entry(10, firing: [4]), now: t0)
    #expect(r5)
    #expect(log.query(groupKey: "g", receiver: webhook)?.firingAlerts == [4])
    let r6 = log.merge(entry(20, firing: [5], expires: -1), now: t0)
    #expect(!r6)
    let r7 = log.merge(entry(20, firing: [6], expires: 0), now: t0)
    #expect(r7)
    #expect(log.query(groupKey: "g", receiver: webhook)?.firingAlerts == [6])
}
