import Crypto
import Foundation
import Hummingbird
import HummingbirdBcrypt
import KlaxonConfig
import Logging
import NIOPosix
import Synchronization

/// exporter-toolkit's web handler, in front of every route (`/-/healthy` and `/-/ready` included, as there): reads the
/// web config as it is now, sets its `http_server_config.headers`, and when `basic_auth_users` is not empty answers
/// 401 with `WWW-Authenticate: Basic` unless the request carries one of those users and a password matching its bcrypt
/// hash. A web config that no longer loads answers 500 until it is fixed.
struct WebConfigMiddleware<Context: RequestContext>: RouterMiddleware {
    let webConfig: WebConfigFile
    let passwords: BasicAuthPasswords
    /// False under an access file, whose middleware checks the same passwords and bearer tokens.
    var checksPasswords = true
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let config: WebConfig
        switch webConfig.current() {
        case .success(let current):
            config = current
        case .failure(let error):
            logger.error("Unable to parse configuration", metadata: ["err": "\(error)"])
            return Self.plainError(.internalServerError)
        }
        if checksPasswords, !config.basicAuthUsers.isEmpty {
            let authorized: Bool
            if let (user, password) = Self.basicAuth(request.headers[.authorization]) {
                authorized = await passwords.check(user: user, password: password, users: config.basicAuthUsers)
            } else {
                authorized = false
            }
            guard authorized else {
                var response = Self.plainError(.unauthorized)
                response.headers[.wwwAuthenticate] = "Basic"
                return Self.withHeaders(response, config.headers)
            }
        }
        let response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        return Self.withHeaders(response, config.headers)
    }

    /// The configured headers, unless the handler set its own (exporter-toolkit sets them before the handler runs).
    private static func withHeaders(_ response: Response, _ headers: [String: String]) -> Response {
        var response = response
        for (name, value) in headers {
            guard let field = HTTPFields.Element.Name(name), response.headers[field] == nil else { continue }
            response.headers[field] = value
        }
        return response
    }

    /// Go's `http.Error`: the status text and a newline, as plain text that must not be sniffed.
    private static func plainError(_ status: HTTPResponse.Status) -> Response {
        APIResponse.plainText(status.reasonPhrase + "\n", status: status)
    }

    /// Go's `Request.BasicAuth`: `Basic ` (any case), standard base64, user and password split at the first colon.
    static func basicAuth(_ header: String?) -> (String, String)? {
        guard let header, header.count > 6, header.prefix(6).lowercased() == "basic " else { return nil }
        guard let data = Data(base64Encoded: String(header.dropFirst(6))) else { return nil }
        let decoded = String(decoding: data, as: UTF8.self)
        guard let colon = decoded.firstIndex(of: ":") else { return nil }
        return (String(decoded[..<colon]), String(decoded[decoded.index(after: colon)...]))
    }
}

/// Password checks for `basic_auth_users`, as exporter-toolkit makes them: one bcrypt comparison at a time (they are
/// CPU-bound by design; they run on NIO's blocking-I/O pool, off the request executors), an unknown user costs the
/// same comparison against a fixed hash (no user enumeration by timing), and the last 100 outcomes are cached.
/// The cache holds a SHA-256 digest of user, hash and password, never the password itself.
final class BasicAuthPasswords: Sendable {
    private static let cacheSize = 100
    private let cache = Mutex<[SHA256.Digest: Bool]>([:])
    private let serial = Mutex<Void>(())
    /// A bcrypt hash of a password no one uses, compared against for unknown users.
    private let unknownUserHash = Bcrypt.hash(UUID().uuidString, cost: 10)

    init() {}

    /// Whether `password` matches the bcrypt hash of `user` in `users`.
    func check(user: String, password: String, users: [String: Secret]) async -> Bool {
        let known = users[user]
        let hash = known?.revealed ?? unknownUserHash
        var hasher = SHA256()
        for part in [user, hash, password] {
            hasher.update(data: Data(part.utf8))
            hasher.update(data: Data([0]))
        }
        let key = hasher.finalize()
        if let cached = cache.withLock({ $0[key] }) { return cached }
        let normalized = BcryptHash.normalized(hash)
        let matches =
            (try? await NIOThreadPool.singleton.runIfActive {
                self.serial.withLock { _ in Bcrypt.verify(password, hash: normalized) }
            }) ?? false
        let authorized = known != nil && matches
        cache.withLock { cache in
            if cache.count >= Self.cacheSize {
                for _ in 0...(cache.count / 10) {
                    guard let victim = cache.keys.randomElement() else { break }
                    cache.removeValue(forKey: victim)
                }
            }
            cache[key] = authorized
        }
        return authorized
    }
}
