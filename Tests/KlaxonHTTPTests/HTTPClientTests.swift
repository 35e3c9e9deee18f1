import Foundation
import KlaxonTestSupport
import Testing

@testable import KlaxonHTTP

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

@Suite struct HTTPClientTests {
    @Test func postBodyAndHeadersArriveIntact() async throws {
        let body = (0..<3000).map { UInt8($0 % 256) }  // binary, and larger than curl's Expect threshold
        try await withServerAndClient { server, client in
            let request = HTTPRequest(
                method: "POST", url: server.baseURL + "/hook/path?x=1&y=2",
                headers: [
                    HTTPHeader("Content-Type", "application/json"), HTTPHeader("X-First", "one"),
                    HTTPHeader("X-Second", "two words"), HTTPHeader("X-Empty", ""),
                ],
                body: body)
            let options = HTTPClientOptions(userAgent: "Alertmanager/0.25.0")
            let response = try await client.execute(request, options: options)
            #expect(response.status == 200)
            let received = try #require(server.requests.first)
            #expect(server.requests.count == 1)
            #expect(received.method == "POST")
            #expect(received.target == "/hook/path?x=1&y=2")
            #expect(received.body == body)
            #expect(received.header("Content-Length") == "3000")
            #expect(received.header("Content-Type") == "application/json")
            #expect(received.header("User-Agent") == "Alertmanager/0.25.0")
            #expect(received.header("X-Empty") == "")
            #expect(received.header("Expect") == nil)
            let names = received.headers.map(\.name).filter { $0.hasPrefix("X-") }
            #expect(names == ["X-First", "X-Second", "X-Empty"])
            #expect(received.header("X-Second") == "two words")
        }
    }

    @Test(arguments: [
        ("GET", false), ("DELETE", false), ("PUT", true), ("PATCH", true), ("POST", true),
    ])
    func methodIsSentAsGiven(method: String, hasBody: Bool) async throws {
        try await withServerAndClient { server, client in
            let body = hasBody ? bytes("{\"a\":1}") : []
            let response = try await client.execute(
                HTTPRequest(method: method, url: server.baseURL + "/m", body: body))
            #expect(response.status == 200)
            let received = try #require(server.requests.first)
            #expect(received.method == method)
            #expect(received.body == body)
        }
    }

    @Test(arguments: [200, 201, 202, 400, 401, 404, 429, 500, 502, 503])
    func statusAndBodyComeBack(status: Int) async throws {
        let handler: TestHTTPServer.Handler = { request in
            let code = Int(request.target.dropFirst()) ?? 0
            return TestHTTPServer.Reply(
                status: code, headers: [HTTPHeader("X-Reply", "r\(code)"), HTTPHeader("Set-Thing", "a")],
                body: bytes("status \(code) body"))
        }
        try await withServerAndClient(handler: handler) { server, client in
            let response = try await client.execute(HTTPRequest(url: server.baseURL + "/\(status)"))
            #expect(response.status == status)
            #expect(response.bodyText == "status \(status) body")
            #expect(!response.bodyTruncated)
            #expect(response.header("x-reply") == "r\(status)")
            #expect(response.header("Content-Length") == "\("status \(status) body".utf8.count)")
            #expect(response.headers.contains(HTTPHeader("Set-Thing", "a")))
        }
    }

    @Test func responseBodyIsCappedAndMarkedTruncated() async throws {
        let handler: TestHTTPServer.Handler = { _ in
            TestHTTPServer.Reply(body: Array(repeating: UInt8(ascii: "z"), count: 200_000))
        }
        try await withServerAndClient(handler: handler) { server, client in
            let capped = try await client.execute(HTTPRequest(url: server.baseURL, maxResponseBodyBytes: 1000))
            #expect(capped.body == Array(repeating: UInt8(ascii: "z"), count: 1000))
            #expect(capped.bodyTruncated)
            let whole = try await client.execute(HTTPRequest(url: server.baseURL))
            #expect(whole.body.count == 200_000)
            #expect(!whole.bodyTruncated)
        }
    }

