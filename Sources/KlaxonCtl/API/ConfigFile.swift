import Foundation
import KlaxonCore
import KlaxonGoCompat
import KlaxonHTTP
import Yams

/// amtool's config file: YAML whose keys are flag names (`alertmanager.url`, `author`, `require-comment`, ...).
/// Several files may exist; for each key the first file that sets it wins, in this order:
/// `~/.config/klaxonctl/config.yml`, `~/.config/amtool/config.yml`, `~/.config/prometheus/amtool.yml` (Debian),
/// `/etc/amtool/config.yml`, `/etc/prometheus/amtool.yml`. Command-line flags win over all of them.
public struct ConfigFile: Sendable, Hashable {
    /// Flag name to value, as text.
    public var values: [String: String]
    /// A file that exists but could not be read, with the reason.
    public var problem: String?

    /// A config with these values.
    public init(values: [String: String] = [:], problem: String? = nil) {
        self.values = values
        self.problem = problem
    }

    /// The value for a flag name (amtool's legacy `comment_required` counts as `require-comment`).
    public func value(_ flag: String) -> String? {
        if let value = values[flag] { return value }
        if flag == "require-comment" { return values["comment_required"] }
        return nil
    }

    /// The value of a boolean flag (`true`/`false`), nil when unset or not a boolean.
    public func bool(_ flag: String) -> Bool? {
        switch value(flag)?.lowercased() {
        case "true", "yes", "1": true
        case "false", "no", "0": false
        default: nil
        }
    }

    /// The searched paths for a home folder.
    public static func searchPaths(home: String) -> [String] {
        [
            home + "/.config/klaxonctl/config.yml", home + "/.config/amtool/config.yml",
            home + "/.config/prometheus/amtool.yml", "/etc/amtool/config.yml", "/etc/prometheus/amtool.yml",
        ]
    }

    /// Reads the config files of `$HOME` (and `/etc`).
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) -> ConfigFile {
        let home = environment["HOME"] ?? NSHomeDirectory()
        return load(paths: searchPaths(home: home))
    }

    /// Reads and merges existing files among `paths`; earlier files win per key.
    public static func load(paths: [String]) -> ConfigFile {
        var merged = ConfigFile()
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            do {
                let file = try parse(yaml: String(decoding: data, as: UTF8.self))
                merged.values.merge(file.values) { first, _ in first }
            } catch {
                // amtool's wording; the error never quotes the file, which may hold secrets.
                merged.problem = merged.problem ?? "could not load config file: \(error)"
            }
        }
        return merged
    }

    /// Parses one file's YAML: a mapping of flag names to scalars.
    public static func parse(yaml: String) throws -> ConfigFile {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch {
            throw APIClientError.message(GoYAML.syntaxMessage(error))
        }
        guard let node else { return ConfigFile() }
        guard let mapping = node.mapping else {
            let tag = node.tag.rawValue.replacingOccurrences(of: "tag:yaml.org,2002:", with: "!!")
            throw APIClientError.message(
                GoYAML.unmarshalError("cannot unmarshal \(tag) into map[string]string", at: node))
        }
        var values: [String: String] = [:]
        for (key, value) in mapping {
            guard let name = key.string else { continue }
            if let scalar = value.scalar {
                values[name] = scalar.string
            } else if let sequence = value.sequence {
                values[name] = sequence.compactMap(\.string).joined(separator: ",")
            }
        }
        return ConfigFile(values: values)
    }
}

/// `--http.config.file`: Prometheus' `http_config` YAML (`basic_auth`, `authorization`, `bearer_token`,
/// `tls_config`, `proxy_url`, `follow_redirects`, ...), mapped onto libcurl options.
public struct HTTPConfigFile: Sendable, Hashable {
    /// The client options the file describes.
    public var options: HTTPClientOptions

