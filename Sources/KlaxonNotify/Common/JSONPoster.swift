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

    /// Posts `body`; the request is abandoned at `deadline` (the notification's), and nothing is sent once it
    /// has passed.
    func post(url: String, body: [UInt8], deadline: Date?) async -> Outcome {
        var timeout: Duration?
        if let deadline {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else {
                return .failed(
                    .failed(retry: false, reason: .contextDeadlineExceeded, message: "context deadline exceeded"))
            }
            timeout = .milliseconds(max(1, Int64((remaining * 1000).rounded(.up))))
        }
        let request = HTTPRequest(
            method: "POST", url: url, headers: [HTTPHeader("Content-Type", "application/json")], body: body,
            timeout: timeout)
        do {
            let response = try await client.execute(request, options: options)
            if (200..<300).contains(response.status) { return .response(response) }
            let retry = response.status >= 500 || retryStatuses.contains(response.status)
            let reason: NotifyFailureReason = response.status >= 500 ? .serverError : .clientError
            let snippet = String(decoding: response.body.prefix(512), as: UTF8.self)
            // The URL is a secret: the message names the status and the body only.
            return .failed(
                .failed(retry: retry, reason: reason, message: "unexpected status code \(response.status): \(snippet)"))
        } catch let error as HTTPClientError {
            let reason: NotifyFailureReason =
                error.isTimeout ? .contextDeadlineExceeded : error.isCancelled ? .contextCanceled : .other
            return .failed(.failed(retry: !error.isCancelled, reason: reason, message: error.description))
        } catch {
            return .failed(.failed(retry: true, reason: .other, message: "request failed"))
        }
    }
}
