import Foundation
import KlaxonAPIModels
import KlaxonCore
import Testing

@testable import KlaxonCtl

private let acme = [SilenceMatcherSpec(name: "tenant", value: "acme")]
private let local = CIContext(system: "local", actor: "alice")

private func request(
    _ key: String = "deploy-42", matchers: [SilenceMatcherSpec] = acme, minutes: Double = 30,
    comment: String = "deploy api"
) throws -> MaintenanceRequest {
    MaintenanceRequest(
        key: try MaintenanceKey(validating: key), matchers: matchers, duration: minutes * 60, comment: comment,
        context: local)
}

private func windowOptions(key: String = "deploy-42", duration: String = "30m", allTenants: Bool = false) throws
    -> MaintenanceWindowOptions
{
    var arguments = ["--key", key, "--for=\(duration)"]
    if allTenants { arguments.append("--all-tenants") }
    return try MaintenanceWindowOptions.parse(arguments)
}

@Suite struct MaintenanceKeys {
    @Test func markerRoundTripsTheKey() throws {
        let key = try MaintenanceKey(validating: "gitlab/acme/api:pipeline-1234@eu+1#2")
        #expect(key.marker == "[klaxon-maintenance key=gitlab/acme/api:pipeline-1234@eu+1#2]")
        #expect(MaintenanceMarker.key(inComment: key.marker + " deploy") == key.rawValue)
    }

    @Test(arguments: [
        ("deploy 1", "character U+0020 at position 7 is not allowed"),
        ("deploy]1", "character \"]\" at position 7 is not allowed"),
        ("[deploy", "character \"[\" at position 1 is not allowed"),
        ("dé", "character \"é\" at position 2 is not allowed"),
        ("a=b", "character \"=\" at position 2 is not allowed"),
    ])
    func keysThatCouldBreakTheMarkerAreRejectedWithThePosition(key: String, message: String) {
        #expect {
            try MaintenanceKey(validating: key)
        } throws: { error in
            let error = error as? MaintenanceError
            return error?.code == .invalidKey && error?.description.contains(message) == true
                && error?.description.contains("\"\(key)\"") == true
        }
    }

    @Test func emptyAndOverlongKeysAreRejected() {
        #expect(
            throws: MaintenanceError(.invalidKey, "the maintenance key is empty; pass --key, e.g. --key deploy-1234")
        ) {
            try MaintenanceKey(validating: "")
        }
        #expect(throws: MaintenanceError.self) { try MaintenanceKey(validating: String(repeating: "k", count: 129)) }
        #expect((try? MaintenanceKey(validating: String(repeating: "k", count: 128))) != nil)
    }

    @Test func aKeyThatIsAPrefixOfAnotherDoesNotMatchItsWindow() throws {
        let short = try MaintenanceKey(validating: "deploy-1")
        let long = try MaintenanceKey(validating: "deploy-12")
        let silence = GettableSilence(
            id: "x", state: .active, startsAt: Date(), endsAt: Date(), updatedAt: Date(),
            createdBy: "klaxonctl-maintenance (ci)", comment: long.marker + " deploy", matchers: acme)
        #expect(long.marks(silence))
        #expect(!short.marks(silence))
    }

    @Test func aSilenceByAnotherAuthorIsNotAWindowEvenWithTheMarker() throws {
        let key = try MaintenanceKey(validating: "deploy-1")
        let silence = GettableSilence(
            id: "x", state: .active, startsAt: Date(), endsAt: Date(), updatedAt: Date(), createdBy: "alice",
            comment: "copied: " + key.marker, matchers: acme)
        #expect(!key.marks(silence))
    }

    @Test func malformedMarkersNameNoKey() {
        #expect(MaintenanceMarker.key(inComment: "[klaxon-maintenance key=deploy") == nil)
        #expect(MaintenanceMarker.key(inComment: "[klaxon-maintenance key=] x") == nil)
        #expect(MaintenanceMarker.key(inComment: "[klaxon-maintenance key=a b] x") == nil)
        #expect(MaintenanceMarker.key(inComment: "no marker") == nil)
    }
}

