/// `--web.config.file`: the Prometheus exporter-toolkit web configuration that Alertmanager 0.25 reads
/// (exporter-toolkit 0.8.2): TLS for the listener, bcrypt basic-auth users and extra response headers.
///
/// Loading checks what exporter-toolkit checks before serving (YAML, header names and values, bcrypt hashes) with
/// its messages; the checks that need the certificate files (``TLSServerConfig/checkKeyPairPaths()``,
/// ``TLSServerConfig/clientAuth()``, ``checkHTTP2CipherSuites()``) are run by the server in exporter-toolkit's order.
public struct WebConfig: Sendable, Hashable {
    /// `tls_server_config`.
    public var tlsServerConfig = TLSServerConfig()
    /// `http_server_config.http2` (default true): offer HTTP/2 through ALPN on TLS connections.
    public var http2 = true
    /// `http_server_config.headers`: set on every response. Only exporter-toolkit's allowed names and values load.
    public var headers: [String: String] = [:]
    /// `basic_auth_users`: user name → bcrypt hash. Empty: no authentication.
    public var basicAuthUsers: [String: Secret] = [:]

    /// exporter-toolkit's defaults: TLS 1.2 to 1.3, HTTP/2 on, no users, no headers.
    public init() {}

    /// Whether TLS is configured (exporter-toolkit serves plain HTTP when cert, key, client auth type and client CA
    /// are all empty, whatever else `tls_server_config` says).
    public var tlsEnabled: Bool { tlsServerConfig.isConfigured }
}

extension WebConfig {
    /// `tls_server_config`. File paths are resolved against the web config file's directory.
    public struct TLSServerConfig: Sendable, Hashable {
        /// `cert_file` (PEM chain), resolved; empty when not given.
        public var certFile = ""
        /// `key_file` (PEM private key), resolved; empty when not given.
        public var keyFile = ""
        /// `client_auth_type` as written (checked by ``clientAuth()``).
        public var clientAuthType = ""
        /// `client_ca_file`, resolved; empty when not given.
        public var clientCAFile = ""
        /// `cipher_suites` (empty: the TLS library's defaults).
        public var cipherSuites: [TLSCipherSuite] = []
        /// `curve_preferences` (empty: the TLS library's defaults).
        public var curvePreferences: [TLSCurve] = []
        /// `min_version` (default TLS12).
        public var minVersion = TLSProtocolVersion.tls12
        /// `max_version` (default TLS13).
        public var maxVersion = TLSProtocolVersion.tls13
        /// `prefer_server_cipher_suites` (default true). Go 1.17 and later, which Alertmanager 0.25 is built with,
        /// ignore it; so does Klaxon.
        public var preferServerCipherSuites = true

        /// Defaults.
        public init() {}

        /// Whether any of cert, key, client auth type or client CA is set.
        public var isConfigured: Bool {
            !(certFile.isEmpty && keyFile.isEmpty && clientAuthType.isEmpty && clientCAFile.isEmpty)
        }

        /// exporter-toolkit's first TLS checks: a cert and a key file are both named.
        public func checkKeyPairPaths() throws(ConfigError) {
            if certFile.isEmpty {
                throw ConfigError("missing cert_file", path: "tls_server_config.cert_file", line: nil)
            }
            if keyFile.isEmpty { throw ConfigError("missing key_file", path: "tls_server_config.key_file", line: nil) }
        }

        /// The client authentication policy, with exporter-toolkit's checks (run after the key pair and the client
        /// CA file have been read): a known `client_auth_type`, and no client CA without a policy that uses it.
        public func clientAuth() throws(ConfigError) -> ClientAuthType {
            guard let policy = ClientAuthType(configValue: clientAuthType) else {
                throw ConfigError(
                    "Invalid ClientAuth: \(clientAuthType)", path: "tls_server_config.client_auth_type", line: nil)
            }
            if !clientCAFile.isEmpty, policy == .noClientCert {
                throw ConfigError(
                    "Client CA's have been configured without a Client Auth Policy",
                    path: "tls_server_config.client_ca_file", line: nil)
            }
            return policy
        }
    }

