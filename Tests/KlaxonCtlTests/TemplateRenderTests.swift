import Foundation
import KlaxonTestSupport
import Testing

@testable import KlaxonCtl

/// amtool 0.25's recorded `template render` outputs (scripts/record-template-render-fixtures.sh).
private let templateFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/template").path

private struct RecordedRender: Decodable, CustomTestStringConvertible, Sendable {
    var name: String
    var args: [String]
    var stdout: String
    var stderr: String
    var exitCode: Int32
    var withoutDefaultGlob: Bool?

    var testDescription: String { name }

    /// amtool's output with klaxonctl's program name in kingpin-style errors.
    var expected: CommandOutput {
        CommandOutput(
            stdout: stdout,
            stderr: stderr.replacingOccurrences(of: "amtool: error: ", with: "\(KlaxonCtl.programName): error: "),
            exitCode: exitCode)
    }
}

private let recordedRenders: [RecordedRender] = {
    let url = URL(fileURLWithPath: templateFixtures).appendingPathComponent("render-recorded.json")
    guard let data = try? Data(contentsOf: url),
        let cases = try? JSONDecoder().decode([RecordedRender].self, from: data)
    else { return [] }
    return cases
}()

/// Klaxon's own default.tmpl, given first as Debian's default.tmpl was given to amtool (klaxonctl has the same
/// templates built in; loading them twice must change nothing).
private let defaultTemplateFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../templates/default.tmpl").standardized.path

/// Runs `klaxonctl template render ARGS` from the fixture folder, as amtool was run.
private func render(_ args: [String], now: Date = Date()) throws -> CommandOutput {
    try TemplateRenderCommand.parse(args).output(directory: templateFixtures, now: now)
}

@Suite struct TemplateRenderMatchesAmtool {
    @Test func recordingsAreThere() {
        #expect(recordedRenders.count >= 40)
    }

    @Test(arguments: recordedRenders)
    fileprivate func rendersLikeAmtoolWithDefaultTemplates(_ recorded: RecordedRender) throws {
        let defaultGlob = recorded.withoutDefaultGlob == true ? [] : ["--template.glob=\(defaultTemplateFile)"]
        let args = defaultGlob + recorded.args
        #expect(try render(args) == recorded.expected)
    }
}

@Suite struct TemplateRenderKlaxonBehaviour {
    @Test func defaultTemplatesNeedNoGlobFile() throws {
        // A glob that matches nothing still satisfies the required flag; the defaults are built in.
        let output = try render(["--template.glob=nothing/*", #"--template.text={{ template "__subject" . }}"#])
        #expect(output == CommandOutput(stdout: "[ALERTSTATUS] grouplabelvalue1 grouplabelvalue2 "))
    }

    @Test func missingGlobIsReportedBeforeMissingText() throws {
        // amtool picks one of the two at random (Go map order); klaxonctl always names the glob.
        #expect(
            try render([])
                == CommandOutput(
                    stderr: "klaxonctl: error: required flag --template.glob not provided\n\n", exitCode: 1))
    }

    @Test func sampleDataTimesFollowTheClock() throws {
        let now = Date(timeIntervalSince1970: 1_764_590_400)  // 2025-12-01T12:00:00Z
        let output = try render(
            ["--template.glob=nothing", "--template.text={{ range .Alerts }}{{ .StartsAt }}|{{ .EndsAt }};{{ end }}"],
            now: now)
        #expect(
            output.stdout
                == "2025-12-01 11:55:00 +0000 UTC|2025-12-01 12:00:00 +0000 UTC;"
                + "2025-12-01 11:50:00 +0000 UTC|2025-12-01 12:00:00 +0000 UTC;")
    }
}

