import Foundation
import KlaxonAPIModels
import KlaxonCore
import KlaxonGoCompat
import Mustache

/// Renders the UI's pages from their view models with the embedded templates. Pure: no I/O, no clock.
public struct UIRenderer: Sendable {
    /// Previous / next links of a paginated table.
    struct Pager {
        var page: Int
        var pages: Int
        var previous: String?
        var next: String?

        /// Nil when there is one page only.
        static func make(page: Int, pages: Int, link: (Int) -> String) -> Pager? {
            guard pages > 1 else { return nil }
            return Pager(
                page: page, pages: pages, previous: page > 1 ? link(page - 1) : nil,
                next: page < pages ? link(page + 1) : nil)
        }
    }

    /// Which page the navigation marks.
    public enum Section: Sendable {
        case overview, alerts, silences, status, none
    }

    private struct Layout {
        var title: String
        var base: String
        var body: String
        var user: String?
        var isOverview: Bool
        var isAlerts: Bool
        var isSilences: Bool
        var isStatus: Bool
    }

    private let library: MustacheLibrary
    /// Where the pages link to.
    public let links: UILinks

    /// A renderer for pages under `links.base`.
    public init(links: UILinks) {
        self.links = links
        var library = MustacheLibrary()
        let templates: [(String, String)] = [
            ("layout", Templates.layout), ("overview", Templates.overview), ("pager", Templates.pager),
            ("alertRow", Templates.alertRow), ("alerts", Templates.alerts), ("preview", Templates.preview),
            ("silenceEditor", Templates.silenceEditor), ("silences", Templates.silences),
            ("status", Templates.status), ("message", Templates.message), ("timeline", Templates.timeline),
            ("alertDetail", Templates.alertDetail), ("groupDetail", Templates.groupDetail),
        ]
        for (name, text) in templates {
            do {
                try library.register(text, named: name)
            } catch {
                preconditionFailure("embedded template \(name) does not parse: \(error)")
            }
        }
        self.library = library
    }

    private func render(_ object: Any, _ template: String) -> String {
        guard let text = library.render(object, withTemplate: template) else {
            preconditionFailure("embedded template \(template) is registered")
        }
        return text
    }

    /// A whole page: `body` (rendered HTML) inside the layout.
    public func page(title: String, section: Section, user: String?, body: String) -> String {
        render(
            Layout(
                title: title, base: links.base, body: body, user: user.flatMap { $0.isEmpty ? nil : $0 },
                isOverview: section == .overview, isAlerts: section == .alerts, isSilences: section == .silences,
                isStatus: section == .status),
            "layout")
    }

    // MARK: Overview

    private struct OverviewModel {
        struct Column {
            var title: String
            var link: String
            var current: Bool
        }
        var base: String
        var tenantLabel: String
        var totals: Overview.TenantRow
        var tenantCount: Int
        var tenants: [Overview.TenantRow]
        var spread: [Overview.SpreadRow]
        var platform: Overview.TenantRow?
        var columns: [Column]
        var pager: Pager?
    }

    /// The overview's body.
    public func overview(_ overview: Overview, tenantLabel: String, sort: Overview.Sort) -> String {
        let titles: [(Overview.Sort, String)] = [
            (.tenant, tenantLabel), (.firing, "Firing"), (.silenced, "Silenced"), (.inhibited, "Inhibited"),
            (.total, "Total"),
        ]
        let columns = titles.map { column, title in
            OverviewModel.Column(
                title: title, link: links.page("overview", [("sort", column.rawValue)]), current: column == sort)
        }
        let pager = Pager.make(page: overview.page, pages: overview.pages) { page in
            links.page("overview", [("sort", sort.rawValue), ("page", String(page))])
        }
        return render(
            OverviewModel(
                base: links.base, tenantLabel: tenantLabel, totals: overview.totals, tenantCount: overview.tenantCount,
                tenants: overview.tenants, spread: overview.spread, platform: overview.platform, columns: columns,
                pager: pager),
            "overview")
    }

    // MARK: Alerts

    /// What the alert list was asked for, as typed (the form shows it back).
    public struct AlertForm: Sendable {
        /// The `filter` text.
        public var filter: String
        /// The grouping label.
        public var group: String
        /// The receiver regex.
        public var receiver: String
        /// `""`, `firing`, `silenced` or `inhibited`.
        public var state: String

        /// A form.
        public init(filter: String, group: String, receiver: String, state: String) {
            self.filter = filter
            self.group = group
            self.receiver = receiver
            self.state = state
        }
    }

    private struct AlertsModel {
        struct Option {
            var value: String
            var title: String
            var selected: Bool
        }
        var base: String
        var filter: String
        var group: String
        var receiver: String
        var states: [Option]
        var error: String?
        var list: AlertList?
        var pager: Pager?
    }

