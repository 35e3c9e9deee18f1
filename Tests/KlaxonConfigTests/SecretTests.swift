import Foundation
import Testing

@testable import KlaxonConfig

private let secretValues = [
    "https://hooks.slack.com/services/SECRET/SLACK/URL", "pd-routing-SECRET", "basic-SECRET",
    "http://127.0.0.1:5001/SECRET",
    "bearer-SECRET", "smtp-SECRET",
]

private let secretConfig = """
    global:
      slack_api_url: 'https://hooks.slack.com/services/SECRET/SLACK/URL'
      smtp_auth_password: 'smtp-SECRET'
    route: {receiver: a}
    receivers:
      - name: a
        slack_configs: [{channel: '#c'}]
        pagerduty_configs: [{routing_key: 'pd-routing-SECRET'}]
        webhook_configs:
          - url: 'http://127.0.0.1:5001/SECRET'
            http_config: {basic_auth: {username: u, password: 'basic-SECRET'}}
          - url: 'http://127.0.0.1:5001/other'
            http_config: {bearer_token: 'bearer-SECRET'}
    """

@Test func secretsNeverPrint() throws {
    let config = try Config.parse(yaml: secretConfig, baseDirectory: ".")
    var dumped = ""
    dump(config, to: &dumped)
    let texts = [
        String(describing: config), String(reflecting: config), dumped, config.maskedYAML(), "\(config.receivers)",
        String(reflecting: config.receivers), String(describing: config.global),
    ]
    for text in texts {
        for secret in secretValues {
            #expect(!text.contains(secret), "leaked \(secret)")
        }
    }
    #expect(config.maskedYAML().contains("<secret>"))
}

@Test func secretRevealsOnlyThroughItsNamedProperty() {
    let secret = Secret("hunter2")
    var dumped = ""
    dump(secret, to: &dumped)
    #expect(secret.description == "<secret>")
    #expect(String(reflecting: secret) == "<secret>")
    #expect("\(secret)" == "<secret>")
    #expect(!dumped.contains("hunter2"))
    #expect(secret.revealed == "hunter2")
}

@Test func errorsDoNotEchoSecretValues() {
    let yaml = """
        route: {receiver: a}
        receivers:
          - name: a
            pagerduty_configs: [{routing_key: 'pd-SECRET', routing_key_file: '/x'}]
        """
    do {
        _ = try Config.parse(yaml: yaml, baseDirectory: ".")
        Issue.record("loaded")
    } catch {
        #expect(!error.detailedDescription.contains("pd-SECRET"))
    }
}

@Test(arguments: [
    ("https://user:pw@hooks.example.com/services/T0/B0/token?x=1", "https://hooks.example.com/<secret>"),
    ("http://127.0.0.1:5001/hook", "http://127.0.0.1:5001/<secret>"),
    ("not a url", "<secret>"),
])
func webhookURLsShowOnlySchemeAndHost(url: String, masked: String) {
    #expect(Config.maskedWebhookURL(url) == masked)
}
