import KlaxonAPIModels
import KlaxonCore

/// The overview page: per tenant, how many alerts fire, are silenced or inhibited and which alert names are
/// loudest; the alert names firing in many tenants at once ("spread"); and the platform's own alerts (no tenant
/// label). Computed in one pass over the alerts the caller may see; only counts and the current page of tenants
/// reach the page, never the alerts themselves.
public struct Overview: Sendable {
    /// One alert name and how many alerts carry it.
    public struct NameCount: Sendable, Hashable {
        /// The `alertname`.
        public var name: String
        /// How many alerts.
        public var count: Int
        /// The alert list filtered to this name (and tenant).
        public var link: String
    }

    /// One tenant's row (or the platform's, with `tenant` empty).
    public struct TenantRow: Sendable, Hashable {
        /// The tenant label's value.
        public var tenant: String
        /// Alerts that are not resolved.
        public var total: Int
        /// Alerts neither silenced nor inhibited.
        public var firing: Int
        /// Alerts muted by a silence.
        public var silenced: Int
        /// Alerts muted by an inhibition rule.
        public var inhibited: Int
        /// The alert names with the most firing alerts (then the most alerts), at most `loudestCount`.
        public var loudest: [NameCount]
        /// The tenant's alert list.
        public var link: String
        /// The silence editor pre-filled with the tenant matcher.
        public var silenceLink: String
    }

    /// An alert name seen in several tenants.
    public struct SpreadRow: Sendable, Hashable {
        /// The `alertname`.
        public var name: String
        /// In how many tenants it fires (not muted).
        public var firingTenants: Int
        /// In how many tenants it is present in any state.
        public var tenants: Int
        /// How many alerts carry it across tenants.
        public var alerts: Int
        /// A few of the tenants, sorted.
        public var sample: [String]
        /// Whether there are more tenants than `sample` shows.
        public var more: Bool
        /// The alert list for this name, grouped by tenant.
        public var link: String
    }

    /// How the tenant table is sorted.
    public enum Sort: String, Sendable, CaseIterable {
        case tenant, total, firing, silenced, inhibited
    }

    /// The tenants of the current page.
    public var tenants: [TenantRow]
    /// How many tenants there are in all.
    public var tenantCount: Int
    /// Alert names in at least `minSpread` tenants, by firing tenants then tenants then name.
    public var spread: [SpreadRow]
    /// Alerts without the tenant label, nil when there are none.
    public var platform: TenantRow?
    /// Totals over everything the caller sees.
    public var totals: TenantRow
    /// The page shown (from 1) and how many there are.
    public var page: Int
    /// How many pages of tenants.
    public var pages: Int

    /// Builds the overview.
    /// - Parameters:
    ///   - alerts: the alerts the caller may see (not resolved).
    ///   - tenantLabel: `--tenant.label`.
    ///   - sort: the tenant table's column; numbers sort largest first, tenants by name.
    ///   - page: from 1; out of range pages are clamped.
    ///   - pageSize: tenants per page.
    ///   - minSpread: how many tenants an alert name must fire in to count as spread.
    public init(
        alerts: [GettableAlert], tenantLabel: String, links: UILinks, sort: Sort = .firing, page: Int = 1,
        pageSize: Int = 50, minSpread: Int = 2, loudestCount: Int = 3, spreadLimit: Int = 50
    ) {
        struct Counter {
            var total = 0
            var firing = 0
            var silenced = 0
            var inhibited = 0
            var names: [String: (firing: Int, total: Int)] = [:]

            mutating func add(_ alert: GettableAlert, name: String) {
                total += 1
                let isFiring = alert.silencedBy.isEmpty && alert.inhibitedBy.isEmpty
                if isFiring { firing += 1 }
                if !alert.silencedBy.isEmpty { silenced += 1 }
                if !alert.inhibitedBy.isEmpty { inhibited += 1 }
                names[name, default: (0, 0)].firing += isFiring ? 1 : 0
                names[name, default: (0, 0)].total += 1
            }
        }
        var byTenant: [String: Counter] = [:]
        var platform = Counter()
        var all = Counter()
        // alertname → tenant → firing in that tenant
        var spread: [String: [String: Bool]] = [:]
        for alert in alerts {
            let name = alert.labels["alertname"] ?? ""
            all.add(alert, name: name)
            guard let tenant = alert.labels[tenantLabel], !tenant.isEmpty else {
                platform.add(alert, name: name)
                continue
            }
            byTenant[tenant, default: Counter()].add(alert, name: name)
            let isFiring = alert.silencedBy.isEmpty && alert.inhibitedBy.isEmpty
            spread[name, default: [:]][tenant] = (spread[name]?[tenant] ?? false) || isFiring
        }

        func row(_ tenant: String, _ counter: Counter, scope: [Matcher]) -> TenantRow {
            let loudest = counter.names.sorted { a, b in
                if a.value.firing != b.value.firing { return a.value.firing > b.value.firing }
                if a.value.total != b.value.total { return a.value.total > b.value.total }
                return a.key < b.key
            }.prefix(loudestCount).map { name, count in
                NameCount(
                    name: name, count: count.total, link: links.alerts(scope + [UILinks.equal("alertname", name)]))
            }
            return TenantRow(
                tenant: tenant, total: counter.total, firing: counter.firing, silenced: counter.silenced,
                inhibited: counter.inhibited, loudest: Array(loudest), link: links.alerts(scope),
                silenceLink: links.newSilence(scope))
        }

        let keys: [(String, Counter)] = byTenant.sorted { a, b in
            func key(_ counter: Counter) -> Int {
                switch sort {
                case .tenant: 0
                case .total: counter.total
                case .firing: counter.firing
                case .silenced: counter.silenced
                case .inhibited: counter.inhibited
                }
            }
            let (ka, kb) = (key(a.value), key(b.value))
            return ka != kb ? ka > kb : a.key < b.key
        }
        let size = max(1, pageSize)
        pages = max(1, (keys.count + size - 1) / size)
        self.page = min(max(1, page), pages)
        tenantCount = keys.count
        tenants = keys.dropFirst((self.page - 1) * size).prefix(size).map { tenant, counter in
            row(tenant, counter, scope: [UILinks.equal(tenantLabel, tenant)])
        }
        self.platform = platform.total == 0 ? nil : row("", platform, scope: [UILinks.equal(tenantLabel, "")])
        totals = row("", all, scope: [])

        self.spread = spread.compactMap { name, tenants -> SpreadRow? in
            guard tenants.count >= minSpread else { return nil }
            let sample = tenants.keys.sorted()
            let alerts = tenants.keys.reduce(0) { $0 + (byTenant[$1]?.names[name]?.total ?? 0) }
            return SpreadRow(
                name: name, firingTenants: tenants.values.filter { $0 }.count, tenants: tenants.count, alerts: alerts,
                sample: Array(sample.prefix(5)), more: sample.count > 5,
                link: links.alerts([UILinks.equal("alertname", name)], groupBy: tenantLabel))
        }.sorted { a, b in
            if a.firingTenants != b.firingTenants { return a.firingTenants > b.firingTenants }
            if a.tenants != b.tenants { return a.tenants > b.tenants }
            return a.name < b.name
        }.prefix(spreadLimit).map { $0 }
    }
}
