import Foundation
import KlaxonConfig
import KlaxonCore
import KlaxonGoCompat
import KlaxonHTTP
import KlaxonTemplate
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `email_configs`: the message Alertmanager 0.25 writes (``EmailMessage``), submitted over SMTP through libcurl on
/// a connection of its own: `EHLO <hello>`, `STARTTLS` when `require_tls` (implicit TLS instead when the smarthost's
/// port is 465), `AUTH` when `auth_username` is set and the server offers a mechanism the credentials allow, then
/// `MAIL FROM`, `RCPT TO` for each `to` address and `DATA`.
///
/// As in Alertmanager 0.25, every failure of the SMTP conversation (connection, TLS, a 4xx or 5xx reply) is retried
/// and a template or address error is not; error messages carry Alertmanager's prefixes (`send RCPT command: 550
/// ...`). Differences, all documented in README: the `AUTH` mechanism is the strongest one libcurl finds among those
/// the server offers and the credentials allow (CRAM-MD5, PLAIN, LOGIN) rather than the first in the server's list;
/// a message the server refuses after `DATA` is a failure (Alertmanager 0.25 ignores that reply); port 465 with
/// `require_tls: true` delivers (Alertmanager 0.25 fails it: the TLS connection does not offer `STARTTLS`).
public struct EmailNotifier: Notifier {
    /// `email`.
    public let integrationName = "email"
    /// `send_resolved` (default false).
    public let sendResolved: Bool
    private let config: EmailConfig
    private let templates: TemplateSet
    private let client: HTTPClient
    private let externalURL: String
    private let logger: Logger
    private let hostname: String
    /// The port that means TLS from the first byte: Alertmanager's 465; a test gives the port its server listens on.
    private let implicitTLSPort: Int

    /// The whole submission's limit when the notification has no deadline: nothing may hang.
    static let defaultTimeout: Duration = .seconds(60)

    /// Creates the notifier for one `email_configs` entry (global `smtp_*` defaults already applied). `templates` is
    /// the default set plus the config's `templates:` files; `externalURL` is the external URL without a trailing
    /// slash.
    public init(
        config: EmailConfig, templates: TemplateSet, client: HTTPClient, externalURL: String, logger: Logger,
        hostname: String = EmailNotifier.localHostname()
    ) {
        self.init(
            config: config, templates: templates, client: client, externalURL: externalURL, logger: logger,
            hostname: hostname, implicitTLSPort: 465)
    }

    init(
        config: EmailConfig, templates: TemplateSet, client: HTTPClient, externalURL: String, logger: Logger,
        hostname: String, implicitTLSPort: Int
    ) {
        self.implicitTLSPort = implicitTLSPort
        sendResolved = config.sendResolved
        self.config = config
        self.templates = templates
        self.client = client
        self.externalURL = externalURL
        self.logger = logger
        self.hostname = hostname
    }

    /// Builds the message and submits it once.
    public func notify(_ notification: GroupNotification) async -> NotifyResult {
        let message: EmailMessage
        do {
            message = try EmailMessage.build(
                config: config, templates: templates, notification: notification, externalURL: externalURL,
                unique: .random(hostname: hostname))
        } catch {
            return error.result
        }
        guard let smarthost = Smarthost(config.smarthost) else {
            return .failed(
                retry: false, reason: .other,
                message: "establish connection to server: invalid smarthost \(GoQuote.quote(config.smarthost))")
        }
        let security = Self.security(
            port: smarthost.port, requireTLS: config.requireTLS, implicitTLSPort: implicitTLSPort)
        let credentials: SMTPRequest.Credentials?
        switch credentialsForAuth(host: smarthost.host, encrypted: security != .none) {
        case .success(let found): credentials = found
        case .failure(let failure): return failure.result
        }
        var timeout = Self.defaultTimeout
        if let deadline = notification.deadline {
            guard let remaining = JSONPoster.timeLeft(until: deadline) else { return JSONPoster.deadlinePassed }
            timeout = remaining
        }
        let request = SMTPRequest(
            // Without a hello name Go's SMTP client says `EHLO localhost` (libcurl would send the machine's name).
            host: smarthost.host, port: smarthost.port, security: security,
            hello: config.hello.isEmpty ? "localhost" : config.hello,
            credentials: credentials, from: message.from, recipients: message.recipients, message: message.data,
            tls: config.tlsConfig.options(), timeout: timeout)
        do {
            try await client.submit(request)
            // The server accepted the message (its 250 after the data).
            return .delivered(status: "250")
        } catch let error as SMTPError {
            return Self.result(error, smarthost: config.smarthost)
        } catch {
            return .failed(retry: true, reason: .other, message: "SMTP submission failed")
        }
    }

