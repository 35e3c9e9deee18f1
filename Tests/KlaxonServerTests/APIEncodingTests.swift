import Foundation
import Hummingbird
import HummingbirdTesting
import KlaxonCore
import Testing

@testable import KlaxonServer

@Suite struct APIEncodingTests {
    @Test(arguments: [
        ("2026-11-22T06:12:19.357Z", 1_795_327_939.357),
        ("2026-11-22T06:12:19Z", 1_795_327_939),
        ("2026-11-22T07:12:19+01:00", 1_795_327_939),
        ("2026-11-22T07:12:19.5+0100", 1_795_327_939.5),
        ("2026-11-22T06:12:19", 1_795_327_939),
        ("2026-11-22T06:12:19,25", 1_795_327_939.25),
        ("2026-11-22T06:12Z", 1_795_327_920),
        ("2026-11-22T06:12", 1_795_327_920),
        ("2026-11-22 06:12:19", 1_795_327_939),
        ("2026-11-22T6:12:19Z", 1_795_327_939),
        ("", 0),
    ])
    func strfmtLayoutsAreAccepted(text: String, seconds: Double) throws {
        let date = try GoDateTime.parse(text).get()
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.000_5, "\(text)")
    }

    @Test(arguments: [
        ("yesterday", #"parsing time "yesterday" as "2006-01-02 15:04:05": cannot parse "yesterday" as "2006""#),
        ("2026-11-22", #"parsing time "2026-11-22" as "2006-01-02 15:04:05": cannot parse "" as " ""#),
        (
            "2026-11-22T06:12:19Q",
            #"parsing time "2026-11-22T06:12:19Q" as "2006-01-02 15:04:05": cannot parse "T06:12:19Q" as " ""#
        ),
        ("2026-13-01 00:00:00", #"parsing time "2026-13-01 00:00:00": month out of range"#),
        ("2026-02-30 00:00:00", #"parsing time "2026-02-30 00:00:00": day out of range"#),
        ("2026-01-01 00:00:00x", #"parsing time "2026-01-01 00:00:00x": extra text: "x""#),
        ("2026-1-01", #"parsing time "2026-1-01" as "2006-01-02 15:04:05": cannot parse "1-01" as "01""#),
    ])
    func unparseableTimestampsGetGoErrors(text: String, message: String) {
        guard case .failure(let error) = GoDateTime.parse(text) else {
            Issue.record("\(text) parsed")
            return
        }
        #expect(error.message == message)
    }

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
