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
        guard let authenticator = control.authenticator() else { return try await next(request, context) }
        let path = request.uri.path
        if path == prefix + "/-/healthy" || path == prefix + "/-/ready" { return try await next(request, context) }
        switch await authenticator.authenticate(authorization: request.headers[.authorization]) {
        case .unauthenticated:
            var response = Self.plain("Unauthorized\n", status: .unauthorized)
            response.headers[.wwwAuthenticate] = "Basic"
            return response
        case .noRole(let user):
            return Self.plain("user \(user) has no role in the access file\n", status: .forbidden)
        case .principal(let principal):
            var context = context
            context.caller = .principal(principal, tenantLabel: control.tenantLabel)
            return try await next(request, context)
        }
    }

    private static func plain(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8", .xContentTypeOptions: "nosniff"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
