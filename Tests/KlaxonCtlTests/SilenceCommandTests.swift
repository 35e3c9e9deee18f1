import Foundation
import KlaxonAPIModels
import KlaxonCore
import Testing

@testable import KlaxonCtl

/// An API double that records what the commands send and answers from a list it holds.
actor RecordingAPI: SilenceAPI, AlertAPI, StatusAPI {
    var silenceList: [GettableSilence] = []
    var alertList: [GettableAlert] = []
    var statusValue = AlertmanagerStatus(configYAML: "route:\n  receiver: x\n", uptime: Date(timeIntervalSince1970: 0))
    private(set) var posted: [PostableSilence] = []
    private(set) var expired: [String] = []
    private(set) var filters: [[String]] = []
    private(set) var alertQueries: [AlertQuery] = []
    private(set) var postedAlerts: [PostableAlert] = []
    /// IDs whose POST answers 404 (unknown silence to update).
    var unknownIDs: Set<String> = []
    /// Comments whose POST answers 400.
    var rejectedComments: Set<String> = []
    private var counter = 0

    init(silences: [GettableSilence] = [], alerts: [GettableAlert] = []) {
        silenceList = silences
        alertList = alerts
    }

    func setUnknown(_ ids: Set<String>) { unknownIDs = ids }
    func setRejected(_ comments: Set<String>) { rejectedComments = comments }

    func silences(filter: [String]) async throws -> [GettableSilence] {
        filters.append(filter)
        return silenceList
    }

    func postSilence(_ silence: PostableSilence) async throws -> String {
        if rejectedComments.contains(silence.comment) {
            throw APIClientError.status(400, endpoint: .postSilences, body: Array("\"rejected\"".utf8))
        }
        if unknownIDs.contains(silence.id) {
            throw APIClientError.status(404, endpoint: .postSilences, body: Array("\"silence not found\"".utf8))
        }
        posted.append(silence)
        counter += 1
        return silence.id.isEmpty ? "new-\(counter)" : silence.id
    }

    func expireSilence(id: String) async throws {
        guard silenceList.contains(where: { $0.id == id }) else {
            throw APIClientError.status(500, endpoint: .deleteSilence, body: Array("\"silence not found\"".utf8))
        }
        expired.append(id)
    }

    func alerts(_ query: AlertQuery) async throws -> [GettableAlert] {
        alertQueries.append(query)
        return alertList
    }

    func postAlerts(_ alerts: [PostableAlert]) async throws { postedAlerts += alerts }

    func status() async throws -> AlertmanagerStatus { statusValue }
}

let testNow = Date(timeIntervalSince1970: 1_796_083_200)  // 2026-12-01T00:00:00Z

func silence(
    _ id: String, ends hours: Double, starts startHours: Double = -1, by author: String = "me", comment: String = "c",
    matchers: [SilenceMatcherSpec] = [SilenceMatcherSpec(name: "alertname", value: "x")]
) -> GettableSilence {
    GettableSilence(
        id: id, state: hours < 0 ? .expired : startHours > 0 ? .pending : .active,
        startsAt: testNow + startHours * 3600, endsAt: testNow + hours * 3600, updatedAt: testNow - 7200,
        createdBy: author, comment: comment, matchers: matchers)
}

@Suite struct SilenceAdd {
    private let options = SilenceAddCommand.Options(author: "alice", comment: "why")

