import Testing

@testable import KlaxonServer

@Suite struct LogLineTests {
    private let fields = [
        ("ts", "2026-12-07T12:00:00.000Z"), ("caller", "main.go:1"), ("level", "info"), ("msg", "Notify <ok> & done"),
        ("receiver", ""), ("err", "a\tb"),
    ]

    @Test func logfmtLinesLeaveEmptyValuesBareAndQuoteTabsAsAlertmanagerDoes() {
        #expect(
            LogfmtHandler.line(fields, format: .logfmt)
                == #"ts=2026-12-07T12:00:00.000Z caller=main.go:1 level=info msg="Notify <ok> & done" receiver= err="a\tb""#
        )
    }

    @Test func jsonLinesHaveSortedKeysAndUnescapedHTMLAsAlertmanagerDoes() {
        #expect(
            LogfmtHandler.line(fields, format: .json)
                == #"{"caller":"main.go:1","err":"a\tb","level":"info","msg":"Notify <ok> & done","receiver":"","ts":"2026-12-07T12:00:00.000Z"}"#
        )
    }
}
