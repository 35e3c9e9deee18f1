import Foundation
import KlaxonNotify

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small HTTP/1.1 server on 127.0.0.1 (port picked by the kernel) for testing the client.
///
/// One thread accepts, one thread per connection serves keep-alive requests with `Content-Length` bodies.
/// Every request is recorded with the number of the connection it came on.
/// `@unchecked Sendable`: all mutable state is guarded by `condition`.
final class TestHTTPServer: @unchecked Sendable {
    struct Request: Sendable {
        var method: String
        var target: String
        var headers: [HTTPHeader]
        var body: [UInt8]
        var connection: Int

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    struct Reply: Sendable {
        var status: Int = 200
        var headers: [HTTPHeader] = []
        var body: [UInt8] = []
        /// How long to wait before answering; the wait ends early if the client closes the connection.
        var delay: Duration = .zero
    }

    typealias Handler = @Sendable (Request) -> Reply

    let port: Int
    private let listener: Int32
    private let handler: Handler
    private let condition = NSCondition()
    private var recorded: [Request] = []
    private var connections = 0
    private var aborted = 0
    private var clientSockets: Set<Int32> = []
    private var liveThreads = 0
    private var stopping = false

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Requests received so far, in arrival order.
    var requests: [Request] { locked { recorded } }
    /// TCP connections accepted so far.
    var connectionCount: Int { locked { connections } }
    /// Connections the client closed while the server was still delaying its reply.
    var abortedCount: Int { locked { aborted } }

    init(handler: @escaping Handler = { _ in Reply() }) throws {
        self.handler = handler
        #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw TestServerError.socket("socket") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 128) == 0 else {
            close(fd)
            throw TestServerError.socket("bind/listen")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = fd
        liveThreads = 1
        Thread { [self] in acceptLoop() }.start()
    }

    /// Closes every socket and waits for the server threads to end.
    func stop() {
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
    func waitUntil(_ predicate: @Sendable (TestHTTPServer) -> Bool) async -> Bool {
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
            method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: [],
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

enum TestServerError: Error {
    case socket(String)
}

/// Runs `body` with a fresh server and client; both are stopped afterwards, also when `body` throws.
func withServerAndClient<T>(
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
