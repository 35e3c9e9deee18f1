import Crypto
import Foundation
import KlaxonConfig
import KlaxonCore
import Testing

@testable import KlaxonServer

@Suite struct AuthenticatorTests {
    private static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    private let authenticator: Authenticator

    init() throws {
        let yaml = """
            principals:
              - {name: platform, role: admin}
              - {name: finance-admin, role: tenant-admin, tenants: [finance]}
              - {name: prometheus-finance, role: sender, tenants: [finance], bearer_token_sha256: \(Self.sha256Hex("s3cret-token"))}
              - {name: prometheus-hr, role: sender, tenants: [hr], bearer_token_sha256: \(Self.sha256Hex("other-token"))}
            """
        let access = try AccessConfig.parse(yaml: yaml)
        let passwords = ["platform": "pw1", "finance-admin": "pw2", "stranger": "pw3"]
        authenticator = Authenticator(access: access, checkPassword: { passwords[$0] == $1 })
    }

    private func basic(_ user: String, _ password: String) -> String {
        "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }

    @Test func aBearerTokenAuthenticatesThePrincipalItsDigestNames() async {
        #expect(
            await authenticator.authenticate(authorization: "Bearer s3cret-token")
                == .principal(Principal(name: "prometheus-finance", role: .sender, tenants: ["finance"])))
        #expect(
            await authenticator.authenticate(authorization: "bearer other-token")
                == .principal(Principal(name: "prometheus-hr", role: .sender, tenants: ["hr"])))
    }

    @Test func aWrongOrMissingTokenIsUnauthenticated() async {
        for header in ["Bearer s3cret-token2", "Bearer ", "Bearer", "Token s3cret-token", ""] {
            #expect(await authenticator.authenticate(authorization: header) == .unauthenticated, "\(header)")
        }
        #expect(await authenticator.authenticate(authorization: nil) == .unauthenticated)
    }

    @Test func aWebConfigUserGetsTheRoleTheAccessFileGivesIt() async {
        #expect(
            await authenticator.authenticate(authorization: basic("finance-admin", "pw2"))
                == .principal(Principal(name: "finance-admin", role: .tenantAdmin, tenants: ["finance"])))
        #expect(
            await authenticator.authenticate(authorization: basic("platform", "pw1"))
                == .principal(Principal(name: "platform", role: .admin)))
    }

    @Test func aWrongPasswordIsUnauthenticatedAndAUserWithoutARoleIsRefused() async {
        #expect(await authenticator.authenticate(authorization: basic("finance-admin", "pw1")) == .unauthenticated)
        #expect(await authenticator.authenticate(authorization: "Basic not-base64!") == .unauthenticated)
        #expect(await authenticator.authenticate(authorization: basic("stranger", "pw3")) == .noRole(user: "stranger"))
    }

    @Test func aPasswordMayContainColons() async {
        let withColon = Authenticator(
            access: AccessConfig(entries: [.init(principal: Principal(name: "a", role: .admin))]),
            checkPassword: { $0 == "a" && $1 == "x:y" })
        #expect(
            await withColon.authenticate(authorization: basic("a", "x:y"))
                == .principal(Principal(name: "a", role: .admin)))
    }
}