    /// Alertmanager's choice: TLS from the first byte on port 465, else `STARTTLS` when `require_tls`.
    static func security(port: Int, requireTLS: Bool, implicitTLSPort: Int = 465) -> SMTPRequest.Security {
        port == implicitTLSPort ? .implicitTLS : requireTLS ? .startTLS : .none
    }

    /// The credentials for `AUTH`, as Alertmanager's `auth` chooses them: none without `auth_username`; the
    /// password (`auth_password`, or `auth_password_file` read as is) for PLAIN and LOGIN; `auth_secret` for
    /// CRAM-MD5. PLAIN is offered only over TLS or to localhost, where Go's `smtp.PlainAuth` agrees to send the
    /// password. libcurl holds one password, so with both a password and a different secret CRAM-MD5 is not offered.
    func credentialsForAuth(host: String, encrypted: Bool) -> Result<SMTPRequest.Credentials?, NotificationFailure> {
        guard !config.authUsername.isEmpty else {
            logger.debug(
                "smtp_auth_username is not configured. Attempting to send email without authenticating",
                metadata: ["integration.name": "email"])
            return .success(nil)
        }
        var password = config.authPassword?.revealed ?? ""
        if let file = config.authPasswordFile {
            guard let data = FileManager.default.contents(atPath: file) else {
                return .failure(
                    NotificationFailure(
                        retry: true, message: "find auth mechanism: could not read \(file): no such file or unreadable")
                )
            }
            password = String(decoding: data, as: UTF8.self)
        }
        let secret = config.authSecret?.revealed ?? ""
        var mechanisms: [SMTPRequest.AuthMechanism] = []
        if !secret.isEmpty && (password.isEmpty || password == secret) { mechanisms.append(.cramMD5) }
        if !password.isEmpty {
            if encrypted || ["localhost", "127.0.0.1", "::1"].contains(host) { mechanisms.append(.plain) }
            mechanisms.append(.login)
        }
        guard !mechanisms.isEmpty else {
            logger.debug(
                "auth_username is set but neither a password nor a secret: sending without authenticating",
                metadata: ["integration.name": "email"])
            return .success(nil)
        }
        return .success(
            SMTPRequest.Credentials(
                username: config.authUsername, password: password.isEmpty ? secret : password,
                authorizationIdentity: config.authIdentity, mechanisms: mechanisms))
    }

    /// Alertmanager's wording for each failed step; every SMTP failure is retried, as in its email notifier.
    static func result(_ error: SMTPError, smarthost: String) -> NotifyResult {
        let cause = error.reply ?? error.detail
        let message: String
        switch error.stage {
        case .connect:
            if let reply = error.reply {
                message = "create SMTP client: \(reply)"
            } else if smarthost.hasSuffix(":465") {
                message = "establish TLS connection to server: \(error.detail)"
            } else {
                message = "establish connection to server: \(error.detail)"
            }
        case .startTLS: message = "send STARTTLS command: \(cause)"
        case .startTLSNotOffered:
            message =
                "'require_tls' is true (default) but \(GoQuote.quote(smarthost)) does not advertise the STARTTLS extension"
        case .hello: message = "send EHLO command: \(cause)"
        case .auth:
            switch error.mechanism {
            case .plain: message = "*smtp.plainAuth auth: \(cause)"
            case .login: message = "*email.loginAuth auth: \(cause)"
            case .cramMD5: message = "*smtp.cramMD5Auth auth: \(cause)"
            case nil: message = "find auth mechanism: \(cause)"
            }
        case .mail: message = "send MAIL command: \(cause)"
        case .recipient: message = "send RCPT command: \(cause)"
        case .data: message = "send DATA command: \(cause)"
        case .message: message = "the server did not accept the message: \(cause)"
        case .other: message = cause
        }
        if error.isCancelled { return .failed(retry: false, reason: .contextCanceled, message: message) }
        return .failed(retry: true, reason: error.isTimeout ? .contextDeadlineExceeded : .other, message: message)
    }

    /// Go's `os.Hostname()`, or `localhost.localdomain` as Alertmanager falls back to.
    public static func localHostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost.localdomain" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost.localdomain" : name
    }
}

/// `smarthost` (Alertmanager's `HostPort`): `host:port` or `[v6]:port`, the port a number.
struct Smarthost: Equatable {
    var host: String
    var port: Int
}

extension Smarthost {
    init?(_ text: String) {
        var host: Substring
        var port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                return nil
            }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
            guard !host.contains(":") else { return nil }
        }
        guard !host.isEmpty, let number = Int(port), (1...65535).contains(number) else { return nil }
        self.host = String(host)
        self.port = number
    }
}
