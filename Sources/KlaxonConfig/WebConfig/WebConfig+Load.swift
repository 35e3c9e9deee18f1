import Foundation
import KlaxonGoCompat
import Yams

extension WebConfig {
    /// Reads and checks a web config file as exporter-toolkit does before serving: strict YAML, the allowed
    /// headers, and bcrypt hashes for every user. Relative TLS file paths resolve against the file's directory.
    public static func load(file: String) throws(ConfigError) -> WebConfig {
        guard let data = FileManager.default.contents(atPath: file) else {
            let reason =
                FileManager.default.fileExists(atPath: file) ? "permission denied" : "no such file or directory"
            throw ConfigError(message: "open \(file): \(reason)")
        }
        return try parse(yaml: String(decoding: data, as: UTF8.self), baseDirectory: GoFilePath.directory(of: file))
    }

    /// Parses web config text with exporter-toolkit 0.8.2's rules and messages.
    public static func parse(yaml: String, baseDirectory: String) throws(ConfigError) -> WebConfig {
        let root: Node?
        do {
            root = try Parser(yaml: yaml).nextRoot()
        } catch {
            let structTypes = ["tls_server_config": "web.TLSConfig", "http_server_config": "web.HTTPConfig"]
            throw Config.syntaxError(
                error, yamlText: yaml, structType: { structTypes[$0] ?? "web.Config" },
                mapKeys: ["headers", "basic_auth_users"])
        }
        let decoder = ConfigDecoder(baseDirectory: baseDirectory)
        guard let root else { return WebConfig() }
        let config = try decoder.decodeWebConfig(YNode(node: root, path: ""))
        try config.checkHeaders()
        try config.checkUsers()
        return config
    }

    /// The response headers exporter-toolkit lets a web config set, with their allowed values (none: any value).
    static let allowedHeaders: [String: [String]] = [
        "Strict-Transport-Security": [],
        "X-Content-Type-Options": ["nosniff"],
        "X-Frame-Options": ["deny", "sameorigin"],
        "X-XSS-Protection": [],
        "Content-Security-Policy": [],
    ]

    private func checkHeaders() throws(ConfigError) {
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            guard let allowed = Self.allowedHeaders[name] else {
                throw ConfigError(
                    "HTTP header \(GoQuote.quote(name)) can not be configured", path: "http_server_config.headers",
                    line: nil)
            }
            if !allowed.isEmpty, !allowed.contains(value) {
                let expected = "[" + allowed.map(GoQuote.quote).joined(separator: " ") + "]"
                throw ConfigError(
                    "invalid value for \(name). Expected one of: \(expected), but got: \(GoQuote.quote(value))",
                    path: "http_server_config.headers.\(name)", line: nil)
            }
        }
    }

    private func checkUsers() throws(ConfigError) {
        for (user, hash) in basicAuthUsers.sorted(by: { $0.key < $1.key }) {
            if let problem = BcryptHash.costError(hash.revealed) {
                throw ConfigError(problem, path: "basic_auth_users.\(user)", line: nil)
            }
        }
    }
}

extension ConfigDecoder {
    func decodeWebConfig(_ n: YNode) throws(ConfigError) -> WebConfig {
        var config = WebConfig()
        let f = fields(n, known: ["tls_server_config", "http_server_config", "basic_auth_users"], goType: "web.Config")
        for key in f?.order ?? [] {
            switch key {
            case "tls_server_config":
                try decodeTLSServerConfig(f?[key], into: &config.tlsServerConfig)
            case "http_server_config":
                let h = fields(f?[key], known: ["http2", "headers"], goType: "web.HTTPConfig")
                if let http2 = h?.bool("http2") { config.http2 = http2 }
                for (name, value) in h?.stringMap("headers") ?? [] { config.headers[name] = value }
            case "basic_auth_users":
                for (user, value) in pairs(f?[key], goType: "map[string]config.Secret") ?? [] {
                    guard isNull(value) || value.node.scalar != nil else {
                        recordTypeError(value, into: "config.plain")
                        continue
                    }
                    config.basicAuthUsers[user] = Secret(value.node.scalar?.string ?? "")
                }
            default:
                break
            }
        }
        if let error = unmarshalError() { throw error }
        return config
    }

