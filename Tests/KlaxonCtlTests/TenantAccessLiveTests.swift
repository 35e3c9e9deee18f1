import Crypto
import Foundation
import KlaxonTestSupport
import Testing

/// `klaxon --access.config.file` served for real: bcrypt users from `htpasswd -B` in the web config, a sender's
/// bearer token, and klaxonctl, amtool 0.25 and curl as clients. A tenant-admin works inside its tenant and is
/// refused outside it; a sender posts only its tenant's alerts; the audit trail names who did what.
@Suite(.serialized, .enabled(if: TestPKI.toolsInstalled, "needs openssl, htpasswd (apache2-utils) and curl"))
struct TenantAccessLive {
    private static let senderToken = "finance-sender-token-0123456789"

    /// A web config with three users, an access file, and klaxon serving both.
    private func withServer(_ body: (TestPKI, LiveServer) throws -> Void) throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        var users = ""
        for user in ["platform", "finance-admin", "hr-admin"] {
            users += "  \(user): '\(try TestPKI.bcryptHash(user: user, password: "pw-\(user)"))'\n"
        }
        let web = try pki.write("web.yml", "basic_auth_users:\n" + users)
        let digest = SHA256.hash(data: Data(Self.senderToken.utf8)).map { String(format: "%02x", $0) }.joined()
        let access = try pki.write(
            "access.yml",
            """
            principals:
              - {name: platform, role: admin}
              - {name: finance-admin, role: tenant-admin, tenants: [finance]}
              - {name: hr-admin, role: tenant-admin, tenants: [hr]}
              - {name: prometheus-finance, role: sender, tenants: [finance], bearer_token_sha256: "\(digest)"}
            tenants:
              - name: finance
                limits: {max_active_alerts: 3}
            """)
        let server = try LiveServer.klaxon(
            arguments: ["--web.config.file=\(web)", "--access.config.file=\(access)"]
        ) { port in (try? httpGet(port: port, path: "/-/ready")) == 200 }
        defer { server.stop() }
        try body(pki, server)
    }

    private func httpConfig(_ pki: TestPKI, user: String) throws -> String {
        try pki.write(
            "http-\(user).yml", "basic_auth:\n  username: \(user)\n  password: 'pw-\(user)'\n")
    }

    private func senderConfig(_ pki: TestPKI) throws -> String {
        try pki.write("http-sender.yml", "authorization:\n  credentials: '\(Self.senderToken)'\n")
    }

    @Test func klaxonctlSenderPostsOnlyItsTenantsAlertsWithABearerToken() throws {
        try withServer { pki, server in
            let url = "--alertmanager.url=\(server.url)"
            let sender = "--http.config.file=\(try senderConfig(pki))"
            let own = try runProcess(
                Binaries.klaxonctl, [url, sender, "alert", "add", "alertname=Disk", "tenant_id=finance"])
            #expect(own.exitCode == 0, "\(own)")
            let other = try runProcess(
                Binaries.klaxonctl, [url, sender, "alert", "add", "alertname=Disk", "tenant_id=hr"])
            #expect(other.exitCode != 0, "\(other)")
            let none = try runProcess(Binaries.klaxonctl, [url, "alert", "add", "alertname=Disk", "tenant_id=finance"])
            #expect(none.exitCode != 0, "\(none)")
            // The sender may not read; the tenant's admin sees the one alert that was stored.
            let read = try runProcess(Binaries.klaxonctl, [url, sender, "alert", "query"])
            #expect(read.exitCode != 0, "\(read)")
            let admin = "--http.config.file=\(try httpConfig(pki, user: "finance-admin"))"
            let alerts = try runProcess(Binaries.klaxonctl, [url, admin, "-o", "json", "alert", "query"])
            #expect(alerts.exitCode == 0, "\(alerts)")
            #expect(alerts.stdout.contains(#""tenant_id":"finance""#) && !alerts.stdout.contains(#""tenant_id":"hr""#))
            let metrics = try curl("\(server.url)/metrics", ["-u", "platform:pw-platform"])
            #expect(metrics.body.contains(#"klaxon_tenant_alerts_refused_total{tenant="hr"} 1"#), "\(metrics.body)")
        }
    }

    @Test(.enabled(if: Binaries.amtool != nil, "needs amtool 0.25 (apt-get install prometheus-alertmanager)"))
    func amtoolWithATenantAdminsCredentialsSilencesInsideItsTenantOnly() throws {
        let amtool = try #require(Binaries.amtool)
        try withServer { pki, server in
            let url = "--alertmanager.url=\(server.url)"
            let finance = "--http.config.file=\(try httpConfig(pki, user: "finance-admin"))"
            let platform = "--http.config.file=\(try httpConfig(pki, user: "platform"))"
            let hr = "--http.config.file=\(try httpConfig(pki, user: "hr-admin"))"

            let own = try runProcess(
                amtool, [url, finance, "silence", "add", "tenant_id=finance", "alertname=Deploy", "-c", "deploy"])
            #expect(own.exitCode == 0, "\(own)")
            let ownID = own.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let unconfined = try runProcess(
                amtool, [url, finance, "silence", "add", "alertname=Deploy", "-c", "everyone"])
            #expect(unconfined.exitCode != 0, "\(unconfined)")
            let foreign = try runProcess(amtool, [url, finance, "silence", "add", "tenant_id=hr", "-c", "theirs"])
            #expect(foreign.exitCode != 0, "\(foreign)")

            let hrSilence = try runProcess(amtool, [url, hr, "silence", "add", "tenant_id=hr", "-c", "hr only"])
            #expect(hrSilence.exitCode == 0, "\(hrSilence)")
            let hrID = hrSilence.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let platformSilence = try runProcess(
                amtool, [url, platform, "silence", "add", "alertname=NodeDown", "-c", "platform"])
            #expect(platformSilence.exitCode == 0, "\(platformSilence)")

            let listed = try runProcess(amtool, [url, finance, "silence", "query", "-q"])
            #expect(listed.exitCode == 0, "\(listed)")
            #expect(listed.stdout.split(separator: "\n").map(String.init) == [ownID], "\(listed)")
            let expireForeign = try runProcess(amtool, [url, finance, "silence", "expire", hrID])
            #expect(expireForeign.exitCode != 0, "\(expireForeign)")
            let expireOwn = try runProcess(amtool, [url, finance, "silence", "expire", ownID])
            #expect(expireOwn.exitCode == 0, "\(expireOwn)")
            // amtool's version check and `alert query` work for a tenant principal.
            let alerts = try runProcess(amtool, [url, finance, "alert", "query"])
            #expect(alerts.exitCode == 0, "\(alerts)")
            let everything = try runProcess(amtool, [url, platform, "silence", "query", "-q"])
            #expect(everything.stdout.contains(hrID), "\(everything)")
        }
    }

    @Test func theAuditTrailNamesThePrincipalAndHidesOtherTenantsEntries() throws {
        try withServer { pki, server in
            let url = "--alertmanager.url=\(server.url)"
            let finance = "--http.config.file=\(try httpConfig(pki, user: "finance-admin"))"
            let hr = "--http.config.file=\(try httpConfig(pki, user: "hr-admin"))"
            let added = try runProcess(
                Binaries.klaxonctl,
                [url, finance, "silence", "add", "tenant_id=finance", "--author=someone-else", "-c", "x"])
            #expect(added.exitCode == 0, "\(added)")
            #expect(
                try runProcess(Binaries.klaxonctl, [url, hr, "silence", "add", "tenant_id=hr", "-c", "y"]).exitCode == 0
            )
            let reload = try curl("\(server.url)/-/reload", ["-X", "POST", "-u", "platform:pw-platform"])
            #expect(reload.status == 200, "\(reload.body)")

            let financeView = try curl("\(server.url)/api/klaxon/v1/audit", ["-u", "finance-admin:pw-finance-admin"])
            #expect(financeView.status == 200)
            #expect(
                financeView.body.contains(#""kind":"silence_created","principal":"finance-admin""#),
                "\(financeView.body)")
            #expect(financeView.body.contains(#""createdBy":"someone-else""#))
            #expect(!financeView.body.contains("hr-admin") && !financeView.body.contains("config_reloaded"))
            let adminView = try curl("\(server.url)/api/klaxon/v1/audit", ["-u", "platform:pw-platform"])
            #expect(adminView.body.contains(#""kind":"config_reloaded","principal":"platform""#), "\(adminView.body)")
            #expect(adminView.body.contains(#""principal":"hr-admin""#))
            let table = try runProcess(Binaries.klaxonctl, [url, finance, "audit"])
            #expect(table.exitCode == 0, "\(table)")
            #expect(table.stdout.contains("silence_created") && table.stdout.contains("finance-admin"), "\(table)")
            #expect(!table.stdout.contains("hr-admin"), "\(table)")
            let refusedKind = try runProcess(Binaries.klaxonctl, [url, finance, "audit", "--kind", "nope"])
            #expect(refusedKind.exitCode != 0 && refusedKind.stderr.contains("unknown kind"), "\(refusedKind)")
            let anonymous = try curl("\(server.url)/api/klaxon/v1/audit")
            #expect(anonymous.status == 401)
            let metrics = try curl("\(server.url)/metrics", ["-u", "finance-admin:pw-finance-admin"])
            #expect(metrics.status == 403)
            #expect(try curl("\(server.url)/metrics", ["-u", "platform:pw-platform"]).status == 200)
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/prometheus"), "needs prometheus"))
    func prometheusWithASendersTokenDeliversItsTenantsAlertsAndTheOthersAreRefused() throws {
        try withServer { pki, server in
            let rules = try pki.write(
                "rules.yml",
                """
                groups:
                  - name: tenants
                    interval: 1s
                    rules:
                      - alert: FinanceDiskFull
                        expr: vector(1)
                        labels: {tenant_id: finance}
                      - alert: HRDiskFull
                        expr: vector(1)
                        labels: {tenant_id: hr}
                """)
            let config = try pki.write(
                "prometheus.yml",
                """
                global: {evaluation_interval: 1s}
                rule_files: [\(rules)]
                alerting:
                  alertmanagers:
                    - static_configs: [{targets: ['127.0.0.1:\(server.port)']}]
                      authorization: {credentials: '\(Self.senderToken)'}
                """)
            let port = try freePort()
            let prometheus = Process()
            prometheus.executableURL = URL(fileURLWithPath: "/usr/bin/prometheus")
            prometheus.arguments = [
                "--config.file=\(config)", "--storage.tsdb.path=\(pki.path("tsdb"))",
                "--web.listen-address=127.0.0.1:\(port)", "--rules.alert.resend-delay=1s",
            ]
            prometheus.standardOutput = FileHandle.nullDevice
            let log = URL(fileURLWithPath: try pki.write("prometheus.log", ""))
            prometheus.standardError = try FileHandle(forWritingTo: log)
            try prometheus.run()
            defer {
                prometheus.terminate()
                prometheus.waitUntilExit()
            }
            let platform = ["-u", "platform:pw-platform"]
            var alerts = ""
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                alerts = try curl("\(server.url)/api/v2/alerts", platform).body
                if alerts.contains("FinanceDiskFull") { break }
                usleep(250_000)
            }
            let logText = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            #expect(alerts.contains("FinanceDiskFull"), "\(alerts)\n\(logText.suffix(3000))")
            #expect(!alerts.contains("HRDiskFull"), "\(alerts)")
            let metrics = try curl("\(server.url)/metrics", platform).body
            #expect(metrics.contains(#"klaxon_tenant_alerts_refused_total{tenant="hr"}"#), "\(metrics)")
        }
    }

    @Test func aTenantAdminsMaintenanceWindowIsAuditedAsOpenedAndClosed() throws {
        try withServer { pki, server in
            let url = "--alertmanager.url=\(server.url)"
            let finance = "--http.config.file=\(try httpConfig(pki, user: "finance-admin"))"
            let start = try runProcess(
                Binaries.klaxonctl,
                ["maintenance", "start", url, finance, "--for", "30m", "--key", "deploy-7", "tenant_id=finance"])
            #expect(start.exitCode == 0, "\(start)")
            let outside = try runProcess(
                Binaries.klaxonctl,
                ["maintenance", "start", url, finance, "--for", "30m", "--key", "deploy-8", "service=web"])
            #expect(outside.exitCode != 0, "\(outside)")
            let end = try runProcess(Binaries.klaxonctl, ["maintenance", "end", url, finance, "--key", "deploy-7"])
            #expect(end.exitCode == 0, "\(end)")
            let trail = try runProcess(Binaries.klaxonctl, [url, finance, "audit"])
            #expect(
                trail.stdout.contains("maintenance_opened") && trail.stdout.contains("maintenance_closed"), "\(trail)")
        }
    }

    @Test func aTenantPastMaxActiveAlertsGets429AndItsFiringAlertsStay() throws {
        try withServer { pki, server in
            let bearer = ["-H", "Authorization: Bearer \(Self.senderToken)", "-H", "Content-Type: application/json"]
            func post(_ names: [String]) throws -> CurlResult {
                let body =
                    "["
                    + names.map { #"{"labels":{"alertname":"\#($0)","tenant_id":"finance"}}"# }
                    .joined(separator: ",") + "]"
                return try curl("\(server.url)/api/v2/alerts", ["-X", "POST", "-d", body] + bearer)
            }
            #expect(try post(["A", "B"]).status == 200)
            let over = try post(["C", "D"])
            #expect(over.status == 429, "\(over.body)")
            #expect(over.body.contains("max_active_alerts (3)"), "\(over.body)")
            #expect(try post(["A", "B", "C"]).status == 200)  // updates of held alerts always pass
            let held = try curl("\(server.url)/api/v2/alerts", ["-u", "platform:pw-platform"]).body
            for name in ["A", "B", "C"] { #expect(held.contains(#""alertname":"\#(name)""#), "\(held)") }
            #expect(!held.contains(#""alertname":"D""#), "\(held)")
        }
    }
}
