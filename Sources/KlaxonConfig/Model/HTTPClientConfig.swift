/// Prometheus' common HTTP client config (`http_config`), as Alertmanager 0.25 accepts it.
public struct HTTPClientConfig: Sendable, Hashable {
    /// `basic_auth`.
    public struct BasicAuth: Sendable, Hashable {
        /// `username`.
        public var username: String = ""
        /// `password`.
        public var password: Secret?
        /// `password_file`, resolved against the config's directory.
        public var passwordFile: String?
    }

    /// `authorization` (also what `bearer_token`/`bearer_token_file` become).
    public struct Authorization: Sendable, Hashable {
        /// `type`; default `Bearer`.
        public var type: String = "Bearer"
        /// `credentials`.
        public var credentials: Secret?
        /// `credentials_file`, resolved.
        public var credentialsFile: String?
    }

    /// `oauth2` (client credentials grant).
    public struct OAuth2: Sendable, Hashable {
        /// `client_id`.
        public var clientID: String = ""
        /// `client_secret`.
        public var clientSecret: Secret?
        /// `client_secret_file`, resolved.
        public var clientSecretFile: String?
        /// `scopes`.
        public var scopes: [String] = []
        /// `token_url`.
        public var tokenURL: String = ""
        /// `endpoint_params`, sorted by key.
        public var endpointParams: [String: String] = [:]
        /// `tls_config`.
        public var tlsConfig: TLSConfig = TLSConfig()
        /// `proxy_url`.
        public var proxyURL: String?
    }

    /// `tls_config`.
    public struct TLSConfig: Sendable, Hashable {
        /// `ca_file`, resolved.
        public var caFile: String?
        /// `cert_file`, resolved.
        public var certFile: String?
        /// `key_file`, resolved.
        public var keyFile: String?
        /// `server_name`.
        public var serverName: String?
        /// `insecure_skip_verify`.
        public var insecureSkipVerify: Bool = false
        /// `min_version` (`TLS12`, ...).
        public var minVersion: String?

        /// Whether nothing is set.
        public var isEmpty: Bool { self == TLSConfig() }
    }

    /// `basic_auth`.
    public var basicAuth: BasicAuth?
    /// `authorization` (including a converted `bearer_token` / `bearer_token_file`).
    public var authorization: Authorization?
    /// `oauth2`.
    public var oauth2: OAuth2?
    /// `tls_config`.
    public var tlsConfig: TLSConfig = TLSConfig()
    /// `proxy_url`.
    public var proxyURL: String?
    /// `follow_redirects`; default true.
    public var followRedirects: Bool = true
    /// `enable_http2`; default true.
    public var enableHTTP2: Bool = true

    /// The default (`follow_redirects: true`, `enable_http2: true`, nothing else).
    public init() {}
}
