import Crypto
import Foundation
import Hummingbird
import KlaxonConfig
import KlaxonCore

/// Who sent a request, under an access file: a `basic_auth_users` user of the web config (the password checked
/// by the web config's bcrypt hash) or a bearer token whose SHA-256 the access file lists. Without an access file
/// there is no authenticator and every request is served as in Alertmanager.
struct Authenticator: Sendable {
    /// The outcome for one request.
    enum Outcome: Equatable, Sendable {
        /// The caller and its role.
        case principal(Principal)
        /// No or wrong credentials: 401 with `WWW-Authenticate`.
        case unauthenticated
        /// Valid credentials of a user the access file gives no role: 403.
        case noRole(user: String)
    }

    let access: AccessConfig
    /// Checks a basic-auth user and password against the web config (bcrypt); false for unknown users.
    let checkPassword: @Sendable (_ user: String, _ password: String) async -> Bool

    /// Authenticates the `Authorization` header's value (nil when absent).
    func authenticate(authorization: String?) async -> Outcome {
        guard let authorization, let space = authorization.firstIndex(of: " ") else { return .unauthenticated }
        let scheme = authorization[..<space].lowercased()
        let credentials = authorization[authorization.index(after: space)...].trimmingCharacters(in: .whitespaces)
        switch scheme {
        case "bearer":
            return principal(bearerToken: credentials).map(Outcome.principal) ?? .unauthenticated
        case "basic":
            guard let (user, password) = WebConfigMiddleware<BasicRequestContext>.basicAuth(authorization),
                await checkPassword(user, password)
            else { return .unauthenticated }
            return access.principal(named: user).map(Outcome.principal) ?? .noRole(user: user)
        default:
            return .unauthenticated
        }
    }

    /// The principal whose token digest is the token's SHA-256. Every listed digest is compared in full, without
    /// stopping at the first difference or the first match, so the time taken says nothing about the digests.
    func principal(bearerToken token: String) -> Principal? {
        guard !token.isEmpty else { return nil }
        let digest = Array(SHA256.hash(data: Data(token.utf8)))
        var found: Principal?
        for entry in access.entries {
            guard let expected = entry.bearerTokenSHA256, expected.count == digest.count else { continue }
            var difference: UInt8 = 0
            for index in 0..<digest.count { difference |= digest[index] ^ expected[index] }
            if difference == 0 { found = entry.principal }
        }
        return found
    }
}
