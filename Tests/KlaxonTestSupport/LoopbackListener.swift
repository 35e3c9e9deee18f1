import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a loopback socket could not be set up.
public struct TestServerError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// A TCP socket listening on 127.0.0.1 at a port the kernel picked. The owner closes `descriptor`.
struct LoopbackListener {
    let descriptor: Int32
    let port: Int

    /// Binds a port the kernel picks; listens with `backlog`, or, with nil, only holds the port (connections to it
    /// are refused, and no one else can bind it meanwhile).
    init(backlog: Int32?) throws {
        #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw TestServerError("socket() failed") }
        var yes: Int32 = 1
        if backlog != nil { setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size)) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, backlog.map({ listen(fd, $0) == 0 }) ?? true else {
            close(fd)
            throw TestServerError("bind/listen failed")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else {
            close(fd)
            throw TestServerError("getsockname() failed")
        }
        descriptor = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A port that was free a moment ago on 127.0.0.1 (bound to port 0, read back, closed): nothing listens there.
public func freePort() throws -> Int {
    let listener = try LoopbackListener(backlog: 1)
    close(listener.descriptor)
    return listener.port
}

/// A loopback port held without listening: connecting is refused for as long as it lives, and no server started
/// meanwhile (by this test or another running in parallel) can take the port, as it could a `freePort()`.
public final class RefusingPort: Sendable {
    public let port: Int
    private let descriptor: Int32

    public init() throws {
        let listener = try LoopbackListener(backlog: nil)
        descriptor = listener.descriptor
        port = listener.port
    }

    deinit { close(descriptor) }
}

/// A loopback socket that listens but never answers: connections complete (the kernel accepts them) and requests
/// hang, to exercise timeouts.
public final class SilentServer: Sendable {
    public let port: Int
    private let descriptor: Int32

    public init() throws {
        let listener = try LoopbackListener(backlog: 4)
        descriptor = listener.descriptor
        port = listener.port
    }

    deinit { close(descriptor) }
}
