import CCurl
import Foundation

/// How a transfer ended: libcurl finished it with a code, or the driver gave up on it (cancelled, shut down, an
/// option libcurl refused).
enum TransferEnding {
    case curl(CURLcode)
    case failed(HTTPClientError)
}

/// One libcurl transfer that ``HTTPDriver`` runs on its thread: an HTTP request or an SMTP submission.
///
/// The driver calls ``configure(_:)`` on a fresh or reset easy handle, ``settle(_:)`` once the transfer ended (the
/// handle is still valid, so `curl_easy_getinfo` works), then ``freeLists()`` and resets the handle, and last
/// ``resumeWaiter()``.
protocol DriverTransfer: AnyObject, Sendable {
    /// The easy handle while the driver runs the transfer; touched by the driver thread only.
    var easy: UnsafeMutableRawPointer? { get set }
    /// Sets every option of `easy` for this transfer.
    func configure(_ easy: UnsafeMutableRawPointer) throws(HTTPClientError)
    /// Records the outcome; called once, on the driver thread.
    func settle(_ ending: TransferEnding)
    /// Frees the per-transfer lists after the easy handle left the multi handle.
    func freeLists()
    /// Resumes the awaiting task with what ``settle(_:)`` recorded.
    func resumeWaiter()
}

/// The hand-over between the task awaiting a transfer and the driver thread: submission, cancellation and the one
/// resumption of the continuation.
///
/// `@unchecked Sendable`: `phase` and `continuation` are guarded by `lock`.
final class TransferWaiter<Response: Sendable>: @unchecked Sendable {
    private enum Phase {
        case created, submitted, cancelled
    }

    private let lock = NSLock()
    private var phase = Phase.created
    private var continuation: CheckedContinuation<Response, any Error>?

    /// Hands `transfer` to the driver unless the task was already cancelled.
    func start(
        _ continuation: CheckedContinuation<Response, any Error>, transfer: any DriverTransfer, driver: HTTPDriver
    ) {
        var failure: HTTPClientError?
        lock.lock()
        self.continuation = continuation
        if phase == .cancelled {
            failure = .cancelled
        } else {
            phase = .submitted
            if !driver.enqueue(.start(transfer)) {
                failure = .shutdown
            }
        }
        lock.unlock()
        if let failure {
            complete(.failure(failure))
        }
    }

    /// Called from the cancellation handler: asks the driver to abort the transfer if it has it.
    func cancel(transfer: any DriverTransfer, driver: HTTPDriver) {
        lock.lock()
        if phase == .submitted {
            _ = driver.enqueue(.cancel(transfer))
        }
        phase = .cancelled
        lock.unlock()
    }

    /// Resumes the awaiting task; only the first call has an effect.
    func complete(_ result: Result<Response, any Error>) {
        lock.lock()
        let continuation = self.continuation
        self.continuation = nil
        lock.unlock()
        continuation?.resume(with: result)
    }
}

extension HTTPDriver {
    /// Runs `transfer` and returns what it produced; cancelling the awaiting task aborts it.
    func run<Response: Sendable>(
        _ transfer: any DriverTransfer, waiter: TransferWaiter<Response>
    ) async throws -> Response {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                waiter.start(continuation, transfer: transfer, driver: self)
            }
        } onCancel: {
            waiter.cancel(transfer: transfer, driver: self)
        }
    }
}