    @Test func addPrintsTheNewIDAndPostsAnHourFromNow() async {
        let api = RecordingAPI()
        let output = await SilenceAddCommand.add(
            api: api, matchers: ["foo", "sev=crit"], options: options, now: testNow)
        #expect(output == CommandOutput(stdout: "new-1\n"))
        #expect(
            await api.posted == [
                PostableSilence(
                    matchers: [
                        SilenceMatcherSpec(name: "alertname", value: "foo"),
                        SilenceMatcherSpec(name: "sev", value: "crit"),
                    ],
                    startsAt: testNow, endsAt: testNow + 3600, createdBy: "alice", comment: "why")
            ])
    }

    @Test func durationCountsFromStartAndEndOverridesIt() throws {
        var options = options
        options.start = "2030-01-01T00:00:00+02:00"
        options.duration = "1d2h"
        let fromStart = try SilenceAddCommand.silence(matchers: ["a=b"], options: options, now: testNow)
        #expect(fromStart.startsAt == Date(timeIntervalSince1970: 1_893_448_800))
        #expect(fromStart.endsAt == fromStart.startsAt + 26 * 3600)
        options.end = "2030-02-01T00:00:00Z"
        options.duration = "not a duration"
        let withEnd = try SilenceAddCommand.silence(matchers: ["a=b"], options: options, now: testNow)
        #expect(withEnd.endsAt == Date(timeIntervalSince1970: 1_896_134_400))
    }

    @Test(arguments: [
        (SilenceAddCommand.Options(author: "a", comment: ""), ["a=b"], "comment required by config"),
        (SilenceAddCommand.Options(author: "a", comment: "c"), [], "no matchers specified"),
        (
            SilenceAddCommand.Options(author: "a", duration: "0s", comment: "c"), ["a=b"],
            "silence duration must be greater than 0"
        ),
        (
            SilenceAddCommand.Options(author: "a", duration: "1x", comment: ""), ["a=b"],
            "not a valid duration string: \"1x\""
        ),
        (
            SilenceAddCommand.Options(author: "a", end: "2020-01-01T00:00:00Z", comment: "c"), ["a=b"],
            "silence cannot start after it ends"
        ),
        (SilenceAddCommand.Options(author: "a", comment: "c"), ["a=b", "b"], "bad matcher format: b"),
    ])
    func invalidSilencesFailLikeAmtool(options: SilenceAddCommand.Options, matchers: [String], message: String) async {
        let api = RecordingAPI()
        let output = await SilenceAddCommand.add(api: api, matchers: matchers, options: options, now: testNow)
        #expect(output == CommandOutput(stderr: "klaxonctl: error: \(message)\n\n", exitCode: 1))
        #expect(await api.posted.isEmpty)
    }

    @Test func requireCommentFalseAllowsAnEmptyComment() async {
        let api = RecordingAPI()
        let options = SilenceAddCommand.Options(author: "a", requireComment: false)
        let output = await SilenceAddCommand.add(api: api, matchers: ["a=b"], options: options, now: testNow)
        #expect(output.exitCode == 0)
        #expect(await api.posted.first?.comment == "")
    }

    @Test func serverRejectionIsShownWithItsMessage() async {
        let api = RecordingAPI()
        await api.setRejected(["why"])
        let output = await SilenceAddCommand.add(api: api, matchers: ["a=b"], options: options, now: testNow)
        #expect(
            output.stderr == "klaxonctl: error: [POST /silences][400] postSilencesBadRequest  rejected\n\n")
        #expect(output.exitCode == 1)
    }

    @Test func flagsWinOverTheConfigFileWhichWinsOverDefaults() throws {
        var command = try SilenceAddCommand.parse(["-c", "flag comment", "a=b"])
        command.global.configFile = ConfigFile(values: [
            "author": "file-author", "comment": "file comment", "require-comment": "false", "duration": "2h",
        ])
        #expect(
            command.options
                == SilenceAddCommand.Options(
                    author: "file-author", requireComment: false, duration: "2h", comment: "flag comment"))
        command = try SilenceAddCommand.parse(["--require-comment", "-a", "flag-author", "-d", "3h", "a=b"])
        command.global.configFile = ConfigFile(values: ["author": "file-author", "comment_required": "false"])
        #expect(command.options.author == "flag-author")
        #expect(command.options.requireComment)
        #expect(command.options.duration == "3h")
        command.global.configFile = ConfigFile()
        let defaults = try SilenceAddCommand.parse(["a=b"])
        #expect(defaults.options.author == currentUserName())
        #expect(defaults.options.requireComment)
        #expect(defaults.options.duration == "1h")
    }
}

@Suite struct SilenceQuery {
    private let all = [
        silence("active-late", ends: 5, by: "bob"), silence("active-soon", ends: 0.5), silence("old", ends: -10),
        silence("recent", ends: -0.5), silence("pending", ends: 30, starts: 20),
    ]
    private let simple = Formatter(format: .simple)

