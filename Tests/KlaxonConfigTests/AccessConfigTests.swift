import KlaxonConfig
import KlaxonCore
import Testing

@Suite struct AccessConfigTests {
    static let example = """
        tenant_label: tenant_id
        principals:
          - name: platform
            role: admin
          - name: finance-admin
            role: tenant-admin
            tenants: [finance]
          - name: finance-viewer
            role: viewer
            tenants: [finance]
          - name: prometheus-finance
            role: sender
            tenants: [finance]
            bearer_token_sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
        tenants:
          - name: default
            limits: {max_active_alerts: 10000, max_silences: 1000, max_notifications_per_minute: 600}
          - name: marketing
            limits: {max_active_alerts: 500}
        """

    @Test func theDocumentedExampleLoads() throws {
        let config = try AccessConfig.parse(yaml: Self.example)
        #expect(config.tenantLabel == "tenant_id")
        #expect(
            config.entries.map(\.principal.name) == [
                "platform", "finance-admin", "finance-viewer", "prometheus-finance",
            ])
        #expect(
            config.principal(named: "finance-admin")
                == Principal(name: "finance-admin", role: .tenantAdmin, tenants: ["finance"]))
        #expect(config.principal(named: "nobody") == nil)
        // sha256("test")
        #expect(config.entries[3].bearerTokenSHA256?.first == 0x9F)
        #expect(config.entries[3].bearerTokenSHA256?.count == 32)
    }

    @Test func aTenantsOwnLimitsOverrideDefaultOnlyWhereGiven() throws {
        let config = try AccessConfig.parse(yaml: Self.example)
        #expect(
            config.limits(for: "marketing")
                == TenantLimits(maxActiveAlerts: 500, maxSilences: 1000, maxNotificationsPerMinute: 600))
        #expect(
            config.limits(for: "finance")
                == TenantLimits(maxActiveAlerts: 10000, maxSilences: 1000, maxNotificationsPerMinute: 600))
    }

    @Test func anEmptyFileAllowsNobodyAndLimitsNothing() throws {
        let config = try AccessConfig.parse(yaml: "")
        #expect(config.entries.isEmpty)
        #expect(config.limits(for: "finance") == TenantLimits())
    }

    /// Invalid files and the message that names the problem.
    static let invalid: [(String, String)] = [
        (
            "principals:\n  - name: a\n    role: root\n",
            #"principal "a": unknown role "root" (one of admin, tenant-admin, viewer or sender)"#
        ),
        ("principals:\n  - name: a\n", #"principal "a": missing role (one of admin, tenant-admin, viewer or sender)"#),
        ("principals:\n  - role: admin\n", "missing name in principal"),
        (
            "principals:\n  - {name: a, role: viewer}\n",
            #"principal "a": role viewer needs at least one tenant in tenants"#
        ),
        (
            "principals:\n  - {name: a, role: admin, tenants: [x]}\n",
            #"principal "a": an admin acts in every tenant; remove its tenants"#
        ),
        ("principals:\n  - {name: a, role: admin}\n  - {name: a, role: admin}\n", #"duplicate principal name "a""#),
        (
            "principals:\n  - {name: a, role: sender, tenants: [x], bearer_token_sha256: abc}\n",
            #"principal "a": bearer_token_sha256 must be 64 hexadecimal digits (the SHA-256 of the token)"#
        ),
        (
            "principals:\n  - {name: a, role: sender, tenants: [x], bearer_token_sha256: \(String(repeating: "ab", count: 32))}\n"
                + "  - {name: b, role: sender, tenants: [y], bearer_token_sha256: \(String(repeating: "AB", count: 32))}\n",
            #"principal "b": the same bearer token is given to another principal"#
        ),
        ("tenant_label: 1abc\n", #""1abc" is not a valid label name"#),
        (
            "tenants:\n  - {name: x, limits: {max_silences: 0}}\n",
            #"tenant "x": max_silences must be at least 1 (leave it out for no limit)"#
        ),
        ("tenants:\n  - {name: x}\n  - {name: x}\n", #"duplicate tenant "x""#),
        ("tenants:\n  - {limits: {max_silences: 3}}\n", "missing name in tenant"),
        (
            "principal:\n  - {name: a}\n",
            "yaml: unmarshal errors:\n  line 1: field principal not found in type access.Config"
        ),
        (
            "tenants:\n  - {name: x, limits: {max_alerts: 3}}\n",
            "yaml: unmarshal errors:\n  line 2: field max_alerts not found in type access.Limits"
        ),
        (
            "tenants:\n  - {name: x, limits: {max_silences: many}}\n",
            "yaml: unmarshal errors:\n  line 2: cannot unmarshal !!str `many` into int"
        ),
        // yaml.v2 (checked with amtool on the same text) reports the line the flow sequence opens on.
        ("principals: [\n", "yaml: line 1: did not find expected node content"),
    ]

    @Test(arguments: invalid)
    func anInvalidFileIsRejectedWithWhatIsWrong(yaml: String, message: String) {
        #expect(throws: ConfigError.self) { try AccessConfig.parse(yaml: yaml) }
        do {
            _ = try AccessConfig.parse(yaml: yaml)
        } catch {
            #expect(error.message == message)
        }
    }

    @Test func aMissingFileIsNamedInTheError() {
        do {
            _ = try AccessConfig.load(file: "/nonexistent/access.yml")
            Issue.record("loaded a missing file")
        } catch {
            #expect(error.message == "open /nonexistent/access.yml: no such file or directory")
        }
    }
}