    /// Go's HTTP/2 server refuses a cipher suite list without the suite HTTP/2 requires, at start, when TLS 1.2 is
    /// allowed and HTTP/2 is on; Alertmanager then exits with this message.
    public func checkHTTP2CipherSuites() throws(ConfigError) {
        let suites = tlsServerConfig.cipherSuites
        guard http2, !suites.isEmpty, tlsServerConfig.minVersion < .tls13 else { return }
        let required: Set<String> = [
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        ]
        if !suites.contains(where: { required.contains($0.name) }) {
            throw ConfigError(
                "http2: TLSConfig.CipherSuites is missing an HTTP/2-required AES_128_GCM_SHA256 cipher (need at least "
                    + "one of TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 or TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)",
                path: "tls_server_config.cipher_suites", line: nil)
        }
    }
}

/// `client_auth_type`: Go's `tls.ClientAuthType` under exporter-toolkit's names.
public enum ClientAuthType: String, Sendable, Hashable, CaseIterable {
    /// No client certificate is requested (also the empty value).
    case noClientCert = "NoClientCert"
    /// A certificate is requested but neither required nor verified.
    case requestClientCert = "RequestClientCert"
    /// A certificate is required but not verified (`RequireClientCert` is an alias).
    case requireAnyClientCert = "RequireAnyClientCert"
    /// A certificate is verified against the client CAs when one is presented.
    case verifyClientCertIfGiven = "VerifyClientCertIfGiven"
    /// A certificate is required and verified against the client CAs.
    case requireAndVerifyClientCert = "RequireAndVerifyClientCert"

    /// The policy for a `client_auth_type` value, as exporter-toolkit maps it; nil for an unknown value.
    public init?(configValue: String) {
        switch configValue {
        case "", "NoClientCert": self = .noClientCert
        case "RequireClientCert": self = .requireAnyClientCert
        default:
            guard let known = ClientAuthType(rawValue: configValue) else { return nil }
            self = known
        }
    }
}

/// `min_version` / `max_version`.
public enum TLSProtocolVersion: String, Sendable, Hashable, CaseIterable, Comparable {
    /// TLS 1.0.
    case tls10 = "TLS10"
    /// TLS 1.1.
    case tls11 = "TLS11"
    /// TLS 1.2.
    case tls12 = "TLS12"
    /// TLS 1.3.
    case tls13 = "TLS13"

    /// Older versions sort first.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// `curve_preferences`: the names exporter-toolkit accepts.
public enum TLSCurve: String, Sendable, Hashable, CaseIterable {
    /// NIST P-256 (secp256r1).
    case p256 = "CurveP256"
    /// NIST P-384 (secp384r1).
    case p384 = "CurveP384"
    /// NIST P-521 (secp521r1).
    case p521 = "CurveP521"
    /// X25519.
    case x25519 = "X25519"
}

/// One of `cipher_suites`: a name from Go's `tls.CipherSuites()` (the suites Go does not consider insecure) and its
/// IANA number.
public struct TLSCipherSuite: Sendable, Hashable, CustomStringConvertible {
    /// Go's (and IANA's) name.
    public let name: String
    /// The IANA code point.
    public let id: UInt16

    /// Whether this is a TLS 1.3 suite. Go ignores these in its configuration (TLS 1.3 suites are not
    /// configurable there, nor in BoringSSL); they are accepted and have no effect.
    public var isTLS13: Bool { id >> 8 == 0x13 }

    /// The name.
    public var description: String { name }

    /// The suites exporter-toolkit accepts by name: Go 1.19's `tls.CipherSuites()`.
    public static let all: [TLSCipherSuite] = [
        ("TLS_RSA_WITH_AES_128_CBC_SHA", 0x002F), ("TLS_RSA_WITH_AES_256_CBC_SHA", 0x0035),
        ("TLS_RSA_WITH_AES_128_GCM_SHA256", 0x009C), ("TLS_RSA_WITH_AES_256_GCM_SHA384", 0x009D),
        ("TLS_AES_128_GCM_SHA256", 0x1301), ("TLS_AES_256_GCM_SHA384", 0x1302),
        ("TLS_CHACHA20_POLY1305_SHA256", 0x1303),
        ("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", 0xC009), ("TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", 0xC00A),
        ("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", 0xC013), ("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", 0xC014),
        ("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", 0xC02B), ("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", 0xC02C),
        ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 0xC02F), ("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", 0xC030),
        ("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", 0xCCA8),
        ("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", 0xCCA9),
    ].map { TLSCipherSuite(name: $0.0, id: $0.1) }

    /// The suite with this name, or nil.
    public init?(name: String) {
        guard let suite = Self.all.first(where: { $0.name == name }) else { return nil }
        self = suite
    }

    private init(name: String, id: UInt16) {
        self.name = name
        self.id = id
    }
}