    private func ids(_ options: SilenceQueryCommand.Options, matchers: [String] = []) async -> (String, [[String]]) {
        let api = RecordingAPI(silences: all)
        var quiet = options
        quiet.quiet = true
        let output = await SilenceQueryCommand.query(
            api: api, matchers: matchers, options: quiet, formatter: simple, now: testNow)
        return (output.stdout, await api.filters)
    }

    @Test func defaultShowsUnexpiredSilencesAndSendsMatchersAsFilters() async {
        let (out, filters) = await ids(.init(), matchers: ["foo", "a=~b"])
        #expect(out == "active-late\nactive-soon\npending\n")
        #expect(filters == [["alertname=foo", "a=~b"]])
    }

    @Test func expiredWithinAndCreatedByFilterOnTheClient() async {
        #expect(await ids(.init(expired: true)).0 == "old\nrecent\n")
        #expect(await ids(.init(expired: true, within: "1h")).0 == "recent\n")
        #expect(await ids(.init(within: "1h")).0 == "active-soon\n")
        #expect(await ids(.init(createdBy: "bob")).0 == "active-late\n")
        #expect(await ids(.init(id: "pending")).0 == "pending\n")
    }

    @Test func badWithinIsWordedLikeGo() async {
        let api = RecordingAPI(silences: all)
        let output = await SilenceQueryCommand.query(
            api: api, matchers: [], options: .init(within: "1d"), formatter: simple, now: testNow)
        #expect(output.stderr == "klaxonctl: error: time: unknown unit \"d\" in duration \"1d\"\n\n")
        #expect(output.exitCode == 1)
    }

    @Test func simpleTableIsSortedByEndAndAlignedLikeTabwriter() async {
        let api = RecordingAPI(silences: [
            silence("b-id", ends: 5, comment: "later"),
            silence(
                "a-id", ends: 1, comment: "sooner",
                matchers: [
                    SilenceMatcherSpec(name: "alertname", value: "x"),
                    SilenceMatcherSpec(name: "job", value: "a.*", isRegex: true),
                ]),
        ])
        let output = await SilenceQueryCommand.query(
            api: api, matchers: [], options: .init(), formatter: simple, now: testNow)
        #expect(
            output.stdout
                == [
                    "ID    Matchers                  Ends At                  Created By  Comment  ",
                    "a-id  alertname=\"x\" job=~\"a.*\"  2026-12-01 01:00:00 UTC  me          sooner   ",
                    "b-id  alertname=\"x\"             2026-12-01 05:00:00 UTC  me          later    ", "",
                ].joined(separator: "\n"))
    }

    @Test func extendedTableAddsStartAndUpdateTimesAndBracesMatchers() async {
        let api = RecordingAPI(silences: [silence("id", ends: 1)])
        let output = await SilenceQueryCommand.query(
            api: api, matchers: [], options: .init(), formatter: Formatter(format: .extended), now: testNow)
        #expect(
            output.stdout
                == [
                    "ID  Matchers         Starts At                Ends At                  Updated At               "
                        + "Created By  Comment  ",
                    "id  {alertname=\"x\"}  2026-11-30 23:00:00 UTC  2026-12-01 01:00:00 UTC  2026-11-30 22:00:00 UTC  "
                        + "me          c        ", "",
                ].joined(separator: "\n"))
    }

    @Test func dateFormatFlagChangesTableDates() async {
        let api = RecordingAPI(silences: [silence("id", ends: 1)])
        let output = await SilenceQueryCommand.query(
            api: api, matchers: [], options: .init(), formatter: Formatter(format: .simple, dateFormat: "Jan 2 15:04"),
            now: testNow)
        #expect(output.stdout.contains("Dec 1 01:00  me"))
    }

    @Test func jsonIsTheServersListInItsOrder() async {
        let list = [silence("b", ends: 5), silence("a", ends: 1)]
        let api = RecordingAPI(silences: list)
        let output = await SilenceQueryCommand.query(
            api: api, matchers: [], options: .init(), formatter: Formatter(format: .json), now: testNow)
        #expect(output.stdout == list.json + "\n")
        #expect(output.stdout.hasPrefix("[{\"id\":\"b\""))
    }

    @Test func emptyListPrintsTheHeaderOnly() async {
        let output = await SilenceQueryCommand.query(
            api: RecordingAPI(), matchers: [], options: .init(), formatter: simple, now: testNow)
        #expect(output.stdout == "ID  Matchers  Ends At  Created By  Comment  \n")
    }
}

