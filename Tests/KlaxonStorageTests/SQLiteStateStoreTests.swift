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

@Test func thousandsOfLogEntriesWithEmptyAndLargeAlertSetsComeBackIntactAfterReopening() throws {
    let directory = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let entries = (0..<3000).map { i in
        NotificationLogEntry(
            groupKey: "{}:{instance=\"i\(i)\"}",
            receiver: ReceiverKey(groupName: "r\(i % 3)", integration: "slack", index: i % 2),
            timestamp: t0 + Double(i),
            firingAlerts: i % 5 == 0 ? [] : Set((0..<UInt64(i % 40)).map { $0 &* 0x9E37_79B9_7F4A_7C15 }),
            resolvedAlerts: i % 7 == 0 ? [UInt64(i)] : [], expiresAt: t0 + 7200)
    }
    try SQLiteStateStore(directory: directory).saveNotificationLog(entries, removing: [])
    let loaded = try SQLiteStateStore(directory: directory).loadNotificationLog()
    #expect(loaded.count == entries.count)
    #expect(
        Dictionary(uniqueKeysWithValues: loaded.map { ($0.key, $0) })
            == Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0) }))
}

@Test func memoryStoragePathKeepsStateInMemoryAndWritesNoFiles() throws {
    let marker = StateStores.inMemoryPath
    let existedBefore = FileManager.default.fileExists(atPath: marker)
    let store = try StateStores.open(storagePath: marker)
    defer { if !existedBefore { try? FileManager.default.removeItem(atPath: marker) } }
    #expect(store is InMemoryStateStore)
    #expect(FileManager.default.fileExists(atPath: marker) == existedBefore)
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let silence = Silence(
        id: "0b1c7d0e-0000-4000-8000-000000000002", matchers: [try Matcher.parse("tenant_id=acme")],
        startsAt: t0, endsAt: t0 + 60, updatedAt: t0, createdBy: "ci", comment: "throwaway")
    try store.saveSilences([silence], removing: [])
    #expect(try store.loadSilences() == [silence])
}

@Test func otherStoragePathsOpenTheSQLiteDatabaseInThatDirectory() throws {
    let directory = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let store = try StateStores.open(storagePath: directory)
    #expect(store is SQLiteStateStore)
    #expect(FileManager.default.fileExists(atPath: directory + "/klaxon.db"))
}
