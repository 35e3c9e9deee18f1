import Foundation
import Testing

@testable import KlaxonCore

private func route(_ yamlLike: RouteSpec) -> Route { Route(root: yamlLike) }

private func matchers(_ text: String) -> [Matcher] {
    // Trusted test literals; a typo yields no matchers and the assertions fail.
    (try? Matchers.parse(text))?.matchers ?? []
}

@Suite struct RouteDiffTests {
    /// Running: everything to default by alertname and env, team a to team-a by alertname. New: default by
    /// alertname only (env groups merge), team a by alertname and instance (its group splits), criticals also page.
    let before = route(
        RouteSpec(
            receiver: "default", groupBy: .labels(["alertname", "env"]),
            routes: [RouteSpec(receiver: "team-a", groupBy: .labels(["alertname"]), matchers: matchers("{team=\"a\"}"))]
        ))
    let after = route(
        RouteSpec(
            receiver: "default", groupBy: .labels(["alertname"]),
            routes: [
                RouteSpec(receiver: "pager", matchers: matchers("{severity=\"critical\"}"), continueMatching: true),
                RouteSpec(
                    receiver: "team-a", groupBy: .labels(["alertname", "instance"]), matchers: matchers("{team=\"a\"}")),
            ]))

    @Test func alertsThatGainOrLoseAReceiverAndGroupsThatSplitOrMergeAreNamed() {
        let labelSets: [LabelSet] = [
            ["alertname": "Disk", "team": "a", "instance": "i1"],
            ["alertname": "Disk", "team": "a", "instance": "i2"],
            ["alertname": "Load", "env": "prod"],
            ["alertname": "Load", "env": "dev"],
            ["alertname": "CPU", "severity": "critical"],
        ]
        let diff = RouteDiff(before: before, after: after, labelSets: labelSets)
        #expect(diff.changed.map(\.labels) == [labelSets[4]])
        // A route whose child takes the alert does not take it itself: default is lost.
        #expect(diff.changed.first?.gained == ["pager"])
        #expect(diff.changed.first?.lost == ["default"])
        #expect(
            diff.splits == [
                RouteDiff.GroupChange(
                    receiver: "team-a", groupKey: #"{}/{team="a"}:{alertname="Disk"}"#,
                    into: [
                        #"{}/{team="a"}:{alertname="Disk", instance="i1"}"#,
                        #"{}/{team="a"}:{alertname="Disk", instance="i2"}"#,
                    ])
            ])
        #expect(
            diff.merges == [
                RouteDiff.GroupChange(
                    receiver: "default", groupKey: #"{}:{alertname="Load"}"#,
                    into: [#"{}:{alertname="Load", env="dev"}"#, #"{}:{alertname="Load", env="prod"}"#])
            ])
    }

    @Test func theSameTreeChangesNothing() {
        let labelSets: [LabelSet] = [["alertname": "Disk", "team": "a"], ["alertname": "X"]]
        let diff = RouteDiff(before: before, after: before, labelSets: labelSets)
        #expect(diff.changed.isEmpty && diff.splits.isEmpty && diff.merges.isEmpty)
        #expect(diff.alerts.map(\.after) == [["team-a"], ["default"]])
    }
}
