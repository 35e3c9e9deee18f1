import Testing

@testable import KlaxonCore

private func m(_ s: String) throws -> [Matcher] { try Matchers.parse(s).matchers }

/// The tenant tree of ../shared/configs/tenant-routing.yml.
private func tenantTree() throws -> Route {
    Route(
        root: RouteSpec(
            receiver: "default",
            groupBy: .labels(["alertname", "tenant_id"]),
            groupWait: .seconds(30),
            groupInterval: .minutes(5),
            repeatInterval: .hours(4),
            routes: [
                RouteSpec(receiver: "finance-slack", matchers: try m("tenant_id=finance-team"), continueMatching: true),
                RouteSpec(
                    receiver: "marketing-slack", matchers: try m("tenant_id=marketing-team"), continueMatching: true),
                RouteSpec(
                    receiver: "operations-slack", matchers: try m("tenant_id=operations-team"), continueMatching: true),
                RouteSpec(receiver: "pagerduty", matchers: try m("severity=critical")),
            ]
        ))
}

@Test(arguments: [
    (["tenant_id": "finance-team", "severity": "warning"], ["finance-slack"]),
    (["tenant_id": "finance-team", "severity": "critical"], ["finance-slack", "pagerduty"]),
    (["tenant_id": "other", "severity": "critical"], ["pagerduty"]),
    (["tenant_id": "other", "severity": "info"], ["default"]),
    (["severity": "warning"], ["default"]),
])
func continueFansOutButNeverReachesTheParentsReceiver(labels: [String: String], receivers: [String]) throws {
    let routes = try tenantTree().match(LabelSet(labels))
    #expect(routes.map(\.receiver) == receivers)
}

@Test func childrenInheritOptionsButNotTimeIntervals() throws {
    let root = Route(
        root: RouteSpec(
            receiver: "r", groupBy: .labels(["a"]), groupWait: .seconds(1),
            routes: [
                RouteSpec(
                    groupInterval: .seconds(7), matchers: try m("x=1"), muteTimeIntervals: ["night"],
                    routes: [RouteSpec(receiver: "deep", matchers: try m("y=2"))])
            ]))
    let child = root.routes[0]
    #expect(child.receiver == "r")
    #expect(child.groupBy == .labels(["a"]))
    #expect(child.groupWait == .seconds(1))
    #expect(child.groupInterval == .seconds(7))
    #expect(child.repeatInterval == .hours(4))
    #expect(child.muteTimeIntervals == ["night"])
    let grandchild = child.routes[0]
    #expect(grandchild.groupInterval == .seconds(7))
    #expect(grandchild.muteTimeIntervals.isEmpty)
    #expect(root.groupInterval == .minutes(5))
}

@Test func routeKeysAreMatcherPathsWithSortedMatchers() throws {
    let root = Route(
        root: RouteSpec(
            receiver: "r",
            routes: [
                RouteSpec(
                    matchers: try m(#"team="pd""#),
                    routes: [RouteSpec(matchers: try m(#"severity="critical",alpha=~"x|y""#))])
            ]))
    #expect(root.key == "{}")
    #expect(root.routes[0].key == #"{}/{team="pd"}"#)
    #expect(root.routes[0].routes[0].key == #"{}/{team="pd"}/{alpha=~"x|y",severity="critical"}"#)
    let labels: LabelSet = ["alertname": "Multi", "team": "multi", "instance": "b"]
    #expect(root.groupKey(groupLabels: labels) == #"{}:{alertname="Multi", instance="b", team="multi"}"#)
}

@Test func groupByEllipsisGroupsByAllLabelsAndEmptyGroupsEverything() {
    let labels: LabelSet = ["a": "1", "b": "2"]
    #expect(GroupBy.all.groupLabels(of: labels) == labels)
    #expect(GroupBy.labels([]).groupLabels(of: labels) == .empty)
    #expect(GroupBy.labels(["b", "zz"]).groupLabels(of: labels) == ["b": "2"])
}

@Test func routeWithoutMatchingChildKeepsTheAlert() throws {
    let root = Route(root: RouteSpec(receiver: "r", routes: [RouteSpec(receiver: "c", matchers: try m("x=1"))]))
    #expect(root.match(["x": "2"]).map(\.receiver) == ["r"])
    let nonMatchingRoot = Route(root: RouteSpec(receiver: "r", matchers: try m("x=1")))
    #expect(nonMatchingRoot.match(["x": "2"]).isEmpty)
}
