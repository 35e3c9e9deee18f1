import Foundation
import KlaxonAPIModels
import KlaxonCore
import Testing

@testable import KlaxonCtl

@Suite struct AlertQueryAndAdd {
    private func alert(_ name: String, starts: Double, state: AlertState = .active, summary: String? = nil)
        -> GettableAlert
    {
        GettableAlert(
            labels: ["alertname": name, "instance": "i1"],
            annotations: summary.map { LabelSet(["summary": $0]) } ?? .empty,
            startsAt: testNow + starts * 3600, endsAt: testNow + 3600, updatedAt: testNow, fingerprint: "f" + name,
            receivers: ["default"], generatorURL: summary == nil ? "" : "http://gen", state: state)
    }

    @Test func withoutStateFlagsOnlyActiveAlertsAreAsked() {
        let query = AlertQueryCommand.query(
            matchers: ["Foo", "sev=crit"], active: false, silenced: false, inhibited: false, unprocessed: false,
            receiver: nil)
        #expect(
            query
                == AlertQuery(
                    active: true, silenced: false, inhibited: false, unprocessed: false,
                    filter: ["alertname=Foo", "sev=crit"], receiver: ""))
        let silencedOnly = AlertQueryCommand.query(
            matchers: [], active: false, silenced: true, inhibited: false, unprocessed: false, receiver: "team-.*")
        #expect(
            silencedOnly
                == AlertQuery(
                    active: false, silenced: true, inhibited: false, unprocessed: false,
                    receiver: "team-.*"))
    }

    @Test func flagsParseLikeAmtool() throws {
        let command = try #require(
            try KlaxonCtl.parseAsRoot(["alert", "-s", "-i", "-r", "r1", "foo"]) as? AlertQueryCommand)
        let query = AlertQueryCommand.query(
            matchers: command.matchers, active: command.active, silenced: command.silenced,
            inhibited: command.inhibited, unprocessed: command.unprocessed, receiver: command.receiver)
        #expect(
            query
                == AlertQuery(
                    active: false, silenced: true, inhibited: true, unprocessed: false,
                    filter: ["alertname=foo"], receiver: "r1"))
    }

    @Test func simpleTableIsSortedByStartWithSummaryAndState() async {
        let api = RecordingAPI(alerts: [
            alert("Later", starts: -1, state: .suppressed), alert("Earlier", starts: -2, summary: "disk full"),
        ])
        let output = await AlertQueryCommand.run(api: api, query: AlertQuery(), formatter: Formatter(format: .simple))
        #expect(
            output.stdout
                == [
                    "Alertname  Starts At                Summary    State       ",
                    "Earlier    2026-11-30 22:00:00 UTC  disk full  active      ",
                    "Later      2026-11-30 23:00:00 UTC             suppressed  ", "",
                ].joined(separator: "\n"))
    }

    @Test func extendedTableShowsSortedLabelsAnnotationsAndGeneratorURL() async {
        let api = RecordingAPI(alerts: [alert("A", starts: -1, summary: "s")])
        let output = await AlertQueryCommand.run(
            api: api, query: AlertQuery(), formatter: Formatter(format: .extended))
        #expect(
            output.stdout
                == [
                    "Labels                       Annotations  Starts At                Ends At                  "
                        + "Generator URL  State   ",
                    "alertname=\"A\" instance=\"i1\"  summary=\"s\"  2026-11-30 23:00:00 UTC  2026-12-01 01:00:00 UTC  "
                        + "http://gen     active  ", "",
                ].joined(separator: "\n"))
    }

    @Test func jsonIsTheServersList() async {
        let alerts = [alert("B", starts: -1), alert("A", starts: -2)]
        let output = await AlertQueryCommand.run(
            api: RecordingAPI(alerts: alerts), query: AlertQuery(), formatter: Formatter(format: .json))
        #expect(output.stdout == alerts.json + "\n")
    }

    @Test func addTakesTheFirstBareArgumentAsAlertnameAndPostsAnnotations() async {
        let api = RecordingAPI()
        let output = await AlertAddCommand.add(
            api: api, labels: ["HighCPU", "instance=web1"], annotations: ["summary=CPU is high"],
            start: "2025-01-01T00:00:00Z", end: nil, generatorURL: "http://gen/1")
        #expect(output == CommandOutput())
        #expect(
            await api.postedAlerts == [
                PostableAlert(
                    labels: ["alertname": "HighCPU", "instance": "web1"], annotations: ["summary": "CPU is high"],
                    startsAt: Date(timeIntervalSince1970: 1_735_689_600), endsAt: nil, generatorURL: "http://gen/1")
            ])
    }

    @Test func aRegexFirstArgumentIsTakenAsTheAlertnameLikeAmtool() throws {
        let alert = try AlertAddCommand.alert(
            labels: ["x=~y"], annotations: [], start: nil, end: nil, generatorURL: nil)
        #expect(alert.labels == ["alertname": "x=~y"])
    }

    @Test(arguments: [
        (["x", "a!=b"], [String](), nil as String?, "labels must be specified as key=value pairs"),
        (["x"], ["foo"], nil, "bad matcher format: foo"),
        (
            ["x"], [], "yesterday",
            "parsing time \"yesterday\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"yesterday\" as \"2006\""
        ),
    ])
    func badLabelsAnnotationsAndTimesFailLikeAmtool(
        labels: [String], annotations: [String], start: String?, message: String
    ) async {
        let api = RecordingAPI()
        let output = await AlertAddCommand.add(
            api: api, labels: labels, annotations: annotations, start: start, end: nil, generatorURL: nil)
        #expect(output == CommandOutput(stderr: "klaxonctl: error: \(message)\n\n", exitCode: 1))
        #expect(await api.postedAlerts.isEmpty)
    }
}
