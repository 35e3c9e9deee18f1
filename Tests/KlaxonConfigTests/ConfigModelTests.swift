import Foundation
import KlaxonCore
import Testing

@testable import KlaxonConfig

@Test(arguments: [
    ("shared/severity-routing.yml", "masked/severity-routing.masked.yml"),
    ("shared/tenant-routing.yml", "masked/tenant-routing.masked.yml"),
    ("good/conf.good-rich.yml", "masked/conf.good-rich.masked.yml"),
    ("good/conf.good-rich2.yml", "masked/conf.good-rich2.masked.yml"),
    // Strings that exercise yaml.v2's scalar styles: resolvable words, indicators, folding, escapes.
    ("good/conf.good-quoting.yml", "masked/conf.good-quoting.masked.yml"),
])
func maskedYAMLMatchesAlertmanagersStatusConfig(file: String, expectedFile: String) throws {
    // Alertmanager was run from the fixture's own directory, so relative paths stayed relative.
    let config = try Config.parse(yaml: Fixtures.text(file), baseDirectory: ".")
    let expected = Fixtures.text(expectedFile)
    let actual = config.maskedYAML()
    #expect(actual == expected)
    if actual != expected {
        let name = (expectedFile as NSString).lastPathComponent
        try? actual.write(toFile: NSTemporaryDirectory() + "klaxon-actual-" + name, atomically: true, encoding: .utf8)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        for (i, pair) in zip(a, e).enumerated() where pair.0 != pair.1 {
            Issue.record("line \(i + 1): got \(pair.0) want \(pair.1)")
            break
        }
    }
}

@Test func globalDefaultsMatchAlertmanager() throws {
    let config = try Config.parse(yaml: "route: {receiver: a}\nreceivers: [{name: a}]", baseDirectory: ".")
    #expect(config.global.resolveTimeout == .minutes(5))
    #expect(config.global.smtpHello == "localhost")
    #expect(config.global.smtpRequireTLS)
    #expect(config.global.pagerdutyURL?.string == "https://events.pagerduty.com/v2/enqueue")
    #expect(config.global.httpConfig.followRedirects && config.global.httpConfig.enableHTTP2)
    #expect(config.templates.isEmpty)
}

@Test func integrationDefaultsAndGlobalInheritance() throws {
    let yaml = """
        global:
          slack_api_url: 'https://hooks.slack.com/services/T/B/X'
          http_config: {proxy_url: 'http://proxy:3128'}
        route: {receiver: a}
        receivers:
          - name: a
            webhook_configs: [{url: 'http://127.0.0.1:5001/'}]
            slack_configs: [{channel: '#c'}]
            pagerduty_configs: [{routing_key: 'k', client: 'me'}]
        """
    let config = try Config.parse(yaml: yaml, baseDirectory: ".")
    let r = try #require(config.receiver(named: "a"))
    #expect(r.webhookConfigs[0].sendResolved == true)
    #expect(r.webhookConfigs[0].maxAlerts == 0)
    #expect(r.webhookConfigs[0].httpConfig.proxyURL == "http://proxy:3128")
    #expect(r.webhookConfigs[0].url?.revealed == "http://127.0.0.1:5001/")
    #expect(r.slackConfigs[0].sendResolved == false)
    #expect(r.slackConfigs[0].apiURL?.revealed == "https://hooks.slack.com/services/T/B/X")
    #expect(r.slackConfigs[0].title == #"{{ template "slack.default.title" . }}"#)
    #expect(r.pagerdutyConfigs[0].sendResolved == true)
    #expect(r.pagerdutyConfigs[0].severity == "error")
    #expect(r.pagerdutyConfigs[0].source == "me")
    #expect(r.pagerdutyConfigs[0].usesEventsV2)
    #expect(r.pagerdutyConfigs[0].url?.string == "https://events.pagerduty.com/v2/enqueue")
    #expect(r.pagerdutyConfigs[0].details["num_firing"] == "{{ .Alerts.Firing | len }}")
}

@Test func bearerTokenBecomesAuthorization() throws {
    let yaml = """
        route: {receiver: a}
        receivers:
          - name: a
            webhook_configs: [{url: 'http://x/', http_config: {bearer_token: 'tok'}}]
        """
    let config = try Config.parse(yaml: yaml, baseDirectory: ".")
    let auth = try #require(config.receivers[0].webhookConfigs[0].httpConfig.authorization)
    #expect(auth.type == "Bearer")
    #expect(auth.credentials?.revealed == "tok")
}

@Test func relativePathsResolveAgainstTheConfigDirectory() throws {
    let yaml = """
        global: {slack_api_url_file: 'slack.url'}
        templates: ['templates/*.tmpl', '/abs/x.tmpl', '../up/*.tmpl']
        route: {receiver: a}
        receivers:
          - name: a
            slack_configs: [{channel: '#c'}]
            webhook_configs:
              - url: 'http://x/'
                http_config: {tls_config: {ca_file: 'ca.pem'}, basic_auth: {username: u, password_file: './pw'}}
        """
    let config = try Config.parse(yaml: yaml, baseDirectory: "/etc/am")
    #expect(config.templates == ["/etc/am/templates/*.tmpl", "/abs/x.tmpl", "/etc/up/*.tmpl"])
    #expect(config.receivers[0].slackConfigs[0].apiURLFile == "/etc/am/slack.url")
    let http = config.receivers[0].webhookConfigs[0].httpConfig
    #expect(http.tlsConfig.caFile == "/etc/am/ca.pem")
    #expect(http.basicAuth?.passwordFile == "/etc/am/pw")
}

