import Foundation
import Hummingbird
import HummingbirdTesting
import KlaxonAPIModels
import KlaxonCore
import Testing

@testable import KlaxonServer

@Suite struct APIGetAlertsTests {
    static func alert(_ labels: LabelSet, endsAt: TimeInterval = 300, url: String = "") -> Alert {
        Alert(
            labels: labels, annotations: [:], startsAt: fixedNow.addingTimeInterval(-60),
            endsAt: fixedNow.addingTimeInterval(endsAt), generatorURL: url, updatedAt: fixedNow)
    }

    @Test func alertsAreRenderedExactlyAsAlertmanager() async throws {
        let backend = FakeBackend()
        await backend.postAlerts([
            Alert(
                labels: ["alertname": "a1", "html": "<&>\u{2028} é \u{01}"], annotations: ["x": "\"\\/"],
                startsAt: fixedNow, endsAt: fixedNow.addingTimeInterval(300),
                generatorURL: "http://x/?a=<b>&c", updatedAt: fixedNow)
        ])
        try await withAPI(backend) { client in
            let response = try await client.get("/api/v2/alerts")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let fingerprint = LabelSet(["alertname": "a1", "html": "<&>\u{2028} é \u{01}"]).fingerprint
            let expected =
                #"[{"annotations":{"x":"\"\\/"},"endsAt":"2026-11-22T06:17:19.357Z","fingerprint":""#
                + "\(fingerprint)"
                + #"","receivers":[{"name":"web"}],"startsAt":"2026-11-22T06:12:19.357Z","#
                + #""status":{"inhibitedBy":[],"silencedBy":[],"state":"active"},"updatedAt":"2026-11-22T06:12:19.357Z","#
                + #""generatorURL":"http://x/?a=\u003cb\u003e\u0026c","#
                + #""labels":{"alertname":"a1","html":"\u003c\u0026\u003e\u2028 é \u0001"}}]"#
            #expect(response.text == expected)
        }
    }

    @Test func emptyGeneratorURLIsOmittedAndEmptyStoreIsEmptyList() async throws {
        let backend = FakeBackend()
        try await withAPI(backend) { client in
            let response43 = try await client.get("/api/v2/alerts")
            #expect(response43.text == "[]")
        }
        await backend.postAlerts([Self.alert(["alertname": "g0"])])
        try await withAPI(backend) { client in
            let text = try await client.get("/api/v2/alerts").text
            #expect(!text.contains("generatorURL"))
            #expect(text.hasSuffix(#""updatedAt":"2026-11-22T06:12:19.357Z","labels":{"alertname":"g0"}}]"#))
        }
    }

    @Test func alertsAreSortedByFingerprint() async throws {
        let backend = FakeBackend()
        let alerts = (0..<20).map { Self.alert(["alertname": "A\($0)"]) }
        await backend.postAlerts(alerts)
        try await withAPI(backend) { client in
            let text = try await client.get("/api/v2/alerts").text
            let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
            let fingerprints = json.compactMap { $0["fingerprint"] as? String }
            #expect(fingerprints.count == 20)
            #expect(fingerprints == fingerprints.sorted())
        }
    }

    @Test func resolvedAlertsAreNotListed() async throws {
        let backend = FakeBackend()
        await backend.postAlerts([Self.alert(["alertname": "old"], endsAt: -1), Self.alert(["alertname": "new"])])
        try await withAPI(backend) { client in
            let text = try await client.get("/api/v2/alerts").text
            #expect(text.contains("new"))
            #expect(!text.contains("old"))
        }
    }

    static func names(_ text: String) throws -> [String] {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        return json.compactMap { ($0["labels"] as? [String: String])?["alertname"] }.sorted()
    }

