import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How a child process ended.
public enum ChildTermination: Hashable, Sendable {
    /// It called exit with this status.
    case exited(Int32)
    /// A signal killed it.
    case signaled(Int32)

    /// The status a shell reports: the exit status, or 128 + the signal number.
    public var shellStatus: Int32 {
        switch self {
        case .exited(let status): status
        case .signaled(let signal): 128 + signal
        }
    }

    /// Decodes a `waitpid` status word (the `WIFEXITED`/`WTERMSIG` macros, which Swift does not import).
    init(waitStatus status: Int32) {
        if status & 0x7F == 0 {
            self = .exited((status >> 8) & 0xFF)
        } else {
            self = .signaled(status & 0x7F)
        }
    }
}

/// Something that happened while `maintenance run` supervised its command.
enum SupervisorEvent: Sendable {
    /// The wrapper received a signal.
    case signal(Int32)
    /// The child exited (not yet reaped).
    case childExited
    /// The linger pause is over.
    case lingerElapsed
}

/// A command started with `posix_spawnp`, inheriting stdin, stdout, stderr and the environment, with the default
/// disposition of the signals the wrapper catches (ignored signals would otherwise be inherited across exec). Every
/// other descriptor (libcurl's keep-alive connection to the server, pipes) is closed in the child. It stays in the
/// wrapper's process group, so a group kill from a CI runner reaches it as well.
struct ChildProcess: Sendable {
    /// Its process ID.
    let pid: pid_t

    /// Why a command could not be started, with the shell's status for it (127 not found, 126 not executable).
    struct SpawnError: Error, CustomStringConvertible {
        var command: String
        var errno: Int32
        var description: String { "cannot run \"\(command)\": \(String(cString: strerror(errno)))" }
        var shellStatus: Int32 { errno == ENOENT ? 127 : 126 }
    }

    /// Starts `arguments[0]` (looked up in PATH) with `arguments`.
    static func spawn(_ arguments: [String], defaultSignals: [Int32]) throws -> ChildProcess {
        guard let command = arguments.first else { preconditionFailure("validate() requires a command") }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in defaultSignals + [SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let closing = Self.addCloseFrom?(&actions, STDERR_FILENO + 1)
        if closing != 0 { Self.markInheritedDescriptorsCloseOnExec() }

        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, command, &actions, &attributes, argv, environ)
        guard result == 0 else { throw SpawnError(command: command, errno: result) }
        return ChildProcess(pid: pid)
    }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which its headers declare only for
    /// `_DEFAULT_SOURCE` C and Swift therefore cannot see; looked up at run time.
    private static let addCloseFrom: AddCloseFrom? = {
        guard let handle = dlopen(nil, RTLD_NOW),
            let symbol = dlsym(handle, "posix_spawn_file_actions_addclosefrom_np")
        else { return nil }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()

    /// Without `addclosefrom`: sets close-on-exec on every open descriptor above stderr, as listed by
    /// `/proc/self/fd` (or, where that is missing, up to the descriptor limit). The wrapper itself never execs.
    private static func markInheritedDescriptorsCloseOnExec() {
        var descriptors: [Int32] = []
        if let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            descriptors = names.compactMap { Int32($0) }
        } else {
            let limit = min(sysconf(Int32(_SC_OPEN_MAX)), 65_536)
            descriptors = limit > 3 ? Array(3..<Int32(limit)) : []
        }
        for descriptor in descriptors where descriptor > STDERR_FILENO {
            let flags = fcntl(descriptor, F_GETFD)
            if flags >= 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    /// Blocks a dedicated thread until the child exits (without reaping it, so that its PID cannot be reused while
    /// signals are still being forwarded), then calls `exited`.
    func notifyOnExit(_ exited: @escaping @Sendable () -> Void) {
        let pid = self.pid
        Thread.detachNewThread {
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
            exited()
        }
    }

    /// Reaps the exited child and returns how it ended.
    func reap() -> ChildTermination {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { return .exited(127) }
        }
        return ChildTermination(waitStatus: status)
    }

    /// Sends `signal` to the child.
    func send(_ signal: Int32) {
        kill(pid, signal)
    }
}

/// Catches signals with dispatch sources for as long as it lives (from `init` to `cancel()`), delivering them as
/// ``SupervisorEvent/signal(_:)`` to a stream that also carries the child's exit and the linger timer.
final class SupervisorEvents: @unchecked Sendable {
    // Safe: `sources`, `timer` and `previousHandlers` are only touched on `queue`; `continuation` is Sendable; `lock` guards `received`.
    let stream: AsyncStream<SupervisorEvent>
    private let continuation: AsyncStream<SupervisorEvent>.Continuation
    private let queue = DispatchQueue(label: "klaxonctl.maintenance.signals")
    private var sources: [any DispatchSourceSignal] = []
    private var timer: (any DispatchSourceTimer)?
    private let lock = NSLock()
    private var received: [Int32] = []
    private var previousHandlers: [(Int32, (@convention(c) (Int32) -> Void)?)] = []

    init(signals: [Int32]) {
        (stream, continuation) = AsyncStream.makeStream(of: SupervisorEvent.self, bufferingPolicy: .unbounded)
        queue.sync {
            for number in signals {
                previousHandlers.append((number, signal(number, SIG_IGN)))
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { [weak self] in self?.deliver(number) }
                source.resume()
                sources.append(source)
            }
        }
    }

    /// The signals received so far, in order.
    var receivedSignals: [Int32] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    /// Feeds an event into the stream (the child watcher uses it).
    func yield(_ event: SupervisorEvent) {
        continuation.yield(event)
    }

    /// Yields ``SupervisorEvent/lingerElapsed`` after `seconds`.
    func scheduleLinger(after seconds: TimeInterval) {
        queue.async { [self] in
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: .now() + seconds)
            timer.setEventHandler { [weak self] in self?.continuation.yield(.lingerElapsed) }
            timer.resume()
            self.timer = timer
        }
    }

    /// Stops delivering events. Unless `restoring`, the signals stay ignored: the CLI is about to exit with the
    /// command's status, and a late signal must not turn that into a death by signal. Tests restore them.
    func cancel(restoring: Bool = false) {
        queue.sync {
            if restoring {
                for (number, previous) in previousHandlers { signal(number, previous) }
                previousHandlers = []
            }
            for source in sources { source.cancel() }
            sources = []
            timer?.cancel()
            timer = nil
        }
        continuation.finish()
    }

    private func deliver(_ number: Int32) {
        lock.lock()
        received.append(number)
        lock.unlock()
        continuation.yield(.signal(number))
    }
}
