import Foundation
import Testing

@testable import KlaxonCtl

/// Config fixtures live in the KlaxonConfigTests fixture folder; paths are relative to it, as amtool was run there.
private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../KlaxonConfigTests/Fixtures").standardized.path

private func inFixtures<T>(_ body: () -> T) -> T {
    let previous = FileManager.default.currentDirectoryPath
    _ = FileManager.default.changeCurrentDirectoryPath(fixtures)
    defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
    return body()
}

private let warning = "Warning: --config.file flag overrides the --alertmanager.url.\n"

@Suite(.serialized) struct AmtoolGoldenOutput {
    @Test func checkConfigReportsWhatItFound() {
        let output = inFixtures { CheckConfigCommand.check(files: ["shared/tenant-routing.yml"]) }
        #expect(
            output
                == CommandOutput(
                    stdout: """
                        Checking 'shared/tenant-routing.yml'  SUCCESS
                        Found:
                         - global config
                         - route
                         - 2 inhibit rules
                         - 5 receivers
                         - 1 templates
                          SUCCESS


                        """))
    }

    @Test func checkConfigFailsLikeAmtool() {
        let output = inFixtures {
            CheckConfigCommand.check(files: ["shared/severity-routing.yml", "bad/conf.bad-duplicate-receiver.yml"])
        }
        #expect(
            output.stdout == """
                Checking 'shared/severity-routing.yml'  SUCCESS
                Found:
                 - global config
                 - route
                 - 0 inhibit rules
                 - 3 receivers
                 - 0 templates

                Checking 'bad/conf.bad-duplicate-receiver.yml'  FAILED: notification config name "web" is not unique


                """)
        #expect(output.stderr == "klaxonctl: error: failed to validate 1 file(s)\n\n")
        #expect(output.exitCode == 1)
    }

    @Test func checkConfigFailsTheSlackURLWithoutScheme() {
        let output = inFixtures { CheckConfigCommand.check(files: ["shared/invalid/slack-url-without-scheme.yml"]) }
        #expect(
            output.stdout
                == "Checking 'shared/invalid/slack-url-without-scheme.yml'  FAILED: unsupported scheme \"\" for URL\n\n"
        )
        #expect(output.exitCode == 1)
    }

    @Test func checkConfigRejectsMissingFiles() {
        let output = inFixtures { CheckConfigCommand.check(files: ["nope.yml"]) }
        #expect(output == CommandOutput(stderr: "klaxonctl: error: path 'nope.yml' does not exist\n\n", exitCode: 1))
    }

    @Test func checkConfigReportsTemplateFailures() {
        let output = inFixtures {
            CheckConfigCommand.check(files: ["shared/tenant-routing.yml"], templateValidator: { _ in "bad template" })
        }
        #expect(output.stdout.hasSuffix(" - 1 templates\n  FAILED: bad template\n\n"))
        #expect(output.exitCode == 1)
    }

    /// Recorded with `amtool config routes test --config.file=shared/tenant-routing.yml LABELS`.
    @Test(arguments: [
        (["tenant_id=finance-team", "severity=warning"], "finance-slack"),
        (["tenant_id=finance-team", "severity=critical"], "finance-slack,pagerduty"),
        (["tenant_id=marketing-team"], "marketing-slack"),
        (["severity=critical"], "pagerduty"),
        (["alertname=Foo"], "default"),
        (["tenant_id=operations-team", "severity=critical"], "operations-slack,pagerduty"),
        ([], "default"),
    ])
    func routesTestMatchesAmtool(labels: [String], receivers: String) {
        let output = inFixtures { RoutesTestCommand.test(configFile: "shared/tenant-routing.yml", labels: labels) }
        #expect(output == CommandOutput(stdout: receivers + "\n", stderr: warning))
    }

    @Test func routesTestVerifiesReceivers() {
        let labels = ["tenant_id=finance-team", "severity=critical"]
        let bad = inFixtures {
            RoutesTestCommand.test(
                configFile: "shared/tenant-routing.yml", labels: labels, verifyReceivers: "pagerduty")
        }
        #expect(
            bad
                == CommandOutput(
                    stdout: "finance-slack,pagerduty\nWARNING: Expected receivers did not match resolved receivers.\n",
                    stderr: warning, exitCode: 1))
        let good = inFixtures {
            RoutesTestCommand.test(
                configFile: "shared/tenant-routing.yml", labels: labels, verifyReceivers: "finance-slack,pagerduty")
        }
        #expect(good.exitCode == 0)
    }

    @Test func routesTestPrintsTheMatchingTree() {
        let output = inFixtures {
            RoutesTestCommand.test(
                configFile: "shared/tenant-routing.yml", labels: ["tenant_id=finance-team", "severity=critical"],
                tree: true)
        }
        #expect(
            output.stdout == """
                Matching routes:
                .
                └── default-route
                    ├── {tenant_id="finance-team"}  receiver: finance-slack
                    └── {severity="critical"}  receiver: pagerduty


                finance-slack,pagerduty

                """)
        let rootOnly = inFixtures {
            RoutesTestCommand.test(configFile: "shared/tenant-routing.yml", labels: ["alertname=x"], tree: true)
        }
        #expect(rootOnly.stdout == "Matching routes:\n.\n└── default-route  receiver: default\n\n\ndefault\n")
    }

    @Test func routesTestRejectsBadLabels() {
        let bad = inFixtures { RoutesTestCommand.test(configFile: "shared/tenant-routing.yml", labels: ["foo"]) }
        #expect(
            bad
                == CommandOutput(
                    stderr: warning + "klaxonctl: error: Failed to parse labels: bad matcher format: foo\n\n",
                    exitCode: 1))
        let regex = inFixtures { RoutesTestCommand.test(configFile: "shared/tenant-routing.yml", labels: ["a=~b"]) }
        #expect(
            regex.stderr
                == warning + "klaxonctl: error: Failed to parse labels: labels must be specified as key=value pairs\n\n"
        )
    }

    @Test func routesCommandsReportConfigErrors() {
        let test = inFixtures { RoutesTestCommand.test(configFile: "bad/conf.bad-duplicate-receiver.yml", labels: []) }
        #expect(test.stderr == warning + "klaxonctl: error: notification config name \"web\" is not unique\n\n")
        let show = inFixtures { RoutesShowCommand.show(configFile: "bad/conf.bad-duplicate-receiver.yml") }
        #expect(show.stderr == warning + "klaxonctl: error: notification config name \"web\" is not unique\n")
        #expect(show.exitCode == 1)
    }

    @Test func routesShowPrintsAmtoolsTree() {
        let tenant = inFixtures { RoutesShowCommand.show(configFile: "shared/tenant-routing.yml") }
        #expect(
            tenant.stdout == """
                Routing tree:
                .
                └── default-route  receiver: default
                    ├── {tenant_id="finance-team"}  continue: true  receiver: finance-slack
                    ├── {tenant_id="marketing-team"}  continue: true  receiver: marketing-slack
                    ├── {tenant_id="operations-team"}  continue: true  receiver: operations-slack
                    └── {severity="critical"}  receiver: pagerduty


                """)
        let rich = inFixtures { RoutesShowCommand.show(configFile: "good/conf.good-rich.yml") }
        #expect(
            rich.stdout == """
                Routing tree:
                .
                └── default-route  receiver: web
                    ├── {sev=~"crit|warn",team="slack"}  continue: true  receiver: slack
                    ├── {service=~"^(?:a|b)$",team="pd"}  receiver: pd
                    └── default-route  receiver: mail


                """)
    }

    @Test func commandLineParsesAmtoolFlags() throws {
        let command = try KlaxonCtl.parseAsRoot([
            "config", "routes", "test", "--config.file=x.yml", "--verify.receivers", "a,b", "--tree", "-o", "json",
            "a=b",
        ])
        let test = try #require(command as? RoutesTestCommand)
        #expect(test.options.configFile == "x.yml")
        #expect(test.verifyReceivers == "a,b")
        #expect(test.tree)
        #expect(test.global.output == .json)
        #expect(test.labels == ["a=b"])
        let show = try KlaxonCtl.parseAsRoot(["config", "routes", "--config.file", "x.yml"])
        #expect(show is RoutesShowCommand)
    }
}
