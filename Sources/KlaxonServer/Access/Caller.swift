import Hummingbird
import KlaxonCore
import NIOCore

/// Whom a request acts for. Without an access file every request is `.unrestricted`, exactly as Alertmanager serves
/// it; with one, the access middleware sets the authenticated principal.
public enum Caller: Sendable, Equatable {
    /// No access file: every action, every tenant.
    case unrestricted
    /// An authenticated principal, and the label that names an alert's tenant for it.
    case principal(Principal, tenantLabel: String)

    /// Whether the caller may perform `action` at all.
    public func may(_ action: Action) -> Bool {
        switch self {
        case .unrestricted: true
        case .principal(let principal, _): principal.may(action)
        }
    }

    /// Whether data labelled `labels` (an alert, a group's alert) is the caller's to see or post.
    public func sees(_ labels: LabelSet) -> Bool {
        switch self {
        case .unrestricted: true
        case .principal(let principal, let tenantLabel): principal.scope.includes(labels, tenantLabel: tenantLabel)
        }
    }

    /// Whether a silence with these matchers is the caller's to see, update or expire.
    public func sees(silence matchers: [SilenceMatcherSpec]) -> Bool {
        switch self {
        case .unrestricted: return true
        case .principal(let principal, let tenantLabel):
            return SilenceConfinement.isVisible(matchers, in: principal.scope, tenantLabel: tenantLabel)
        }
    }

    /// Why the caller may not create or change a silence with these matchers, nil when it may.
    public func refusal(silence matchers: [SilenceMatcherSpec]) -> AccessDenied? {
        switch self {
        case .unrestricted: nil
        case .principal(let principal, let tenantLabel):
            SilenceConfinement.check(matchers, by: principal, tenantLabel: tenantLabel)
        }
    }

    /// The tenants whose data the caller sees.
    public var scope: TenantScope {
        switch self {
        case .unrestricted: .all
        case .principal(let principal, _): principal.scope
        }
    }

    /// Whether the caller sees every tenant (an admin, or no access file).
    public var seesEverything: Bool {
        switch self {
        case .unrestricted: true
        case .principal(let principal, _): principal.scope == .all
        }
    }

    /// The principal's name for logs and the audit trail; "" without an access file.
    public var name: String {
        switch self {
        case .unrestricted: ""
        case .principal(let principal, _): principal.name
        }
    }

    /// The tenant label, when the caller is a principal.
    public var tenantLabel: String? {
        switch self {
        case .unrestricted: nil
        case .principal(_, let tenantLabel): tenantLabel
        }
    }
}

/// Who sent a request and from where: what a handler needs to authorize, scope and audit it.
public struct RequestOrigin: Sendable {
    /// Whom the request acts for.
    public var caller: Caller
    /// The client's address (`ip:port`), "" when unknown.
    public var remoteAddress: String
}

/// A request context that carries the caller, for the API and anything else that scopes by tenant.
public protocol CallerRequestContext: RequestContext {
    /// Whom the request acts for.
    var caller: Caller { get set }
    /// The client's address (`ip:port`), for the audit trail.
    var remoteAddress: String { get }
}

/// Klaxon's request context: Hummingbird's core storage plus the caller.
public struct KlaxonRequestContext: CallerRequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// Whom the request acts for; `.unrestricted` until the access middleware says otherwise.
    public var caller: Caller = .unrestricted
    /// The client's address.
    public let remoteAddress: String

    /// A context for a request arriving on `source`'s channel.
    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        remoteAddress = Self.describe(source.channel.remoteAddress)
    }

    private static func describe(_ address: SocketAddress?) -> String {
        guard let address else { return "" }
        guard let ip = address.ipAddress else { return address.description }
        let host = ip.contains(":") ? "[\(ip)]" : ip
        return address.port.map { "\(host):\($0)" } ?? host
    }
}
