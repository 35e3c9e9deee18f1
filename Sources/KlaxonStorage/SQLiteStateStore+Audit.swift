import Foundation
import GRDB
import KlaxonCore

/// The audit trail in the state database: one row per entry, its tenants in `audit_tenant` so that a tenant's
/// entries and a tenant principal's view are index lookups.
extension SQLiteStateStore: AuditStore {
    /// Stores an entry with the next sequence number.
    @discardableResult
    public func appendAudit(_ entry: AuditEntry) throws -> AuditEntry {
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO audit (time, kind, principal, remote_address, object, before, after, message)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    entry.time.timeIntervalSince1970, entry.kind.rawValue, entry.principal, entry.remoteAddress,
                    entry.object, entry.before, entry.after, entry.message,
                ])
            var stored = entry
            stored.sequence = db.lastInsertedRowID
            for tenant in entry.tenants {
                try db.execute(
                    sql: "INSERT INTO audit_tenant (sequence, tenant) VALUES (?, ?)",
                    arguments: [stored.sequence, tenant])
            }
            return stored
        }
    }

    /// The entries the query selects, newest first.
    public func audit(_ query: AuditQuery) throws -> [AuditEntry] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if case .tenants(let allowed) = query.scope {
            // Only entries that concern some tenant and no tenant outside the scope.
            conditions.append("EXISTS (SELECT 1 FROM audit_tenant t WHERE t.sequence = audit.sequence)")
            let placeholders = Array(repeating: "?", count: allowed.count).joined(separator: ", ")
            conditions.append(
                "NOT EXISTS (SELECT 1 FROM audit_tenant t WHERE t.sequence = audit.sequence"
                    + (allowed.isEmpty ? ")" : " AND t.tenant NOT IN (\(placeholders)))"))
            for tenant in allowed.sorted() { arguments += [tenant] }
        }
        if let tenant = query.tenant {
            conditions.append("sequence IN (SELECT sequence FROM audit_tenant WHERE tenant = ?)")
            arguments += [tenant]
        }
        if let principal = query.principal {
            conditions.append("principal = ?")
            arguments += [principal]
        }
        if !query.kinds.isEmpty {
            let kinds = query.kinds.map(\.rawValue).sorted()
            conditions.append("kind IN (\(Array(repeating: "?", count: kinds.count).joined(separator: ", ")))")
            for kind in kinds { arguments += [kind] }
        }
        if let since = query.since {
            conditions.append("time >= ?")
            arguments += [since.timeIntervalSince1970]
        }
        if let until = query.until {
            conditions.append("time < ?")
            arguments += [until.timeIntervalSince1970]
        }
        if let before = query.before {
            conditions.append("sequence < ?")
            arguments += [before]
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments += [max(0, query.limit)]
        return try queue.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT sequence, time, kind, principal, remote_address, object, before, after, message,
                        (SELECT group_concat(tenant, char(31)) FROM audit_tenant t WHERE t.sequence = audit.sequence)
                    FROM audit \(filter) ORDER BY sequence DESC LIMIT ?
                    """,
                arguments: arguments)
            return rows.compactMap { row in
                guard let kind = AuditEntry.Kind(rawValue: row[2]) else { return nil }
                let tenants: String? = row[9]
                return AuditEntry(
                    sequence: row[0], time: Date(timeIntervalSince1970: row[1]), kind: kind, principal: row[3],
                    tenants: tenants.map { $0.split(separator: "\u{1F}").map(String.init) } ?? [],
                    remoteAddress: row[4], object: row[5], before: row[6], after: row[7], message: row[8])
            }
        }
    }

    /// Deletes entries older than `cutoff`.
    @discardableResult
    public func pruneAudit(olderThan cutoff: Date) throws -> Int {
        try queue.write { db in
            try db.execute(
                sql: "DELETE FROM audit_tenant WHERE sequence IN (SELECT sequence FROM audit WHERE time < ?)",
                arguments: [cutoff.timeIntervalSince1970])
            try db.execute(sql: "DELETE FROM audit WHERE time < ?", arguments: [cutoff.timeIntervalSince1970])
            return db.changesCount
        }
    }
}
