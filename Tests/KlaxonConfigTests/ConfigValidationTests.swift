import Foundation
import KlaxonCore
import Testing

@testable import KlaxonConfig

@Test func everyBadFixtureHasARecordedMessage() {
    #expect(Fixtures.files(in: "bad").count == Fixtures.expectedBadMessages.count)
    #expect(Fixtures.expectedBadMessages.count > 60)
}

@Test(arguments: Fixtures.expectedBadMessages.keys.sorted())
func badConfigFailsWithAlertmanagersMessage(file: String) throws {
    let expected = try #require(Fixtures.expectedBadMessages[file])
    do {
        let config = try Config.load(file: Fixtures.path("bad/" + file))
        Issue.record("\(file) loaded: \(config.receivers.map(\.name))")
    } catch {
        #expect(error.description == expected, "\(file)")
    }
}

@Test func sharedConfigsLoad() throws {
    let files = Fixtures.files(in: "shared")
    #expect(files.count == 2)
    for file in files {
        let config = try Config.load(file: Fixtures.path("shared/" + file))
        #expect(!config.receivers.isEmpty)
    }
}

@Test func slackURLWithoutSchemeFailsLikeAmtool() {
    let error = #expect(throws: ConfigError.self) {
        try Config.load(file: Fixtures.path("shared/invalid/slack-url-without-scheme.yml"))
    }
    #expect(error?.description == #"unsupported scheme "" for URL"#)
    #expect(error?.diagnostics.first?.path == "receivers[1].slack_configs[0].api_url")
}

@Test func errorsCarryYAMLPathAndLine() {
    do {
        _ = try Config.load(file: Fixtures.path("bad/conf.bad-bad-matcher.yml"))
        Issue.record("loaded")
    } catch {
        #expect(
            error.diagnostics == [
                .init(path: "route.routes[0].matchers[0]", line: 5, message: "bad matcher format: foo")
            ])
    }
}

@Test func unknownKeysAreReportedWithLinesAndPaths() {
    do {
        _ = try Config.load(file: Fixtures.path("bad/conf.bad-unknown-nested-two.yml"))
        Issue.record("loaded")
    } catch {
        #expect(error.diagnostics.map(\.path) == ["route.routes[0].foo", "receivers[0].xyz"])
        #expect(error.diagnostics.map(\.line) == [5, 10])
    }
}

@Test func emptyDocumentHasNoRoute() {
    #expect(throws: ConfigError(message: "no route provided in config")) {
        try Config.parse(yaml: "# nothing\n", baseDirectory: ".")
    }
}

@Test func webhookURLFileIsAcceptedAndResolved() throws {
    let yaml = """
        route: {receiver: a}
        receivers:
          - name: a
            webhook_configs: [{url_file: 'secrets/hook'}]
        """
    let config = try Config.parse(yaml: yaml, baseDirectory: "/etc/am")
    #expect(config.receivers[0].webhookConfigs[0].urlFile == "/etc/am/secrets/hook")
    #expect(config.receivers[0].webhookConfigs[0].url == nil)
}

@Test func msteamsIsAcceptedAsKlaxonExtension() throws {
    let yaml = """
        route: {receiver: a}
        receivers:
          - name: a
            msteams_configs: [{webhook_url: 'https://example.com/hook'}]
        """
    let config = try Config.parse(yaml: yaml, baseDirectory: ".")
    #expect(config.receivers[0].otherConfigs.map(\.integration) == ["msteams"])
    #expect(!config.maskedYAML().contains("example.com"))
}
