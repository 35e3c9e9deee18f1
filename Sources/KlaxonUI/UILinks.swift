import KlaxonCore
import KlaxonGoCompat

/// The UI's own URLs under the route prefix, so that every page builds links the same way and filters stay
/// shareable (everything a page shows is in its query string).
public struct UILinks: Sendable, Hashable {
    /// The route prefix without a trailing slash (`""` for `/`).
    public let base: String

    /// Links under `base` (`--web.route-prefix` normalized: no trailing slash).
    public init(base: String) { self.base = base }

    /// A UI path with its query (`pairs` with an empty value are left out).
    public func page(_ path: String, _ pairs: [(String, String)] = []) -> String {
        let kept = pairs.filter { !$0.1.isEmpty }
        let query = kept.isEmpty ? "" : "?" + GoURL.encodeQuery(kept)
        return base + "/ui/" + path + query
    }

    /// The alert list filtered by `matchers` (one `filter` parameter in `{...}` form, as Alertmanager's UI links).
    public func alerts(_ matchers: [Matcher], groupBy: String = "") -> String {
        page("alerts", [("filter", Self.matcherList(matchers)), ("group", groupBy)])
    }

    /// An alert's detail page (its fingerprint, 16 hex digits).
    public func alert(_ fingerprint: String) -> String { base + "/ui/alerts/" + fingerprint }

    /// An aggregation group's detail page: the group key, its receiver and its group labels (so that only that
    /// receiver's groups, and in them only alerts with those labels, are looked at; the key decides).
    public func group(key: String, receiver: String, labels: LabelSet) -> String {
        let matchers = labels.labels.map { Self.equal($0.name, $0.value) }
        return page("groups", [("receiver", receiver), ("key", key), ("filter", Self.matcherList(matchers))])
    }

    /// A silence in the silence list.
    public func silence(_ id: String) -> String { page("silences", [("id", id)]) }

    /// The silence editor pre-filled with `matchers`.
    public func newSilence(_ matchers: [Matcher]) -> String {
        page("silences/new", [("filter", Self.matcherList(matchers))])
    }

    /// `{a="1",b=~"x"}` (`Matchers`' own form, which `Matchers.parse` reads back); empty for no matchers.
    public static func matcherList(_ matchers: [Matcher]) -> String {
        matchers.isEmpty ? "" : Matchers(matchers).description
    }

    /// The same for silence matchers.
    public static func matcherList(_ matchers: [SilenceMatcherSpec]) -> String {
        matchers.isEmpty ? "" : "{" + matchers.map(\.description).joined(separator: ",") + "}"
    }

    /// An `=` matcher.
    public static func equal(_ name: String, _ value: String) -> Matcher {
        do {
            return try Matcher(type: .equal, name: name, value: value)
        } catch {
            preconditionFailure("an = matcher has no regular expression to compile")
        }
    }
}