@Suite struct SilenceUpdateExpireImport {
    @Test func updateKeepsTheIDAndChangesOnlyWhatWasGiven() async {
        let api = RecordingAPI(silences: [silence("s1", ends: 5, comment: "old")])
        let output = await SilenceUpdateCommand.update(
            api: api, ids: ["s1"], options: .init(quiet: true, duration: "2h", comment: "new"),
            formatter: Formatter(format: .simple))
        #expect(output == CommandOutput(stdout: "s1\n"))
        let posted = await api.posted
        #expect(posted.map(\.id) == ["s1"])
        #expect(posted.first?.comment == "new")
        #expect(posted.first?.startsAt == testNow - 3600)
        #expect(posted.first?.endsAt == testNow + 3600)
    }

    @Test func updateWithoutIDsAndOfUnknownSilencesFails() async {
        let api = RecordingAPI(silences: [silence("s1", ends: 5)])
        let none = await SilenceUpdateCommand.update(
            api: api, ids: [], options: .init(), formatter: Formatter(format: .simple))
        #expect(none.stderr == "klaxonctl: error: no silence IDs specified\n\n")
        let unknown = await SilenceUpdateCommand.update(
            api: api, ids: ["nope"], options: .init(), formatter: Formatter(format: .simple))
        #expect(unknown.stderr == "klaxonctl: error: [GET /silence/{silenceID}][404] getSilenceNotFound \n\n")
        #expect(unknown.exitCode == 1)
        let backwards = await SilenceUpdateCommand.update(
            api: api, ids: ["s1"], options: .init(end: "2020-01-01T00:00:00Z"), formatter: Formatter(format: .simple))
        #expect(backwards.stderr == "klaxonctl: error: silence cannot start after it ends\n\n")
        #expect(await api.posted.isEmpty)
    }

    @Test func expireDeletesEachIDAndStopsAtTheFirstError() async {
        let api = RecordingAPI(silences: [silence("s1", ends: 5), silence("s2", ends: 5)])
        #expect(await SilenceExpireCommand.expire(api: api, ids: ["s1", "s2"]) == CommandOutput())
        let failed = await SilenceExpireCommand.expire(api: api, ids: ["s1", "zz", "s2"])
        #expect(
            failed.stderr
                == "klaxonctl: error: [DELETE /silence/{silenceID}][500] deleteSilenceInternalServerError  silence not found\n\n"
        )
        #expect(await api.expired == ["s1", "s2", "s1"])
        #expect(await SilenceExpireCommand.expire(api: api, ids: []).exitCode == 1)
    }

    private var exported: [UInt8] {
        [silence("known", ends: 5), silence("gone", ends: 5, comment: "bad")].jsonBytes
    }

    @Test func importKeepsIDsRetriesUnknownOnesAsNewAndReportsFailures() async {
        let api = RecordingAPI()
        await api.setUnknown(["gone"])
        let ok = await SilenceImportCommand.importSilences(api: api, json: exported, force: false, workers: 8)
        #expect(ok == CommandOutput(stdout: "known\nnew-2\n") || ok == CommandOutput(stdout: "known\nnew-1\n"))
        #expect(Set(await api.posted.map(\.id)) == ["known", ""])
        await api.setRejected(["bad"])
        let failed = await SilenceImportCommand.importSilences(api: api, json: exported, force: true, workers: 1)
        #expect(failed.stdout == "new-3\n")
        #expect(
            failed.stderr == """
                Error adding silence id='gone': [POST /silences][400] postSilencesBadRequest  rejected
                klaxonctl: error: couldn't import 1 out of 2 silences


                """)
        #expect(failed.exitCode == 1)
        #expect(await api.posted.last?.id == "")
    }

    @Test func importOfSomethingThatIsNotJSONFails() async {
        let output = await SilenceImportCommand.importSilences(
            api: RecordingAPI(), json: Array("nope".utf8), force: false, workers: 1)
        #expect(output.stderr.hasPrefix("klaxonctl: error: couldn't unmarshal input data, is it JSON?"))
        #expect(output.exitCode == 1)
    }
}
