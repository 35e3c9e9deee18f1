import Foundation
import KlaxonAPIModels
import KlaxonCore
import Testing

@testable import KlaxonServer

/// The server's response bodies read back through the `KlaxonAPIModels` decoders klaxonctl uses, and the request
/// bodies klaxonctl writes with `KlaxonAPIModels` pass the server's strict decoders, to equal values.
@Suite struct APIModelsRoundTrip {
    /// Times with a binary millisecond fraction, so that the wire's milliseconds are exact in a `Date`.
    private static let start = Date(timeIntervalSince1970: 1_764_578_602.125)
    private static let end = Date(timeIntervalSince1970: 1_764_582_202.5)
    private static let updated = Date(timeIntervalSince1970: 1_764_578_700.25)

    static let silences: [GettableSilence] = SilenceState.allCases.map { state in
        GettableSilence(
            id: "ea212336-e0d8-4bea-aa59-2e9c35ad71f3", state: state, startsAt: start, endsAt: end,
            updatedAt: updated, createdBy: "<ops> & \"me\"", comment: "line\nbreak é \u{2028}",
            matchers: Matcher.MatchType.allCases.map { SilenceMatcherSpec(type: $0, name: "job", value: "a.*\\\"") })
    }

    @Test(arguments: silences)
    func gettableSilenceRenderedByTheServerDecodesEqualInKlaxonctl(silence: GettableSilence) throws {
        let body = APIRender.silences([silence]).bytes
        #expect(try GettableSilence.decodeList(json: body) == [silence])
    }

    static let alerts: [GettableAlert] = [
        GettableAlert(
            labels: ["alertname": "HighCPU", "instance": "web-1", "é": "<&>"],
            annotations: ["summary": "CPU is high\n", "runbook": "http://rb/1"], startsAt: start, endsAt: end,
            updatedAt: updated, fingerprint: LabelSet(["alertname": "HighCPU"]).fingerprint.description,
            receivers: ["team-a", "default"], generatorURL: "http://prometheus:9090/graph?g0.expr=up&x=<1>",
            state: .suppressed, silencedBy: ["s1", "s2"], inhibitedBy: ["a1445ef78beab052"]),
        GettableAlert(
            labels: ["alertname": "Other"], startsAt: start, endsAt: end, updatedAt: updated,
            fingerprint: "03f8b1319a62f908", receivers: ["default"], state: .active),
        GettableAlert(
            labels: ["alertname": "New"], startsAt: start, endsAt: end, updatedAt: updated,
            fingerprint: "0000000000000001", state: .unprocessed),
    ]

    @Test(arguments: alerts)
    func gettableAlertRenderedByTheServerDecodesEqualInKlaxonctl(alert: GettableAlert) throws {
        let body = APIRender.alerts([alert]).bytes
        #expect(try GettableAlert.decodeList(json: body) == [alert])
    }

    @Test func alertGroupRenderedByTheServerDecodesEqualInKlaxonctl() throws {
        // Instances ascending in list order: the server's notification order (by instance) keeps the list as is.
        let group = AlertGroup(
            labels: ["alertname": "HighCPU", "team": "a"], receiver: "team-a",
            alerts: Self.alerts.enumerated().map { index, alert in
                var alert = alert
                alert.labels = LabelSet(alert.labels.dictionary.merging(["instance": "i-\(index)"]) { $1 })
                return alert
            })
        let groups = try AlertGroup.decodeList(json: APIRender.groups([group]).bytes)
        #expect(groups == [group])
    }

    @Test func statusRenderedByTheServerDecodesEqualInKlaxonctl() throws {
        let status = AlertmanagerStatus(
            configYAML: "route:\n  receiver: \"<web>\"\n", uptime: Self.start,
            versionInfo: .init(
                branch: "main", buildDate: "20261122", buildUser: "klaxon", goVersion: "swift6", revision: "abc",
                version: "0.25.0"),
            clusterName: "01HQ", clusterStatus: "ready",
            peers: [.init(name: "a", address: "10.0.0.1:9094"), .init(name: "b", address: "10.0.0.2:9094")])
        #expect(try AlertmanagerStatus.decode(json: APIRender.status(status).bytes) == status)
    }

    @Test func postableSilenceSentByKlaxonctlDecodesEqualInTheServer() {
        for id in ["", "ea212336-e0d8-4bea-aa59-2e9c35ad71f3"] {
            let silence = PostableSilence(
                id: id, matchers: Self.silences[0].matchers, startsAt: Self.start, endsAt: Self.end,
                createdBy: "me", comment: "<deploy> \"42\"")
            let result = PostableSilenceDecoder.decode(silence.jsonBytes)
            #expect(result == .success(silence), "id \(id)")
        }
    }

    @Test func postableAlertsSentByKlaxonctlDecodeEqualInTheServer() {
        let alerts = [
            PostableAlert(
                labels: ["alertname": "Load", "é": "x"], annotations: ["summary": "<high>"], startsAt: Self.start,
                endsAt: Self.end, generatorURL: "http://prometheus:9090/graph"),
            PostableAlert(labels: ["alertname": "Bare"]),
        ]
        let result = PostableAlertsDecoder.decode(alerts.jsonBytes)
        #expect(result == .success(alerts))
    }
}
