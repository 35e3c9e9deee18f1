import Foundation
import KlaxonCore
import Testing

@testable import KlaxonConfig

/// `time_intervals` are parsed by the core's parser (the one `TimeIntervalSpec.contains` is tested with), so what
/// loads is what Alertmanager 0.25 loads; the rejected forms are in `Fixtures/bad/conf.bad-time-interval-*.yml` with
/// the messages amtool printed for them.
@Suite struct TimeIntervalConfigLoading {
    private func load(_ entry: String) throws -> TimeIntervalConfig {
        let yaml = """
            route: {receiver: r}
            receivers: [{name: r}]
            time_intervals:
              - name: window
                time_intervals:
                  - \(entry)
            """
        let config = try Config.parse(yaml: yaml, baseDirectory: "/")
        return try #require(config.timeIntervals["window"]?.first)
    }

    /// 2024-03-05 (a Tuesday) 10:30 UTC.
    private let tuesdayMorning = Date(timeIntervalSince1970: 1_709_634_600)

    @Test func monthNumbersOutsideTheYearLoadAsInAlertmanager() throws {
        let entry = try load(#"months: ["13", "1:13"]"#)
        #expect(entry.spec.months == [InclusiveRange(13), InclusiveRange(begin: 1, end: 13)])
    }

    @Test func anEmptyListMatchesNoInstantWhileAnAbsentOneMatchesAll() throws {
        let empty = try load("weekdays: []")
        #expect(empty.spec.weekdays == [])
        #expect(!empty.spec.contains(tuesdayMorning))
        let absent = try load("years: ['2024']")
        #expect(absent.spec.weekdays == nil)
        #expect(absent.spec.contains(tuesdayMorning))
    }

    @Test func parsedFieldsDecideContainment() throws {
        let entry = try load(
            #"{times: [{start_time: "09:00", end_time: "17:00"}], weekdays: ["monday:friday"], location: "UTC"}"#)
        #expect(entry.spec.contains(tuesdayMorning))
        #expect(!entry.spec.contains(tuesdayMorning.addingTimeInterval(8 * 3600)))
    }

    @Test func locationIsPrintedBackAsWritten() throws {
        #expect(try load(#"location: "Local""#).location == "Local")
        #expect(try load(#"location: "Europe/Berlin""#).spec.location.identifier == "Europe/Berlin")
        #expect(try load(#"location: """#).location == "UTC")
        #expect(try load("years: ['2024']").location == nil)
    }
}
