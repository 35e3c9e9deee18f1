import Foundation

/// Where `--storage.url` (or `--storage.url-file`) puts silences, the notification log and the audit trail:
/// a PostgreSQL database, `postgres://user:password@host:port/database?sslmode=disable|prefer|require|verify-full`.
///
/// The password is a ``Secret``: every textual form of this value (``description``, ``masked``, interpolation,
/// `dump`) shows `<secret>` in its place, and no error message built here contains it.
public struct StorageURL: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    /// How the connection uses TLS: libpq's `sslmode` values that Klaxon supports.
    public enum SSLMode: String, Sendable, Hashable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, without verifying its certificate (libpq's default).
        case prefer
        /// TLS, without verifying the server's certificate.
        case require
        /// TLS, with the server's certificate verified against the system roots and its name against the host.
        case verifyFull = "verify-full"
    }

    /// The server's host name or address.
    public let host: String
    /// The server's port (5432 unless given).
    public let port: Int
    /// The role to log in as.
    public let user: String
    /// The password: from the URL, else `PGPASSWORD`; nil when neither gives one.
    public let password: Secret?
    /// The database (the user's name unless given, as libpq does).
    public let database: String
    /// TLS use.
    public let sslMode: SSLMode

    /// Parses a `postgres://` or `postgresql://` URL. `environment` supplies `PGPASSWORD` when the URL has no
    /// password. Errors say what is wrong without repeating the URL's password.
    public init(parsing text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let components = URLComponents(string: text) else {
            // (URLComponents refuses a port that is not a number, too.)
            throw StorageURLError("is not a valid URL")
        }
        guard let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql" else {
            throw StorageURLError("must start with postgres:// or postgresql:// (SQLite needs no URL: leave it empty)")
        }
        guard var host = components.host, !host.isEmpty else { throw StorageURLError("has no host") }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw StorageURLError("has an invalid port \(port)") }
        guard let user = components.user, !user.isEmpty else {
            throw StorageURLError("has no user name (postgres://USER@HOST/DATABASE)")
        }
        var database = components.path
        if database.hasPrefix("/") { database.removeFirst() }
        guard !database.contains("/") else { throw StorageURLError("has a path that is not a database name") }
        var sslMode = SSLMode.prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let mode = SSLMode(rawValue: value) else {
                    throw StorageURLError(
                        "has sslmode \"\(item.value ?? "")\"; supported are "
                            + SSLMode.allCases.map(\.rawValue).joined(separator: ", "))
                }
                sslMode = mode
            default:
                throw StorageURLError("has an unsupported parameter \"\(item.name)\" (only sslmode is supported)")
            }
        }
        let password = components.password ?? environment["PGPASSWORD"]
        self.host = host
        self.port = port
        self.user = user
        self.password = password.map(Secret.init)
        self.database = database.isEmpty ? user : database
        self.sslMode = sslMode
    }

    /// Reads the URL from `--storage.url` or the file `--storage.url-file` names (one line; surrounding whitespace
    /// is ignored), or answers nil when neither is given (SQLite under `--storage.path`).
    public static func resolve(
        url: String?, urlFile: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> StorageURL? {
        let url = url.flatMap { $0.isEmpty ? nil : $0 }
        let urlFile = urlFile.flatMap { $0.isEmpty ? nil : $0 }
        switch (url, urlFile) {
        case (nil, nil):
            return nil
        case (.some, .some):
            throw StorageURLError(flag: "--storage.url", "and --storage.url-file are mutually exclusive")
        case (let text?, nil):
            return try StorageURL(parsing: text, environment: environment)
        case (nil, let path?):
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw StorageURLError(flag: "--storage.url-file", "\(path) cannot be read")
            }
            do {
                return try StorageURL(parsing: text, environment: environment)
            } catch let error as StorageURLError {
                throw StorageURLError(flag: "--storage.url-file", "\(path): the URL \(error.reason)")
            }
        }
    }

    /// The URL with the password shown as `<secret>`: what logs and status output print.
    public var masked: String {
        var text = "postgres://\(Self.escapeUserinfo(user))"
        if password != nil { text += ":\(Secret.masked)" }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return text + "@\(shownHost):\(port)/\(database)?sslmode=\(sslMode.rawValue)"
    }

    /// ``masked``.
    public var description: String { masked }

    /// No children, so `dump` and reflection never reach the password.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    private static func escapeUserinfo(_ text: String) -> String {
        var allowed = CharacterSet.urlUserAllowed
        allowed.remove(charactersIn: ":@")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// A `--storage.url` that Klaxon refuses at start; the message never contains the URL's password.
public struct StorageURLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The flag and what is wrong with its value, as one sentence.
    public let description: String
    /// What is wrong, without the flag.
    public let reason: String

    init(flag: String = "--storage.url", _ reason: String) {
        self.reason = reason
        description = "\(flag): \(flag == "--storage.url" ? "the URL " : "")\(reason)."
    }
}
