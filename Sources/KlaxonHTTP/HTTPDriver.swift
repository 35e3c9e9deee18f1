import CCurl
import Foundation

/// libcurl's process-wide initialisation, run once on first use (a `static let` is initialised atomically).
enum CurlGlobal {
    static let initCode: UInt32 = klaxon_curl_global_init_default().rawValue
}

/// The dedicated OS thread that drives libcurl's multi handle (HTTP requests and SMTP submissions alike).
///
/// `@unchecked Sendable`: `commands`, `stopRequested`, `stopped` and `exited` are guarded by `lock`; the
/// multi handle, `active` and `pool` are used only by the driver thread, except `curl_multi_wakeup`, which is
/// thread-safe and is called under `lock` only while `stopped` is false (before the handle is freed).
final class HTTPDriver: @unchecked Sendable {
    enum Command {
        case start(any DriverTransfer)
        case cancel(any DriverTransfer)
    }

    private let multi: UnsafeMutableRawPointer
    private let maxPooledHandles: Int
    private let lock = NSCondition()
    private var commands: [Command] = []
    private var stopRequested = false
    private var stopped = false
    private var exited = false

    // Driver-thread state.
    private var active: [UnsafeMutableRawPointer: any DriverTransfer] = [:]
    private var pool: [UnsafeMutableRawPointer] = []

    init(maxConnections: Int, maxConnectionsPerHost: Int) {
        guard CurlGlobal.initCode == CURLE_OK.rawValue else {
            preconditionFailure("curl_global_init failed")
        }
        guard let multi = curl_multi_init() else {
            preconditionFailure("curl_multi_init failed (out of memory)")
        }
        self.multi = multi
        maxPooledHandles = max(1, maxConnections)
        // The cache holds as many connections as may be open at once: a connection beyond the cache is closed
        // after its transfer, and a notification storm then costs a TCP (and TLS) handshake per notification
        // and thousands of sockets in TIME_WAIT (seen: 7,300 for 10k webhook notifications with a cache of 64).
        // The caps bound the descriptors a storm can take; further transfers wait inside libcurl for a
        // connection instead.
        klaxon_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(1, maxConnections))
        klaxon_curl_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, max(1, maxConnections))
        klaxon_curl_multi_setopt_long(
            multi, CURLMOPT_MAX_HOST_CONNECTIONS, max(1, min(maxConnectionsPerHost, maxConnections)))
    }

    /// Starts the driver thread.
    func startThread() {
        let thread = Thread { [self] in
            run()
        }
        thread.name = "klaxon-http"
        thread.start()
    }

    /// Queues a command and wakes the thread; false once the driver has stopped.
    func enqueue(_ command: Command) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped, !stopRequested else {
            return false
        }
        commands.append(command)
        curl_multi_wakeup(multi)
        return true
    }

    /// Stops the thread, fails outstanding transfers with ``HTTPClientError/shutdown`` and frees every
    /// libcurl handle; returns once that is done. Idempotent.
    func shutdown() {
        lock.lock()
        if !stopRequested && !stopped {
            stopRequested = true
            curl_multi_wakeup(multi)
        }
        while !exited {
            lock.wait()
        }
        lock.unlock()
    }

    private func run() {
        var running: Int32 = 0
        while true {
            lock.lock()
            let pending = commands
            commands.removeAll(keepingCapacity: true)
            let stop = stopRequested
            lock.unlock()
            if stop {
                break
            }
            for command in pending {
                switch command {
                case .start(let transfer): add(transfer)
                case .cancel(let transfer): cancel(transfer)
                }
            }
            curl_multi_perform(multi, &running)
            collectFinished()
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        tearDown()
    }

    private func add(_ transfer: any DriverTransfer) {
        guard let easy = pool.popLast() ?? curl_easy_init() else {
            transfer.settle(.failed(.transport(code: Int(CURLE_OUT_OF_MEMORY.rawValue), message: "out of memory")))
            transfer.resumeWaiter()
            return
        }
        do {
            try transfer.configure(easy)
        } catch {
            transfer.settle(.failed(error))
            release(transfer, easy: easy)
            transfer.resumeWaiter()
            return
        }
        let code = curl_multi_add_handle(multi, easy)
        guard code == CURLM_OK else {
            let message = String(cString: curl_multi_strerror(code))
            transfer.settle(.failed(.transport(code: Int(code.rawValue), message: message)))
            release(transfer, easy: easy)
            transfer.resumeWaiter()
            return
        }
        active[easy] = transfer
    }

    private func cancel(_ transfer: any DriverTransfer) {
        guard let easy = transfer.easy, active[easy] === transfer else {
            return  // already finished
        }
        finish(easy, with: .failed(.cancelled))
    }

    private func collectFinished() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle, active[easy] != nil
            else {
                continue
            }
            finish(easy, with: .curl(klaxon_curl_msg_result(message)))
        }
    }

    /// Takes `easy` out of the multi handle, recycles it and resumes the awaiting task.
    private func finish(_ easy: UnsafeMutableRawPointer, with ending: TransferEnding) {
        guard let transfer = active.removeValue(forKey: easy) else {
            return
        }
        transfer.settle(ending)
        curl_multi_remove_handle(multi, easy)
        release(transfer, easy: easy)
        transfer.resumeWaiter()
    }

    /// Frees the transfer's lists and puts the reset easy handle back in the pool (connections live in the
    /// multi handle's cache, so reuse does not depend on which easy handle a request gets).
    private func release(_ transfer: any DriverTransfer, easy: UnsafeMutableRawPointer) {
        transfer.freeLists()
        transfer.easy = nil
        curl_easy_reset(easy)
        if pool.count < maxPooledHandles {
            pool.append(easy)
        } else {
            curl_easy_cleanup(easy)
        }
    }

    private func tearDown() {
        lock.lock()
        stopped = true
        let pending = commands
        commands.removeAll()
        lock.unlock()
        for command in pending {
            if case .start(let transfer) = command {
                transfer.settle(.failed(.shutdown))
                transfer.resumeWaiter()
            }
        }
        for easy in Array(active.keys) {
            finish(easy, with: .failed(.shutdown))
        }
        for easy in pool {
            curl_easy_cleanup(easy)
        }
        pool.removeAll()
        curl_multi_cleanup(multi)
        lock.lock()
        exited = true
        lock.broadcast()
        lock.unlock()
    }
}
