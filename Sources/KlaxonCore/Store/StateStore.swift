import Foundation

/// Durable state: silences and the notification log. Every change is written when it happens, so a
/// `kill -9` loses nothing that was acknowledged. Implemented by KlaxonStorage (SQLite, in memory).
public protocol StateStore: Sendable {
    /// Every stored silence.
    func loadSilences() throws -> [Silence]
    /// Every stored notification-log entry.
    func loadNotificationLog() throws -> [NotificationLogEntry]
    /// Writes (inserts or replaces) silences and deletes the given ids.
    func saveSilences(_ silences: [Silence], removing ids: [String]) throws
    /// Writes (inserts or replaces) notification-log entries and deletes the given keys.
    func saveNotificationLog(_ entries: [NotificationLogEntry], removing keys: [NotificationLogKey]) throws
}