@Suite struct MaintenanceCIContext {
    @Test func gitHubActionsNamesTheRunCommitAndActor() {
        let context = CIContext(environment: [
            "GITHUB_ACTIONS": "true", "GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/api",
            "GITHUB_RUN_ID": "987654", "GITHUB_RUN_ATTEMPT": "2", "GITHUB_SHA": "0123456789abcdef0123",
            "GITHUB_ACTOR": "octocat", "GITHUB_TRIGGERING_ACTOR": "hubot", "GITHUB_WORKFLOW": "deploy",
            "GITHUB_JOB": "production", "GITHUB_TOKEN": "ghs_secret",
        ])
        #expect(
            context
                == CIContext(
                    system: "GitHub Actions", pipelineURL: "https://github.com/acme/api/actions/runs/987654/attempts/2",
                    commit: "0123456789abcdef0123", actor: "hubot", job: "acme/api deploy production"))
        #expect(
            context.summary
                == "via GitHub Actions acme/api deploy production "
                + "https://github.com/acme/api/actions/runs/987654/attempts/2 commit 0123456789ab by hubot")
        #expect(!context.summary.contains("ghs_secret"))
        #expect(context.createdBy() == "klaxonctl-maintenance (hubot)")
    }

    @Test func gitLabCINamesThePipelineCommitAndUser() {
        let context = CIContext(environment: [
            "GITLAB_CI": "true", "CI_PIPELINE_URL": "https://gitlab.example.com/acme/api/-/pipelines/555",
            "CI_JOB_URL": "https://gitlab.example.com/acme/api/-/jobs/777", "CI_COMMIT_SHA": "feedface",
            "GITLAB_USER_LOGIN": "alice", "CI_PROJECT_PATH": "acme/api", "CI_JOB_NAME": "deploy:prod",
        ])
        #expect(
            context
                == CIContext(
                    system: "GitLab CI", pipelineURL: "https://gitlab.example.com/acme/api/-/pipelines/555",
                    commit: "feedface", actor: "alice", job: "acme/api deploy:prod"))
    }

    @Test func jenkinsNamesTheBuildAndStripsCredentialsFromItsURL() {
        let context = CIContext(environment: [
            "JENKINS_URL": "https://ci.example.com/", "BUILD_URL": "https://bot:s3cret@ci.example.com/job/api/12/",
            "GIT_COMMIT": "abc123", "BUILD_USER_ID": "bob", "JOB_NAME": "api/deploy", "BUILD_NUMBER": "12",
        ])
        #expect(
            context
                == CIContext(
                    system: "Jenkins", pipelineURL: "https://ci.example.com/job/api/12/", commit: "abc123",
                    actor: "bob", job: "api/deploy #12"))
    }

    @Test func buildkiteNamesTheJobCommitAndCreator() {
        let context = CIContext(environment: [
            "BUILDKITE": "true", "BUILDKITE_BUILD_URL": "https://buildkite.com/acme/api/builds/31",
            "BUILDKITE_JOB_ID": "0190-ab", "BUILDKITE_COMMIT": "cafe01", "BUILDKITE_BUILD_CREATOR": "Carol",
            "BUILDKITE_PIPELINE_SLUG": "api", "BUILDKITE_LABEL": ":rocket: deploy",
        ])
        #expect(
            context
                == CIContext(
                    system: "Buildkite", pipelineURL: "https://buildkite.com/acme/api/builds/31#0190-ab",
                    commit: "cafe01", actor: "Carol", job: "api :rocket: deploy"))
    }

    @Test func outsideCITheLocalUserIsTheActorAndAuthorOverridesIt() {
        let context = CIContext(environment: ["USER": "dave", "PATH": "/bin"])
        #expect(context == CIContext(system: "local", actor: "dave"))
        #expect(context.summary == "via local by dave")
        #expect(context.createdBy(author: "oncall") == "klaxonctl-maintenance (oncall)")
        #expect(CIContext(environment: [:]).createdBy() == "klaxonctl-maintenance (unknown)")
    }

    @Test func newlinesInCIValuesCannotBreakTheCommentLine() {
        let context = CIContext(environment: ["GITLAB_CI": "true", "GITLAB_USER_LOGIN": "eve\n[klaxon-maintenance"])
        #expect(context.actor == "eve [klaxon-maintenance")
        #expect(!context.summary.contains("\n"))
    }

    @Test func theCommentStartsWithTheMarkerAndCarriesTheContext() throws {
        let built = try request(comment: "  ")
        #expect(built.comment == "[klaxon-maintenance key=deploy-42] Maintenance window via local by alice")
        #expect(built.createdBy == "klaxonctl-maintenance (alice)")
    }
}