/// Foundation's `NSRegularExpression` kept the UTF-16 copy of every pattern longer than 256 units that it compiled,
/// so a template whose `match` or `reReplaceAll` pattern was built from label values grew klaxon's memory by twice
/// each pattern's length, for good (found by fuzzing). Measured on `klaxonctl template render` in a process of its
/// own (the peak RSS of a child, read by python3): 1,200 rounds of two distinct 4,000-character patterns must not
/// cost more than 200 rounds do. With the leak the difference was 2,000 x 8 KB, 16 MB.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "needs python3"))
struct TemplateRegexMemory {
    /// The peak RSS (KiB) of `klaxonctl template render` running `outer` x 40 rounds of two distinct long patterns.
    private func peakRSS(outer: Int) throws -> Int {
        let long = String(repeating: "a", count: 4_000)
        let list = { (count: Int) in (0..<count).map { "\"\($0)\"" }.joined(separator: " ") }
        let text =
            "{{ $long := \"\(long)\" }}{{ range $i := stringSlice \(list(outer)) }}"
            + "{{ range $j := stringSlice \(list(40)) }}"
            + "{{ if match (printf \"%s%s-%s\" $long $i $j) \"x\" }}!{{ end }}"
            + "{{ reReplaceAll (printf \"(b)%s%s\" $i $long) \"$1\" $j }}{{ end }}{{ end }}ok"
        let script = """
            import resource, subprocess, sys
            done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE)
            assert done.returncode == 0 and done.stdout.rstrip().endswith(b"ok"), done
            print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
            """
        let result = try runProcess(
            URL(fileURLWithPath: "/usr/bin/python3"),
            [
                "-c", script, Binaries.klaxonctl.path, "template", "render", "--template.glob=nothing",
                "--template.text=\(text)",
            ], timeout: .seconds(300))
        #expect(result.exitCode == 0, "\(result)")
        return Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    /// Waits for the child on a thread of its own: the two renders take seconds each, and a test that blocks one of
    /// a two-core runner's cooperative threads that long delays the timing tests beside it.
    private func peakRSSOffThePool(outer: Int) async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try peakRSS(outer: outer) }) }
        }
    }

    @Test func longTemplatePatternsDoNotGrowMemory() async throws {
        let few = try await peakRSSOffThePool(outer: 5)
        let many = try await peakRSSOffThePool(outer: 30)
        #expect(few > 0 && many > 0)
        #expect(many - few < 6 * 1024, "peak RSS \(few) KiB for 200 rounds, \(many) KiB for 1,200")
    }
}

@Suite struct TemplateDataDecodesLikeGo {
    private func decodeError(_ json: String) -> String? {
        do {
            _ = try TemplateDataJSON.decode(Array(json.utf8))
            return nil
        } catch {
            return error.description
        }
    }

    @Test(arguments: [
        ("", "unexpected end of JSON input"),
        ("{\"a\" 1}", "invalid character '1' after object key"),
        ("{1}", "invalid character '1' looking for beginning of object key string"),
        ("[1 2]", "invalid character '2' after array element"),
        ("{} x", "invalid character 'x' after top-level value"),
        ("tru", "unexpected end of JSON input"),
        ("nul!", "invalid character '!' in literal null (expecting 'l')"),
        ("-x", "invalid character 'x' in numeric literal"),
        ("\"\\q\"", "invalid character 'q' in string escape code"),
        ("\"a\tb\"", "invalid character '\\t' in string literal"),
        ("\u{FEFF}{}", "invalid character 'ï' looking for beginning of value"),
        ("{\"a\":\u{1}}", "invalid character '\\x01' looking for beginning of value"),
        ("\"s\"", "json: cannot unmarshal string into Go value of type template.Data"),
        ("{\"alerts\": {}}", "json: cannot unmarshal object into Go struct field Data.alerts of type template.Alerts"),
        (
            "{\"alerts\": [{\"endsAt\": 5}]}",
            #"parsing time "5" as "\"2006-01-02T15:04:05Z07:00\"": cannot parse "5" as "\"""#
        ),
        (
            "{\"alerts\": [{\"endsAt\": \"2026-13-01T00:00:00Z\"}]}",
            #"parsing time "\"2026-13-01T00:00:00Z\"": month out of range"#
        ),
    ])
    func syntaxAndTypeErrorsReadLikeGo(json: String, message: String) {
        #expect(decodeError(json) == message)
    }

    @Test func keysMatchCaseInsensitivelyAndOffsetsKeepTheInstant() throws {
        let data = try TemplateDataJSON.decode(
            Array(#"{"RECEIVER": "r", "alerts": [{"startsAt": "2026-11-30T12:00:00+02:00"}], "x": [1]}"#.utf8))
        #expect(data.receiver == "r")
        #expect(data.alerts.first?.startsAt == Date(timeIntervalSince1970: 1_796_032_800))
    }
}
