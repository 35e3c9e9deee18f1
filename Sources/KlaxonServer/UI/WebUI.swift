import Foundation
import Hummingbird
import KlaxonAPIModels
import KlaxonCore
import KlaxonGoCompat
import KlaxonUI
import NIOCore

/// The web UI under the route prefix: `/` (the overview, and the landing place of Alertmanager's `#/...` links),
/// `/ui/overview`, `/ui/alerts`, `/ui/alerts/<fingerprint>` (an alert's detail),
/// `/ui/groups?receiver=&key=&filter=` (a group's detail), `/ui/silences` (list, editor, preview, create, expire),
/// `/ui/status` and the embedded assets. Every page reads through the API's own operations (`AlertmanagerAPI`), so
/// the caller's access and tenant scope apply exactly as in the API; forms post only from the UI's own origin.
struct WebUI<Backend: APIBackend, Context: CallerRequestContext>: RouterMiddleware {
    let api: AlertmanagerAPI<Backend, Context>
    /// The route prefix without a trailing slash.
    let prefix: String
    /// `--tenant.label` (an access file's `tenant_label` wins for its principals).
    let tenantLabel: String
    /// `--web.external-url`: a form posted from its origin is the UI's own (behind a proxy the Host may differ).
    let externalURL: String
    let renderer: UIRenderer
    /// Form bodies larger than this are refused.
    let maxFormBytes = 1 << 20

    init(api: AlertmanagerAPI<Backend, Context>, routePrefix: String, tenantLabel: String, externalURL: String) {
        self.api = api
        self.prefix = AlertmanagerAPI<Backend, Context>.normalizedPrefix(routePrefix)
        self.tenantLabel = tenantLabel
        self.externalURL = externalURL
        self.renderer = UIRenderer(links: UILinks(base: prefix))
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let fullPath = request.uri.path
        guard fullPath.hasPrefix(prefix) else { return try await next(request, context) }
        let path = String(fullPath.dropFirst(prefix.count))
        let origin = RequestOrigin(caller: context.caller, remoteAddress: context.remoteAddress)
        let query = QueryParameters(request.uri.query)
        switch (request.method, path) {
        case (.get, ""), (.get, "/"), (.head, ""), (.head, "/"), (.get, "/ui"), (.get, "/ui/"), (.get, "/ui/overview"):
            var response = await overview(query, origin.caller)
            if request.method == .head { response.body = ResponseBody() }
            return response
        case (.get, "/ui/assets/klaxon.css"): return asset(UIAssets.css, type: "text/css; charset=utf-8")
        case (.get, "/ui/assets/klaxon.js"): return asset(UIAssets.js, type: "text/javascript; charset=utf-8")
        case (.get, "/ui/alerts"): return await alerts(query, origin.caller)
        case (.get, _) where path.hasPrefix("/ui/alerts/"):
            return await alertDetail(String(path.dropFirst("/ui/alerts/".count)), query, origin.caller)
        case (.get, "/ui/groups"): return await groupDetail(query, origin.caller)
        case (.get, "/ui/silences"): return await silences(query, origin.caller)
        case (.get, "/ui/silences/new"): return await editor(query, origin.caller)
        case (.get, "/ui/silences/preview"): return await previewFragment(query, origin.caller)
        case (.get, "/ui/status"): return await status(origin.caller)
        case (.post, "/ui/silences"):
            if let refusal = crossOrigin(request) { return refusal }
            return await postSilence(try await form(request), origin)
        case (.post, _) where path.hasPrefix("/ui/silences/") && path.hasSuffix("/expire"):
            if let refusal = crossOrigin(request) { return refusal }
            let id = String(path.dropFirst("/ui/silences/".count).dropLast("/expire".count))
            return await expire(id: id, origin)
        default:
            return try await next(request, context)
        }
    }

    // MARK: Pages

    private func tenantLabel(for caller: Caller) -> String { caller.tenantLabel ?? tenantLabel }

    private func overview(_ query: QueryParameters, _ caller: Caller) async -> Response {
        guard caller.may(.readAlerts) else { return forbidden(caller, .readAlerts) }
        let label = tenantLabel(for: caller)
        let sort = query.values("sort").last.flatMap(Overview.Sort.init(rawValue:)) ?? .firing
        let overview = Overview(
            alerts: await api.alerts(AlertFilter(), for: caller), tenantLabel: label, links: renderer.links,
            sort: sort, page: query.values("page").last.flatMap(Int.init) ?? 1)
        return page(
            "Overview", .overview, caller, renderer.overview(overview, tenantLabel: label, sort: sort))
    }