    @Test(arguments: [
        ("filter=alertname%3D%22a1%22", ["a1"]),
        ("filter=alertname=~a.*&filter=team!=x", ["a1", "a2"]),
        ("filter=team%3D", ["a1", "a2"]),
        ("filter=team!~", ["a3"]),
        ("receiver=oth.*", ["a3"]),
        ("receiver=oth", []),
        ("receiver=web%7Cother", ["a1", "a2", "a3"]),
        ("silenced=false", ["a1", "a3"]),
        ("silenced=maybe", ["a1", "a3"]),
        ("active=false", ["a2"]),
        ("active=F", ["a2"]),
        ("active=1", ["a1", "a2", "a3"]),
        ("active=", ["a1", "a2", "a3"]),
        ("active=false&active=true", ["a1", "a2", "a3"]),
        ("unprocessed=false", ["a1", "a2", "a3"]),
        ("inhibited=false", ["a1", "a2", "a3"]),
    ])
    func queryParametersFilterAlerts(query: String, expected: [String]) async throws {
        let backend = FakeBackend()
        await backend.postAlerts([
            Self.alert(["alertname": "a1"]), Self.alert(["alertname": "a2"]),
            Self.alert(["alertname": "a3", "team": "x"]),
        ])
        await backend.addSilence(
            GettableSilence(
                id: "s1", state: .active, startsAt: fixedNow.addingTimeInterval(-10),
                endsAt: fixedNow.addingTimeInterval(100), updatedAt: fixedNow, createdBy: "", comment: "",
                matchers: [SilenceMatcherSpec(type: .equal, name: "alertname", value: "a2")]))
        let routed: @Sendable (LabelSet) -> [String] = { $0["team"] == nil ? ["web"] : ["other"] }
        await backend.setReceiversFor(routed)
        try await withAPI(backend) { client in
            let response = try await client.get("/api/v2/alerts?" + query)
            #expect(response.status == .ok)
            #expect(try Self.names(response.text) == expected, "\(query)")
        }
    }

    static let badParameters: [(String, String)] = [
        ("/api/v2/alerts?filter=foo", #""bad matcher format: foo""#),
        (
            "/api/v2/alerts?receiver=(",
            #""failed to parse receiver param: error parsing regexp: missing closing ): `^(?:()$`""#
        ),
        ("/api/v2/alerts/groups?filter=foo", #""bad matcher format: foo""#),
        (
            "/api/v2/alerts/groups?receiver=(",
            #""failed to parse receiver param: error parsing regexp: missing closing ): `^(?:()$`""#
        ),
        ("/api/v2/silences?filter=foo", #""bad matcher format: foo""#),
    ]

    @Test(arguments: badParameters)
    func badFilterAndReceiverParametersAre400(uri: String, expected: String) async throws {
        try await withAPI { client in
            let response = try await client.get(uri)
            #expect(response.status == .badRequest)
            #expect(response.text == expected + "\n")
        }
    }

    @Test func groupsAreSortedAndRendered() async throws {
        let backend = FakeBackend()
        let a = GettableAlert(alert: Self.alert(["alertname": "X", "job": "b"]), receivers: ["web"], state: .active)
        let b = GettableAlert(alert: Self.alert(["alertname": "X", "job": "a"]), receivers: ["web"], state: .active)
        let c = GettableAlert(alert: Self.alert(["alertname": "Y"]), receivers: ["other"], state: .active)
        await backend.setGroups([
            AlertGroup(labels: ["alertname": "X", "team": "t"], receiver: "web", alerts: [a, b]),
            AlertGroup(labels: ["alertname": "Y"], receiver: "web", alerts: [c]),
            AlertGroup(labels: ["alertname": "Y"], receiver: "other", alerts: [c]),
        ])
        try await withAPI(backend) { client in
            let text = try await client.get("/api/v2/alerts/groups").text
            let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
            let receivers = json.compactMap { ($0["receiver"] as? [String: String])?["name"] }
            #expect(receivers == ["other", "web", "web"])
            let jobs = (json[2]["alerts"] as? [[String: Any]])?.compactMap {
                ($0["labels"] as? [String: String])?["job"]
            }
            #expect(jobs == ["a", "b"])
            #expect(text.hasPrefix(#"[{"alerts":[{"annotations":{},"#))
            #expect(text.hasSuffix(#"],"labels":{"alertname":"X","team":"t"},"receiver":{"name":"web"}}]"#))
            let filtered = try await client.get("/api/v2/alerts/groups?receiver=other").text
            #expect(filtered.hasSuffix(#""labels":{"alertname":"Y"},"receiver":{"name":"other"}}]"#))
            #expect(!filtered.contains(#""name":"web""#))
        }
    }
}

extension FakeBackend {
    func setReceiversFor(_ function: @escaping @Sendable (LabelSet) -> [String]) { receiversFor = function }
}
