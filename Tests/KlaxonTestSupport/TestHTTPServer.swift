import Foundation
import KlaxonHTTP

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small HTTP/1.1 server on 127.0.0.1 (port picked by the kernel) for tests that send real requests: the
/// HTTP client's, the notifiers' and klaxonctl's.
///
/// One thread accepts, one thread per connection serves keep-alive requests with `Content-Length` bodies.
/// Every request is recorded with the number of the connection it came on. Call ``stop()`` when done.
/// `@unchecked Sendable`: all mutable state is guarded by `condition`.
public final class TestHTTPServer: @unchecked Sendable {
    /// A request as received.
    public struct Request: Sendable {
        /// The request line and header lines as received, each ending in CRLF, and the empty line after them.
        public var head: String
        public var method: String
        public var target: String
        public var headers: [HTTPHeader]
        public var body: [UInt8]
        /// The number of the TCP connection it came on, from 1.
        public var connection: Int

        /// The value of the first header with this name, compared case-insensitively.
        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    /// The answer to a request; `Content-Length` is added.
    public struct Reply: Sendable {
        public var status: Int
        public var headers: [HTTPHeader]
        public var body: [UInt8]
        /// How long to wait before answering; the wait ends early if the client closes the connection.
        public var delay: Duration

        public init(status: Int = 200, headers: [HTTPHeader] = [], body: [UInt8] = [], delay: Duration = .zero) {
            self.status = status
            self.headers = headers
            self.body = body
            self.delay = delay
        }
    }

    public typealias Handler = @Sendable (Request) -> Reply

    public let port: Int
    private let listener: Int32
    private let handler: Handler
    private let condition = NSCondition()
    private var recorded: [Request] = []
    private var connections = 0
    private var aborted = 0
    private var clientSockets: Set<Int32> = []
    private var liveThreads = 0
    private var stopping = false

    /// `http://127.0.0.1:<port>`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Requests received so far, in arrival order; a request is recorded before it is answered.
    public var requests: [Request] { locked { recorded } }
    /// TCP connections accepted so far.
    public var connectionCount: Int { locked { connections } }
    /// Connections the client closed while the server was still delaying its reply.
    public var abortedCount: Int { locked { aborted } }

    /// Starts a server that answers every request with what `handler` returns.
    public init(handler: @escaping Handler = { _ in Reply() }) throws {
        self.handler = handler
        let listener = try LoopbackListener(backlog: 128)
        port = listener.port
        self.listener = listener.descriptor
        liveThreads = 1
        Thread { [self] in acceptLoop() }.start()
    }

    /// Closes every socket and waits for the server threads to end.
    public func stop() {
        condition.lock()
        if !stopping {
            stopping = true
            shutdown(listener, Int32(SHUT_RDWR))
            for client in clientSockets {
                shutdown(client, Int32(SHUT_RDWR))
            }
        }
        while liveThreads > 0 {
            condition.wait()
        }
        condition.unlock()
    }

    /// Polls (up to 10 s) until `predicate` holds; returns whether it did.
    public func waitUntil(_ predicate: @Sendable (TestHTTPServer) -> Bool) async -> Bool {
        for _ in 0..<1000 {
            if predicate(self) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return predicate(self)
    }

    private func locked<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }

    private func threadEnded() {
        condition.lock()
        liveThreads -= 1
        condition.broadcast()
        condition.unlock()
    }

    private func acceptLoop() {
        defer {
            close(listener)
            threadEnded()
        }
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            condition.lock()
            if stopping {
                condition.unlock()
                close(client)
                return
            }
            connections += 1
            let number = connections
            clientSockets.insert(client)
            liveThreads += 1
            condition.unlock()
            Thread { [self] in serve(client, connection: number) }.start()
        }
    }

    private func serve(_ client: Int32, connection: Int) {
        defer {
            locked { _ = clientSockets.remove(client) }
            close(client)
            threadEnded()
        }
        var buffer: [UInt8] = []
        while let request = readRequest(client, buffer: &buffer, connection: connection) {
            locked { recorded.append(request) }
            let reply = handler(request)
            if reply.delay > .zero, !waitForDelay(client, reply.delay) {
                locked { aborted += 1 }
                return
            }
            var head = "HTTP/1.1 \(reply.status) Status\r\nContent-Length: \(reply.body.count)\r\n"
            for header in reply.headers {
                head += "\(header.name): \(header.value)\r\n"
            }
            head += "\r\n"
            guard sendAll(client, Array(head.utf8) + reply.body) else { return }
            if request.header("connection")?.lowercased() == "close" { return }
        }
    }

    /// Waits `delay`; false if the peer closed the connection (or the server stops) first.
    private func waitForDelay(_ client: Int32, _ delay: Duration) -> Bool {
        let (seconds, attoseconds) = delay.components
        var pollFD = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
        let millis = Int32(seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        let ready = poll(&pollFD, 1, millis)
        if ready == 0 { return true }
        var byte: UInt8 = 0
        return recv(client, &byte, 1, Int32(MSG_PEEK)) > 0
    }

    private func readRequest(_ client: Int32, buffer: inout [UInt8], connection: Int) -> Request? {
        let separator: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int?
        while true {
            if let end = buffer.firstRange(of: separator)?.lowerBound {
                headEnd = end
                break
            }
            guard receive(client, into: &buffer) else { return nil }
        }
        guard let headEnd else { return nil }
        let rawHead = String(decoding: buffer[..<(headEnd + 4)], as: UTF8.self)
        let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
        buffer.removeFirst(headEnd + 4)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count == 3 else { return nil }
        var headers: [HTTPHeader] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.append(HTTPHeader(String(line[..<colon]), value))
        }
        var request = Request(
            head: rawHead, method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: [],
            connection: connection)
        let length = Int(request.header("content-length") ?? "0") ?? 0
        while buffer.count < length {
            guard receive(client, into: &buffer) else { return nil }
        }
        request.body = Array(buffer[..<length])
        buffer.removeFirst(length)
        return request
    }

    private func receive(_ client: Int32, into buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[..<count])
        return true
    }

    private func sendAll(_ client: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, sendFlags) }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }
}

#if canImport(Glibc)
    private let sendFlags = Int32(MSG_NOSIGNAL)
#else
    private let sendFlags: Int32 = 0
#endif

/// Runs `body` with a fresh server and client; both are stopped afterwards, also when `body` throws.
public func withServerAndClient<T>(
    handler: @escaping TestHTTPServer.Handler = { _ in TestHTTPServer.Reply() },
    _ body: (TestHTTPServer, HTTPClient) async throws -> T
) async throws -> T {
    let server = try TestHTTPServer(handler: handler)
    let client = HTTPClient()
    defer {
        client.shutdown()
        server.stop()
    }
    return try await body(server, client)
}
