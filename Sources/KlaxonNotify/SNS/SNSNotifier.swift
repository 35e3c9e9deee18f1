import Crypto
import Foundation
import KlaxonConfig
import KlaxonCore
import KlaxonGoCompat
import KlaxonHTTP
import KlaxonTemplate
import Logging

/// `sns_configs`: one `Publish` call of the SNS query API per notification, as Alertmanager 0.25 makes it through
/// aws-sdk-go: `POST <endpoint>/` with the form `Action=Publish&Version=2010-03-31` plus `Message`, `Subject`,
/// `TopicArn`/`PhoneNumber`/`TargetArn` and `MessageAttributes.entry.N.*` (keys sorted, as `url.Values.Encode`
/// writes them), signed with SigV4 for service `sns`.
///
/// Credentials: `sigv4.access_key`/`secret_key`, else `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` (and
/// `AWS_SESSION_TOKEN`) from the environment; region: `sigv4.region`, else `AWS_REGION`. `sigv4.role_arn` (STS) and
/// shared credentials files (`sigv4.profile`, `~/.aws`) and instance roles are not supported: such a notification
/// fails with an error that says so. A message over 256 KiB (1600 bytes for an SMS) is cut and gets the attribute
/// `truncated=true`; a FIFO topic (`.fifo`) gets the group key's SHA-256 as deduplication and group ID. A 5xx answer
/// and transport errors are retried, other answers are not (`unexpected status code 400: <AWS message>`). A template
/// that fails leaves its field and the fields rendered after it empty and the call is still made, as Alertmanager
/// 0.25 makes it (Klaxon logs a warning).
public struct SNSNotifier: Notifier {
    /// `sns`.
    public let integrationName = "sns"
    /// `send_resolved` (default true).
    public let sendResolved: Bool
    private let config: SNSConfig
    private let templates: TemplateSet
    private let externalURL: String
    private let poster: JSONPoster
    private let logger: Logger
    private let environment: [String: String]
    private let now: @Sendable () -> Date

    /// Creates the notifier for one `sns_configs` entry. `environment` holds the `AWS_*` variables (the process's by
    /// default); `now` gives the signing time.
    public init(
        config: SNSConfig, templates: TemplateSet, client: HTTPClient, externalURL: String, logger: Logger,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        sendResolved = config.sendResolved
        self.config = config
        self.templates = templates
        self.externalURL = externalURL
        self.logger = logger
        self.environment = environment
        self.now = now
        var options = config.httpConfig.clientOptions()
        // aws-sdk-go sets its own User-Agent on the request, and Prometheus' client does not replace it.
        options.userAgent = Self.userAgent
        poster = JSONPoster(client: client, options: options, retryStatuses: [])
    }

    /// The User-Agent of the aws-sdk-go in Alertmanager 0.25's Debian build.
    static let userAgent = "aws-sdk-go/1.44.133 (go1.19.8; linux; amd64)"

    /// SNS's limit for a message, in bytes, and for an SMS.
    static let maxMessageBytes = 256 * 1024
    static let maxSMSBytes = 1600

    /// Signs and sends the `Publish` request once.
    public func notify(_ notification: GroupNotification) async -> NotifyResult {
        let templater = NotificationTemplater(
            templates: templates, notification: notification, externalURL: externalURL)
        let request: SignedRequest
        do {
            request = try signedRequest(templater, groupKey: notification.groupKey)
        } catch let failure as NotificationFailure {
            return failure.result
        } catch {
            return .failed(retry: false, reason: .other, message: "building the SNS request failed")
        }
        let outcome = await poster.send(
            method: "POST", url: request.url, headers: request.headers, body: request.body,
            deadline: notification.deadline, anyStatus: true)
        switch outcome {
        case .failed(let result):
            return result
        case .response(let response):
            if (200..<300).contains(response.status) { return .delivered(status: "\(response.status)") }
            // aws-sdk-go's RequestFailure, then Alertmanager's Retrier.Check: 5xx retried, the AWS message after
            // the status.
            var message = "unexpected status code \(response.status)"
            if let detail = Self.awsErrorMessage(response.body), !detail.isEmpty { message += ": " + detail }
            return .failed(
                retry: response.status >= 500, reason: response.status >= 500 ? .serverError : .clientError,
                message: message)
        }
    }