    /// Reads the file; relative paths in it are relative to its folder.
    public static func load(path: String) throws -> HTTPConfigFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw APIClientError.message("open \(path): no such file or directory")
        }
        let directory = (path as NSString).deletingLastPathComponent
        do {
            return try parse(yaml: String(decoding: data, as: UTF8.self), baseDirectory: directory)
        } catch {
            // amtool's prefix; no message below quotes the file's text or a value from it.
            throw APIClientError.message("failed to load HTTP config file: \(error)")
        }
    }

    /// Parses `http_config` YAML.
    public static func parse(yaml: String, baseDirectory: String) throws -> HTTPConfigFile {
        var options = HTTPClientOptions()
        let composed: Node?
        do {
            composed = try Yams.compose(yaml: yaml)
        } catch {
            throw APIClientError.message(GoYAML.syntaxMessage(error))
        }
        guard let root = composed else { return HTTPConfigFile(options: options) }
        guard root.mapping != nil else {
            throw APIClientError.message(GoYAML.unmarshalError("cannot unmarshal into config.plain", at: root))
        }
        func resolve(_ file: String) -> String {
            file.hasPrefix("/") || baseDirectory.isEmpty ? file : baseDirectory + "/" + file
        }
        func readSecret(_ file: String, _ field: String) throws -> String {
            guard let data = FileManager.default.contents(atPath: resolve(file)) else {
                throw APIClientError.message("unable to read \(field) \(resolve(file))")
            }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func fields(_ node: Node, _ section: String, _ allowed: Set<String>) throws -> [String: Node] {
            guard let mapping = node.mapping else {
                throw APIClientError.message(
                    GoYAML.unmarshalError("cannot unmarshal \(section) from a non-mapping", at: node))
            }
            var result: [String: Node] = [:]
            for (key, value) in mapping {
                let name = key.string ?? ""
                guard allowed.contains(name) else {
                    throw APIClientError.message(
                        GoYAML.unmarshalError("field \(name) not found in type config.plain", at: key))
                }
                result[name] = value
            }
            return result
        }
        func bool(_ node: Node?, _ name: String) throws -> Bool? {
            guard let node else { return nil }
            switch node.string?.lowercased() {
            case "true": return true
            case "false": return false
            // yaml.v2 quotes the value here; klaxonctl does not, as a misplaced secret would end up on screen.
            default:
                let tag = node.tag.rawValue.replacingOccurrences(of: "tag:yaml.org,2002:", with: "!!")
                throw APIClientError.message(GoYAML.unmarshalError("cannot unmarshal \(tag) into bool", at: node))
            }
        }
        let f = try fields(
            root, "http config",
            [
                "basic_auth", "authorization", "bearer_token", "bearer_token_file", "tls_config", "proxy_url",
                "no_proxy", "proxy_from_environment", "proxy_connect_header", "follow_redirects", "enable_http2",
                "oauth2",
            ])
        if f["oauth2"] != nil { throw APIClientError.message("http config: oauth2 is not supported by klaxonctl") }
        if let node = f["basic_auth"] {
            let b = try fields(node, "basic_auth", ["username", "password", "password_file"])
            if b["password"] != nil && b["password_file"] != nil {
                throw APIClientError.message("at most one of basic_auth password & password_file must be configured")
            }
            let password =
                try b["password"]?.string ?? b["password_file"]?.string.map {
                    try readSecret($0, "basic auth password file")
                } ?? ""
            options.basicAuth = HTTPClientOptions.BasicAuth(username: b["username"]?.string ?? "", password: password)
        }
        let bearer = f["bearer_token"]?.string
        let bearerFile = f["bearer_token_file"]?.string
        if let node = f["authorization"] {
            if bearer != nil || bearerFile != nil {
                throw APIClientError.message(
                    "authorization is not compatible with bearer_token & bearer_token_file")
            }
            let a = try fields(node, "authorization", ["type", "credentials", "credentials_file"])
            let type = a["type"]?.string ?? "Bearer"
            if type.lowercased() == "basic" {
                throw APIClientError.message(
                    "authorization type cannot be set to \"basic\", use \"basic_auth\" instead")
            }
            let credentials =
                try a["credentials"]?.string ?? a["credentials_file"]?.string.map {
                    try readSecret($0, "authorization credentials file")
                } ?? ""
            options.authorization = HTTPClientOptions.Authorization(type: type, credentials: credentials)
        } else if let bearer {
            options.authorization = HTTPClientOptions.Authorization(credentials: bearer)
        } else if let bearerFile {
            options.authorization = HTTPClientOptions.Authorization(
                credentials: try readSecret(bearerFile, "bearer token file"))
        }
        if options.basicAuth != nil && options.authorization != nil {
            throw APIClientError.message(
                "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured")
        }
        if let node = f["tls_config"] {
            let t = try fields(
                node, "tls_config",
                [
                    "ca", "ca_file", "cert", "cert_file", "key", "key_file", "server_name", "insecure_skip_verify",
                    "min_version", "max_version",
                ])
            options.tls.caFile = t["ca_file"]?.string.map(resolve)
            options.tls.caPEM = t["ca"]?.string
            options.tls.certFile = t["cert_file"]?.string.map(resolve)
            options.tls.certPEM = t["cert"]?.string
            options.tls.keyFile = t["key_file"]?.string.map(resolve)
            options.tls.keyPEM = t["key"]?.string
            options.tls.serverName = t["server_name"]?.string
            options.tls.insecureSkipVerify = try bool(t["insecure_skip_verify"], "insecure_skip_verify") ?? false
            for (key, keyPath) in [
                ("min_version", \HTTPClientOptions.TLSOptions.minVersion),
                ("max_version", \HTTPClientOptions.TLSOptions.maxVersion),
            ] {
                guard let text = t[key]?.string else { continue }
                guard let version = HTTPClientOptions.TLSVersion(rawValue: text) else {
                    // amtool quotes the value; klaxonctl names the field instead.
                    throw APIClientError.message("unknown TLS version in tls_config.\(key)")
                }
                options.tls[keyPath: keyPath] = version
            }
        }
        if let proxy = f["proxy_url"]?.string {
            // Go's url.Parse error quotes the URL with its password; this one leaves the userinfo out.
            if case .failure(let error) = GoURL.parse(proxy) {
                throw APIClientError.message(
                    "parse \(GoQuote.quote(GoURL.withoutUserinfo(error.url))): \(error.message)")
            }
            options.proxyURL = proxy
        }
        options.noProxy = f["no_proxy"]?.string
        options.proxyFromEnvironment = try bool(f["proxy_from_environment"], "proxy_from_environment") ?? false
        options.followRedirects = try bool(f["follow_redirects"], "follow_redirects") ?? true
        options.enableHTTP2 = try bool(f["enable_http2"], "enable_http2") ?? true
        if let node = f["proxy_connect_header"], let mapping = node.mapping {
            for (key, value) in mapping {
                for v in value.sequence?.compactMap(\.string) ?? [value.string].compactMap({ $0 }) {
                    options.proxyConnectHeaders.append(HTTPHeader(key.string ?? "", v))
                }
            }
        }
        return HTTPConfigFile(options: options)
    }
}