@Suite struct MaintenanceRequestValidation {
    @Test func emptyMatchersAreRefusedWithoutAllTenants() throws {
        #expect {
            try MaintenanceCommand.request(try windowOptions(), matchers: [], environment: [:])
        } throws: { error in
            (error as? MaintenanceError)?.code == .emptyMatchers
                && "\(error)".contains("would silence every tenant's alerts")
        }
    }

    @Test func allTenantsSilencesEveryAlertname() throws {
        let built = try MaintenanceCommand.request(try windowOptions(allTenants: true), matchers: [], environment: [:])
        #expect(built.matchers == [SilenceMatcherSpec(name: "alertname", value: ".+", isRegex: true, isEqual: true)])
    }

    @Test(arguments: [["tenant=", "env=prod"], ["env=prod", "tenant=\"\""], ["env=prod", "tenant!="]])
    func aMatcherWithAnEmptyValueIsRefusedByName(arguments: [String]) throws {
        let position = arguments.firstIndex { $0.hasPrefix("tenant") }.map { $0 + 1 } ?? 0
        #expect {
            try MaintenanceCommand.request(try windowOptions(), matchers: arguments, environment: [:])
        } throws: { error in
            let error = error as? MaintenanceError
            let named = "=\"\" at position \(position) of maintenance window deploy-42: its value is empty"
            return error?.code == .emptyMatcherValue
                && error?.description.hasPrefix("refusing matcher tenant") == true
                && error?.description.contains(named + " (is a CI variable unset?)") == true
                && error?.description.hasSuffix("or --all-tenants if you mean it") == true
        }
    }

    @Test func matchersThatSelectNothingSpecificAreRefusedNamingEachOne() throws {
        #expect(
            throws: MaintenanceError(
                .unselectiveMatchers,
                "refusing to open maintenance window deploy-42: no matcher selects specific alerts (tenant!=\"acme\" "
                    + "is negative; env=~\".*\" also matches alerts without a env label), so it would silence every "
                    + "tenant's alerts; add a positive matcher such as tenant=acme, or --all-tenants if you mean it")
        ) {
            try MaintenanceCommand.request(
                try windowOptions(), matchers: ["tenant!=acme", "env=~.*"], environment: [:])
        }
        for alone in ["tenant!=acme", "tenant=~\".*\"", "tenant=~\"acme|\"", "tenant!~acme"] {
            #expect(throws: MaintenanceError.self, "\(alone)") {
                try MaintenanceCommand.request(try windowOptions(), matchers: [alone], environment: [:])
            }
        }
        let selective = try MaintenanceCommand.request(
            try windowOptions(), matchers: ["tenant=~\"acme|globex\"", "env!=dev"], environment: [:])
        #expect(selective.matchers.count == 2)
    }

    @Test func allTenantsOverridesTheMatcherChecks() throws {
        let empty = try MaintenanceCommand.request(
            try windowOptions(allTenants: true), matchers: ["tenant=", "env=prod"], environment: [:])
        #expect(
            empty.matchers == [
                SilenceMatcherSpec(name: "tenant", value: ""), SilenceMatcherSpec(name: "env", value: "prod"),
            ])
        // Alertmanager refuses a silence whose matchers all match an empty value; alertname=~".+" is added.
        let negative = try MaintenanceCommand.request(
            try windowOptions(allTenants: true), matchers: ["tenant!=acme"], environment: [:])
        #expect(
            negative.matchers == [
                SilenceMatcherSpec(name: "tenant", value: "acme", isEqual: false),
                SilenceMatcherSpec(name: "alertname", value: ".+", isRegex: true),
            ])
    }

    @Test func anInvalidMatcherIsReportedWithItsPosition() throws {
        #expect {
            try MaintenanceCommand.request(try windowOptions(), matchers: ["tenant=acme", "env"], environment: [:])
        } throws: { error in
            (error as? MaintenanceError)?.code == .invalidMatcher
                && "\(error)" == "invalid matcher at position 2 (\"env\"): bad matcher format: env"
        }
    }

    @Test func matchersOfEveryOperatorParse() throws {
        let built = try MaintenanceCommand.request(
            try windowOptions(), matchers: ["tenant=acme", "env!=dev", "job=~\"api|web\"", "team!~ops"],
            environment: [:])
        #expect(
            built.matchers == [
                SilenceMatcherSpec(name: "tenant", value: "acme"),
                SilenceMatcherSpec(name: "env", value: "dev", isEqual: false),
                SilenceMatcherSpec(name: "job", value: "api|web", isRegex: true),
                SilenceMatcherSpec(name: "team", value: "ops", isRegex: true, isEqual: false),
            ])
        #expect(built.duration == 1800)
    }

    @Test(arguments: ["0s", "30", "half an hour", "-5m"])
    func unusableDurationsAreRefused(text: String) throws {
        #expect {
            try MaintenanceCommand.request(try windowOptions(duration: text), matchers: ["a=b"], environment: [:])
        } throws: { error in
            (error as? MaintenanceError)?.code == .invalidDuration && "\(error)".hasPrefix("--for")
        }
    }

    @Test(arguments: ["0", "0s", "0m", "0h", "0ms", "-5m"])
    func aZeroOrNegativeForIsRefusedWhateverItsUnit(text: String) throws {
        #expect(throws: MaintenanceError(.invalidDuration, "--for must be longer than 0s, got \"\(text)\"")) {
            try MaintenanceCommand.request(try windowOptions(duration: text), matchers: ["a=b"], environment: [:])
        }
    }
}