    struct SignedRequest {
        var url: String
        var headers: [HTTPHeader]
        var body: [UInt8]
    }

    /// The `Publish` request, rendered and signed at `now()`.
    func signedRequest(_ templater: NotificationTemplater, groupKey: String) throws -> SignedRequest {
        let region = config.sigv4.region.isEmpty ? environment["AWS_REGION"] ?? "" : config.sigv4.region
        guard !region.isEmpty else {
            throw NotificationFailure(
                retry: true, message: "region not configured in sns.sigv4.region or in default credentials chain")
        }
        let credentials = try self.credentials()
        // As in Alertmanager, a failed api_url template is the empty string, so the default endpoint.
        var endpointRenderer = EmptyOnTemplateError(templater)
        var endpoint = endpointRenderer.render(config.apiURL, field: "api_url")
        logTemplateError(endpointRenderer.failure)
        if endpoint.isEmpty { endpoint = "https://sns.\(region).amazonaws.com" }
        if !endpoint.contains("://") { endpoint = "https://" + endpoint }
        guard var components = URLComponents(string: endpoint), let host = components.host, !host.isEmpty else {
            throw NotificationFailure(retry: false, message: "invalid SNS endpoint \(GoQuote.quote(endpoint))")
        }
        components.percentEncodedPath += "/"
        guard let url = components.string else {
            throw NotificationFailure(retry: false, message: "invalid SNS endpoint \(GoQuote.quote(endpoint))")
        }
        let body = Array(form(templater, groupKey: groupKey).utf8)

        let defaultPort = components.scheme?.lowercased() == "https" ? 443 : 80
        var hostHeader = host.contains(":") ? "[\(host)]" : host
        if let port = components.port, port != defaultPort { hostHeader += ":\(port)" }
        let amzDate = SigV4Signer.amzDate(now())
        var signed: [(String, String)] = [
            ("Content-Length", String(body.count)),
            ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
            ("Host", hostHeader), ("X-Amz-Date", amzDate),
        ]
        if let token = credentials.sessionToken { signed.append(("X-Amz-Security-Token", token)) }
        let signer = SigV4Signer(credentials: credentials, region: region, service: "sns")
        let authorization = signer.authorization(
            method: "POST", path: components.percentEncodedPath, query: components.percentEncodedQuery ?? "",
            headers: signed, payload: body, amzDate: amzDate)
        // libcurl writes Host and Content-Length itself, with the values signed above.
        var headers = signed.filter { $0.0 != "Host" && $0.0 != "Content-Length" }.map { HTTPHeader($0.0, $0.1) }
        headers.append(HTTPHeader("Authorization", authorization))
        return SignedRequest(url: url, headers: headers, body: body)
    }

