import Hummingbird
import KlaxonGoCompat

/// One endpoint of the route table: a path pattern, how it answers methods it does not serve, and its
/// handlers in the order its `Allow` header lists them.
struct APIRoute<Handler: Sendable>: Sendable {
    /// How a route's path is matched and how it refuses a method; each mirrors the Alertmanager 0.25 code that
    /// serves the path.
    enum Dialect: Sendable {
        /// Alertmanager's own handlers (Go `net/http` with httprouter): the exact path; another method gets a
        /// plain-text 405 whose `Allow` is the route's methods plus OPTIONS, sorted, joined by `", "`.
        case httprouter
        /// API v2 (go-openapi): one trailing slash is ignored; another method gets a JSON 405 whose `Allow` is the
        /// route's methods in table order joined by `","`; a HEAD request gets its answer without a body.
        case openAPI
        /// The exact path, served for its methods only: another method is passed on to the next responder.
        case passOn
    }

    /// What the table holds for one method.
    enum Methods: Sendable {
        /// One handler for every method.
        case any(Handler)
        /// Handlers by method, in `Allow` order.
        case only([(method: HTTPRequest.Method, handler: Handler)])
    }

    /// The pattern: a literal path, optionally ending in one `{name}` segment.
    let pattern: String
    /// How the path is matched and other methods are refused.
    let dialect: Dialect
    /// The handlers.
    let methods: Methods
    /// The literal part of `pattern` before its `{name}` segment, nil without one.
    private let parameterPrefix: Substring?

    /// A route answering every method with `handler`.
    init(_ pattern: String, _ dialect: Dialect, any handler: Handler) {
        self.init(pattern: pattern, dialect: dialect, methods: .any(handler))
    }

    /// A route with one handler per method; the order is the `Allow` order of the openAPI dialect.
    init(_ pattern: String, _ dialect: Dialect, _ handlers: KeyValuePairs<HTTPRequest.Method, Handler>) {
        self.init(
            pattern: pattern, dialect: dialect, methods: .only(handlers.map { (method: $0.key, handler: $0.value) }))
    }

    private init(pattern: String, dialect: Dialect, methods: Methods) {
        self.pattern = pattern
        self.dialect = dialect
        self.methods = methods
        if pattern.hasSuffix("}"), let open = pattern.lastIndex(of: "{") {
            parameterPrefix = pattern[..<open]
        } else {
            parameterPrefix = nil
        }
    }

    /// Whether `path` (below the route prefix) is this route's: nil if not, else the `{name}` segment
    /// (percent-decoded; `""` for a literal pattern).
    func match(_ path: String) -> String? {
        var path = Substring(path)
        if dialect == .openAPI, path.hasSuffix("/") { path = path.dropLast() }
        guard let parameterPrefix else { return path == pattern ? "" : nil }
        guard path.hasPrefix(parameterPrefix) else { return nil }
        let segment = path.dropFirst(parameterPrefix.count)
        guard !segment.isEmpty, !segment.contains("/") else { return nil }
        return GoURL.pathUnescape(segment) ?? String(segment)
    }

    /// The handler for `method`, nil when the route does not serve it.
    func handler(for method: HTTPRequest.Method) -> Handler? {
        switch methods {
        case .any(let handler): handler
        case .only(let handlers): handlers.first { $0.method == method }?.handler
        }
    }

    /// The `Allow` header of a 405, in the route's dialect.
    var allow: String {
        guard case .only(let handlers) = methods else { return "" }
        let names = handlers.map(\.method.rawValue)
        switch dialect {
        case .httprouter: return (names + [HTTPRequest.Method.options.rawValue]).sorted().joined(separator: ", ")
        case .openAPI, .passOn: return names.joined(separator: ",")
        }
    }
}
