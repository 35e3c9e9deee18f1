import Foundation
import Hummingbird
import HummingbirdTesting
import KlaxonAPIModels
import KlaxonConfig
import KlaxonCore
import KlaxonEngine
import KlaxonHTTP
import KlaxonStorage
import KlaxonTestSupport
import Logging
import Prometheus
import Testing

@testable import KlaxonServer

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)

/// Pages go to `pager` and, for team a, on to `team-a`; everything else to `team`. A cluster that is down inhibits
/// the pages of that cluster.
private let routedYAML = """
    route:
      receiver: team
      group_by: [alertname]
      routes:
        - receiver: pager
          matchers: [severity="page"]
          continue: true
        - receiver: team-a
          matchers: [team="a"]
    receivers:
      - name: team
      - name: pager
      - name: team-a
    inhibit_rules:
      - source_matchers: [alertname="ClusterDown"]
        target_matchers: [severity="page"]
        equal: [cluster]
    """

/// The API backend over a real engine on a manual clock, with the reload the server wires, reading `configFile`.
private struct Fixture {
    let clock = ManualClock(now: t0)
    let engine: Engine
    let backend: EngineAPIBackend
    let registry = PrometheusCollectorRegistry()
    let client = HTTPClient()

    init(configFile: String) throws {
        let config = try Config.load(file: configFile)
        let logger = Logger(label: "test")
        let builder = IntegrationBuilder(client: client, externalURL: "http://klaxon.test", logger: logger)
        engine = try Engine(
            config: try builder.engineConfig(config), options: EngineOptions(), stateStore: InMemoryStateStore(),
            logger: logger, clock: clock)
        let runtime = RuntimeConfig(config, loadedAt: t0)
        let metrics = ServerMetrics(registry: registry, tenantLabel: "tenant", maxTenants: 10)
        metrics.configReloaded(success: true, config: config)
        let reloader = ConfigReloader(
            configFile: configFile, builder: builder, engine: engine, runtime: runtime, metrics: metrics,
            logger: logger)
        backend = EngineAPIBackend(
            engine: engine, runtime: runtime, metrics: metrics, startedAt: t0,
            reload: { try await reloader.reload(by: $0, from: $1) })
    }

    /// Runs `body` with the fixture for `yaml`, then removes the file and stops the HTTP client.
    static func with(
        _ yaml: String = routedYAML, _ body: (Fixture, _ configFile: String) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("klaxon-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("alertmanager.yml").path
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        let fixture = try Fixture(configFile: file)
        defer { fixture.client.shutdown() }
        try await body(fixture, file)
    }
}

private func firing(_ labels: LabelSet, endsAt: Date = t0 + 300) -> Alert {
    Alert(labels: labels, startsAt: t0, endsAt: endsAt, updatedAt: t0)
}

@Suite struct EngineAPIBackendTests {
    @Test func alertListsTheReceiverOfEveryRouteItMatches() async throws {
        try await Fixture.with { fixture, _ in
            await fixture.backend.postAlerts([
                firing(["alertname": "Down", "severity": "page", "team": "a"]), firing(["alertname": "Slow"]),
            ])
            let views = await fixture.backend.alerts(AlertFilter(), now: t0)
            let receivers = Dictionary(uniqueKeysWithValues: views.map { ($0.labels["alertname"] ?? "", $0) })
            #expect(receivers["Down"]?.receivers == ["pager", "team-a"])
            #expect(receivers["Slow"]?.receivers == ["team"])
            #expect(views.map(\.state) == [.active, .active])
        }
    }

    @Test func silencedAlertIsSuppressedNamesItsSilenceAndIsHiddenWhenSilencedAreExcluded() async throws {
        try await Fixture.with { fixture, _ in
            let backend = fixture.backend
            await backend.postAlerts([firing(["alertname": "Down", "instance": "a"])])
            let id = try await backend.setSilence(
                SilenceRequest(
                    id: nil, matchers: [try Matcher.parse("instance=a")], startsAt: t0, endsAt: t0 + 3600,
                    createdBy: "me", comment: "maintenance"), now: t0)
            let view = try #require(await backend.alerts(AlertFilter(), now: t0 + 1).first)
            #expect(view.state == .suppressed)
            #expect(view.silencedBy == [id])
            #expect(await backend.alerts(AlertFilter(silenced: false), now: t0 + 1).isEmpty)
            // Expired, the silence no longer mutes.
            try await backend.expireSilence(id: id, now: t0 + 2)
            #expect(await backend.alerts(AlertFilter(), now: t0 + 3).first?.state == .active)
            #expect(await backend.silence(id: id, now: t0 + 3)?.state(t0 + 3) == .expired)
        }
    }

