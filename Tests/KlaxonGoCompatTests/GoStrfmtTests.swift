import Foundation
import KlaxonGoCompat
import Testing

/// go-openapi strfmt's `date-time` and `uuid` formats, as API v2 validates request bodies and paths with them.
@Suite struct GoStrfmtTests {
    @Test(arguments: [
        ("2026-11-22T06:12:19.357Z", 1_795_327_939.357),
        ("2026-11-22T06:12:19Z", 1_795_327_939),
        ("2026-11-22T07:12:19+01:00", 1_795_327_939),
        ("2026-11-22T07:12:19.5+0100", 1_795_327_939.5),
        ("2026-11-22T06:12:19", 1_795_327_939),
        ("2026-11-22T06:12:19,25", 1_795_327_939.25),
        ("2026-11-22T06:12Z", 1_795_327_920),
        ("2026-11-22T06:12", 1_795_327_920),
        ("2026-11-22 06:12:19", 1_795_327_939),
        ("2026-11-22T6:12:19Z", 1_795_327_939),
        ("", 0),
    ])
    func strfmtLayoutsAreAccepted(text: String, seconds: Double) throws {
        let date = try GoDateTime.parse(text).get()
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.000_5, "\(text)")
    }

    @Test(arguments: [
        ("yesterday", #"parsing time "yesterday" as "2006-01-02 15:04:05": cannot parse "yesterday" as "2006""#),
        ("2026-11-22", #"parsing time "2026-11-22" as "2006-01-02 15:04:05": cannot parse "" as " ""#),
        (
            "2026-11-22T06:12:19Q",
            #"parsing time "2026-11-22T06:12:19Q" as "2006-01-02 15:04:05": cannot parse "T06:12:19Q" as " ""#
        ),
        ("2026-13-01 00:00:00", #"parsing time "2026-13-01 00:00:00": month out of range"#),
        ("2026-02-30 00:00:00", #"parsing time "2026-02-30 00:00:00": day out of range"#),
        ("2026-01-01 00:00:00x", #"parsing time "2026-01-01 00:00:00x": extra text: "x""#),
        ("2026-1-01", #"parsing time "2026-1-01" as "2006-01-02 15:04:05": cannot parse "1-01" as "01""#),
    ])
    func unparseableTimestampsGetGoErrors(text: String, message: String) {
        guard case .failure(let error) = GoDateTime.parse(text) else {
            Issue.record("\(text) parsed")
            return
        }
        #expect(error.message == message)
    }

    @Test(arguments: [
        ("30e0c063-1969-48ce-8685-d36f4fac72f2", true), ("30E0C063-1969-48CE-8685-D36F4FAC72F1", true),
        ("30e0c0631969-48ce8685-d36f4fac72f2", true), ("30e0c0631969-48ce8685-d36f4fac72f2x", false),
        ("not-a-uuid", false), ("", false),
    ])
    func uuidFormatIsStrfmts(text: String, valid: Bool) {
        #expect(GoUUID.isValid(text) == valid)
    }
}
