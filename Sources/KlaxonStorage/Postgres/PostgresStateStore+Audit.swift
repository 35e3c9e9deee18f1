import Foundation
import KlaxonCore
import PostgresNIO

/// The audit trail in PostgreSQL: one row per entry, its tenants in a `TEXT[]` column with a GIN index, so a tenant's
/// entries and a tenant principal's view are index lookups.
extension PostgresStateStore: AuditStore {
    /// Stores an entry with the next sequence number (an identity column: increasing, shared by every replica).
    @discardableResult
    public func appendAudit(_ entry: AuditEntry) throws -> AuditEntry {
        let rows = try link.query(
            """
            INSERT INTO audit ("time", kind, principal, tenants, remote_address, object, before, after, message)
            VALUES (\(entry.time.timeIntervalSince1970), \(entry.kind.rawValue), \(entry.principal),
                \(entry.tenants)::text[], \(entry.remoteAddress), \(entry.object), \(entry.before), \(entry.after),
                \(entry.message))
            RETURNING sequence
            """)
        guard let row = rows.first else { throw StorageError("PostgreSQL returned no sequence for an audit entry") }
        var stored = entry
        stored.sequence = try row.decode(Int64.self)
        return stored
    }

    /// The entries the query selects, newest first (`AuditQuery.matches` is the definition this follows).
    public func audit(_ query: AuditQuery) throws -> [AuditEntry] {
        var bindings = PostgresBindings()
        var conditions: [String] = []
        func bind(_ value: some PostgresEncodable & Sendable) throws -> String {
            try bindings.append(value)
            return "$\(bindings.count)"
        }
        if case .tenants(let allowed) = query.scope {
            // Only entries that concern some tenant and no tenant outside the scope.
            let tenants = try bind(allowed.sorted())
            conditions.append("cardinality(tenants) > 0 AND tenants <@ \(tenants)::text[]")
        }
        if let tenant = query.tenant {
            let tenant = try bind(tenant)
            conditions.append("tenants @> ARRAY[\(tenant)]::text[]")
        }
        if let principal = query.principal {
            let principal = try bind(principal)
            conditions.append("principal = \(principal)")
        }
        if !query.kinds.isEmpty {
            let kinds = try bind(query.kinds.map(\.rawValue).sorted())
            conditions.append("kind = ANY(\(kinds)::text[])")
        }
        if let since = query.since {
            let since = try bind(since.timeIntervalSince1970)
            conditions.append(#""time" >= \#(since)"#)
        }
        if let until = query.until {
            let until = try bind(until.timeIntervalSince1970)
            conditions.append(#""time" < \#(until)"#)
        }
        if let before = query.before {
            let before = try bind(before)
            conditions.append("sequence < \(before)")
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let limit = try bind(Int64(max(0, query.limit)))
        let rows = try link.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT sequence, "time", kind, principal, tenants, remote_address, object, before, after, message
                    FROM audit \(filter) ORDER BY sequence DESC LIMIT \(limit)
                    """,
                binds: bindings))
        return try rows.compactMap { row in
            let (sequence, time, kind, principal, tenants, remoteAddress, object, before, after, message) =
                try row.decode(
                    (Int64, Double, String, String, [String], String, String, String?, String?, String).self)
            guard let kind = AuditEntry.Kind(rawValue: kind) else { return nil }
            return AuditEntry(
                sequence: sequence, time: Date(timeIntervalSince1970: time), kind: kind, principal: principal,
                tenants: tenants, remoteAddress: remoteAddress, object: object, before: before, after: after,
                message: message)
        }
    }

    /// Deletes entries older than `cutoff`.
    @discardableResult
    public func pruneAudit(olderThan cutoff: Date) throws -> Int {
        try link.query(#"DELETE FROM audit WHERE "time" < \#(cutoff.timeIntervalSince1970)"#).metadata.rows ?? 0
    }
}