    @Test func inhibitedAlertIsSuppressedAndNamesTheAlertInhibitingIt() async throws {
        try await Fixture.with { fixture, _ in
            let source = firing(["alertname": "ClusterDown", "cluster": "c1"])
            await fixture.backend.postAlerts([
                source, firing(["alertname": "Down", "severity": "page", "cluster": "c1"]),
                firing(["alertname": "Down", "severity": "page", "cluster": "c2"]),
            ])
            let pages = await fixture.backend.alerts(AlertFilter(filter: [try Matcher.parse("severity=page")]), now: t0)
            let byCluster = Dictionary(uniqueKeysWithValues: pages.map { ($0.labels["cluster"] ?? "", $0) })
            #expect(byCluster["c1"]?.state == .suppressed)
            #expect(byCluster["c1"]?.inhibitedBy == [source.fingerprint.description])
            #expect(byCluster["c2"]?.state == .active)
            #expect(byCluster["c2"]?.inhibitedBy == [])
        }
    }

    @Test func explainUsesTheEnginesSilencesAndFiringSourcesAtTheInstantAsked() async throws {
        try await Fixture.with { fixture, _ in
            let backend = fixture.backend
            let source = firing(["alertname": "ClusterDown", "cluster": "c1"], endsAt: t0 + 600)
            await backend.postAlerts([source])
            let pending = try await backend.setSilence(
                SilenceRequest(
                    id: nil, matchers: [try Matcher.parse("team=a")], startsAt: t0 + 3600, endsAt: t0 + 7200,
                    createdBy: "me", comment: "later"), now: t0)
            let labels: LabelSet = ["alertname": "Down", "severity": "page", "team": "a", "cluster": "c1"]
            let now = await backend.explain(labels, at: t0, now: t0)
            #expect(now.routes.map(\.route.receiver) == ["pager", "team-a"])
            #expect(now.inhibitedBy.map(\.fingerprint) == [source.fingerprint])
            #expect(now.silencedBy.isEmpty)
            #expect(now.verdicts.map(\.notifies) == [false, false])
            // In an hour the source has resolved and the pending silence is active.
            let later = await backend.explain(labels, at: t0 + 3700, now: t0)
            #expect(later.inhibitedBy.isEmpty)
            #expect(later.silencedBy.map(\.silence.id) == [pending])
            #expect(later.silencedBy.map(\.stateNow) == [.pending])
            #expect(later.verdicts.map(\.suppression) == [.silenced([pending]), .silenced([pending])])
        }
    }

    @Test func alertGroupsShowOneGroupPerRouteWhoseAlertsListEveryReceiver() async throws {
        try await Fixture.with { fixture, _ in
            await fixture.backend.postAlerts([firing(["alertname": "Down", "severity": "page", "team": "a"])])
            let groups = await fixture.backend.alertGroups(AlertFilter(), now: t0)
            #expect(groups.map(\.receiver) == ["pager", "team-a"])
            #expect(groups.map { $0.alerts.map(\.receivers) } == [[["pager", "team-a"]], [["pager", "team-a"]]])
            let onlyTeamA = try Matcher(name: "receiver", value: "team-a", isRegex: true, isEqual: true)
            let teamAGroups = await fixture.backend.alertGroups(AlertFilter(receiver: onlyTeamA), now: t0)
            #expect(teamAGroups.map(\.receiver) == ["team-a"])
        }
    }

    @Test func alertsWhoseEndHasPassedAreNotListed() async throws {
        try await Fixture.with { fixture, _ in
            await fixture.backend.postAlerts([firing(["alertname": "Down"], endsAt: t0 + 60)])
            #expect(await fixture.backend.alerts(AlertFilter(), now: t0 + 60).count == 1)
            #expect(await fixture.backend.alerts(AlertFilter(), now: t0 + 61).isEmpty)
            #expect(await fixture.backend.alertGroups(AlertFilter(), now: t0 + 61).isEmpty)
        }
    }

    @Test func updatingOrExpiringAnUnknownSilenceIsNotFound() async throws {
        try await Fixture.with { fixture, _ in
            let update = SilenceRequest(
                id: "no-such-silence", matchers: [try Matcher.parse("instance=a")], startsAt: t0, endsAt: t0 + 60,
                createdBy: "me", comment: "")
            await #expect(throws: SilenceAPIError.notFound) { try await fixture.backend.setSilence(update, now: t0) }
            await #expect(throws: SilenceAPIError.notFound) {
                try await fixture.backend.expireSilence(id: "no-such-silence", now: t0)
            }
        }
    }

