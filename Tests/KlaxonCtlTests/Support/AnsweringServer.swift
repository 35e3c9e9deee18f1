import KlaxonHTTP
import KlaxonTestSupport

extension TestHTTPServer {
    /// A server that answers every request with `status` and the JSON `body`, as Alertmanager's API does; the
    /// requests it records show what klaxonctl sent (request line, headers).
    static func answering(status: Int = 200, json body: String) throws -> TestHTTPServer {
        try TestHTTPServer { _ in
            Reply(status: status, headers: [HTTPHeader("Content-Type", "application/json")], body: Array(body.utf8))
        }
    }
}
