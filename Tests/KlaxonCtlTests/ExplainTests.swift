import Foundation
import KlaxonAPIModels
import KlaxonCore
import KlaxonTestSupport
import Testing

@testable import KlaxonCtl

private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/explain")

/// Label sets tried on every config: continue chains, nested routes, regex and negative matchers, no match.
private let labelSets: [[String]] = [
    ["alertname=X"],
    ["severity=critical"],
    ["severity=warning"],
    ["tenant_id=finance-team", "severity=critical"],
    ["tenant_id=finance-team", "severity=warning", "alertname=Disk"],
    ["tenant_id=marketing-team"],
    ["tenant_id=operations-team", "severity=critical"],
    ["tenant_id=finance", "severity=critical", "team=db", "env=prod"],
    ["tenant_id=finance", "team=db"],
    ["tenant_id=fintech", "severity=warning"],
    ["team=db", "env=stage"],
    ["team=db", "env=prod", "severity=critical"],
    ["severity=critical", "team=web"],
    ["tenant_id=hr", "severity=info"],
]

private let configs = ["severity-routing.yml", "tenant-routing.yml", "nested-continue.yml"]

@Suite struct ExplainCommandTests {
    @Test(
        .enabled(if: Binaries.amtool != nil, "amtool is not installed"),
        arguments: configs)
    func explainNamesTheReceiversAmtoolRoutesToInTheSameOrder(config: String) throws {
        let file = fixtures.appendingPathComponent(config).path
        let amtool = try #require(Binaries.amtool)
        for labels in labelSets {
            let theirs = try runProcess(amtool, ["config", "routes", "test", "--config.file", file] + labels)
            #expect(theirs.exitCode == 0, "\(theirs)")
            let request = ExplainRequest(labels: try RoutesTestCommand.labelSet(labels).get())
            let ours = try ExplainCommand.explain(configFile: file, request: request, now: Date())
            let receivers = ours.routes.map(\.receiver).joined(separator: ",")
            #expect(receivers == theirs.stdout.trimmingCharacters(in: .newlines), "\(config) \(labels)")
            #expect(ours.verdicts.map(\.receiver) == ours.routes.map(\.receiver))
        }
    }

    @Test func localExplainReportsTimeIntervalsAtTheInstantAndPrintsAVerdictPerReceiver() throws {
        let file = fixtures.appendingPathComponent("nested-continue.yml").path
        let labels = LabelSet(["tenant_id": "finance", "severity": "critical", "team": "web"])
        // Saturday 2026-12-26 03:00 UTC: weekend, outside office hours.
        let saturday = try #require(ISO8601DateFormatter().date(from: "2026-12-26T03:00:00Z"))
        let answer = try ExplainCommand.explain(
            configFile: file, request: ExplainRequest(labels: labels, at: saturday), now: saturday)
        #expect(answer.routes.map(\.receiver) == ["finance-pager", "finance-tickets", "oncall", "catch-critical"])
        #expect(answer.routes.map(\.muted) == [true, false, true, false])
        #expect(answer.verdicts.map(\.notify) == [false, true, false, true])
        #expect(answer.verdicts[0].reason == "inside mute_time_interval weekends")
        #expect(answer.verdicts[2].reason == "outside its active_time_intervals (office)")
        let text = Formatter(format: .simple, dateFormat: "2006-01-02 15:04:05 MST").explain(answer)
        let lines = text.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(lines.contains("finance-pager suppressed inside mute_time_interval weekends"), "\(text)")
        #expect(lines.contains("catch-critical notify would notify"), "\(text)")
        // The JSON round-trips through the model klaxonctl reads from the server.
        #expect(try ExplainResponse.decode(json: answer.jsonBytes) == answer)
    }
}