    @Test func reloadWithAnInvalidFileFailsAndKeepsTheRunningConfiguration() async throws {
        try await Fixture.with { fixture, file in
            await fixture.backend.postAlerts([firing(["alertname": "Slow"])])
            let statusBefore = await fixture.backend.status(visibleTo: .all, tenantLabel: "tenant_id").configYAML
            // A route to a receiver that does not exist.
            try routedYAML.replacingOccurrences(of: "receiver: team\n", with: "receiver: nobody\n")
                .write(toFile: file, atomically: true, encoding: .utf8)
            let router = buildAPIRouter(backend: fixture.backend, now: { fixture.clock.now })
            try await Application(router: router).test(.router) { client in
                let response = try await client.execute(uri: "/-/reload", method: .post)
                #expect(response.status == .internalServerError)
                #expect(String(buffer: response.body).hasPrefix("failed to reload config: "))
                #expect(String(buffer: response.body).contains("nobody"))
            }
            #expect(await fixture.backend.status(visibleTo: .all, tenantLabel: "tenant_id").configYAML == statusBefore)
            #expect(await fixture.backend.receivers() == ["team", "pager", "team-a"])
            #expect(fixture.engine.config.route.receiver == "team")
            #expect(await fixture.backend.alertGroups(AlertFilter(), now: t0).map(\.receiver) == ["team"])
            #expect(fixture.registry.emitToString().contains("alertmanager_config_last_reload_successful 0.0"))
        }
    }

    @Test func theLastReloadSaysWhenItFailedWhyAndSinceWhenTheOldConfigurationServes() async throws {
        try await Fixture.with { fixture, file in
            #expect(
                await fixture.backend.lastReload()
                    == ConfigReloadResult(time: t0, succeeded: true, appliedAt: t0))
            try routedYAML.replacingOccurrences(of: "receiver: team\n", with: "receiver: nobody\n")
                .write(toFile: file, atomically: true, encoding: .utf8)
            fixture.clock.advance(by: 60)
            await #expect(throws: (any Error).self) { try await fixture.backend.reload(by: "", from: "") }
            let failed = try #require(await fixture.backend.lastReload())
            #expect(!failed.succeeded)
            #expect(failed.time == t0 + 60)
            #expect(failed.error.contains("nobody"))
            #expect(failed.appliedAt == t0)
            try routedYAML.write(toFile: file, atomically: true, encoding: .utf8)
            fixture.clock.advance(by: 60)
            try await fixture.backend.reload(by: "", from: "")
            #expect(
                await fixture.backend.lastReload()
                    == ConfigReloadResult(time: t0 + 120, succeeded: true, appliedAt: t0 + 120))
        }
    }

    @Test func oneAlertIsFoundByFingerprintWithItsStatusAndGroupsCarryTheirKeys() async throws {
        try await Fixture.with { fixture, _ in
            let page = firing(["alertname": "Down", "severity": "page", "team": "a"])
            await fixture.backend.postAlerts([page])
            let view = try #require(await fixture.backend.alert(page.fingerprint, now: t0))
            #expect(view.receivers == ["pager", "team-a"])
            #expect(await fixture.backend.alert(Fingerprint(1), now: t0) == nil)
            let keys = await fixture.backend.alertGroups(AlertFilter(), now: t0).map(\.groupKey)
            let explained = await fixture.backend.explain(page.labels, at: t0, now: t0).routes.map(\.groupKey)
            #expect(keys == explained)
            #expect(keys.allSatisfy { !$0.isEmpty })
        }
    }

    @Test func reloadWithAValidFileRoutesStoredAlertsByTheNewTree() async throws {
        try await Fixture.with { fixture, file in
            await fixture.backend.postAlerts([firing(["alertname": "Slow"])])
            try routedYAML.replacingOccurrences(of: "receiver: team\n", with: "receiver: team-a\n")
                .write(toFile: file, atomically: true, encoding: .utf8)
            try await fixture.backend.reload(by: "", from: "")
            #expect(fixture.engine.config.route.receiver == "team-a")
            let view = try #require(await fixture.backend.alerts(AlertFilter(), now: t0).first)
            #expect(view.receivers == ["team-a"])
            #expect(await fixture.backend.alertGroups(AlertFilter(), now: t0).map(\.receiver) == ["team-a"])
            #expect(
                await fixture.backend.status(visibleTo: .all, tenantLabel: "tenant_id").configYAML.contains(
                    "receiver: team-a"))
            #expect(fixture.registry.emitToString().contains("alertmanager_config_last_reload_successful 1.0"))
        }
    }
}
