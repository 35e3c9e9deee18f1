/// One message to submit to an SMTP server (libcurl's SMTP support): connect, `EHLO`, optionally `STARTTLS` and
/// `AUTH`, `MAIL FROM`, one `RCPT TO` per recipient, `DATA` with the message, `QUIT`. Every submission opens its own
/// connection, as Go's `net/smtp` client in Alertmanager does.
///
/// The credentials are secrets: they never appear in an ``SMTPError`` or a log.
public struct SMTPRequest: Sendable {
    /// How the connection is protected.
    public enum Security: Sendable, Hashable {
        /// Plain text; `STARTTLS` is not sent even when the server offers it.
        case none
        /// `STARTTLS` after `EHLO`; a server that does not offer it fails the submission.
        case startTLS
        /// TLS from the first byte (`smtps`, port 465).
        case implicitTLS
    }

    /// A SASL mechanism that may be used for `AUTH`.
    public enum AuthMechanism: String, Sendable, Hashable, CaseIterable {
        /// `PLAIN` (RFC 4616), with the authorization identity.
        case plain = "PLAIN"
        /// `LOGIN`: user name and password in two challenges.
        case login = "LOGIN"
        /// `CRAM-MD5` (RFC 2195): the password is the shared secret.
        case cramMD5 = "CRAM-MD5"
    }

    /// `AUTH` credentials, used only when the server advertises `AUTH` with one of ``mechanisms``.
    public struct Credentials: Sendable, Hashable {
        /// The user name.
        public var username: String
        /// The password (for `CRAM-MD5`, the secret).
        public var password: String
        /// `PLAIN`'s authorization identity; empty for none.
        public var authorizationIdentity: String
        /// The mechanisms libcurl may pick from; it takes the strongest the server offers.
        public var mechanisms: [AuthMechanism]

        /// Creates credentials.
        public init(
            username: String, password: String, authorizationIdentity: String = "", mechanisms: [AuthMechanism]
        ) {
            self.username = username
            self.password = password
            self.authorizationIdentity = authorizationIdentity
            self.mechanisms = mechanisms
        }
    }

    /// The server's host name or IP address.
    public var host: String
    /// The server's port.
    public var port: Int
    /// Plain text, `STARTTLS` or implicit TLS.
    public var security: Security
    /// The name sent with `EHLO`.
    public var hello: String
    /// `AUTH` credentials; nil sends no `AUTH`.
    public var credentials: Credentials?
    /// The `MAIL FROM` address (without angle brackets).
    public var from: String
    /// The `RCPT TO` addresses in order (without angle brackets).
    public var recipients: [String]
    /// The message after `DATA`, CRLF line ends; libcurl adds the dot-stuffing and the final `.`.
    public var message: [UInt8]
    /// Certificate checks, CA, client certificate and `server_name` for TLS and `STARTTLS`.
    public var tls: HTTPClientOptions.TLSOptions
    /// The limit for the whole submission; nil means none (the caller should always set one).
    public var timeout: Duration?
    /// The limit for establishing the connection (TCP and, for implicit TLS, the handshake).
    public var connectTimeout: Duration

    /// Creates a submission.
    public init(
        host: String, port: Int, security: Security, hello: String, credentials: Credentials? = nil, from: String,
        recipients: [String], message: [UInt8], tls: HTTPClientOptions.TLSOptions = .init(),
        timeout: Duration? = nil, connectTimeout: Duration = .seconds(30)
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.hello = hello
        self.credentials = credentials
        self.from = from
        self.recipients = recipients
        self.message = message
        self.tls = tls
        self.timeout = timeout
        self.connectTimeout = connectTimeout
    }
}

/// Why an SMTP submission failed: the step that failed, the server's reply to it when there was one, and libcurl's
/// reason. Safe to log: no credentials, no message content.
public struct SMTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The step of the conversation that failed.
    public enum Stage: String, Sendable, Hashable {
        /// TCP connection (or, for implicit TLS, the connection and its handshake).
        case connect
        /// The TLS handshake after `STARTTLS`.
        case startTLS
        /// `STARTTLS` was required but the server does not offer it.
        case startTLSNotOffered
        /// `EHLO`.
        case hello
        /// `AUTH` (refused, or no mechanism in common).
        case auth
        /// `MAIL FROM`.
        case mail
        /// `RCPT TO`.
        case recipient
        /// `DATA` was refused before the message was sent.
        case data
        /// The server refused the message after receiving it.
        case message
        /// Anything else (the request was refused before sending, the client shut down, ...).
        case other
    }

    /// The failed step.
    public var stage: Stage
    /// The server's reply to the failed step (`550 5.1.1 unknown user`: code, a space, the text lines joined with
    /// `\n`), when the server answered.
    public var reply: String?
    /// The SMTP reply code of ``reply``.
    public var replyCode: Int?
    /// The `AUTH` mechanism that was tried, when the stage is ``Stage/auth``.
    public var mechanism: SMTPRequest.AuthMechanism?
    /// libcurl's reason (its error message), or the client's.
    public var detail: String
    /// Whether the submission's timeout or the connect timeout expired.
    public var isTimeout: Bool
    /// Whether the awaiting task was cancelled.
    public var isCancelled: Bool

    /// Creates an error.
    public init(
        stage: Stage, reply: String? = nil, replyCode: Int? = nil, mechanism: SMTPRequest.AuthMechanism? = nil,
        detail: String, isTimeout: Bool = false, isCancelled: Bool = false
    ) {
        self.stage = stage
        self.reply = reply
        self.replyCode = replyCode
        self.mechanism = mechanism
        self.detail = detail
        self.isTimeout = isTimeout
        self.isCancelled = isCancelled
    }

    /// The stage, then the reply or libcurl's reason.
    public var description: String {
        "SMTP \(stage.rawValue) failed: \(reply ?? detail)"
    }
}
