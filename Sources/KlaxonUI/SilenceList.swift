import Foundation
import KlaxonAPIModels
import KlaxonCore
import KlaxonGoCompat

/// The silence list: active, pending and expired silences (already scoped to the caller), and the maintenance
/// windows klaxonctl opened from CI among them with their key, pipeline, commit and actor.
public struct SilenceList: Sendable {
    /// One silence as the page shows it.
    public struct Row: Sendable, Hashable {
        /// The ID.
        public var id: String
        /// `{a="1",b=~"x"}`.
        public var matchers: String
        /// `active`, `pending` or `expired`.
        public var state: String
        /// RFC 3339 start.
        public var startsAt: String
        /// RFC 3339 end.
        public var endsAt: String
        /// The author.
        public var createdBy: String
        /// The comment.
        public var comment: String
        /// Whether it can still be expired (active or pending).
        public var expirable: Bool
        /// Whether the page was asked to show this silence (`?id=`).
        public var highlighted: Bool
        /// The alert list of what it matches (for a silence that is not expired).
        public var alertsLink: String
        /// The maintenance window it belongs to, nil for an ordinary silence.
        public var window: MaintenanceMarker.Window?
    }

    /// One state's silences.
    public struct Section: Sendable, Hashable {
        /// `Active`, `Pending` or `Expired`.
        public var title: String
        /// How many.
        public var count: Int
        /// The silences (active by end, pending by start, expired most recent first, as Alertmanager's list).
        public var silences: [Row]
    }

    /// Active, pending, expired.
    public var sections: [Section]
    /// The open (active or pending) maintenance windows.
    public var windows: [Row]

    /// Builds the list.
    /// - Parameters:
    ///   - silences: the silences the caller may see.
    ///   - filter: matchers each listed silence must have among its own (the API's `filter` rule).
    ///   - highlight: a silence ID to mark.
    ///   - expiredLimit: how many expired silences to show at most (most recent first).
    public init(
        silences: [GettableSilence], filter: [SilenceMatcherSpec], highlight: String, links: UILinks,
        expiredLimit: Int = 100
    ) {
        let selected = silences.filter { silence in filter.allSatisfy { silence.matchers.contains($0) } }
        func row(_ silence: GettableSilence) -> Row {
            let state = silence.state ?? .active
            let matchers = silence.matchers.compactMap { try? Matcher(type: $0.type, name: $0.name, value: $0.value) }
            return Row(
                id: silence.id, matchers: UILinks.matcherList(silence.matchers), state: state.rawValue,
                startsAt: GoTime.rfc3339Millis(silence.startsAt), endsAt: GoTime.rfc3339Millis(silence.endsAt),
                createdBy: silence.createdBy, comment: silence.comment, expirable: state != .expired,
                highlighted: silence.id == highlight, alertsLink: links.alerts(matchers),
                window: MaintenanceMarker.window(of: silence))
        }
        let active = selected.filter { $0.state == .active }.sorted { $0.endsAt < $1.endsAt }
        let pending = selected.filter { $0.state == .pending }.sorted { $0.startsAt < $1.startsAt }
        let expired = selected.filter { $0.state == .expired }.sorted { $0.endsAt > $1.endsAt }
        sections = [
            Section(title: "Active", count: active.count, silences: active.map(row)),
            Section(title: "Pending", count: pending.count, silences: pending.map(row)),
            Section(title: "Expired", count: expired.count, silences: expired.prefix(expiredLimit).map(row)),
        ]
        windows = (active + pending).map(row).filter { $0.window != nil }
    }
}

/// The silence editor: the form's fields as typed, what went wrong, and the alerts the matchers select now.
public struct SilenceEditor: Sendable {
    /// The alerts a silence would match, as the preview shows them.
    public struct Preview: Sendable, Hashable {
        /// How many alerts match in all.
        public var total: Int
        /// The first of them.
        public var alerts: [AlertList.Row]
        /// Whether `alerts` is not all of them.
        public var truncated: Bool
    }

    /// The matchers as typed (`{a="1", b=~"x"}` or `a="1", b=~"x"`).
    public var matchers: String
    /// The duration (`2h`, `1d`...).
    public var duration: String
    /// The author.
    public var createdBy: String
    /// The comment.
    public var comment: String
    /// The ID when editing an existing silence, empty for a new one.
    public var id: String
    /// Why the last attempt failed, nil when it did not.
    public var error: String?
    /// The tenant the caller is confined to, pre-filled in `matchers` (nil for callers that see every tenant).
    public var tenantHint: String?
    /// The alerts matched now, nil when the matchers do not parse or are empty.
    public var preview: Preview?

    /// A form.
    public init(
        matchers: String, duration: String = "2h", createdBy: String = "", comment: String = "", id: String = "",
        error: String? = nil, tenantHint: String? = nil, preview: Preview? = nil
    ) {
        self.matchers = matchers
        self.duration = duration
        self.createdBy = createdBy
        self.comment = comment
        self.id = id
        self.error = error
        self.tenantHint = tenantHint
        self.preview = preview
    }

    /// Parses the matcher field as Alertmanager's silence editor does (`Matchers.parse`: a list with optional
    /// braces); an empty set is refused, as is a set whose matchers all match the empty string.
    public static func parseMatchers(_ text: String) -> Result<[Matcher], MatcherError> {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let matchers: [Matcher]
        do {
            matchers = trimmed.isEmpty || trimmed == "{}" ? [] : try Matchers.parse(trimmed).matchers
        } catch {
            return .failure(error)
        }
        if matchers.isEmpty { return .failure(MatcherError("a silence needs at least one matcher")) }
        return .success(matchers)
    }

    /// The preview of `matching` (already scoped), first `limit` rows.
    public static func preview(
        _ matching: [GettableAlert], inhibitors: [String: GettableAlert], links: UILinks, limit: Int = 20
    ) -> Preview {
        let list = AlertList(
            alerts: matching, inhibitors: inhibitors, groupBy: "", links: links, page: 1, pageSize: limit)
        return Preview(
            total: matching.count, alerts: list.groups.flatMap(\.alerts), truncated: matching.count > limit)
    }

    /// The matcher a tenant-confined caller's silence needs (the one the server's refusal suggests), nil for callers
    /// that see every tenant.
    public static func tenantMatcher(scope: TenantScope, tenantLabel: String) -> String? {
        guard case .tenants(let tenants) = scope, !tenants.isEmpty else { return nil }
        return SilenceConfinement.suggestedMatcher(tenants, tenantLabel)
    }
}
