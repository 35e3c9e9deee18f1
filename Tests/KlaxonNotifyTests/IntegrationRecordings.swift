import Foundation
import KlaxonCore
import KlaxonTemplate
import KlaxonTestSupport
import Testing

@testable import KlaxonConfig
@testable import KlaxonNotify

/// Requests recorded from the real Alertmanager 0.25 by `scripts/record-integration-fixtures.sh` into
/// `Fixtures/Integrations/<integration>/`: `<case>.<n>.body` byte for byte and `<case>.<n>.request` (method,
/// target, headers). Each receiver of `Fixtures/Integrations/alertmanager.yml` also has a webhook, and
/// `hook/<receiver>.<n>.body` is the notification behind the receiver's n-th request.
enum IntegrationRecordings {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/Integrations")

    /// A recorded request line and headers.
    struct Request: Decodable {
        var method: String
        var target: String
        var headers: [String: String]
    }

    static func config() throws -> Config {
        let text = try String(contentsOf: directory.appendingPathComponent("alertmanager.yml"), encoding: .utf8)
        return try Config.parse(yaml: text, baseDirectory: directory.path)
    }

    static func receiver(_ name: String) throws -> Receiver {
        try #require(try config().receiver(named: name))
    }

    /// The default templates plus `recorder.tmpl`.
    static func templates() throws -> TemplateSet {
        try TemplateSet.defaults().adding(globs: ["recorder.tmpl"], relativeTo: directory.path)
    }

    /// A recorded body, `discord/default.0.body`.
    static func body(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(path)))
    }

    /// A recorded request, `discord/default.0` (without extension).
    static func request(_ path: String) throws -> Request {
        try JSONDecoder().decode(
            Request.self, from: Data(contentsOf: directory.appendingPathComponent(path + ".request")))
    }

    /// The n-th notification sent to `receiver`, rebuilt from its webhook twin.
    static func notification(receiver: String, index: Int) throws -> GroupNotification {
        try RecordedNotifications.notification(
            hookBody: body("hook/\(receiver).\(index).body"), receiver: receiver)
    }

    /// A recorded config URL moved to the test server: same path, so requests can be compared with the recording.
    static func onServer(_ url: ConfigURL?, _ server: TestHTTPServer) -> ConfigURL? {
        url.map { ConfigURL(validated: $0.string.replacingOccurrences(of: sinkURL, with: server.baseURL)) }
    }

    /// Where the recording's sink listened.
    static let sinkURL = "http://127.0.0.1:19881"

    /// The external URL the recording ran with.
    static let externalURL = RecordedNotifications.externalURL
}

/// A notification to send in failure-path tests.
func oneAlertNotification(deadline: Date? = nil) -> GroupNotification {
    let t = Date(timeIntervalSince1970: 1_800_000_000)
    let alert = Alert(labels: ["alertname": "A", "severity": "page"], startsAt: t, updatedAt: t)
    return GroupNotification(
        receiver: "r", groupKey: #"{}:{alertname="A"}"#, groupLabels: ["alertname": "A"], alerts: [alert],
        now: t, deadline: deadline)
}

/// The only receiver of a config text, parsed as Klaxon loads it.
func onlyReceiver(_ yaml: String) throws -> Receiver {
    try #require(try Config.parse(yaml: yaml, baseDirectory: "/").receivers.first)
}

/// How a notifier's attempt ended, for table-driven answer tests.
enum AttemptOutcome: Equatable, CustomStringConvertible {
    case delivered
    case retried
    case failedForGood

    init(_ result: NotifyResult) {
        switch result {
        case .delivered: self = .delivered
        case .failed(let retry, _, _): self = retry ? .retried : .failedForGood
        }
    }

    var description: String {
        switch self {
        case .delivered: "delivered"
        case .retried: "retried"
        case .failedForGood: "failed without retry"
        }
    }
}
