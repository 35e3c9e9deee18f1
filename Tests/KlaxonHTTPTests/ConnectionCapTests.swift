import Foundation
import KlaxonTestSupport
import Testing

@testable import KlaxonHTTP

/// A notification storm to one endpoint reuses a bounded set of connections instead of opening (and closing)
/// one per notification.
@Suite struct ConnectionCap {
    @Test func burstToOneHostReusesAtMostThePerHostNumberOfConnections() async throws {
        let server = try TestHTTPServer { _ in TestHTTPServer.Reply(status: 200, delay: .milliseconds(10)) }
        let client = HTTPClient(maxConnections: 8, maxConnectionsPerHost: 3)
        defer {
            client.shutdown()
            server.stop()
        }
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<60 {
                group.addTask {
                    try await client.execute(HTTPRequest(method: "POST", url: server.baseURL + "/n/\(index)")).status
                }
            }
            var statuses: [Int] = []
            for try await status in group { statuses.append(status) }
            return statuses
        }
        #expect(statuses.count == 60)
        #expect(statuses.allSatisfy { $0 == 200 })
        #expect(server.requests.count == 60)
        #expect(server.connectionCount <= 3, "opened \(server.connectionCount) connections for 60 requests")
    }
}
