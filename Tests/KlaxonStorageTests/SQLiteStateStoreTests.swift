import Foundation
import KlaxonCore
import Testing

@testable import KlaxonStorage

private func temporaryDirectory() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("klaxon-storage-\(UUID().uuidString)").path
}

@Test func silencesSurviveReopeningTheDatabase() throws {
    let directory = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let silence = Silence(
        id: "0b1c7d0e-0000-4000-8000-000000000001",
        matchers: [try Matcher.parse(#"tenant_id=~"fin.*""#), try Matcher.parse("severity!=info")],
        startsAt: t0, endsAt: t0 + 3600, updatedAt: t0, createdBy: "ci", comment: "deploy")
    try SQLiteStateStore(directory: directory).saveSilences([silence], removing: [])
    let loaded = try SQLiteStateStore(directory: directory).loadSilences()
    #expect(loaded == [silence])
}

@Test func notificationLogEntriesRoundTripAndCanBeDeleted() throws {
    let directory = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let entry = NotificationLogEntry(
        groupKey: #"{}:{alertname="A"}"#, receiver: ReceiverKey(groupName: "hook", integration: "webhook", index: 0),
        timestamp: t0, firingAlerts: [1, UInt64.max, 42], resolvedAlerts: [7], expiresAt: t0 + 7200)
    let store = try SQLiteStateStore(directory: directory)
    try store.saveNotificationLog([entry], removing: [])
    #expect(try SQLiteStateStore(directory: directory).loadNotificationLog() == [entry])
    try store.saveNotificationLog([], removing: [entry.key])
    #expect(try store.loadNotificationLog().isEmpty)
}
