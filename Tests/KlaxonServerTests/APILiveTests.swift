import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import KlaxonServer

@Suite struct APILiveTests {
    @Test func apiAnswersOverARealSocket() async throws {
        let backend = FakeBackend()
        let router = buildAPIRouter(backend: backend, now: { fixedNow })
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let post = try await client.post("/api/v2/alerts", #"[{"labels":{"alertname":"live"}}]"#)
            #expect(post.status == .ok)
            let get = try await client.get("/api/v2/alerts")
            #expect(get.text.contains(#""labels":{"alertname":"live"}"#))
            #expect(try await client.get("/-/ready").text == "OK")
        }
    }
}