    @Test func sequentialRequestsReuseOneConnection() async throws {
        try await withServerAndClient { server, client in
            for index in 0..<5 {
                let response = try await client.execute(
                    HTTPRequest(method: "POST", url: server.baseURL + "/\(index)", body: bytes("n\(index)")))
                #expect(response.status == 200)
            }
            #expect(server.requests.map(\.target) == ["/0", "/1", "/2", "/3", "/4"])
            #expect(Set(server.requests.map(\.connection)).count == 1)
            #expect(server.connectionCount == 1)
        }
    }

    @Test func timeoutFiresAndIsReported() async throws {
        let handler: TestHTTPServer.Handler = { _ in TestHTTPServer.Reply(delay: .seconds(20)) }
        try await withServerAndClient(handler: handler) { server, client in
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPRequest(url: server.baseURL + "/slow", timeout: .milliseconds(300)))
            }
            #expect(error?.isTimeout == true)
            #expect(error?.isCancelled == false)
            #expect(error?.curlCode == 28)
            #expect(error?.description.contains("/slow") == false)
        }
    }

    @Test(arguments: [
        (HTTPClientOptions(basicAuth: .init(username: "user", password: "pass")), "Basic dXNlcjpwYXNz"),
        (HTTPClientOptions(basicAuth: .init(username: "al:ice", password: "p w")), "Basic YWw6aWNlOnAgdw=="),
        (HTTPClientOptions(bearerToken: "tok123"), "Bearer tok123"),
        (HTTPClientOptions(authorization: .init(credentials: "cred")), "Bearer cred"),
        (HTTPClientOptions(authorization: .init(type: "GenieKey", credentials: "k-1")), "GenieKey k-1"),
        (
            HTTPClientOptions(bearerToken: "ignored", authorization: .init(type: "Token", credentials: "wins")),
            "Token wins"
        ),
    ])
    func authorizationHeaderIsSent(options: HTTPClientOptions, expected: String) async throws {
        try await withServerAndClient { server, client in
            _ = try await client.execute(HTTPRequest(url: server.baseURL + "/auth"), options: options)
            let received = try #require(server.requests.first)
            #expect(received.header("Authorization") == expected)
        }
    }

    @Test func noAuthorizationHeaderWithoutCredentials() async throws {
        try await withServerAndClient { server, client in
            _ = try await client.execute(HTTPRequest(url: server.baseURL))
            #expect(server.requests.first?.header("Authorization") == nil)
        }
    }

    @Test func refusedConnectionIsTransportErrorWithoutTheURL() async throws {
        let port = try freePort()
        let url = "http://127.0.0.1:\(port)/services/T000/B000/XXXXsecretXXXX?token=hunter2"
        let client = HTTPClient()
        defer { client.shutdown() }
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.execute(HTTPRequest(method: "POST", url: url, body: bytes("{}")))
        }
        let description = try #require(error?.description)
        #expect(error?.curlCode == 7)  // CURLE_COULDNT_CONNECT
        #expect(error?.isTimeout == false)
        #expect(error?.isCancelled == false)
        #expect(description.contains("transport error"))
        #expect(!description.contains(url))
        #expect(!description.contains("secret"))
        #expect(!description.contains("hunter2"))
        #expect(!"\(String(describing: error))".contains("secret"))
    }

    @Test func fiftyConcurrentRequestsAllComplete() async throws {
        let handler: TestHTTPServer.Handler = { request in
            TestHTTPServer.Reply(status: 202, body: request.body, delay: .milliseconds(20))
        }
        try await withServerAndClient(handler: handler) { server, client in
            let bodies = try await withThrowingTaskGroup(of: (Int, HTTPResponse).self) { group in
                for index in 0..<50 {
                    group.addTask {
                        let request = HTTPRequest(
                            method: "POST", url: server.baseURL + "/c/\(index)", body: bytes("request \(index)"))
                        return (index, try await client.execute(request))
                    }
                }
                var bodies: [Int: String] = [:]
                for try await (index, response) in group {
                    #expect(response.status == 202)
                    bodies[index] = response.bodyText
                }
                return bodies
            }
            #expect(bodies.count == 50)
            for index in 0..<50 {
                #expect(bodies[index] == "request \(index)")
            }
            #expect(server.requests.count == 50)
        }
    }

    @Test func cancellingTheAwaitingTaskAbortsTheTransfer() async throws {
        let handler: TestHTTPServer.Handler = { _ in TestHTTPServer.Reply(body: bytes("late"), delay: .seconds(30)) }
        try await withServerAndClient(handler: handler) { server, client in
            let task = Task {
                try await client.execute(HTTPRequest(url: server.baseURL + "/wait"))
            }
            #expect(await server.waitUntil { $0.requests.count == 1 })
            task.cancel()
            let result = await task.result
            #expect(throws: HTTPClientError.cancelled) { try result.get() }
            #expect(await server.waitUntil { $0.abortedCount == 1 })
        }
    }

    @Test func alreadyCancelledTaskSendsNothing() async throws {
        try await withServerAndClient { server, client in
            let task = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await client.execute(HTTPRequest(url: server.baseURL))
            }
            let result = await task.result
            #expect(throws: HTTPClientError.cancelled) { try result.get() }
            #expect(server.requests.isEmpty)
        }
    }

    @Test func shutdownFailsTransfersInFlightAndLaterOnes() async throws {
        let handler: TestHTTPServer.Handler = { _ in TestHTTPServer.Reply(delay: .seconds(30)) }
        try await withServerAndClient(handler: handler) { server, client in
            let task = Task { try await client.execute(HTTPRequest(url: server.baseURL)) }
            #expect(await server.waitUntil { $0.requests.count == 1 })
            client.shutdown()
            client.shutdown()  // idempotent
            let result = await task.result
            #expect(throws: HTTPClientError.shutdown) { try result.get() }
            await #expect(throws: HTTPClientError.shutdown) {
                try await client.execute(HTTPRequest(url: server.baseURL))
            }
        }
    }

    @Test(arguments: [(true, 200, "/final"), (false, 302, "/start")])
    func redirectsFollowTheOption(follow: Bool, status: Int, lastTarget: String) async throws {
        let handler: TestHTTPServer.Handler = { request in
            if request.target == "/start" {
                return TestHTTPServer.Reply(status: 302, headers: [HTTPHeader("Location", "/final")])
            }
            return TestHTTPServer.Reply(body: bytes("final"))
        }
        try await withServerAndClient(handler: handler) { server, client in
            let response = try await client.execute(
                HTTPRequest(url: server.baseURL + "/start"), options: HTTPClientOptions(followRedirects: follow))
            #expect(response.status == status)
            #expect(server.requests.last?.target == lastTarget)
            #expect(response.header("Location") == (follow ? nil : "/final"))
        }
    }

    @Test(arguments: [
        HTTPRequest(url: "http://127.0.0.1:1/", headers: [HTTPHeader("X-Bad", "a\r\nInjected: yes")]),
        HTTPRequest(url: "http://127.0.0.1:1/", headers: [HTTPHeader("Bad:Name", "v")]),
        HTTPRequest(url: "http://127.0.0.1:1/\r\nx"),
        HTTPRequest(method: "GE T", url: "http://127.0.0.1:1/"),
    ])
    func requestsThatWouldCorruptTheWireAreRejected(request: HTTPRequest) async throws {
        let client = HTTPClient()
        defer { client.shutdown() }
        let error = await #expect(throws: HTTPClientError.self) { try await client.execute(request) }
        #expect(error?.isInvalidRequest == true)
    }

    @Test func unsupportedSchemeIsATransportError() async throws {
        let client = HTTPClient()
        defer { client.shutdown() }
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.execute(HTTPRequest(url: "file:///etc/passwd"))
        }
        #expect(error?.curlCode == 1)  // CURLE_UNSUPPORTED_PROTOCOL
    }
}
