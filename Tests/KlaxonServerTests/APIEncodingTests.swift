import Foundation
import Hummingbird
import HummingbirdTesting
import KlaxonAPIModels
import KlaxonCore
import Testing

@testable import KlaxonServer

@Suite struct APIEncodingTests {
    @Test func escapedStringsAreDecoded() async throws {
        let backend = FakeBackend()
        try await withAPI(backend) { client in
            let body = #"[{"labels":{"a":"\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00\ud800x","b":"é"}}]"#
            let response88 = try await client.post("/api/v2/alerts", body)
            #expect(response88.status == .ok)
        }
        let labels = try #require(await backend.posted.first?.first?.labels)
        #expect(labels["a"] == "\"\\/\u{08}\u{0C}\n\r\té😀\u{FFFD}x")
        #expect(labels["b"] == "é")
    }

    @Test func largeBatchesDecodeQuickly() async throws {
        let alert =
            #"{"labels":{"alertname":"Load","instance":"host-%d:9100","job":"node","severity":"warning"},"#
            + #""annotations":{"summary":"load is high"},"startsAt":"2026-11-22T06:12:19.357Z","#
            + #""endsAt":"2026-11-22T06:17:19.357Z","generatorURL":"http://prometheus.test/graph?g0.expr=x"}"#
        let body = "[" + (0..<1000).map { String(format: alert, $0) }.joined(separator: ",") + "]"
        let bytes = Array(body.utf8)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for _ in 0..<10 {
                guard case .success(let alerts) = PostableAlertsDecoder.decode(bytes) else {
                    Issue.record("decode failed")
                    return
                }
                #expect(alerts.count == 1000)
            }
        }
        // 10k alerts; generous bound for a debug build on a shared core.
        #expect(elapsed < .seconds(5))
    }
}
