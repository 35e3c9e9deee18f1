import Hummingbird
import KlaxonCore
import NIOCore

/// Under an access file, every request except `/-/healthy` and `/-/ready` must authenticate (a bearer token or a
/// web-config user); the caller it authenticates as is put in the context for the handlers to authorize and scope
/// by. Without an access file requests pass untouched.
struct AccessMiddleware<Context: CallerRequestContext>: RouterMiddleware {
    let control: AccessControl
    /// `--web.route-prefix` without a trailing slash ("" for `/`).
    let prefix: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        // One snapshot per request: the authenticator and the tenant label come from the same access file.
        guard let access = control.config else { return try await next(request, context) }
        let path = request.uri.path
        if path == prefix + "/-/healthy" || path == prefix + "/-/ready" { return try await next(request, context) }
        let authenticator = control.authenticator(for: access)
        switch await authenticator.authenticate(authorization: request.headers[.authorization]) {
        case .unauthenticated:
            var response = APIResponse.plainText("Unauthorized\n", status: .unauthorized)
            response.headers[.wwwAuthenticate] = "Basic"
            return response
        case .noRole(let user):
            return APIResponse.plainText("user \(user) has no role in the access file\n", status: .forbidden)
        case .principal(let principal):
            var context = context
            context.caller = .principal(principal, tenantLabel: access.tenantLabel ?? control.defaultTenantLabel)
            return try await next(request, context)
        }
    }
}
