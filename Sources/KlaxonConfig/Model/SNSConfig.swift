/// `sns_configs` entry: an AWS SNS `Publish` call signed with SigV4.
public struct SNSConfig: Sendable, Hashable {
    /// `sigv4` (Prometheus common's `SigV4Config`): empty values come from the environment.
    public struct SigV4: Sendable, Hashable {
        /// `region`; empty: `AWS_REGION`.
        public var region: String = ""
        /// `access_key`; empty: `AWS_ACCESS_KEY_ID`.
        public var accessKey: String = ""
        /// `secret_key`; empty: `AWS_SECRET_ACCESS_KEY`.
        public var secretKey: Secret?
        /// `profile` (shared credentials files: not supported by Klaxon, a notification fails).
        public var profile: String = ""
        /// `role_arn` (STS AssumeRole: not supported by Klaxon, a notification fails).
        public var roleARN: String = ""

        /// Creates an empty `sigv4` block.
        public init() {}
    }

    /// `send_resolved`; default true.
    public var sendResolved: Bool = true
    /// `http_config` (the global one when not given).
    public var httpConfig: HTTPClientConfig = HTTPClientConfig()
    /// `api_url` (a template); empty: `https://sns.<region>.amazonaws.com`.
    public var apiURL: String = ""
    /// `sigv4`.
    public var sigv4 = SigV4()
    /// `topic_arn` (a template).
    public var topicARN: String = ""
    /// `phone_number` (a template): an SMS, cut to 1600 bytes.
    public var phoneNumber: String = ""
    /// `target_arn` (a template).
    public var targetARN: String = ""
    /// `subject`.
    public var subject: String = #"{{ template "sns.default.subject" . }}"#
    /// `message`.
    public var message: String = #"{{ template "sns.default.message" . }}"#
    /// `attributes`: names and values are templates.
    public var attributes: [String: String] = [:]
    var httpConfigGiven = false

    /// Creates a config with Alertmanager's defaults.
    public init() {}
}
