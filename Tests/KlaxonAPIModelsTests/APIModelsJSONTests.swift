import Foundation
import KlaxonAPIModels
import KlaxonCore
import Testing

/// The wire form of the API v2 models: the bytes the server answers with and klaxonctl sends and prints, and what
/// klaxonctl reads back from them.
@Suite struct APIModelsJSON {
    /// 2025-12-01T08:43:22.286Z.
    private static let t = Date(timeIntervalSince1970: 1_764_578_602.286)
    /// Times with a binary fraction of a second, so that the wire's milliseconds are exact in a `Date`.
    private static let start = Date(timeIntervalSince1970: 1_764_578_602.125)
    private static let end = Date(timeIntervalSince1970: 1_764_582_202.5)

    // MARK: Bytes

    static let written: [(String, String)] = [
        (
            GettableAlert(
                labels: ["job": "api", "alertname": "A"], annotations: ["summary": "<b>&"], startsAt: t,
                endsAt: t + 60, updatedAt: t, fingerprint: "0123456789abcdef", receivers: ["r1", "r2"],
                generatorURL: "http://g/?a=1&b=2", state: .suppressed, silencedBy: ["s1"], inhibitedBy: ["f1"]
            ).json,
            #"""
            {"annotations":{"summary":"\u003cb\u003e\u0026"},"endsAt":"2025-12-01T08:44:22.286Z",\#
            "fingerprint":"0123456789abcdef","receivers":[{"name":"r1"},{"name":"r2"}],\#
            "startsAt":"2025-12-01T08:43:22.286Z","status":{"inhibitedBy":["f1"],"silencedBy":["s1"],\#
            "state":"suppressed"},"updatedAt":"2025-12-01T08:43:22.286Z","generatorURL":"http://g/?a=1\u0026b=2",\#
            "labels":{"alertname":"A","job":"api"}}
            """#
        ),
        (
            GettableAlert(labels: ["alertname": "A"], startsAt: t, endsAt: t, updatedAt: t, state: .unprocessed).json,
            #"""
            {"annotations":{},"endsAt":"2025-12-01T08:43:22.286Z","fingerprint":"","receivers":[],\#
            "startsAt":"2025-12-01T08:43:22.286Z","status":{"inhibitedBy":[],"silencedBy":[],"state":"unprocessed"},\#
            "updatedAt":"2025-12-01T08:43:22.286Z","labels":{"alertname":"A"}}
            """#
        ),
        (
            AlertGroup(labels: ["team": "a"], receiver: "r", alerts: []).json,
            #"{"alerts":[],"labels":{"team":"a"},"receiver":{"name":"r"}}"#
        ),
        (
            GettableSilence(
                id: "id1", state: .expired, startsAt: t, endsAt: t + 3600, updatedAt: t, createdBy: "me",
                comment: "line\n\u{2028}", matchers: [SilenceMatcherSpec(type: .regexNoMatch, name: "a", value: "b\"c")]
            ).json,
            #"""
            {"id":"id1","status":{"state":"expired"},"updatedAt":"2025-12-01T08:43:22.286Z","comment":"line\n\u2028",\#
            "createdBy":"me","endsAt":"2025-12-01T09:43:22.286Z",\#
            "matchers":[{"isEqual":false,"isRegex":true,"name":"a","value":"b\"c"}],\#
            "startsAt":"2025-12-01T08:43:22.286Z"}
            """#
        ),
        (
            PostableSilence(
                matchers: [SilenceMatcherSpec(name: "a", value: "b")], startsAt: t, endsAt: t + 60, createdBy: "me",
                comment: "c"
            ).json,
            #"""
            {"comment":"c","createdBy":"me","endsAt":"2025-12-01T08:44:22.286Z",\#
            "matchers":[{"isEqual":true,"isRegex":false,"name":"a","value":"b"}],"startsAt":"2025-12-01T08:43:22.286Z"}
            """#
        ),
        (
            PostableSilence(
                id: "id1", matchers: [SilenceMatcherSpec(type: .notEqual, name: "a", value: "")], startsAt: t,
                endsAt: t, createdBy: "", comment: ""
            ).json,
            #"""
            {"id":"id1","comment":"","createdBy":"","endsAt":"2025-12-01T08:43:22.286Z",\#
            "matchers":[{"isEqual":false,"isRegex":false,"name":"a","value":""}],"startsAt":"2025-12-01T08:43:22.286Z"}
            """#
        ),
        (
            PostableAlert(labels: ["alertname": "A"]).json,
            #"{"annotations":{},"labels":{"alertname":"A"}}"#
        ),
        (
            [
                PostableAlert(
                    labels: ["b": "2", "a": "1"], annotations: ["s": "x"], startsAt: t, endsAt: t + 60,
                    generatorURL: "http://g"),
                PostableAlert(labels: ["alertname": "B"], endsAt: t),
            ].json,
            #"""
            [{"annotations":{"s":"x"},"endsAt":"2025-12-01T08:44:22.286Z","startsAt":"2025-12-01T08:43:22.286Z",\#
            "generatorURL":"http://g","labels":{"a":"1","b":"2"}},\#
            {"annotations":{},"endsAt":"2025-12-01T08:43:22.286Z","labels":{"alertname":"B"}}]
            """#
        ),
        (
            AlertmanagerStatus(configYAML: "route: {}\n", uptime: t).json,
            #"""
            {"cluster":{"peers":[],"status":"disabled"},"config":{"original":"route: {}\n"},\#
            "uptime":"2025-12-01T08:43:22.286Z","versionInfo":{"branch":"","buildDate":"","buildUser":"",\#
            "goVersion":"","revision":"","version":""}}
            """#
        ),
        (
            AlertmanagerStatus(
                configYAML: "a: <b>\n", uptime: t,
                versionInfo: .init(
                    branch: "main", buildDate: "d", buildUser: "u", goVersion: "g", revision: "r", version: "v"),
                clusterName: "n1", clusterStatus: "ready",
                peers: [.init(name: "p2", address: "10.0.0.2:9094"), .init(name: "p1", address: "10.0.0.1:9094")]
            ).json,
            #"""
            {"cluster":{"name":"n1","peers":[{"address":"10.0.0.2:9094","name":"p2"},\#
            {"address":"10.0.0.1:9094","name":"p1"}],"status":"ready"},"config":{"original":"a: \u003cb\u003e\n"},\#
            "uptime":"2025-12-01T08:43:22.286Z","versionInfo":{"branch":"main","buildDate":"d","buildUser":"u",\#
            "goVersion":"g","revision":"r","version":"v"}}
            """#
        ),
        ([Receiver(name: "a"), Receiver(name: "b&c")].json, #"[{"name":"a"},{"name":"b\u0026c"}]"#),
        ([Receiver]().json, "[]"),
        (
            PostSilencesOKBody(silenceID: "ea212336-e0d8-4bea-aa59-2e9c35ad71f3").json,
            #"{"silenceID":"ea212336-e0d8-4bea-aa59-2e9c35ad71f3"}"#
        ),
    ]

    @Test(arguments: written)
    func modelsAreWrittenInAlertmanagersFieldOrderWithGoEscaping(json: String, expected: String) {
        #expect(json == expected)
    }

    // MARK: Round trips

    static let silences: [GettableSilence] =
        SilenceState.allCases.map { state in
            GettableSilence(
                id: "ea212336-e0d8-4bea-aa59-2e9c35ad71f3", state: state, startsAt: start, endsAt: end,
                updatedAt: start, createdBy: "<ops> & \"me\"", comment: "line\nbreak é \u{2028}\t",
                matchers: Matcher.MatchType.allCases.map { SilenceMatcherSpec(type: $0, name: "job", value: "a.*\\\"") }
            )
        } + [
            GettableSilence(
                id: "", state: nil, startsAt: start, endsAt: start, updatedAt: Date(timeIntervalSince1970: 0),
                createdBy: "", comment: "", matchers: [])
        ]

    @Test(arguments: silences)
    func silenceReadBackIsTheSilenceWritten(silence: GettableSilence) throws {
        #expect(try GettableSilence.decode(json: silence.jsonBytes) == silence)
        #expect(try GettableSilence.decodeList(json: [silence, silence].jsonBytes) == [silence, silence])
    }

    static let alerts: [GettableAlert] = [
        GettableAlert(
            labels: ["alertname": "HighCPU", "instance": "web-1", "é": "<&>"],
            annotations: ["summary": "CPU is high\n", "runbook": "http://rb/1"], startsAt: start, endsAt: end,
            updatedAt: start, fingerprint: "a1445ef78beab052", receivers: ["team-a", "default"],
            generatorURL: "http://prometheus:9090/graph?g0.expr=up&x=<1>", state: .suppressed,
            silencedBy: ["s1", "s2"], inhibitedBy: ["03f8b1319a62f908"]),
        GettableAlert(
            labels: ["alertname": "Other"], startsAt: start, endsAt: end, updatedAt: end,
            fingerprint: "03f8b1319a62f908", receivers: ["default"], state: .active),
        GettableAlert(labels: .empty, startsAt: start, endsAt: end, updatedAt: start, state: nil),
    ]

    @Test(arguments: alerts)
    func alertReadBackIsTheAlertWritten(alert: GettableAlert) throws {
        #expect(try GettableAlert.decode(json: alert.jsonBytes) == alert)
    }

    @Test func alertGroupReadBackIsTheGroupWritten() throws {
        let groups = [
            AlertGroup(labels: ["alertname": "HighCPU"], receiver: "team-a", alerts: Self.alerts),
            AlertGroup(labels: .empty, receiver: "default", alerts: []),
        ]
        #expect(try AlertGroup.decodeList(json: groups.jsonBytes) == groups)
    }

    static let statuses: [AlertmanagerStatus] = [
        AlertmanagerStatus(configYAML: "", uptime: start),
        AlertmanagerStatus(
            configYAML: "route:\n  receiver: \"<web>\"\n", uptime: end,
            versionInfo: .init(
                branch: "main", buildDate: "20261122", buildUser: "klaxon", goVersion: "swift6", revision: "abc",
                version: "0.25.0"),
            clusterName: "01HQ", clusterStatus: "settling",
            peers: [.init(name: "b", address: "10.0.0.2:9094"), .init(name: "a", address: "10.0.0.1:9094")]),
    ]

    @Test(arguments: statuses)
    func statusReadBackIsTheStatusWritten(status: AlertmanagerStatus) throws {
        #expect(try AlertmanagerStatus.decode(json: status.jsonBytes) == status)
    }

    @Test func silenceIDAndReceiversReadBackAreThoseWritten() throws {
        let answer = PostSilencesOKBody(silenceID: "ea212336-e0d8-4bea-aa59-2e9c35ad71f3")
        #expect(try PostSilencesOKBody.decode(json: answer.jsonBytes) == answer)
        let receivers = [Receiver(name: "web"), Receiver(name: "<pager>")]
        #expect(try Receiver.decodeList(json: receivers.jsonBytes) == receivers)
    }

    // MARK: Reading what others wrote

    @Test func absentOptionalSilenceFieldsReadAsEmptyAndAnUnknownStateAsNone() throws {
        let silence = try GettableSilence.decode(
            json: Array(
                #"""
                {"id":"x","status":{"state":"archived"},"extra":1,
                "endsAt":"2025-12-01T09:43:22.286Z","startsAt":"2025-12-01T08:43:22.286Z",
                "matchers":[{"name":"a","value":"b"},{"name":"c","value":"d","isRegex":true,"isEqual":false}]}
                """#.utf8))
        #expect(silence.state == nil)
        #expect(silence.createdBy.isEmpty && silence.comment.isEmpty)
        #expect(silence.updatedAt == Date(timeIntervalSince1970: 0))
        #expect(silence.matchers.map(\.description) == [#"a="b""#, #"c!~"d""#])
    }

    static let unreadable: [(String, String)] = [
        ("{", "invalid JSON"),
        ("[]", "silence is not an object"),
        (#"{"id":"x","matchers":{}}"#, "matchers is not an array"),
        (#"{"id":"x","matchers":[{"name":"a"}]}"#, "field value is missing or not a string"),
        (#"{"matchers":[]}"#, "field id is missing or not a string"),
        (#"{"id":"x","matchers":[],"startsAt":"yesterday"}"#, "field startsAt is not an RFC3339 time"),
        (#"{"id":"x","matchers":[],"startsAt":"2025-12-01T08:43:22Z"}"#, "field endsAt is missing or not a string"),
    ]

    @Test(arguments: unreadable)
    func anUnreadableSilenceIsRefusedNamingTheField(json: String, reason: String) {
        let error = #expect(throws: APIDecodingError.self) { try GettableSilence.decode(json: Array(json.utf8)) }
        #expect(error?.description == reason)
    }

    @Test func aStatusWithoutItsConfigurationIsRefused() {
        #expect(throws: APIDecodingError.self) {
            try AlertmanagerStatus.decode(json: Array(#"{"uptime":"2025-12-01T08:43:22Z"}"#.utf8))
        }
    }
}
