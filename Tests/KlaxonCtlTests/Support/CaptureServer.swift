import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback HTTP server that answers one request with a canned response and keeps the request's head, to check
/// what the client sent (headers, path). `request()` waits for it.
final class CaptureServer: @unchecked Sendable {
    // Safe: `captured` is written by the serving thread before `done` is signalled and read only after waiting on it.
    let port: Int
    private let fd: Int32
    private var captured = ""
    private let done = DispatchSemaphore(value: 0)
    private let response: String

    init(status: Int = 200, body: String) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        guard fd >= 0 else { throw LiveServerError("socket() failed") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 4) == 0 else { throw LiveServerError("bind/listen failed") }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        port = Int(UInt16(bigEndian: addr.sin_port))
        response =
            "HTTP/1.1 \(status) X\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
            + "Connection: close\r\n\r\n" + body
        serve(fd)
    }

    private func serve(_ fd: Int32) {
        Thread.detachNewThread { [self] in
            let client = accept(fd, nil, nil)
            var head = [UInt8]()
            var buffer = [UInt8](repeating: 0, count: 4096)
            while client >= 0, !String(decoding: head, as: UTF8.self).contains("\r\n\r\n") {
                let n = recv(client, &buffer, buffer.count, 0)
                if n <= 0 { break }
                head.append(contentsOf: buffer[0..<n])
            }
            captured = String(decoding: head, as: UTF8.self)
            let bytes = Array(self.response.utf8)
            _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, 0) }
            close(client)
            done.signal()
        }
    }

    deinit { close(fd) }

    /// The request head (request line and headers), once the request has been answered.
    func request() -> String {
        done.wait()
        return captured
    }
}

/// A loopback socket that listens but never answers: connections complete (the kernel accepts them) and requests
/// hang, to exercise timeouts.
final class SilentServer: @unchecked Sendable {
    // Safe: `fd` is set once in init and only closed in deinit.
    let port: Int
    private let fd: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        guard fd >= 0 else { throw LiveServerError("socket() failed") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 4) == 0 else { throw LiveServerError("bind/listen failed") }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        port = Int(UInt16(bigEndian: addr.sin_port))
    }

    deinit { close(fd) }
}