    /// Static credentials from `sigv4`, else the environment's; what aws-sdk-go would find elsewhere (shared files,
    /// STS, instance roles) is not supported.
    func credentials() throws -> SigV4Signer.Credentials {
        if !config.sigv4.roleARN.isEmpty {
            throw NotificationFailure(
                retry: false, message: "sns: sigv4.role_arn (STS AssumeRole) is not supported by Klaxon")
        }
        if !config.sigv4.accessKey.isEmpty, let secret = config.sigv4.secretKey, !secret.isEmpty {
            return .init(accessKey: config.sigv4.accessKey, secretKey: secret.revealed, sessionToken: nil)
        }
        let id = environment["AWS_ACCESS_KEY_ID"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["AWS_ACCESS_KEY"]
        let secret =
            environment["AWS_SECRET_ACCESS_KEY"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["AWS_SECRET_KEY"]
        if let id, !id.isEmpty, let secret, !secret.isEmpty {
            let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            return .init(accessKey: id, secretKey: secret, sessionToken: token)
        }
        if !config.sigv4.profile.isEmpty {
            throw NotificationFailure(
                retry: false,
                message: "sns: sigv4.profile (shared credentials files) is not supported by Klaxon; set "
                    + "sigv4.access_key and sigv4.secret_key or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
        }
        throw NotificationFailure(retry: true, message: "NoCredentialProviders: no valid providers in chain")
    }

    /// Alertmanager's SNS notifier drops template errors (the request goes out with the failed fields empty); Klaxon
    /// says so in its log.
    private func logTemplateError(_ failure: NotificationBuildError?) {
        guard let failure else { return }
        logger.warning(
            "Template failed: the field and those rendered after it are sent empty, as Alertmanager sends them",
            metadata: ["integration.name": "sns", "error": "\(failure)"])
    }

    /// The form body aws-sdk-go's query protocol writes for `PublishInput` (`url.Values.Encode`: keys sorted; an
    /// empty attribute map is written as `MessageAttributes=`). Fields are rendered in Alertmanager's order
    /// (attributes, topic_arn, phone_number, target_arn, message, subject); after a template error, that field and
    /// the later ones are empty and the request is still sent, as Alertmanager 0.25 sends it. (Alertmanager renders
    /// the attributes in Go's random map order; Klaxon in name order.)
    func form(_ templater: NotificationTemplater, groupKey: String) -> String {
        var fields = EmptyOnTemplateError(templater)
        defer { logTemplateError(fields.failure) }
        var pairs: [(String, [UInt8])] = []
        func add(_ key: String, _ value: String) { pairs.append((key, Array(value.utf8))) }
        add("Action", "Publish")
        add("Version", "2010-03-31")
        var limit = Self.maxMessageBytes
        var attributes: [String: String] = [:]
        for key in config.attributes.keys.sorted() {
            let name = fields.render(key, field: "attributes")
            attributes[name] = fields.render(config.attributes[key] ?? "", field: "attributes.\(key)")
        }
        if !config.topicARN.isEmpty {
            let topic = fields.render(config.topicARN, field: "topic_arn")
            add("TopicArn", topic)
            if topic.hasSuffix(".fifo") {
                let hash = SigV4Signer.hex(SHA256.hash(data: Array(groupKey.utf8)))
                add("MessageDeduplicationId", hash)
                add("MessageGroupId", hash)
            }
        }
        if !config.phoneNumber.isEmpty {
            add("PhoneNumber", fields.render(config.phoneNumber, field: "phone_number"))
            limit = Self.maxSMSBytes
        }
        if !config.targetARN.isEmpty {
            add("TargetArn", fields.render(config.targetARN, field: "target_arn"))
        }
        var message = Array(fields.render(config.message, field: "message").utf8)
        if message.count > limit {
            // Alertmanager copies the first bytes, even when that cuts a character in two.
            message = Array(message.prefix(limit))
            attributes["truncated"] = "true"
            logger.warning(
                "Truncated message", metadata: ["integration.name": "sns", "max_bytes": .stringConvertible(limit)])
        }
        pairs.append(("Message", message))
        if attributes.isEmpty { add("MessageAttributes", "") }
        for (index, name) in attributes.keys.sorted().enumerated() {
            let prefix = "MessageAttributes.entry.\(index + 1)"
            add("\(prefix).Name", name)
            add("\(prefix).Value.DataType", "String")
            add("\(prefix).Value.StringValue", attributes[name] ?? "")
        }
        if !config.subject.isEmpty {
            add("Subject", fields.render(config.subject, field: "subject"))
        }
        return pairs.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            .map { GoURL.queryEscape($0.0) + "=" + GoURL.queryEscape(bytes: $0.1) }.joined(separator: "&")
    }

    /// The `<Message>` of an AWS query-protocol error document, XML entities decoded.
    static func awsErrorMessage(_ body: [UInt8]) -> String? {
        let text = String(decoding: body, as: UTF8.self)
        guard let open = text.range(of: "<Message>"),
            let close = text.range(of: "</Message>", range: open.upperBound..<text.endIndex)
        else { return text.isEmpty ? nil : String(text.prefix(512)) }
        return text[open.upperBound..<close.lowerBound]
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
