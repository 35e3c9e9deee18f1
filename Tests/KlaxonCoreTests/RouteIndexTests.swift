import Testing

@testable import KlaxonCore

private func m(_ s: String) throws -> [Matcher] { try Matchers.parse(s).matchers }

/// Alertmanager's `Route.Match` as dispatch/route.go writes it: every child is tried in order, the first match
/// stops the walk unless that child has `continue`, a matching route without matching children takes the alert.
/// The reference the indexed `Route.match` must agree with.
private func matchTryingEveryChild(_ route: Route, _ labels: LabelSet) -> [Route] {
    guard route.matchers.matches(labels) else { return [] }
    var all: [Route] = []
    for child in route.routes {
        let matches = matchTryingEveryChild(child, labels)
        all += matches
        if !matches.isEmpty, !child.continueMatching { break }
    }
    return all.isEmpty ? [route] : all
}

/// The routing config of `../shared/bench` (`routing_config`): 1,000 tenant routes, `continue` on the even ones,
/// then severity routes.
private func benchTree() throws -> Route {
    var routes = try (0..<1000).map { i in
        RouteSpec(
            receiver: "tenant-\(i % 10)", matchers: [try Matcher(type: .equal, name: "tenant_id", value: tenant(i))],
            continueMatching: i % 2 == 0)
    }
    routes += [
        RouteSpec(receiver: "pager", matchers: try m("severity=critical")),
        RouteSpec(receiver: "ticket", matchers: try m("severity=warning")),
        RouteSpec(receiver: "null", matchers: try m(#"severity=~"info|none""#)),
    ]
    return Route(root: RouteSpec(receiver: "null", groupBy: .labels(["alertname", "tenant_id"]), routes: routes))
}

private func tenant(_ i: Int) -> String {
    "t" + String(repeating: "0", count: 4 - String(i).count) + String(i)
}

@Test(arguments: [
    (["tenant_id": "t0020", "severity": "critical"], ["tenant-0", "pager"]),
    (["tenant_id": "t0021", "severity": "critical"], ["tenant-1"]),
    (["tenant_id": "t0998", "severity": "info"], ["tenant-8", "null"]),
    (["tenant_id": "t0999", "severity": "warning"], ["tenant-9"]),
    (["tenant_id": "t5000", "severity": "warning"], ["ticket"]),
    (["severity": "debug"], ["null"]),
])
func thousandTenantRoutesRouteAsTheOrderedWalkDoes(labels: [String: String], receivers: [String]) throws {
    let tree = try benchTree()
    #expect(tree.childIndex.tableCount == 1)
    #expect(tree.match(LabelSet(labels)).map(\.receiver) == receivers)
}

@Test func emptyValueMatcherInAnIndexedRunTakesAlertsWithoutTheLabel() throws {
    let tree = Route(
        root: RouteSpec(
            receiver: "root",
            routes: [
                RouteSpec(receiver: "a", matchers: try m("team=a")),
                RouteSpec(receiver: "b", matchers: try m("team=b")),
                RouteSpec(receiver: "untagged", matchers: try m(#"team="""#)),
                RouteSpec(receiver: "c", matchers: try m(#"team=~"c|d""#)),
                RouteSpec(receiver: "untagged-or-e", matchers: try m(#"team=~"e|""#)),
            ]))
    #expect(tree.childIndex.tableCount == 1)
    #expect(tree.match(["alertname": "x"]).map(\.receiver) == ["untagged"])
    #expect(tree.match(["team": "d"]).map(\.receiver) == ["c"])
    #expect(tree.match(["team": "e"]).map(\.receiver) == ["untagged-or-e"])
    #expect(tree.match(["team": "f"]).map(\.receiver) == ["root"])
}

@Test func regexAndNegativeRoutesBetweenTenantRoutesAreTriedInTheirPlace() throws {
    let tree = Route(
        root: RouteSpec(
            receiver: "root",
            routes: [
                RouteSpec(receiver: "a1", matchers: try m("tenant=a"), continueMatching: true),
                RouteSpec(receiver: "b1", matchers: try m("tenant=b")),
                RouteSpec(receiver: "c1", matchers: try m("tenant=c,severity=critical"), continueMatching: true),
                RouteSpec(receiver: "d1", matchers: try m("tenant=d")),
                RouteSpec(receiver: "not-b", matchers: try m("tenant!=b"), continueMatching: true),
                RouteSpec(receiver: "crit", matchers: try m(#"severity=~"crit.*""#)),
                RouteSpec(receiver: "a2", matchers: try m("tenant=a")),
                RouteSpec(receiver: "b2", matchers: try m("tenant=b")),
                RouteSpec(receiver: "c2", matchers: try m("tenant=c")),
                RouteSpec(receiver: "a3", matchers: try m("tenant=a")),
                RouteSpec(receiver: "everything"),
            ]))
    #expect(tree.childIndex.tableCount == 2)
    #expect(tree.match(["tenant": "a"]).map(\.receiver) == ["a1", "not-b", "a2"])
    #expect(tree.match(["tenant": "a", "severity": "critical"]).map(\.receiver) == ["a1", "not-b", "crit"])
    #expect(tree.match(["tenant": "b", "severity": "critical"]).map(\.receiver) == ["b1"])
    #expect(tree.match(["tenant": "c", "severity": "critical"]).map(\.receiver) == ["c1", "not-b", "crit"])
    #expect(tree.match(["tenant": "c"]).map(\.receiver) == ["not-b", "c2"])
    #expect(tree.match(["tenant": "z"]).map(\.receiver) == ["not-b", "everything"])
}

/// Random trees and label sets: the indexed match returns the same routes, in the same order, as trying every
/// child. Siblings mostly share a label (as tenant routes do) so that runs long enough for a table are common, with
/// regex, negative, empty-value and matcher-less routes mixed in, `continue` at random, up to four levels deep.
@Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
func indexedRouteMatchAgreesWithTryingEveryChildOnRandomTrees(seed: UInt64) throws {
    var rng = SeededGenerator(seed: seed)
    let names = ["tenant", "team", "severity", "env"]
    let values = ["a", "b", "c", "d", "e", ""]
    let regexes = ["a|b", "c", "", "a|", "a.*", ".+", "b|c|d", "(a|e)"]

    func randomMatcher() throws -> Matcher {
        let name = names.randomElement(using: &rng) ?? "env"
        let type = [Matcher.MatchType.equal, .equal, .notEqual, .regexMatch, .regexNoMatch].randomElement(using: &rng)
        let value = (type?.isRegex == true ? regexes : values).randomElement(using: &rng) ?? ""
        return try Matcher(type: type ?? .equal, name: name, value: value)
    }

    func randomSpec(depth: Int) throws -> RouteSpec {
        let childCount = depth >= 3 ? 0 : Int.random(in: 0...(depth == 0 ? 14 : 8), using: &rng)
        let shared = names.randomElement(using: &rng) ?? "tenant"
        var children: [RouteSpec] = []
        for _ in 0..<childCount {
            var matchers: [Matcher] = []
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<6:
                // The sibling label: an equality, or an alternation of literals.
                let value = values.randomElement(using: &rng) ?? ""
                let alternation = [value, values.randomElement(using: &rng) ?? ""].joined(separator: "|")
                matchers.append(
                    Bool.random(using: &rng)
                        ? try Matcher(type: .equal, name: shared, value: value)
                        : try Matcher(type: .regexMatch, name: shared, value: alternation))
            case 6..<9:
                matchers.append(try randomMatcher())
            default:
                break
            }
            for _ in 0..<Int.random(in: 0...2, using: &rng) { matchers.append(try randomMatcher()) }
            var child = try randomSpec(depth: depth + 1)
            child.matchers = matchers
            child.receiver = "r\(Int.random(in: 0..<5, using: &rng))"
            child.continueMatching = Bool.random(using: &rng)
            children.append(child)
        }
        return RouteSpec(routes: children)
    }

    var tables = 0
    var matchedBelowIndexedRoutes = 0
    for _ in 0..<60 {
        var rootSpec = try randomSpec(depth: 0)
        rootSpec.receiver = "root"
        if Int.random(in: 0..<5, using: &rng) == 0 { rootSpec.matchers = [try randomMatcher()] }
        let tree = Route(root: rootSpec)
        let indexed = tree.allRoutes.filter { $0.childIndex.tableCount > 0 }
        tables += indexed.reduce(0) { $0 + $1.childIndex.tableCount }
        for _ in 0..<100 {
            var pairs: [(String, String)] = []
            for name in names where Int.random(in: 0..<4, using: &rng) > 0 {
                pairs.append((name, (values + ["z"]).randomElement(using: &rng) ?? "a"))
            }
            let labels = LabelSet(pairs: pairs)
            let expected = matchTryingEveryChild(tree, labels).map(\.path)
            #expect(tree.match(labels).map(\.path) == expected, "labels \(labels)")
            let belowIndexed = expected.contains { path in
                indexed.contains { path.starts(with: $0.path) && path != $0.path }
            }
            if belowIndexed { matchedBelowIndexedRoutes += 1 }
        }
    }
    // Tables were built, and many alerts were routed by routes that have them.
    #expect(tables > 20)
    #expect(matchedBelowIndexedRoutes > 200)
}
