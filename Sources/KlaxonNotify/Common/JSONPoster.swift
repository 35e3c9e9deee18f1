import Foundation
import KlaxonCore
import KlaxonHTTP
import Logging

/// Posts a JSON body and classifies the outcome with Alertmanager's retry rules: network errors and 5xx are
/// retried, other non-2xx are not, except the status codes an integration adds (PagerDuty: 429).
struct JSONPoster: Sendable {
    let client: HTTPClient
    let options: HTTPClientOptions
    /// Extra status codes that are retried.
    let retryStatuses: Set<Int>

    /// The response of a delivered request, or the failure.
    enum Outcome {
        case response(HTTPResponse)
        case failed(NotifyResult)
    }

    /// Posts `body` as JSON; the request is abandoned at `deadline` (the notification's), and nothing is sent
    /// once it has passed.
    func post(url: String, body: [UInt8], deadline: Date?) async -> Outcome {
        await send(
            method: "POST", url: url, headers: [HTTPHeader("Content-Type", "application/json")], body: body,
            deadline: deadline)
    }

    /// The time left until `deadline` as a request timeout (whole milliseconds, at least 1); nil once it has passed.
    static func timeLeft(until deadline: Date) -> Duration? {
        let remaining = deadline.timeIntervalSinceNow
        guard remaining > 0 else { return nil }
        return .milliseconds(max(1, Int64((remaining * 1000).rounded(.up))))
    }

    /// The outcome when the notification's deadline passed before anything was sent.
    static let deadlinePassed = NotifyResult.failed(
        retry: false, reason: .contextDeadlineExceeded, message: "context deadline exceeded")

    /// Sends any request and classifies the answer the same way (OpsGenie's `PUT`s, Pushover's form in the
    /// query). With `anyStatus`, every answer is returned as `.response` for the caller to judge (WeChat).
    func send(
        method: String, url: String, headers: [HTTPHeader], body: [UInt8], deadline: Date?, anyStatus: Bool = false
    ) async -> Outcome {
        var timeout: Duration?
        if let deadline {
            guard let remaining = Self.timeLeft(until: deadline) else { return .failed(Self.deadlinePassed) }
            timeout = remaining
        }
        let request = HTTPRequest(method: method, url: url, headers: headers, body: body, timeout: timeout)
        do {
            let response = try await client.execute(request, options: options)
            if anyStatus || (200..<300).contains(response.status) { return .response(response) }
            let retry = response.status >= 500 || retryStatuses.contains(response.status)
            let reason: NotifyFailureReason = response.status >= 500 ? .serverError : .clientError
            // The URL is a secret: the message names the status and the body only (Alertmanager's
            // `Retrier.Check`: `unexpected status code 500`, then `: <body>` when there is one).
            var message = "unexpected status code \(response.status)"
            if !response.body.isEmpty { message += ": " + String(decoding: response.body.prefix(512), as: UTF8.self) }
            return .failed(.failed(retry: retry, reason: reason, message: message))
        } catch let error as HTTPClientError {
            let reason: NotifyFailureReason =
                error.isTimeout ? .contextDeadlineExceeded : error.isCancelled ? .contextCanceled : .other
            return .failed(.failed(retry: !error.isCancelled, reason: reason, message: error.description))
        } catch {
            return .failed(.failed(retry: true, reason: .other, message: "request failed"))
        }
    }
}
