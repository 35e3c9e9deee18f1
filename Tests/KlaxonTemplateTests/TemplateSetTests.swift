import Foundation
import Testing

@testable import KlaxonTemplate

struct TemplateSetTests {
    @Test func executeRunsADefinedTemplate() throws {
        let set = try TemplateSet().adding(text: #"{{ define "t" }}<{{ .Receiver }}>{{ end }}"#, name: "a.tmpl")
        #expect(try set.execute(name: "t", data: Fixtures.data().value()) == #"<team-X\.ops>"#)
    }

    @Test func executeOfAnUnknownNameFails() throws {
        #expect(throws: TemplateError.self) { try TemplateSet().execute(name: "nope", data: .null) }
    }

    @Test func laterFilesOverrideEarlierDefines() throws {
        let set = try TemplateSet()
            .adding(text: #"{{ define "x" }}first{{ end }}"#, name: "a.tmpl")
            .adding(text: #"{{ define "x" }}second{{ end }}"#, name: "b.tmpl")
        #expect(try set.execute(name: "x", data: .null) == "second")
    }

    @Test func anEmptyLaterDefineDoesNotOverride() throws {
        let set = try TemplateSet()
            .adding(text: #"{{ define "x" }}first{{ end }}"#, name: "a.tmpl")
            .adding(text: #"{{ define "x" }}  {{ end }}"#, name: "b.tmpl")
        #expect(try set.execute(name: "x", data: .null) == "first")
    }

    @Test func userFilesOverrideDefaultsUsedByOtherDefaults() throws {
        let set = try TemplateSet.defaults().adding(text: #"{{ define "__subject" }}S{{ end }}"#, name: "u.tmpl")
        #expect(try set.execute(name: "slack.default.title", data: Fixtures.data().value()) == "S")
    }

    @Test func globsLoadMatchingFilesAndIgnoreGlobsWithoutMatches() throws {
        let set = try TemplateSet().adding(
            globs: ["extra-*.tmpl", "no-such-*.tmpl", "/nonexistent/dir/*.tmpl"], relativeTo: Fixtures.directory.path)
        #expect(set.names.contains("extra.greeting"))
        #expect(set.names.contains("extra-defines.tmpl"))
        let absolute = try TemplateSet().adding(
            globs: [Fixtures.directory.appendingPathComponent("extra-define?.tmpl").path], relativeTo: "/")
        #expect(absolute.names.contains("extra.greeting"))
    }

    @Test func parseErrorsNameTheFileAndLine() throws {
        do {
            _ = try TemplateSet().adding(text: "a\n{{ if }}", name: "bad.tmpl")
            Issue.record("expected an error")
        } catch let error as TemplateError {
            #expect(error.description == "template: bad.tmpl:2: missing value for if")
        }
    }

    @Test func validateReportsParseErrorsOnly() throws {
        let set = try TemplateSet.defaults()
        try set.validate(text: "{{ .Anything.Goes }}")
        #expect(throws: TemplateError.self) { try set.validate(text: "{{ .Status ") }
        #expect(throws: TemplateError.self) { try set.validate(text: "{{ nosuchfunc }}") }
    }

    @Test func renderSeesDefinesOfTheSetAndOfTheText() throws {
        let set = try TemplateSet.defaults()
        let data = try Fixtures.data().value()
        #expect(try set.render(text: #"{{ template "__alertmanager" . }}"#, data: data) == "Alertmanager")
        let text = #"{{ define "__alertmanager" }}K{{ end }}{{ template "slack.default.username" . }}"#
        #expect(try set.render(text: text, data: data) == "K")
        // The override lives only in that render.
        #expect(try set.render(text: #"{{ template "slack.default.username" . }}"#, data: data) == "Alertmanager")
    }

    @Test func renderReportsExecutionErrorsInGoWording() throws {
        let set = try TemplateSet.defaults()
        do {
            _ = try set.render(text: "x\n  {{ .Foo }}", data: Fixtures.data().value())
            Issue.record("expected an error")
        } catch let error as TemplateError {
            #expect(
                error.description
                    == #"template: :2:5: executing "" at <.Foo>: can't evaluate field Foo in type template.Data"#)
        }
    }

    @Test func renderingIsSafeFromManyTasks() async throws {
        let set = try TemplateSet.defaults()
        let data = try Fixtures.data().value()
        let expected = try set.render(text: #"{{ template "slack.default.fallback" . }}"#, data: data)
        try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<16 {
                group.addTask { try set.render(text: #"{{ template "slack.default.fallback" . }}"#, data: data) }
            }
            for try await output in group { #expect(output == expected) }
        }
    }

    @Test func slackDefaultsForAHundredAlertsRenderFast() throws {
        let set = try TemplateSet.defaults()
        var alerts: [TemplateAlert] = []
        for index in 0..<100 {
            alerts.append(
                TemplateAlert(
                    status: index % 3 == 0 ? "resolved" : "firing",
                    labels: KV(["alertname": "Load", "instance": "host-\(index):9100", "job": "node"]),
                    annotations: KV(["summary": "load is high on host-\(index)", "description": "1m load > 10"]),
                    startsAt: Date(timeIntervalSince1970: 1_790_000_000), endsAt: TemplateTime.goZeroDate,
                    generatorURL: "http://prom/graph?g0.expr=load", fingerprint: String(format: "%016x", index)))
        }
        let data = TemplateData(
            receiver: "slack", status: "firing", alerts: alerts, groupLabels: KV(["alertname": "Load"]),
            commonLabels: KV(["alertname": "Load", "job": "node"]), commonAnnotations: KV(),
            externalURL: "http://am:9093"
        ).value()
        let title = #"{{ template "slack.default.title" . }}"#
        let text =
            #"{{ range .Alerts }}*{{ .Labels.instance }}* {{ .Annotations.summary }}"#
            + #"{{ range .Labels.SortedPairs }} `{{ .Name }}={{ .Value }}`{{ end }}{{ "\n" }}{{ end }}"#
        let list = #"{{ template "__text_alert_list" .Alerts }}"#
        _ = try set.render(text: text, data: data)
        let clock = ContinuousClock()
        let start = clock.now
        do {
            for _ in 0..<20 {
                #expect(try set.render(text: title, data: data) == "[FIRING:66] Load (node)")
                #expect(try set.render(text: text, data: data).split(separator: "\n").count == 100)
                #expect(try set.render(text: list, data: data).hasPrefix("Labels:\n - alertname = Load\n"))
            }
        }
        let elapsed = clock.now - start
        // Debug builds on a shared CI core: generous, but catches re-parsing or quadratic output building.
        #expect(elapsed < .seconds(5))
    }
}

struct RecursionTests {
    @Test func deepRecursionStopsWithAnErrorInsteadOfCrashing() throws {
        let set = try TemplateSet().adding(
            text: #"{{ define "r" }}{{ if . }}{{ template "r" (slice . 1) }}{{ end }}{{ end }}"#, name: "r.tmpl")
        #expect(try set.execute(name: "r", data: .strings(Array(repeating: "x", count: 500))) == "")
        do {
            _ = try set.execute(name: "r", data: .strings(Array(repeating: "x", count: 5000)))
            Issue.record("expected an error")
        } catch let error as TemplateError {
            #expect(error.description.contains("exceeded maximum template depth (1000)"))
        }
    }
}

@Suite struct TemplateGlobPatterns {
    @Test(arguments: ["*.tmpl", "a/[ab].tmpl", "[^x]?", "[a-c]", "\\*", "x]", "[\\]]"])
    func validPatternsAreAccepted(pattern: String) {
        #expect(Glob.isValidPattern(pattern))
    }

    @Test(arguments: ["[", "[.tmpl", "[]", "[a-]", "[-a]", "a\\", "[a", "[^"])
    func malformedPatternsAreRejectedLikeGo(pattern: String) {
        #expect(!Glob.isValidPattern(pattern))
    }

    @Test func malformedGlobFailsTheTemplateLoadLikeAlertmanagers() {
        #expect(throws: TemplateError(message: "syntax error in pattern")) {
            try TemplateSet().adding(globs: ["templates/[.tmpl"], relativeTo: "/")
        }
    }
}