@Suite struct MaintenancePlanning {
    private let now = Date(timeIntervalSince1970: 1_764_576_000)

    private func window(
        _ id: String, key: String = "deploy-42", matchers: [SilenceMatcherSpec] = acme, endsIn minutes: Double,
        state: SilenceState = .active, startedAgo: Double = 5
    ) -> GettableSilence {
        GettableSilence(
            id: id, state: state, startsAt: now - startedAgo * 60, endsAt: now + minutes * 60,
            updatedAt: now - startedAgo * 60, createdBy: "klaxonctl-maintenance (ci)",
            comment: "[klaxon-maintenance key=\(key)] x", matchers: matchers)
    }

    @Test func withoutAWindowStartOpensOneForTheDuration() throws {
        let plan = MaintenancePlanner.planStart(try request(), silences: [], now: now)
        #expect(plan.outcome == .opened)
        #expect(plan.post?.id == "")
        #expect(plan.post?.startsAt == now - MaintenancePlanner.startBackdate)
        #expect(plan.post?.endsAt == now + 1800)
        #expect(plan.expire.isEmpty)
    }

    @Test func aShorterWindowIsExtendedInPlaceKeepingItsStart() throws {
        let existing = window("a", endsIn: 10)
        let plan = MaintenancePlanner.planStart(try request(), silences: [existing], now: now)
        #expect(plan.outcome == .extended)
        #expect(plan.post?.id == "a")
        #expect(plan.post?.startsAt == existing.startsAt)
        #expect(plan.post?.matchers == existing.matchers)
        #expect(plan.post?.endsAt == now + 1800)
    }

    @Test func aLongerWindowIsNeverShortened() throws {
        let existing = window("a", endsIn: 90)
        let plan = MaintenancePlanner.planStart(try request(), silences: [existing], now: now)
        #expect(plan.outcome == .unchanged)
        #expect(plan.isNoop)
        #expect(plan.endsAt == existing.endsAt)
    }

    @Test func matchersInAnotherOrderAreTheSameWindow() throws {
        let two = [SilenceMatcherSpec(name: "tenant", value: "acme"), SilenceMatcherSpec(name: "env", value: "prod")]
        let existing = window("a", matchers: two, endsIn: 10)
        let plan = MaintenancePlanner.planStart(try request(matchers: two.reversed()), silences: [existing], now: now)
        #expect(plan.outcome == .extended)
        #expect(plan.post?.matchers == two)
    }

    @Test func otherMatchersReplaceTheWindowWithoutShorteningIt() throws {
        let existing = window("a", endsIn: 60)
        let other = [SilenceMatcherSpec(name: "tenant", value: "globex")]
        let plan = MaintenancePlanner.planStart(try request(matchers: other), silences: [existing], now: now)
        #expect(plan.outcome == .replaced)
        #expect(plan.post?.id == "")
        #expect(plan.post?.matchers == other)
        #expect(plan.post?.endsAt == existing.endsAt)
        #expect(plan.expire == ["a"])
    }

