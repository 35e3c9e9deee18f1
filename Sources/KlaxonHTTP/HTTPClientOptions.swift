/// Per-request client settings; mirrors Prometheus' common `http_config`.
///
/// Secrets kept in files (`password_file`, `credentials_file`, `bearer_token_file`) are read by the
/// config layer; this type carries values and file paths that libcurl reads itself.
public struct HTTPClientOptions: Sendable, Hashable {
    /// `basic_auth`: sent preemptively, like Go's `SetBasicAuth`.
    public struct BasicAuth: Sendable, Hashable {
        /// The user name.
        public var username: String
        /// The password.
        public var password: String

        /// Creates basic-auth credentials.
        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }

    /// `authorization`: sent as `Authorization: <type> <credentials>`.
    public struct Authorization: Sendable, Hashable {
        /// The scheme, `Bearer` in Prometheus' defaults.
        public var type: String
        /// The credentials after the scheme.
        public var credentials: String

        /// Creates an authorization header value.
        public init(type: String = "Bearer", credentials: String) {
            self.type = type
            self.credentials = credentials
        }
    }

    /// A TLS protocol version for `min_version` / `max_version`.
    public enum TLSVersion: String, Sendable, Hashable, CaseIterable {
        /// TLS 1.0.
        case tls10 = "TLS10"
        /// TLS 1.1.
        case tls11 = "TLS11"
        /// TLS 1.2.
        case tls12 = "TLS12"
        /// TLS 1.3.
        case tls13 = "TLS13"
    }

    /// `tls_config`.
    public struct TLSOptions: Sendable, Hashable {
        /// PEM file of CA certificates used instead of the system's.
        public var caFile: String?
        /// PEM CA certificates given inline (`ca`).
        public var caPEM: String?
        /// PEM client certificate file.
        public var certFile: String?
        /// PEM client certificate given inline (`cert`).
        public var certPEM: String?
        /// PEM client key file.
        public var keyFile: String?
        /// PEM client key given inline (`key`).
        public var keyPEM: String?
        /// The name sent as SNI and checked against the server certificate instead of the URL's host.
        public var serverName: String?
        /// Skip verification of the server certificate and host name.
        public var insecureSkipVerify: Bool
        /// The lowest TLS version accepted; `nil` is libcurl's default (TLS 1.2 and newer on current builds).
        public var minVersion: TLSVersion?
        /// The highest TLS version accepted; `nil` means no limit.
        public var maxVersion: TLSVersion?

        /// Creates TLS options; the defaults verify the server against the system CAs.
        public init(
            caFile: String? = nil,
            caPEM: String? = nil,
            certFile: String? = nil,
            certPEM: String? = nil,
            keyFile: String? = nil,
            keyPEM: String? = nil,
            serverName: String? = nil,
            insecureSkipVerify: Bool = false,
            minVersion: TLSVersion? = nil,
            maxVersion: TLSVersion? = nil
        ) {
            self.caFile = caFile
            self.caPEM = caPEM
            self.certFile = certFile
            self.certPEM = certPEM
            self.keyFile = keyFile
            self.keyPEM = keyPEM
            self.serverName = serverName
            self.insecureSkipVerify = insecureSkipVerify
            self.minVersion = minVersion
            self.maxVersion = maxVersion
        }
    }

    /// The default `User-Agent`.
    public static let defaultUserAgent = "Klaxon"

    /// `follow_redirects` (at most 10 hops, like Go).
    public var followRedirects: Bool
    /// `proxy_url`; `nil` means no proxy unless ``proxyFromEnvironment`` is set.
    public var proxyURL: String?
    /// `no_proxy`: comma-separated hosts that bypass ``proxyURL``.
    public var noProxy: String?
    /// `proxy_from_environment`: use `http_proxy`, `https_proxy` and `no_proxy` from the environment.
    public var proxyFromEnvironment: Bool
    /// `proxy_connect_header`: headers sent to the proxy on CONNECT.
    public var proxyConnectHeaders: [HTTPHeader]
    /// `basic_auth`.
    public var basicAuth: BasicAuth?
    /// `bearer_token` (deprecated in Prometheus in favour of ``authorization``).
    public var bearerToken: String?
    /// `authorization`; takes precedence over ``bearerToken``.
    public var authorization: Authorization?
    /// `tls_config`.
    public var tls: TLSOptions
    /// `enable_http2`: offer HTTP/2 through ALPN on TLS connections; HTTP/1.1 otherwise.
    public var enableHTTP2: Bool
    /// The `User-Agent` header value.
    public var userAgent: String
    /// The limit for establishing the connection (TCP and TLS); `nil` is libcurl's default of 300 s.
    public var connectTimeout: Duration?

    /// Creates options; the defaults match Prometheus' `DefaultHTTPClientConfig`.
    public init(
        followRedirects: Bool = true,
        proxyURL: String? = nil,
        noProxy: String? = nil,
        proxyFromEnvironment: Bool = false,
        proxyConnectHeaders: [HTTPHeader] = [],
        basicAuth: BasicAuth? = nil,
        bearerToken: String? = nil,
        authorization: Authorization? = nil,
        tls: TLSOptions = TLSOptions(),
        enableHTTP2: Bool = true,
        userAgent: String = HTTPClientOptions.defaultUserAgent,
        connectTimeout: Duration? = .seconds(30)
    ) {
        self.followRedirects = followRedirects
        self.proxyURL = proxyURL
        self.noProxy = noProxy
        self.proxyFromEnvironment = proxyFromEnvironment
        self.proxyConnectHeaders = proxyConnectHeaders
        self.basicAuth = basicAuth
        self.bearerToken = bearerToken
        self.authorization = authorization
        self.tls = tls
        self.enableHTTP2 = enableHTTP2
        self.userAgent = userAgent
        self.connectTimeout = connectTimeout
    }
}
