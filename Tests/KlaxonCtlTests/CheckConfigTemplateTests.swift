import Foundation
import Testing

@testable import KlaxonCtl

/// amtool 0.25's recorded `check-config` runs on configs with template globs (scripts/record-template-render-fixtures.sh).
private let templateFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/template").path

private struct RecordedCheck: Decodable, CustomTestStringConvertible, Sendable {
    var file: String
    var stdout: String
    var stderr: String
    var exitCode: Int32

    var testDescription: String { file }
}

private let recordedChecks: [RecordedCheck] = {
    let url = URL(fileURLWithPath: templateFixtures).appendingPathComponent("check-config-recorded.json")
    guard let data = try? Data(contentsOf: url),
        let cases = try? JSONDecoder().decode([RecordedCheck].self, from: data)
    else { return [] }
    return cases
}()

@Suite struct CheckConfigValidatesTemplates {
    @Test func recordingsCoverGoodAndBrokenTemplates() {
        #expect(recordedChecks.contains { $0.exitCode == 0 })
        #expect(recordedChecks.contains { $0.exitCode != 0 })
    }

    /// Run with an absolute path (no change of working directory), then compared with amtool's run on the relative
    /// one: the globs resolve against the config file's folder either way.
    @Test(arguments: recordedChecks)
    fileprivate func checksTemplatesLikeAmtool(_ recorded: RecordedCheck) {
        let absolute = templateFixtures + "/" + recorded.file
        var output = CheckConfigCommand.check(files: [absolute])
        output.stdout = output.stdout.replacingOccurrences(of: absolute, with: recorded.file)
        #expect(
            output
                == CommandOutput(
                    stdout: recorded.stdout,
                    stderr: recorded.stderr.replacingOccurrences(of: "amtool: error: ", with: "klaxonctl: error: "),
                    exitCode: recorded.exitCode))
    }

    @Test func brokenTemplateFailsTheFileWithTheParseError() {
        let output = CheckConfigCommand.check(files: [templateFixtures + "/check-config/conf.bad-template-syntax.yml"])
        #expect(output.stdout.hasSuffix(" - 2 templates\n  FAILED: template: unclosed.tmpl:2: unexpected EOF\n\n"))
        #expect(output.exitCode == 1)
    }
}