    @Test func duplicatesFromRacingPipelinesConvergeOnTheLatestEnding() throws {
        let silences = [window("a", endsIn: 20), window("b", endsIn: 25), window("c", endsIn: 5)]
        let plan = MaintenancePlanner.planStart(try request(minutes: 10), silences: silences, now: now)
        #expect(plan.outcome == .unchanged)
        #expect(plan.kept?.id == "b")
        #expect(Set(plan.expire) == ["a", "c"])
    }

    @Test func aDuplicateEndingLaterStretchesTheKeptWindow() throws {
        let silences = [
            window("a", endsIn: 20),
            window("b", matchers: [SilenceMatcherSpec(name: "tenant", value: "x")], endsIn: 50),
        ]
        let plan = MaintenancePlanner.planStart(try request(minutes: 10), silences: silences, now: now)
        #expect(plan.outcome == .extended)
        #expect(plan.post?.id == "a")
        #expect(plan.post?.endsAt == now + 50 * 60)
        #expect(plan.expire == ["b"])
    }

    @Test func expiredWindowsAndOtherKeysAreIgnored() throws {
        let silences = [
            window("old", endsIn: -10, state: .expired), window("prefix", key: "deploy-4", endsIn: 10),
            window("longer", key: "deploy-420", endsIn: 10),
        ]
        let plan = MaintenancePlanner.planStart(try request(), silences: silences, now: now)
        #expect(plan.outcome == .opened)
        #expect(plan.expire.isEmpty)
        #expect(MaintenancePlanner.planEnd(key: try MaintenanceKey(validating: "deploy-42"), silences: silences) == [])
    }

    @Test func aPendingWindowIsReplacedByOneStartingNow() throws {
        let pending = window("p", endsIn: 60, state: .pending, startedAgo: -10)
        let plan = MaintenancePlanner.planStart(try request(), silences: [pending], now: now)
        #expect(plan.outcome == .replaced)
        #expect(plan.post?.startsAt == now - MaintenancePlanner.startBackdate)
        #expect(plan.post?.endsAt == pending.endsAt)
        #expect(plan.expire == ["p"])
    }
}

@Suite struct MaintenanceAgainstAFakeServer {
    @Test func startTwiceLeavesExactlyOneActiveSilence() async throws {
        let clock = TestClock()
        let server = FakeSilenceServer(clock: clock)
        let service = MaintenanceService(api: server, now: clock.function, retry: .none)
        let first = try await service.start(try request())
        clock.advance(120)
        let secondStart = clock.now
        let second = try await service.start(try request())
        #expect(first.outcome == .opened)
        #expect(second.outcome == .extended)
        #expect(second.silenceID == first.silenceID)
        let active = await server.active
        #expect(active.count == 1)
        #expect(active.first?.endsAt == secondStart + 1800)
        #expect(second.openWindows == 1)
    }

    @Test func aClientClockAheadOfTheServerStillOpensAnActiveWindowAndExtendsItInPlace() async throws {
        let clock = TestClock()
        let server = FakeSilenceServer(clock: clock)
        let skewed = MaintenanceService(api: server, now: { clock.now + 30 }, retry: .none)
        let first = try await skewed.start(try request())
        let opened = try #require(await server.active.first, "the window is pending on the server")
        #expect(opened.id == first.silenceID)
        #expect(opened.startsAt <= clock.now)
        clock.advance(60)
        let second = try await skewed.start(try request())
        #expect(second.outcome == .extended)
        #expect(second.silenceID == first.silenceID)
        #expect(await server.active.map(\.id) == [first.silenceID])
    }

    @Test func restartingWithAShorterDurationKeepsTheEnd() async throws {
        let clock = TestClock()
        let server = FakeSilenceServer(clock: clock)
        let service = MaintenanceService(api: server, now: clock.function, retry: .none)
        let first = try await service.start(try request(minutes: 60))
        clock.advance(60)
        let second = try await service.start(try request(minutes: 10))
        #expect(second.outcome == .unchanged)
        #expect(second.endsAt == first.endsAt)
        #expect(await server.active.map(\.endsAt) == [first.endsAt])
    }