@Test func routeInheritanceIsApplied() throws {
    let yaml = """
        route:
          receiver: root
          group_by: [alertname]
          group_wait: 10s
          repeat_interval: 1d
          routes:
            - matchers: ['team="a"']
              group_interval: 1m
              routes:
                - match: {severity: critical}
                  receiver: pager
                  group_by: ['...']
        receivers: [{name: root}, {name: pager}]
        """
    let config = try Config.parse(yaml: yaml, baseDirectory: ".")
    let child = config.routeTree.routes[0]
    #expect(child.receiver == "root")
    #expect(child.groupBy == .labels(["alertname"]))
    #expect(child.groupWait == .seconds(10))
    #expect(child.groupInterval == .minutes(1))
    #expect(child.repeatInterval == .hours(24))
    let grandchild = child.routes[0]
    #expect(grandchild.receiver == "pager")
    #expect(grandchild.groupBy == .all)
    #expect(grandchild.groupInterval == .minutes(1))
    #expect(grandchild.key == #"{}/{team="a"}/{severity="critical"}"#)
    #expect(config.route.routes[0].groupWait == nil)
}

@Test func matchReIsAnchoredInRouteKeysAsAlertmanager025Does() throws {
    let yaml = """
        route:
          receiver: a
          routes: [{match_re: {service: 'a|b'}, receiver: a}]
        receivers: [{name: a}]
        """
    let config = try Config.parse(yaml: yaml, baseDirectory: ".")
    #expect(config.routeTree.routes[0].key == #"{}/{service=~"^(?:a|b)$"}"#)
    #expect(config.routeTree.match(["service": "b"]).map(\.path) == [[0]])
    #expect(config.routeTree.match(["service": "ab"]).map(\.path) == [[]])
}

@Test(arguments: [
    ("30s", Int64(30_000)), ("1h30m", 5_400_000), ("1d", 86_400_000), ("1w", 604_800_000), ("500ms", 500),
])
func durationFieldsUsePrometheusSyntax(text: String, milliseconds: Int64) throws {
    let yaml = "global: {resolve_timeout: \(text)}\nroute: {receiver: a, group_wait: \(text)}\nreceivers: [{name: a}]"
    let config = try Config.parse(yaml: yaml, baseDirectory: ".")
    #expect(config.global.resolveTimeout.milliseconds == milliseconds)
    #expect(config.route.groupWait?.milliseconds == milliseconds)
}

@Test func inhibitRulesFoldLegacyMatchers() throws {
    let config = try Config.load(file: Fixtures.path("shared/tenant-routing.yml"))
    #expect(config.inhibitRules.count == 2)
    let rule = config.inhibitRules[0]
    #expect(rule.sourceMatchers.map(\.description) == [#"alertname="PlatformDown""#])
    #expect(rule.targetMatchers.first?.type == .regexMatch)
    #expect(rule.targetMatchers.first?.matches("TenantDown") == true)
    #expect(rule.equal == ["tenant_id"])
    #expect(config.templates == ["/etc/alertmanager/templates/*.tmpl"])
}

@Test func timeIntervalsAreParsed() throws {
    let config = try Config.parse(yaml: Fixtures.text("good/conf.good-rich.yml"), baseDirectory: ".")
    let offhours = try #require(config.timeIntervals["offhours"]?.first)
    #expect(offhours.spec.times == [TimeRange(startMinute: 17 * 60, endMinute: 24 * 60)])
    #expect(offhours.spec.weekdays == [InclusiveRange(begin: 1, end: 5), InclusiveRange(0)])
    #expect(offhours.spec.months == [InclusiveRange(begin: 1, end: 3), InclusiveRange(12)])
    #expect(offhours.spec.location.identifier == "Europe/Berlin")
    #expect(offhours.location == "Europe/Berlin")
    #expect(config.timeIntervals["weekend"] != nil)
}

/// The repository's example config (the server's default).
private let exampleConfigPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../alertmanager.yml").standardized.path

@Test func exampleConfigLoadsAndRendersLikeAlertmanager() throws {
    let text = try String(contentsOfFile: exampleConfigPath, encoding: .utf8)
    let config = try Config.parse(yaml: text, baseDirectory: ".")
    let actual = config.maskedYAML()
    #expect(actual == Fixtures.text("masked/alertmanager-example.masked.yml"))
    if actual != Fixtures.text("masked/alertmanager-example.masked.yml") {
        try? actual.write(
            toFile: NSTemporaryDirectory() + "klaxon-actual-example.yml", atomically: true, encoding: .utf8)
    }
    // Webhook URLs keep only scheme and host: their paths (where tokens live) never show.
    #expect(!config.maskedYAML().contains("/tenants/"))
    #expect(!config.maskedYAML().contains("/platform"))
    #expect(!config.maskedYAML().contains("FAKEFAKE"))
    #expect(config.receivers.count == 7)
    #expect(config.inhibitRules.count == 3)
}

/// Recorded with `amtool config routes test --config.file=alertmanager.yml LABELS`.
@Test(arguments: [
    (["tenant_id": "finance", "severity": "critical", "team": "database"], "tenant-finance,oncall-pagerduty-dba"),
    (["tenant_id": "marketing", "severity": "warning"], "tenant-marketing,platform-slack"),
    (["tenant_id": "ops"], "tenant-operations"),
    (["severity": "critical"], "oncall-pagerduty"),
    (["alertname": "PlatformDown"], "platform-webhook"),
])
func exampleConfigRoutesLikeAmtool(labels: [String: String], receivers: String) throws {
    let config = try Config.load(file: exampleConfigPath)
    #expect(config.routeTree.match(LabelSet(labels)).map(\.receiver).joined(separator: ",") == receivers)
}
