/// What an authenticated caller is allowed to do, from the access file (`--access.config.file`).
///
/// The decisions here are pure: the server authenticates a request to a `Principal` and asks these types what it
/// may do and which tenants' data it may see. Without an access file there is no principal and no check, as in
/// Alertmanager.
public struct Principal: Hashable, Sendable {
    /// The principal's name (a `basic_auth_users` user of the web config, or a token's name).
    public var name: String
    /// The role, which decides the actions.
    public var role: Role
    /// The tenants a tenant-scoped role acts in; ignored for admins, who act in every tenant.
    public var tenants: Set<String>

    /// Creates a principal.
    public init(name: String, role: Role, tenants: Set<String> = []) {
        self.name = name
        self.role = role
        self.tenants = tenants
    }

    /// Which tenants' alerts, silences and audit entries the principal sees.
    public var scope: TenantScope { role == .admin ? .all : .tenants(tenants) }

    /// Whether the role allows `action` at all (what data it then sees is `scope`'s decision).
    public func may(_ action: Action) -> Bool { role.actions.contains(action) }
}

/// The roles of the access file.
public enum Role: String, Hashable, Sendable, CaseIterable {
    /// Every tenant, platform alerts, config, status, reload and metrics.
    case admin
    /// Reads its tenants' alerts and silences, silences and opens maintenance windows in them.
    case tenantAdmin = "tenant-admin"
    /// Reads its tenants' alerts and silences.
    case viewer
    /// Posts alerts for its tenants, nothing else (a rule evaluator).
    case sender

    /// The actions the role allows.
    public var actions: Set<Action> {
        switch self {
        case .admin: Set(Action.allCases)
        case .tenantAdmin: [.readAlerts, .readSilences, .writeSilences, .readStatus, .readAudit]
        case .viewer: [.readAlerts, .readSilences, .readStatus, .readAudit]
        case .sender: [.postAlerts]
        }
    }
}

/// What a request does, as far as authorization is concerned.
public enum Action: String, Hashable, Sendable, CaseIterable {
    /// `GET /api/v2/alerts`, `/api/v2/alerts/groups`.
    case readAlerts
    /// `POST /api/v2/alerts` (and v1).
    case postAlerts
    /// `GET /api/v2/silences`, `/api/v2/silence/{id}`.
    case readSilences
    /// `POST /api/v2/silences`, `DELETE /api/v2/silence/{id}`.
    case writeSilences
    /// `GET /api/v2/status`, `/api/v2/receivers` (tenant principals get a filtered view).
    case readStatus
    /// The full configuration, unfiltered.
    case readConfig
    /// `POST /-/reload`.
    case reload
    /// `GET /metrics`.
    case readMetrics
    /// The audit trail (tenant principals see their tenants' entries).
    case readAudit
}

/// The tenants whose data a principal sees.
public enum TenantScope: Hashable, Sendable {
    /// Every tenant and the platform's own alerts (those without a tenant label).
    case all
    /// Only these tenants; alerts without a tenant label are not among them.
    case tenants(Set<String>)

    /// Whether data of `tenant` is visible; `nil` or `""` is a platform alert, which only `.all` sees.
    public func includes(tenant: String?) -> Bool {
        switch self {
        case .all: return true
        case .tenants(let tenants):
            guard let tenant, !tenant.isEmpty else { return false }
            return tenants.contains(tenant)
        }
    }

    /// Whether an alert (or anything else labelled) with `labels` is visible, its tenant read from `tenantLabel`.
    public func includes(_ labels: LabelSet, tenantLabel: String) -> Bool {
        includes(tenant: labels[tenantLabel])
    }

    /// Whether a route (or inhibition side) with these matchers serves other tenants only: one of its matchers on
    /// `tenantLabel` accepts none of the scope's tenants. Matchers without a tenant matcher are shared.
    public func excludes(_ matchers: [Matcher], tenantLabel: String) -> Bool {
        guard case .tenants(let tenants) = self else { return false }
        return matchers.contains { $0.name == tenantLabel && !tenants.contains(where: $0.matches) }
    }
}

extension Route {
    /// The receivers that alerts of `scope`'s tenants can reach: every route's receiver, except routes below a
    /// matcher on `tenantLabel` that accepts none of the scope's tenants (those serve other tenants). Receivers of
    /// shared routes (no tenant matcher on their path) are included: the tenant's alerts can reach them too.
    public func receivers(reachableBy scope: TenantScope, tenantLabel: String) -> Set<String> {
        guard case .tenants = scope else { return Set(allRoutes.map(\.receiver)) }
        var reachable: Set<String> = []
        func visit(_ route: Route) {
            guard !scope.excludes(route.matchers.matchers, tenantLabel: tenantLabel) else { return }
            reachable.insert(route.receiver)
            route.routes.forEach(visit)
        }
        visit(self)
        return reachable
    }
}