    private func decodeTLSServerConfig(_ n: YNode?, into tls: inout WebConfig.TLSServerConfig) throws(ConfigError) {
        let known = [
            "cert_file", "key_file", "client_auth_type", "client_ca_file", "cipher_suites", "curve_preferences",
            "min_version", "max_version", "prefer_server_cipher_suites",
        ]
        guard let f = fields(n, known: known, goType: "web.TLSConfig") else { return }
        for key in f.order {
            switch key {
            case "cert_file": tls.certFile = f.filePath(key) ?? ""
            case "key_file": tls.keyFile = f.filePath(key) ?? ""
            case "client_ca_file": tls.clientCAFile = f.filePath(key) ?? ""
            case "client_auth_type": tls.clientAuthType = f.string(key) ?? ""
            case "cipher_suites":
                tls.cipherSuites = []
                for item in sequence(f[key], goType: "[]web.Cipher") ?? [] {
                    guard let name = string(item) else { continue }
                    guard let suite = TLSCipherSuite(name: name) else {
                        throw error("unknown cipher: \(name)", at: item)
                    }
                    tls.cipherSuites.append(suite)
                }
            case "curve_preferences":
                tls.curvePreferences = []
                for item in sequence(f[key], goType: "[]web.Curve") ?? [] {
                    guard let name = string(item) else { continue }
                    guard let curve = TLSCurve(rawValue: name) else { throw error("unknown curve: \(name)", at: item) }
                    tls.curvePreferences.append(curve)
                }
            case "min_version", "max_version":
                guard let name = f.string(key) else { continue }
                guard let version = TLSProtocolVersion(rawValue: name) else {
                    throw f.error("unknown TLS version: \(name)", at: key)
                }
                if key == "min_version" { tls.minVersion = version } else { tls.maxVersion = version }
            case "prefer_server_cipher_suites":
                if let prefer = f.bool(key) { tls.preferServerCipherSuites = prefer }
            default:
                break
            }
        }
    }
}

/// Go's `bcrypt.Cost` checks on a stored hash, which exporter-toolkit runs for every user before serving, and the
/// prefix normalisation the server needs to verify `htpasswd -B` hashes.
public enum BcryptHash {
    /// Go's error for a hash `bcrypt.Cost` rejects, or nil. The messages never include the hash beyond one
    /// character or the two cost digits.
    public static func costError(_ hash: String) -> String? {
        let bytes = Array(hash.utf8)
        guard bytes.count >= 59 else { return "crypto/bcrypt: hashedSecret too short to be a bcrypted password" }
        func char(_ byte: UInt8) -> Character { Character(Unicode.Scalar(byte)) }
        guard bytes[0] == UInt8(ascii: "$") else {
            return "crypto/bcrypt: bcrypt hashes must start with '$', but hashedSecret started with '\(char(bytes[0]))'"
        }
        guard bytes[1] <= UInt8(ascii: "2") else {
            return "crypto/bcrypt: bcrypt algorithm version '\(char(bytes[1]))' requested is newer than current "
                + "version '2'"
        }
        let costStart = bytes[2] == UInt8(ascii: "$") ? 3 : 4
        let digits = String(decoding: bytes[costStart..<costStart + 2], as: UTF8.self)
        guard let cost = Int(digits) else {
            return "strconv.Atoi: parsing \(GoQuote.quote(digits)): invalid syntax"
        }
        guard (4...31).contains(cost) else {
            return "crypto/bcrypt: cost \(cost) is outside allowed range (4,31)"
        }
        return nil
    }

    /// The hash with its version prefix rewritten to `$2b$`. Go's bcrypt treats every `$2?$` variant alike
    /// (`htpasswd -B` writes `$2y$`); the OpenBSD implementation used to verify accepts only `$2a$` and `$2b$`,
    /// which compute the same as `$2y$` for passwords shorter than 255 bytes.
    public static func normalized(_ hash: String) -> String {
        let bytes = Array(hash.utf8)
        guard costError(hash) == nil else { return hash }
        let rest = bytes[2] == UInt8(ascii: "$") ? bytes[3...] : bytes[4...]
        return "$2b$" + String(decoding: rest, as: UTF8.self)
    }
}
