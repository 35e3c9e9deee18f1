import Foundation
import Testing

@testable import KlaxonCore

@Suite struct RoleTests {
    static let expected: [(Role, Action, Bool)] = {
        let table: [Role: Set<Action>] = [
            .admin: Set(Action.allCases),
            .tenantAdmin: [.readAlerts, .readSilences, .writeSilences, .readStatus, .readAudit],
            .viewer: [.readAlerts, .readSilences, .readStatus, .readAudit],
            .sender: [.postAlerts],
        ]
        return Role.allCases.flatMap { role in Action.allCases.map { (role, $0, table[role, default: []].contains($0)) }
        }
    }()

    @Test(arguments: expected)
    func eachRoleMayDoExactlyItsActions(role: Role, action: Action, allowed: Bool) {
        #expect(Principal(name: "p", role: role, tenants: ["finance"]).may(action) == allowed)
    }

    @Test func onlyAdminsReloadReadTheFullConfigAndMetrics() {
        for role in Role.allCases where role != .admin {
            for action in [Action.reload, .readConfig, .readMetrics] {
                #expect(!Principal(name: "p", role: role, tenants: ["finance"]).may(action))
            }
        }
    }
}

@Suite struct TenantScopeTests {
    let finance = Principal(name: "finance-admin", role: .tenantAdmin, tenants: ["finance"])
    let platform = Principal(name: "platform", role: .admin, tenants: ["ignored"])

    @Test func tenantPrincipalsSeeOnlyTheirTenantsAlerts() {
        let scope = finance.scope
        #expect(scope.includes(LabelSet(["tenant_id": "finance", "alertname": "A"]), tenantLabel: "tenant_id"))
        #expect(!scope.includes(LabelSet(["tenant_id": "marketing"]), tenantLabel: "tenant_id"))
    }

    @Test func alertsWithoutATenantAreForAdminsOnly() {
        let platformAlert = LabelSet(["alertname": "NodeDown"])
        #expect(!finance.scope.includes(platformAlert, tenantLabel: "tenant_id"))
        #expect(!finance.scope.includes(LabelSet(["tenant_id": ""]), tenantLabel: "tenant_id"))
        #expect(platform.scope.includes(platformAlert, tenantLabel: "tenant_id"))
    }

    @Test func adminsSeeEveryTenantWhateverTheirTenantList() {
        #expect(platform.scope == .all)
        #expect(platform.scope.includes(tenant: "marketing"))
    }

    @Test func theTenantLabelIsConfigurable() throws {
        let labels = LabelSet(["team": "finance", "tenant_id": "marketing"])
        #expect(finance.scope.includes(labels, tenantLabel: "team"))
        #expect(!finance.scope.includes(labels, tenantLabel: "tenant_id"))
    }
}

@Suite struct SilenceConfinementTests {
    private static func spec(_ text: String) throws -> SilenceMatcherSpec {
        SilenceMatcherSpec(try Matcher.parse(text))
    }

