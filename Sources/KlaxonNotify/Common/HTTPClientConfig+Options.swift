import Foundation
import KlaxonConfig
import KlaxonHTTP

extension HTTPClientConfig {
    /// The libcurl options for this `http_config`. Secrets given as files are read now (at each
    /// notification, as Prometheus' client does, so rotated files take effect).
    func clientOptions() -> HTTPClientOptions {
        var options = HTTPClientOptions()
        options.followRedirects = followRedirects
        options.enableHTTP2 = enableHTTP2
        options.userAgent = "Alertmanager/0.25.0"
        options.proxyURL = proxyURL
        if let basicAuth {
            let password = basicAuth.password?.revealed ?? basicAuth.passwordFile.flatMap(Self.readSecretFile) ?? ""
            options.basicAuth = HTTPClientOptions.BasicAuth(username: basicAuth.username, password: password)
        }
        if let authorization {
            let credentials =
                authorization.credentials?.revealed ?? authorization.credentialsFile.flatMap(Self.readSecretFile) ?? ""
            options.authorization = HTTPClientOptions.Authorization(type: authorization.type, credentials: credentials)
        }
        options.tls = tlsConfig.options()
        return options
    }

    static func readSecretFile(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension HTTPClientConfig.TLSConfig {
    /// The libcurl TLS options for this `tls_config` (HTTP clients and SMTP alike).
    func options() -> HTTPClientOptions.TLSOptions {
        var options = HTTPClientOptions.TLSOptions()
        options.caFile = caFile
        options.certFile = certFile
        options.keyFile = keyFile
        options.serverName = serverName
        options.insecureSkipVerify = insecureSkipVerify
        if let minVersion {
            options.minVersion = HTTPClientOptions.TLSVersion(rawValue: minVersion)
        }
        return options
    }
}