    @Test func newMatchersCreateTheReplacementBeforeExpiringTheOldWindow() async throws {
        let clock = TestClock()
        let server = FakeSilenceServer(clock: clock)
        let service = MaintenanceService(api: server, now: clock.function, retry: .none)
        let first = try await service.start(try request())
        let second = try await service.start(
            try request(matchers: [SilenceMatcherSpec(name: "tenant", value: "globex")]))
        #expect(second.outcome == .replaced)
        #expect(second.expired == [first.silenceID])
        let log = await server.log
        let created = try #require(log.firstIndex(of: "create \(second.silenceID)"))
        let expired = try #require(log.firstIndex(of: "expire \(first.silenceID)"))
        #expect(created < expired)
        #expect(await server.active.map(\.id) == [second.silenceID])
    }

    @Test func racingPipelinesConvergeToOneWindow() async throws {
        let clock = TestClock()
        let server = FakeSilenceServer(clock: clock)
        let built = try request()
        for _ in 0..<3 {
            await server.insert(
                matchers: acme, startsAt: clock.now, endsAt: clock.now + 600, createdBy: built.createdBy,
                comment: built.comment)
        }
        let result = try await MaintenanceService(api: server, now: clock.function, retry: .none).start(built)
        #expect(result.expired.count == 2)
        #expect(await server.active.count == 1)
        #expect(result.openWindows == 1)
    }

