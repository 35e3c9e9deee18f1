import Synchronization

/// A one-shot signal: `wait()` returns once `signal()` has been called (before or after), or the waiting task
/// is cancelled. What the engine's loops suspend on between events.
final class Wakeup: Sendable {
    private struct State {
        var signalled = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Wakes the waiter (now or when it arrives). Idempotent.
    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.signalled = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Suspends until `signal()` or cancellation. One waiter at a time.
    func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let signalled = state.withLock { state -> Bool in
                    if state.signalled { return true }
                    guard state.waiter == nil else { preconditionFailure("Wakeup has one waiter at a time") }
                    state.waiter = continuation
                    return false
                }
                if signalled { continuation.resume() }
            }
        } onCancel: {
            signal()
        }
    }
}