    /// The `filter` parameters: each a matcher list (`{a="1",b=~"x"}`, as Alertmanager's UI links) or a single
    /// matcher (as API v2), parsed by the API's matcher parser.
    private static func matchers(_ texts: [String]) -> Result<[Matcher], MatcherError> {
        var matchers: [Matcher] = []
        for text in texts where !text.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                matchers += try Matchers.parse(text).matchers
            } catch {
                return .failure(error)
            }
        }
        return .success(matchers)
    }

    private func alerts(_ query: QueryParameters, _ caller: Caller) async -> Response {
        guard caller.may(.readAlerts) else { return forbidden(caller, .readAlerts) }
        let texts = query.values("filter")
        let form = UIRenderer.AlertForm(
            filter: texts.joined(separator: ", "),
            group: (query.values("group").last ?? "").trimmingCharacters(in: .whitespaces),
            receiver: query.values("receiver").last ?? "", state: query.values("state").last ?? "")
        var filter = AlertFilter()
        switch Self.matchers(texts) {
        case .failure(let error):
            return page("Alerts", .alerts, caller, renderer.alerts(nil, form: form, error: error.message))
        case .success(let matchers): filter.filter = matchers
        }
        if !form.receiver.isEmpty {
            do {
                filter.receiver = try Matcher(type: .regexMatch, name: "receiver", value: form.receiver)
            } catch {
                return page(
                    "Alerts", .alerts, caller,
                    renderer.alerts(nil, form: form, error: "failed to parse receiver param: \(error.message)"))
            }
        }
        let inState = { (alert: GettableAlert) -> Bool in
            switch form.state {
            case "firing": return alert.silencedBy.isEmpty && alert.inhibitedBy.isEmpty
            case "silenced": return !alert.silencedBy.isEmpty
            case "inhibited": return !alert.inhibitedBy.isEmpty
            default: return true
            }
        }
        let pageNumber = query.values("page").last.flatMap(Int.init) ?? 1
        let list: AlertList
        if form.group.isEmpty {
            // The route's groups: as the dispatcher aggregates them for notification (`/api/v2/alerts/groups`).
            let groups = await api.alertGroups(filter, for: caller).compactMap { group in
                var group = group
                group.alerts = group.alerts.filter(inState)
                return group.alerts.isEmpty ? nil : group
            }
            list = AlertList(
                groups: groups, inhibitors: await inhibitors(of: groups.flatMap(\.alerts), caller),
                links: renderer.links, page: pageNumber)
        } else {
            let selected = await api.alerts(filter, for: caller).filter(inState)
            list = AlertList(
                alerts: selected, inhibitors: await inhibitors(of: selected, caller), groupBy: form.group,
                links: renderer.links, page: pageNumber)
        }
        return page("Alerts", .alerts, caller, renderer.alerts(list, form: form, error: nil))
    }

    /// How many timeline events a detail page shows at once.
    static var timelinePage: Int { 200 }
    /// How many of a group's alerts the group page reads the timelines of.
    static var groupTimelineAlerts: Int { 20 }

    /// One alert: labels, state, why it is muted, its routes, notifications and timeline. Another tenant's alert
    /// (and an unknown fingerprint) is "not found", as in the API.
    private func alertDetail(_ text: String, _ query: QueryParameters, _ caller: Caller) async -> Response {
        guard caller.may(.readAlerts) else { return forbidden(caller, .readAlerts) }
        let notFound = page(
            "Alert", .alerts, caller,
            renderer.message(title: "Alert not found", message: "No alert \(text) that you may see."),
            status: .notFound)
        guard let fingerprint = Fingerprint(hex: text) else { return notFound }
        let alert = await api.alert(fingerprint, for: caller)
        var history = HistoryQuery(fingerprint: fingerprint)
        history.after = query.values("cursor").last.flatMap { Int64($0) }
        let events: [HistoryEvent]
        let next: Int64?
        do {
            (events, next) = try await api.history(history, matchers: [], limit: Self.timelinePage, for: caller)
        } catch {
            return page(
                "Alert", .alerts, caller,
                renderer.message(title: "Reading the timeline failed", message: "\(error)"),
                status: .internalServerError)
        }
        // An alert no longer held is shown from its timeline, which is scoped like the history API.
        guard alert != nil || !events.isEmpty else { return notFound }
        let explanation: ExplainResponse? =
            if let alert { await api.explanation(of: alert.labels, at: nil, for: caller) } else { nil }
        let detail = AlertDetail(
            alert: alert, fingerprint: fingerprint.description, explanation: explanation, events: events,
            next: next.map { renderer.links.alert(fingerprint.description) + "?cursor=\($0)" }, links: renderer.links,
            now: api.now())
        return page(
            detail.alert.name.isEmpty ? "Alert" : detail.alert.name, .alerts, caller, renderer.alertDetail(detail))
    }

    /// One aggregation group (`key`, of receiver `receiver`) with the caller's alerts in it and its timeline; a
    /// group with none of the caller's alerts is "not found".
    private func groupDetail(_ query: QueryParameters, _ caller: Caller) async -> Response {
        guard caller.may(.readAlerts) else { return forbidden(caller, .readAlerts) }
        let key = query.values("key").last ?? ""
        var filter = AlertFilter()
        // The group's labels narrow what is looked at (every alert of the group carries them); the key decides.
        if case .success(let matchers) = Self.matchers(query.values("filter")) { filter.filter = matchers }
        if let receiver = query.values("receiver").last, !receiver.isEmpty {
            filter.receiver = try? Matcher(
                type: .regexMatch, name: "receiver", value: GroupNotification.quoteMeta(receiver))
        }
        guard !key.isEmpty, let group = await api.alertGroups(filter, for: caller).first(where: { $0.groupKey == key })
        else {
            return page(
                "Group", .alerts, caller,
                renderer.message(
                    title: "Group not found",
                    message: "No such group with alerts that you may see (a group exists while it holds alerts)."),
                status: .notFound)
        }
        let sampled = group.alerts.sorted { $0.fingerprint < $1.fingerprint }.prefix(Self.groupTimelineAlerts)
        var events: [HistoryEvent] = []
        for alert in sampled {
            guard let fingerprint = Fingerprint(hex: alert.fingerprint) else { continue }
            if let page = try? await api.history(
                HistoryQuery(fingerprint: fingerprint), matchers: [], limit: Self.timelinePage, for: caller)
            {
                events += page.events
            }
        }
        let detail = GroupDetail(
            group, inhibitors: await inhibitors(of: group.alerts, caller), events: events,
            sampled: group.alerts.count > sampled.count, links: renderer.links)
        return page("Group", .alerts, caller, renderer.groupDetail(detail))
    }

    /// The alerts (among those the caller sees) that inhibit some of `alerts`, by fingerprint; every alert is read
    /// only when some are inhibited.
    private func inhibitors(of alerts: [GettableAlert], _ caller: Caller) async -> [String: GettableAlert] {
        let wanted = Set(alerts.flatMap(\.inhibitedBy))
        guard !wanted.isEmpty else { return [:] }
        var found: [String: GettableAlert] = [:]
        for alert in await api.alerts(AlertFilter(), for: caller) where wanted.contains(alert.fingerprint) {
            found[alert.fingerprint] = alert
        }
        return found
    }

    private func silences(_ query: QueryParameters, _ caller: Caller) async -> Response {
        guard caller.may(.readSilences) else { return forbidden(caller, .readSilences) }
        let texts = query.values("filter")
        var error: String?
        var filter: [SilenceMatcherSpec] = []
        switch Self.matchers(texts) {
        case .failure(let failure): error = failure.message
        case .success(let matchers): filter = matchers.map(SilenceMatcherSpec.init)
        }
        var flash: String?
        if let id = query.values("created").last { flash = "Silence \(id) saved." }
        if let id = query.values("expired").last { flash = "Silence \(id) expired." }
        let list = SilenceList(
            silences: await api.silences(for: caller), filter: filter, highlight: query.values("id").last ?? "",
            links: renderer.links)
        return page(
            "Silences", .silences, caller,
            renderer.silences(list, filter: texts.joined(separator: ", "), flash: flash, error: error))
    }

    /// The silence editor: a new silence pre-filled from `filter` (and the caller's tenant matcher), or an
    /// existing one (`id`) to edit or extend.
    private func editor(_ query: QueryParameters, _ caller: Caller) async -> Response {
        guard caller.may(.readSilences) else { return forbidden(caller, .readSilences) }
        var editor = SilenceEditor(
            matchers: query.values("filter").joined(separator: ", "), createdBy: caller.name,
            tenantHint: tenantHint(caller))
        if let id = query.values("id").last, !id.isEmpty {
            guard let silence = await api.silences(for: caller).first(where: { $0.id == id }) else {
                return page(
                    "Silence", .silences, caller,
                    renderer.message(title: "Silence not found", message: "No silence \(id) that you may see."),
                    status: .notFound)
            }
            editor.id = silence.state == .expired ? "" : silence.id
            editor.matchers = UILinks.matcherList(silence.matchers)
            editor.createdBy = silence.createdBy
            editor.comment = silence.comment
            let remaining = max(60, silence.endsAt.timeIntervalSince(api.now()))
            editor.duration = PromDuration(milliseconds: Int64(remaining * 1000) / 60000 * 60000).description
        } else if let hint = editor.tenantHint {
            editor.matchers = Self.withTenantMatcher(editor.matchers, hint: hint, label: tenantLabel(for: caller))
        }
        let (preview, previewError) = await preview(editor.matchers, caller)
        editor.preview = preview
        return page("Silence", .silences, caller, renderer.silenceEditor(editor, previewError: previewError))
    }

    /// The matcher a tenant-confined caller's silences need, nil for one that sees every tenant.
    private func tenantHint(_ caller: Caller) -> String? {
        guard case .principal(let principal, let label) = caller else { return nil }
        return SilenceEditor.tenantMatcher(scope: principal.scope, tenantLabel: label)
    }

    /// `text` with `hint` added when it has no matcher on the tenant label yet.
    static func withTenantMatcher(_ text: String, hint: String, label: String) -> String {
        guard case .success(let matchers) = Self.matchers([text]) else { return text }
        if matchers.contains(where: { $0.name == label }) { return text }
        let specs = matchers.map { $0.description } + [hint]
        return "{" + specs.joined(separator: ",") + "}"
    }

    /// The alerts a silence with these matchers would match now, for a caller who may read alerts.
    private func preview(_ text: String, _ caller: Caller) async -> (SilenceEditor.Preview?, String?) {
        guard caller.may(.readAlerts) else { return (nil, "\(caller.name) may not \(Action.readAlerts.rawValue)") }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { return (nil, nil) }
        switch SilenceEditor.parseMatchers(text) {
        case .failure(let error): return (nil, error.message)
        case .success(let matchers):
            // A silence's matchers select alerts as the API's filter does (an absent label reads as "").
            let matching = await api.alerts(AlertFilter(filter: matchers), for: caller)
            let preview = SilenceEditor.preview(
                matching, inhibitors: await inhibitors(of: matching, caller), links: renderer.links)
            return (preview, nil)
        }
    }

    private func previewFragment(_ query: QueryParameters, _ caller: Caller) async -> Response {
        guard caller.may(.readAlerts) else { return forbidden(caller, .readAlerts) }
        let (preview, error) = await preview(query.values("matchers").last ?? "", caller)
        return html(renderer.preview(preview, error: error), status: .ok)
    }

    private func postSilence(_ form: QueryParameters, _ origin: RequestOrigin) async -> Response {
        let caller = origin.caller
        guard caller.may(.readSilences) else { return forbidden(caller, .readSilences) }
        func field(_ name: String) -> String { form.values(name).last ?? "" }
        var editor = SilenceEditor(
            matchers: field("matchers"), duration: field("duration"), createdBy: field("createdBy"),
            comment: field("comment"), id: field("id"), tenantHint: tenantHint(caller))
        func again(_ error: String?, status: HTTPResponse.Status) async -> Response {
            editor.error = error
            let (preview, previewError) = await preview(editor.matchers, caller)
            editor.preview = preview
            return page(
                "Silence", .silences, caller, renderer.silenceEditor(editor, previewError: previewError),
                status: status)
        }
        let matchers: [Matcher]
        switch SilenceEditor.parseMatchers(editor.matchers) {
        case .failure(let error): return await again(error.message, status: .badRequest)
        case .success(let parsed): matchers = parsed
        }
        if field("action") == "preview" { return await again(nil, status: .ok) }
        guard caller.may(.writeSilences) else { return forbidden(caller, .writeSilences) }
        let duration: PromDuration
        do {
            duration = try PromDuration(parsing: editor.duration.trimmingCharacters(in: .whitespaces))
        } catch {
            return await again("duration: \(error)", status: .badRequest)
        }
        let now = api.now()
        let postable = PostableSilence(
            id: editor.id, matchers: matchers.map(SilenceMatcherSpec.init), startsAt: now,
            endsAt: now.addingTimeInterval(duration.seconds), createdBy: editor.createdBy, comment: editor.comment)
        switch await api.setSilence(postable, origin: origin) {
        case .failure(let refusal): return await again(refusal.message, status: refusal.status)
        case .success(let id):
            return redirect(renderer.links.page("silences", [("created", id), ("id", id)]))
        }
    }

    private func expire(id: String, _ origin: RequestOrigin) async -> Response {
        let caller = origin.caller
        guard caller.may(.writeSilences) else { return forbidden(caller, .writeSilences) }
        if let refusal = await api.expireSilence(id: id, origin: origin) {
            return page(
                "Silences", .silences, caller,
                renderer.message(title: "Silence not expired", message: refusal.message), status: refusal.status)
        }
        return redirect(renderer.links.page("silences", [("expired", id), ("id", id)]))
    }

    private func status(_ caller: Caller) async -> Response {
        guard caller.may(.readStatus) else { return forbidden(caller, .readStatus) }
        let model = renderer.statusModel(
            await api.status(for: caller), receivers: await api.receivers(for: caller),
            lastReload: await api.backend.lastReload(), showsReloadError: caller.seesEverything, now: api.now())
        return page("Status", .status, caller, renderer.status(model))
    }

    // MARK: Requests and responses

    /// A form body (`application/x-www-form-urlencoded`).
    private func form(_ request: Request) async throws -> QueryParameters {
        let body = try await request.body.collect(upTo: maxFormBytes)
        return QueryParameters(String(buffer: body))
    }

    /// Forms are accepted from the UI's own pages only (a cross-site form cannot post a silence with the browser's
    /// basic-auth credentials): the browser's `Sec-Fetch-Site`, else `Origin`, else `Referer` must name this origin.
    private func crossOrigin(_ request: Request) -> Response? {
        if let site = request.headers.first(where: { $0.name.canonicalName == "sec-fetch-site" })?.value {
            return site == "same-origin" || site == "none" ? nil : Self.csrfRefusal
        }
        let claimed: String? = request.headers[.origin] ?? request.headers[.referer].map(Self.origin(of:))
        guard let claimed, claimed != "null" else { return Self.csrfRefusal }
        var accepted = [Self.origin(of: externalURL)]
        if let host = request.head.authority { accepted += ["http://\(host)", "https://\(host)"] }
        return accepted.contains(claimed) ? nil : Self.csrfRefusal
    }

    private static var csrfRefusal: Response {
        APIResponse.plainText("cross-origin form post refused\n", status: .forbidden)
    }

    /// `scheme://host[:port]` of a URL.
    static func origin(of url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        return String(url[..<scheme.upperBound] + rest[..<end]).lowercased()
    }

    private func forbidden(_ caller: Caller, _ action: Action) -> Response {
        page(
            "Forbidden", .none, caller,
            renderer.message(
                title: "Forbidden", message: "\(caller.name) may not \(action.rawValue) (see the access file)"),
            status: .forbidden)
    }

    private func page(
        _ title: String, _ section: UIRenderer.Section, _ caller: Caller, _ body: String,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        html(renderer.page(title: title, section: section, user: caller.name, body: body), status: status)
    }

    private func html(_ text: String, status: HTTPResponse.Status) -> Response {
        var headers = Self.securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    private func asset(_ text: String, type: String) -> Response {
        var headers = Self.securityHeaders
        headers[.contentType] = type
        headers[.cacheControl] = "max-age=300"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// After a form post: 303 to the page that shows the result.
    private func redirect(_ location: String) -> Response {
        var headers = Self.securityHeaders
        headers[.location] = location
        return Response(status: .seeOther, headers: headers, body: ResponseBody())
    }

    /// Scripts and styles come from the UI's own assets only; pages cannot be framed.
    private static var securityHeaders: HTTPFields {
        var headers = HTTPFields()
        headers[.contentSecurityPolicy] =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        headers[.xContentTypeOptions] = "nosniff"
        return headers
    }
}