    @Test func aConcurrentStartWithOtherMatchersFailsTheLoserInsteadOfReportingAnExpiredWindow() async throws {
        let clock = TestClock()
        let server = FakeSilenceServer(clock: clock)
        let globex = [SilenceMatcherSpec(name: "tenant", value: "globex")]
        await server.interfere(.replace(with: globex, createdBy: "klaxonctl-maintenance (bob)"))
        let service = MaintenanceService(api: server, now: clock.function, retry: .none)
        await #expect {
            try await service.start(try request())
        } throws: { error in
            guard let error = error as? MaintenanceStartError, case .conflict(let holder) = error.reason else {
                return false
            }
            return holder.id == "silence-2"
                && error.description
                    == "another pipeline holds maintenance window deploy-42 with matchers tenant=\"globex\" (silence "
                    + "silence-2), not tenant=\"acme\"; nothing was left open for these matchers. One key is one "
                    + "window: distinct deployment targets need distinct keys (include the target, job and matrix "
                    + "value in --key)"
        }
        // The other pipeline's window is left alone.
        #expect(await server.active.map(\.matchers) == [globex])
        let output = await MaintenanceCommand.start(try request(), api: server, now: clock.function)
        #expect(output.exitCode == 0, "a later start replaces the window, as documented: \(output)")
    }

    @Test func aDuplicateWithOtherMatchersIsNotLeftBesideOurWindow() async throws {
        let clock = TestClock()
        let server = FakeSilenceServer(clock: clock)
        let built = try request()
        // Both pipelines listed an empty server and posted; ours sees both windows afterwards.
        let globex = [SilenceMatcherSpec(name: "tenant", value: "globex")]
        await server.interfere(.duplicate(with: globex, createdBy: "klaxonctl-maintenance (bob)"))
        let service = MaintenanceService(api: server, now: clock.function, retry: .none)
        await #expect(throws: MaintenanceStartError.self) { try await service.start(built) }
        // Ours (silence-1) is taken back; theirs is not expired by us.
        clock.advance(1)
        #expect(await server.active.map(\.id) == ["silence-2"])
        #expect(await server.log.contains("expire silence-1"))
    }

    @Test func aWindowClosedWhileItOpensIsAnError() async throws {
        let clock = TestClock()
        let server = FakeSilenceServer(clock: clock)
        await server.interfere(.end, .end, .end)
        let output = await MaintenanceCommand.start(try request(), api: server, now: clock.function)
        #expect(output.exitCode == 1)
        #expect(
            output.stderr
                == "klaxonctl: error: could not open maintenance window deploy-42: no silence of maintenance window "
                + "deploy-42 is open after starting it: it was closed at the same time (a `maintenance end --key "
                + "deploy-42` or another job's `maintenance run` ending); nothing is silenced\n")
        #expect(await server.active.isEmpty)
    }

    @Test func endIsIdempotent() async throws {
        let clock = TestClock()
        let server = FakeSilenceServer(clock: clock)
        let service = MaintenanceService(api: server, now: clock.function, retry: .none)
        let key = try MaintenanceKey(validating: "deploy-42")
        let started = try await service.start(try request())
        let first = try await service.end(key: key)
        let second = try await service.end(key: key)
        #expect(first == [started.silenceID])
        #expect(second.isEmpty)
        #expect(await server.active.isEmpty)
        #expect(MaintenanceText.ended(key, second) == "no open maintenance window deploy-42; nothing to close")
    }

    @Test func endDoesNotTouchAWindowWhoseKeyMerelyStartsTheSame() async throws {
        let clock = TestClock()
        let server = FakeSilenceServer(clock: clock)
        let service = MaintenanceService(api: server, now: clock.function, retry: .none)
        let long = try await service.start(try request("deploy-420"))
        let expired = try await service.end(key: try MaintenanceKey(validating: "deploy-42"))
        #expect(expired.isEmpty)
        #expect(await server.active.map(\.id) == [long.silenceID])
    }

    @Test func transientFailuresAreRetriedButClientErrorsAreNot() async throws {
        let clock = TestClock()
        let server = FakeSilenceServer(clock: clock)
        await server.fail(.list, with: FakeSilenceServer.connectionRefused, times: 2)
        let retrying = MaintenanceService(
            api: server, now: clock.function, retry: RetryPolicy(attempts: 3, initialDelay: .milliseconds(1)))
        let result = try await retrying.start(try request())
        #expect(result.outcome == .opened)

        await server.fail(.post, with: FakeSilenceServer.error(400, .postSilences, "silence invalid: nope"))
        let key = try MaintenanceKey(validating: "other")
        let output = await MaintenanceCommand.start(
            MaintenanceRequest(key: key, matchers: acme, duration: 60, comment: "", context: local), api: server,
            now: clock.function)
        #expect(output.exitCode == 1)
        #expect(
            output.stderr
                == "klaxonctl: error: could not open maintenance window other: "
                + "[POST /silences][400] postSilencesBadRequest  silence invalid: nope\n")
        #expect(await server.log.filter { $0 == "fail post" }.count == 1)
    }

    @Test func aStartThatFailsAfterPostingNeverClaimsNothingIsOpen() async throws {
        let clock = TestClock()
        let server = FakeSilenceServer(clock: clock)
        // The command retries three times.
        await server.fail(.list, with: FakeSilenceServer.connectionRefused, times: 3, after: 1)
        let output = await MaintenanceCommand.start(try request(), api: server, now: clock.function)
        #expect(output.exitCode == 1)
        #expect(
            output.stderr
                == """
                klaxonctl: error: maintenance window deploy-42 may be open although the start failed: Get \
                "http://127.0.0.1:9/api/v2/silences": dial tcp 127.0.0.1:9: connect: connection refused
                klaxonctl: posted silence silence-1; check with `klaxonctl maintenance list` and close it with \
                `klaxonctl maintenance end --key deploy-42` if it should not stay open

                """)
        // start does not close it: the user asked for the window.
        #expect(await server.active.count == 1)

        await server.loseReplies(ofPosts: 3)
        let lost = await MaintenanceCommand.start(try request("deploy-43"), api: server, now: clock.function)
        #expect(lost.exitCode == 1)
        #expect(lost.stderr.contains("maintenance window deploy-43 may be open although the start failed"))
        #expect(lost.stderr.contains("a silence was posted but no reply came back; check with"), "\(lost.stderr)")
    }

    @Test func anUnreachableServerFailsAfterTheRetriesNamingTheURL() async throws {
        let clock = TestClock()
        let server = FakeSilenceServer(clock: clock)
        await server.fail(.list, with: FakeSilenceServer.connectionRefused, times: 5)
        let output = await MaintenanceCommand.end(key: try MaintenanceKey(validating: "k"), api: server)
        #expect(output.exitCode == 1)
        #expect(output.stderr.contains("Get \"http://127.0.0.1:9/api/v2/silences\": dial tcp"))
    }

    @Test func listShowsKeyMatchersEndsInAndCreator() async throws {
        let clock = TestClock()
        let server = FakeSilenceServer(clock: clock)
        let service = MaintenanceService(api: server, now: clock.function, retry: .none)
        let a = try await service.start(try request("deploy-42", minutes: 30))
        let b = try await service.start(
            try request(
                "db-migrate",
                matchers: [
                    SilenceMatcherSpec(name: "tenant", value: "globex"), SilenceMatcherSpec(name: "env", value: "prod"),
                ],
                minutes: 90))
        await server.insert(
            matchers: acme, startsAt: clock.now, endsAt: clock.now + 60, createdBy: "alice", comment: "x")
        clock.advance(75)
        let output = await MaintenanceCommand.list(api: server, now: clock.function)
        #expect([a.silenceID, b.silenceID] == ["silence-1", "silence-2"])
        #expect(
            output.stdout == """
                Key         ID         Matchers                    Ends In   Created By
                deploy-42   silence-1  tenant="acme"               28m45s    klaxonctl-maintenance (alice)
                db-migrate  silence-2  tenant="globex" env="prod"  1h28m45s  klaxonctl-maintenance (alice)

                """)
    }
}

