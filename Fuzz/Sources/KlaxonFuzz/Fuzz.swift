import Foundation
import KlaxonAPIModels
import KlaxonConfig
import KlaxonCore
import KlaxonGoCompat
import KlaxonTemplate

// libFuzzer entry points. Each target feeds one input to a parser that reads what users and clients send Klaxon, and
// then uses what it parsed the way Klaxon does. Any error the parser reports is a pass; a crash, a trap, a leak
// or a hang is what libFuzzer reports.

/// The parser each input goes to, chosen once from `KLAXON_FUZZ_TARGET`.
enum Target: String, CaseIterable {
    /// alertmanager.yml (`Config.parse`).
    case config
    /// Matcher and matcher-list syntax (`Matcher.parse`, `Matchers.parse`), then a match against labels.
    case matchers
    /// A Go text/template: parsed, then run on an alert group as notifications are.
    case template
    /// A `POST /api/v2/alerts` body.
    case alerts
    /// A `POST /api/v2/silences` body, then the silence's matcher validation.
    case silence
    /// One time-interval field, as `kind:value` (`times:09:00-17:00`, `weekdays:monday:friday`, ...).
    case timeInterval = "time-interval"
}

nonisolated(unsafe) private var target = Target.config  // set once in LLVMFuzzerInitialize, before any input

private let fixedNow = Date(timeIntervalSince1970: 1_700_000_000)

private let templateData: TemplateValue = {
    let alert = TemplateAlert(
        status: "firing", labels: KV([("alertname", "HighLatency"), ("severity", "page")]),
        annotations: KV([("summary", "p99 above 1s")]), startsAt: fixedNow, endsAt: TemplateTime.goZeroDate,
        generatorURL: "http://prometheus.example/graph?g0.expr=up", fingerprint: "0123456789abcdef")
    let data = TemplateData(
        receiver: "team-x", status: "firing", alerts: [alert], groupLabels: KV([("alertname", "HighLatency")]),
        commonLabels: alert.labels, commonAnnotations: alert.annotations, externalURL: "http://klaxon.example")
    return data.value()
}()

private let templates = TemplateSet(now: { fixedNow })

private let labels: LabelSet = ["alertname": "HighLatency", "severity": "page", "instance": "db-1:9100"]

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>)
    -> CInt
{
    let name = ProcessInfo.processInfo.environment["KLAXON_FUZZ_TARGET"] ?? ""
    guard let chosen = Target(rawValue: name) else {
        let names = Target.allCases.map(\.rawValue).joined(separator: ", ")
        FileHandle.standardError.write(Data("KLAXON_FUZZ_TARGET must be one of: \(names)\n".utf8))
        exit(2)
    }
    target = chosen
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// SwiftPM links an executable's entry point as `main` (`--defsym main=klaxon_fuzz_main`), which keeps libFuzzer's
/// own `main` out: hand the command line to libFuzzer's driver here.
@_cdecl("klaxon_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return runDriver(&argc, &argv, testOneInput)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    switch target {
    case .config: fuzzConfig(bytes)
    case .matchers: fuzzMatchers(bytes)
    case .template: fuzzTemplate(bytes)
    case .alerts: fuzzAlerts(bytes)
    case .silence: fuzzSilence(bytes)
    case .timeInterval: fuzzTimeInterval(bytes)
    }
    return 0
}

private func fuzzConfig(_ bytes: [UInt8]) {
    guard let config = try? Config.parse(yaml: String(decoding: bytes, as: UTF8.self), baseDirectory: "/nonexistent")
    else { return }
    // Route every alert-like label set through the tree, as the dispatcher does.
    _ = config.routeTree.match(labels)
}

private func fuzzMatchers(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    if let matcher = try? Matcher.parse(text) {
        _ = matcher.matches(labels)
        _ = matcher.description
    }
    if let matchers = try? Matchers.parse(text) {
        _ = matchers.matches(labels)
    }
}

private func fuzzTemplate(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    guard let set = try? templates.adding(text: text, name: "fuzz") else { return }
    _ = try? set.execute(name: "fuzz", data: templateData)
}

private func fuzzAlerts(_ bytes: [UInt8]) {
    guard case .success(let alerts) = PostableAlertsDecoder.decode(bytes) else { return }
    for alert in alerts { _ = alert.labels.fingerprint }
}

private func fuzzSilence(_ bytes: [UInt8]) {
    guard case .success(let silence) = PostableSilenceDecoder.decode(bytes) else { return }
    if let matchers = try? SilenceStore.validate(silence.matchers) {
        _ = Matchers(matchers).matches(labels)
    }
}

private func fuzzTimeInterval(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    guard let colon = text.firstIndex(of: ":") else { return }
    let value = String(text[text.index(after: colon)...])
    switch text[..<colon] {
    case "times":
        let parts = value.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        _ = try? TimeIntervalSpec.parseTimeRange(start: String(parts[0]), end: parts.count > 1 ? String(parts[1]) : "")
    case "weekdays": _ = try? TimeIntervalSpec.parseWeekdayRange(value)
    case "days_of_month": _ = try? TimeIntervalSpec.parseDayOfMonthRange(value)
    case "months": _ = try? TimeIntervalSpec.parseMonthRange(value)
    case "years": _ = try? TimeIntervalSpec.parseYearRange(value)
    case "location": _ = try? TimeIntervalSpec.parseLocation(value)
    case "duration": _ = try? PromDuration(parsing: value)
    default: break
    }
}
