import Foundation
import KlaxonTestSupport
import Testing

/// A regex Go 1.19 refuses is refused with Go's own words wherever a user writes one: a silence posted to the API
/// (Alertmanager 0.25 answers 400 with the error of the pattern alone) and a route or inhibition matcher in the
/// configuration (`amtool check-config` prints the error of `^(?:pattern)$`). Compared with the real programs.
@Suite struct RegexErrorLive {
    /// Patterns whose errors differ in kind: Go 1.22's named group that Go 1.19 refuses, a reversed range, too many
    /// repetitions, a back-reference, a nested repetition, an unclosed flag group, and `a)(b`, which compiles only
    /// inside a matcher's anchoring.
    static let patterns = [#"(?<name>a)"#, "[z-a]", "a{1001}", #"\8"#, "x**", "(?i", "a)(b"]

    static func silenceBody(_ pattern: String) -> String {
        let value = pattern.replacingOccurrences(of: "\\", with: "\\\\")
        return #"{"matchers":[{"name":"a","value":""# + value + #"","isRegex":true}],"#
            + #""startsAt":"2026-01-01T00:00:00Z","endsAt":"2030-01-01T00:00:00Z","createdBy":"x","comment":"c"}"#
    }

    func answers(_ server: LiveServer) throws -> [String] {
        try Self.patterns.map { pattern in
            let reply = try curl(
                "\(server.url)/api/v2/silences",
                ["-X", "POST", "-H", "Content-Type: application/json", "--data-binary", Self.silenceBody(pattern)])
            return "\(pattern): \(reply.status) \(reply.body)"
        }
    }

    @Test(
        .enabled(if: Binaries.alertmanager != nil, "needs Alertmanager 0.25 (apt-get install prometheus-alertmanager)"))
    func aSilenceWithABadRegexIsRefusedInAlertmanagersWords() throws {
        let alertmanager = try #require(try LiveServer.alertmanager())
        let expected = try answers(alertmanager)
        alertmanager.stop()
        let klaxon = try LiveServer.klaxon()
        defer { klaxon.stop() }
        let actual = try answers(klaxon)
        #expect(expected.count == Self.patterns.count)
        for (want, got) in zip(expected, actual) {
            #expect(want.contains(" 400 "), "\(want)")
            #expect(got == want)
        }
    }

    /// `silence add` with a bad regex as its second matcher (a first one that does not parse is taken as an alert
    /// name, by amtool and klaxonctl alike): refused on the command line with Go's error of `^(?:pattern)$`, or, for
    /// `a)(b`, which compiles only anchored, by the server.
    func commandLineAnswers(_ server: LiveServer, tool: URL) throws -> [String] {
        try Self.patterns.map { pattern in
            let result = try runProcess(
                tool,
                ["--alertmanager.url=\(server.url)", "silence", "add", "-c", "x", "-a", "me", "b=c", "a=~\(pattern)"])
            let stderr = result.stderr.replacingOccurrences(of: "klaxonctl:", with: "amtool:")
            return "\(pattern): \(result.exitCode) \(stderr)"
        }
    }

    @Test(
        .enabled(
            if: Binaries.alertmanager != nil && Binaries.amtool != nil,
            "needs Alertmanager 0.25 and amtool (apt-get install prometheus-alertmanager)"))
    func aBadRegexOnTheCommandLineIsExplainedAsAmtoolExplainsIt() throws {
        let alertmanager = try #require(try LiveServer.alertmanager())
        let expected = try commandLineAnswers(alertmanager, tool: try #require(Binaries.amtool))
        alertmanager.stop()
        let klaxon = try LiveServer.klaxon()
        defer { klaxon.stop() }
        let actual = try commandLineAnswers(klaxon, tool: Binaries.klaxonctl)
        #expect(expected.count == Self.patterns.count)
        for (want, got) in zip(expected, actual) {
            #expect(want.contains("error parsing regexp: "), "\(want)")
            #expect(got == want)
        }
    }

    /// Route `match_re`, route `matchers` and inhibition `source_match_re`, each with a pattern Go refuses.
    static let configs = [
        """
        route:
          receiver: default
          routes:
            - receiver: default
              match_re:
                service: '(?<name>a)'
        receivers:
          - name: default
        """,
        """
        route:
          receiver: default
          routes:
            - receiver: default
              matchers:
                - 'service=~"[z-a]"'
        receivers:
          - name: default
        """,
        """
        route:
          receiver: default
        inhibit_rules:
          - source_match_re:
              a: 'x{2}{3}'
            target_match:
              b: c
        receivers:
          - name: default
        """,
        """
        route:
          receiver: default
          routes:
            - receiver: default
              match_re:
                service: '(a'
        receivers:
          - name: default
        """,
    ]

    @Test(.enabled(if: Binaries.amtool != nil, "needs amtool 0.25 (apt-get install prometheus-alertmanager)"))
    func aConfigWithABadRegexMatcherIsRefusedInAmtoolsWords() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("klaxon-regex-config-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (index, config) in Self.configs.enumerated() {
            let file = folder.appendingPathComponent("conf.bad-regex-\(index).yml")
            try Data(config.utf8).write(to: file)
            let theirs = try runProcess(try #require(Binaries.amtool), ["check-config", file.path])
            let ours = try runProcess(Binaries.klaxonctl, ["check-config", file.path])
            #expect(theirs.stdout.contains("FAILED: error parsing regexp: "), "\(theirs)")
            #expect(ours.exitCode == theirs.exitCode)
            #expect(ours.stdout == theirs.stdout)
            #expect(ours.stderr.replacingOccurrences(of: "klaxonctl:", with: "amtool:") == theirs.stderr)
        }
    }
}