    /// Matchers (in matcher syntax) and the tenants they confine a silence to (nil: not confined).
    static let cases: [([String], Set<String>?)] = [
        ([#"tenant_id="finance""#], ["finance"]),
        ([#"tenant_id=~"finance""#], ["finance"]),
        ([#"tenant_id=~"finance|hr""#], ["finance", "hr"]),
        ([#"tenant_id=~"(finance|hr)""#], ["finance", "hr"]),
        ([#"tenant_id=~"(?:finance|hr)""#], ["finance", "hr"]),
        ([#"tenant_id=~"fin\\.eu""#], ["fin.eu"]),
        ([#"tenant_id=~"fin.*""#], nil),
        ([#"tenant_id=~"(?i)finance""#], nil),
        ([#"tenant_id=~"fin\\w+""#], nil),
        ([#"tenant_id!="marketing""#], nil),
        ([#"tenant_id!~"marketing""#], nil),
        ([#"alertname="A""#], nil),
        ([], nil),
        ([#"tenant_id=~"finance|hr""#, #"tenant_id="hr""#], ["hr"]),
        ([#"tenant_id="finance""#, #"tenant_id="hr""#], []),
        ([#"tenant_id!="x""#, #"tenant_id="finance""#], ["finance"]),
        ([#"tenant_id=~"finance|""#], ["finance", ""]),
    ]

    @Test(arguments: cases)
    func matchersConfineASilenceOnlyWhenTheyCannotMatchOtherTenants(matchers: [String], tenants: Set<String>?) throws {
        #expect(SilenceConfinement.tenants(of: try matchers.map(Self.spec), tenantLabel: "tenant_id") == tenants)
    }

    @Test func aTenantAdminMaySilenceInsideItsTenant() throws {
        let admin = Principal(name: "finance-admin", role: .tenantAdmin, tenants: ["finance", "hr"])
        let specs = try [Self.spec(#"tenant_id=~"finance|hr""#), Self.spec(#"alertname="A""#)]
        #expect(SilenceConfinement.check(specs, by: admin, tenantLabel: "tenant_id") == nil)
    }

    @Test func aSilenceWithoutTheTenantMatcherIsRefusedWithTheMatcherToAdd() throws {
        let admin = Principal(name: "finance-admin", role: .tenantAdmin, tenants: ["finance"])
        let denied = SilenceConfinement.check(try [Self.spec(#"alertname="A""#)], by: admin, tenantLabel: "tenant_id")
        #expect(denied?.message == #"silence is not confined to your tenants: add the matcher tenant_id="finance""#)
    }

    @Test func aTenantAdminOfSeveralTenantsIsToldToAddARegexOverThem() throws {
        let admin = Principal(name: "ops", role: .tenantAdmin, tenants: ["hr", "finance"])
        let denied = SilenceConfinement.check(try [Self.spec(#"tenant_id=~".+""#)], by: admin, tenantLabel: "tenant_id")
        #expect(denied?.message == #"silence is not confined to your tenants: add the matcher tenant_id=~"finance|hr""#)
    }

    @Test func aSilenceReachingAnotherTenantIsRefused() throws {
        let admin = Principal(name: "finance-admin", role: .tenantAdmin, tenants: ["finance"])
        for matchers in [
            [#"tenant_id=~"finance|marketing""#], [#"tenant_id="marketing""#], [#"tenant_id=~"finance|""#],
        ] {
            #expect(SilenceConfinement.check(try matchers.map(Self.spec), by: admin, tenantLabel: "tenant_id") != nil)
        }
    }

    @Test func viewersAndSendersMayNotSilenceEvenInTheirTenant() throws {
        for role in [Role.viewer, .sender] {
            let principal = Principal(name: "p", role: role, tenants: ["finance"])
            let denied = SilenceConfinement.check(
                try [Self.spec(#"tenant_id="finance""#)], by: principal, tenantLabel: "tenant_id")
            #expect(denied?.message == "p (\(role.rawValue)) may not create or expire silences")
        }
    }

    @Test func adminsMaySilenceAnything() throws {
        let admin = Principal(name: "platform", role: .admin)
        #expect(
            SilenceConfinement.check(try [Self.spec(#"alertname="A""#)], by: admin, tenantLabel: "tenant_id") == nil)
    }

    @Test func tenantPrincipalsListOnlySilencesConfinedToTheirTenants() throws {
        func matchers(_ texts: String...) throws -> [SilenceMatcherSpec] {
            try texts.map { SilenceMatcherSpec(try Matcher.parse($0)) }
        }
        let scope = TenantScope.tenants(["finance"])
        #expect(
            SilenceConfinement.isVisible(try matchers(#"tenant_id="finance""#), in: scope, tenantLabel: "tenant_id"))
        #expect(!SilenceConfinement.isVisible(try matchers(#"tenant_id="hr""#), in: scope, tenantLabel: "tenant_id"))
        #expect(!SilenceConfinement.isVisible(try matchers(#"alertname="A""#), in: scope, tenantLabel: "tenant_id"))
        #expect(
            !SilenceConfinement.isVisible(
                try matchers(#"tenant_id=~"finance|hr""#), in: scope, tenantLabel: "tenant_id")
        )
        #expect(SilenceConfinement.isVisible(try matchers(#"alertname="A""#), in: .all, tenantLabel: "tenant_id"))
    }

    @Test func aConfinedSilenceNeverMutesAnotherTenantsAlert() throws {
        // The confinement rule must agree with how the silence actually matches.
        for (texts, tenants) in Self.cases {
            guard let tenants else { continue }
            let matchers = try texts.map { try Matcher.parse($0) }
            for other in ["marketing", "finance-eu", "hr2", "", "FINANCE"] where !tenants.contains(other) {
                let labels = LabelSet(["tenant_id": other, "alertname": "A"])
                #expect(!matchers.allSatisfy { $0.matches(labels) }, "\(texts) mutes tenant \(other)")
            }
        }
    }
}