@Suite struct MaintenanceCommandLine {
    @Test func startPrintsWhatHappenedOrOnlyTheIDWhenQuiet() async throws {
        let clock = TestClock()
        let server = FakeSilenceServer(clock: clock)
        let opened = await MaintenanceCommand.start(try request(), api: server, now: clock.function)
        #expect(
            opened
                == CommandOutput(
                    stdout: "Opened maintenance window deploy-42 (silence silence-1) until 2025-12-01 08:30:00 UTC\n"))
        let quiet = await MaintenanceCommand.start(try request(), api: server, now: clock.function, quiet: true)
        #expect(quiet == CommandOutput(stdout: "silence-1\n"))
    }

    @Test func runSplitsMatchersFromTheCommandAtTheFirstTerminator() throws {
        let run = try MaintenanceCommand.Run.parse([
            "--for", "10m", "--key", "k", "--linger", "1m", "tenant=acme", "env=prod", "--", "sh", "-c", "x -- y",
            "--key", "z",
        ])
        #expect(run.matchers == ["tenant=acme", "env=prod"])
        #expect(run.command == ["sh", "-c", "x -- y", "--key", "z"])
        #expect(run.window.key == "k")
        #expect(run.linger == "1m")
    }

    @Test(arguments: ["0", "0s", "0m", "0h", "0ms"])
    func anyZeroLingerMeansNoLinger(text: String) throws {
        let run = try MaintenanceCommand.Run.parse([
            "--for", "10m", "--key", "k", "--linger", text, "tenant=acme", "--", "true",
        ])
        #expect(try MaintenanceCommand.lingerDuration(run.linger) == 0)
    }

    @Test func aNegativeOrMalformedLingerIsRefused() {
        #expect {
            try MaintenanceCommand.Run.parse(["--for", "10m", "--key", "k", "--linger=-1m", "tenant=acme", "--", "x"])
        } throws: { error in
            MaintenanceCommand.Run.message(for: error).contains("--linger cannot be negative, got \"-1m\"")
        }
        #expect {
            try MaintenanceCommand.Run.parse(["--for", "10m", "--key", "k", "--linger", "5", "tenant=acme", "--", "x"])
        } throws: { error in
            MaintenanceCommand.Run.message(for: error).contains("--linger: not a valid duration string: \"5\"")
        }
    }

    @Test func runHelpStatesThatJobsRunningAtOnceNeedDistinctKeys() {
        let help = MaintenanceCommand.Run.helpMessage(columns: 1000)
        #expect(
            help.contains(
                "One key is one window: closing expires every silence of --key, so jobs that run at the "
                    + "same time (parallel jobs, matrix legs, other deploy targets) need distinct keys"), "\(help)")
    }

    @Test func runRefusesAMissingCommandAndOptionsAfterTheMatchers() {
        #expect(throws: (any Error).self) {
            try MaintenanceCommand.Run.parse(["--for", "10m", "--key", "k", "tenant=acme"])
        }
        #expect {
            try MaintenanceCommand.Run.parse(["--for", "10m", "--key", "k", "tenant=acme", "--linger", "1m", "--", "x"])
        } throws: { error in
            MaintenanceCommand.Run.message(for: error).contains("put options before the matchers")
        }
    }
}