    /// The alert list's body; `list` nil when the filter did not parse (`error` says why).
    public func alerts(_ list: AlertList?, form: AlertForm, error: String?) -> String {
        let states = [("", "all"), ("firing", "firing only"), ("silenced", "silenced"), ("inhibited", "inhibited")]
        let pager = list.flatMap { list in
            Pager.make(page: list.page, pages: list.pages) { page in
                links.page(
                    "alerts",
                    [
                        ("filter", form.filter), ("group", form.group), ("receiver", form.receiver),
                        ("state", form.state), ("page", String(page)),
                    ])
            }
        }
        return render(
            AlertsModel(
                base: links.base, filter: form.filter, group: form.group, receiver: form.receiver,
                states: states.map { AlertsModel.Option(value: $0.0, title: $0.1, selected: $0.0 == form.state) },
                error: error, list: list, pager: pager),
            "alerts")
    }

    // MARK: Details

    private struct AlertDetailModel {
        var detail: AlertDetail
        var timeline: Timeline
        var muted: Bool
        var hasAnnotations: Bool
        var notificationCount: Int
    }

    /// The alert detail page's body.
    public func alertDetail(_ detail: AlertDetail) -> String {
        render(
            AlertDetailModel(
                detail: detail, timeline: detail.timeline,
                muted: !detail.silences.isEmpty || !detail.inhibitors.isEmpty,
                hasAnnotations: !detail.alert.annotations.isEmpty, notificationCount: detail.notifications.count),
            "alertDetail")
    }

    private struct GroupDetailModel {
        var group: GroupDetail
        var timeline: Timeline
        var alertCount: Int
    }

    /// The group detail page's body.
    public func groupDetail(_ group: GroupDetail) -> String {
        render(GroupDetailModel(group: group, timeline: group.timeline, alertCount: group.alerts.count), "groupDetail")
    }

    // MARK: Silences

    private struct SilencesModel {
        var base: String
        var filter: String
        var flash: String?
        var error: String?
        var hasWindows: Bool
        var list: SilenceList
    }

    /// The silence list's body.
    public func silences(_ list: SilenceList, filter: String, flash: String?, error: String?) -> String {
        render(
            SilencesModel(
                base: links.base, filter: filter, flash: flash, error: error, hasWindows: !list.windows.isEmpty,
                list: list),
            "silences")
    }

    private struct EditorModel {
        var base: String
        var editor: SilenceEditor
        /// Whether an existing silence is edited (Mustache takes an empty string as true, so `editor.id` cannot say).
        var isEdit: Bool
        var preview: SilenceEditor.Preview?
        var previewError: String?
    }

    /// The silence editor's body.
    public func silenceEditor(_ editor: SilenceEditor, previewError: String?) -> String {
        render(
            EditorModel(
                base: links.base, editor: editor, isEdit: !editor.id.isEmpty, preview: editor.preview,
                previewError: previewError),
            "silenceEditor")
    }

    /// The preview alone (what the editor's script puts in place as the matchers change).
    public func preview(_ preview: SilenceEditor.Preview?, error: String?) -> String {
        render(
            EditorModel(
                base: links.base, editor: SilenceEditor(matchers: ""), isEdit: false, preview: preview,
                previewError: error),
            "preview")
    }

    // MARK: Status

    /// What the status page shows.
    public struct StatusModel: Sendable {
        struct Receiver {
            var name: String
            var link: String
        }
        var version: String
        var revision: String
        var toolchain: String
        var startedAt: String
        var uptime: String
        var cluster: String
        var config: String
        var receivers: [Receiver]
        var reload: Reload?
    }

    /// How the last load of the configuration ended, as the status page says it.
    struct Reload {
        var succeeded: Bool
        var time: String
        var error: String
        var appliedAt: String
    }

    /// The status page's model: `status` as the API gives it to this caller (configuration masked, or withheld),
    /// the receivers the caller may see, and how the last configuration load ended (`showsReloadError` says whether
    /// its error message may be shown: it can quote the file).
    public func statusModel(
        _ status: AlertmanagerStatus, receivers: [String], lastReload: ConfigReloadResult? = nil,
        showsReloadError: Bool = true, now: Date
    ) -> StatusModel {
        let seconds = max(0, Int(now.timeIntervalSince(status.uptime)))
        let uptime =
            seconds >= 86400
            ? "\(seconds / 86400)d \(seconds % 86400 / 3600)h"
            : seconds >= 3600 ? "\(seconds / 3600)h \(seconds % 3600 / 60)m" : "\(seconds / 60)m \(seconds % 60)s"
        return StatusModel(
            version: status.versionInfo.version, revision: status.versionInfo.revision,
            toolchain: status.versionInfo.goVersion, startedAt: GoTime.rfc3339Millis(status.uptime), uptime: uptime,
            cluster: status.clusterStatus, config: status.configYAML,
            receivers: receivers.map { name in
                StatusModel.Receiver(
                    name: name,
                    link: links.page("alerts", [("receiver", GroupNotification.quoteMeta(name))]))
            },
            reload: lastReload.map { result in
                Reload(
                    succeeded: result.succeeded, time: GoTime.rfc3339Millis(result.time),
                    error: showsReloadError ? result.error : "see the server's log",
                    appliedAt: GoTime.rfc3339Millis(result.appliedAt))
            })
    }

    /// The status page's body.
    public func status(_ model: StatusModel) -> String { render(model, "status") }

    /// A page that only says what went wrong.
    public func message(title: String, message: String) -> String {
        struct Message {
            var title: String
            var message: String
        }
        return render(Message(title: title, message: message), "message")
    }
}
