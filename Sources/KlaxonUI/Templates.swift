/// The pages' Mustache templates, embedded in the binary (no file is read at run time). `{{x}}` is HTML-escaped;
/// `{{{x}}}` is used only for HTML the renderer made itself.
enum Templates {
    static let layout = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · Klaxon</title>
        <link rel="stylesheet" href="{{base}}/ui/assets/klaxon.css">
        <script src="{{base}}/ui/assets/klaxon.js" defer></script>
        </head>
        <body data-base="{{base}}">
        <header>
        <a class="brand" href="{{base}}/ui/overview">Klaxon</a>
        <nav>
        <a href="{{base}}/ui/overview"{{#isOverview}} class="current"{{/isOverview}}>Overview</a>
        <a href="{{base}}/ui/alerts"{{#isAlerts}} class="current"{{/isAlerts}}>Alerts</a>
        <a href="{{base}}/ui/silences"{{#isSilences}} class="current"{{/isSilences}}>Silences</a>
        <a href="{{base}}/ui/status"{{#isStatus}} class="current"{{/isStatus}}>Status</a>
        </nav>
        {{#user}}<span class="user">signed in as {{user}}</span>{{/user}}
        <label class="refresh"><input type="checkbox" id="autorefresh"> refresh every 30 s</label>
        </header>
        <main id="main">
        {{{body}}}
        </main>
        </body>
        </html>

        """

    static let overview = """
        <h1>Overview</h1>
        <p class="summary" id="totals">
        <span class="firing">{{totals.firing}} firing</span> ·
        <span class="silenced">{{totals.silenced}} silenced</span> ·
        <span class="inhibited">{{totals.inhibited}} inhibited</span> ·
        {{totals.total}} alerts in {{tenantCount}} tenants
        </p>
        <section>
        <h2>Tenants</h2>
        <table id="tenants" class="grid">
        <thead><tr>
        {{#columns}}<th><a href="{{link}}"{{#current}} class="current"{{/current}}>{{title}}</a></th>{{/columns}}
        <th>Loudest alerts</th><th></th>
        </tr></thead>
        <tbody>
        {{#tenants}}
        <tr data-tenant="{{tenant}}">
        <td><a href="{{link}}">{{tenant}}</a></td>
        <td class="num firing" data-col="firing">{{firing}}</td>
        <td class="num" data-col="silenced">{{silenced}}</td>
        <td class="num" data-col="inhibited">{{inhibited}}</td>
        <td class="num" data-col="total">{{total}}</td>
        <td>{{#loudest}}<a class="chip" href="{{link}}">{{name}} <b>{{count}}</b></a> {{/loudest}}</td>
        <td><a href="{{silenceLink}}">silence…</a></td>
        </tr>
        {{/tenants}}
        {{^tenants}}<tr><td colspan="7">No tenant has alerts.</td></tr>{{/tenants}}
        </tbody>
        </table>
        {{> pager}}
        </section>
        <section>
        <h2>Spread: alert names in several tenants</h2>
        <table id="spread" class="grid">
        <thead><tr><th>Alert</th><th>Firing in tenants</th><th>Present in tenants</th><th>Alerts</th><th>Tenants</th></tr></thead>
        <tbody>
        {{#spread}}
        <tr data-alertname="{{name}}">
        <td><a href="{{link}}">{{name}}</a></td>
        <td class="num firing" data-col="firingTenants">{{firingTenants}}</td>
        <td class="num" data-col="tenants">{{tenants}}</td>
        <td class="num">{{alerts}}</td>
        <td>{{#sample}}<span class="chip">{{.}}</span> {{/sample}}{{#more}}…{{/more}}</td>
        </tr>
        {{/spread}}
        {{^spread}}<tr><td colspan="5">No alert name is present in more than one tenant.</td></tr>{{/spread}}
        </tbody>
        </table>
        </section>
        {{#platform}}
        <section>
        <h2>Platform alerts (no {{tenantLabel}} label)</h2>
        <p id="platform"><a href="{{link}}">{{total}} alerts</a>: {{firing}} firing, {{silenced}} silenced, {{inhibited}} inhibited.
        {{#loudest}}<a class="chip" href="{{link}}">{{name}} <b>{{count}}</b></a> {{/loudest}}</p>
        </section>
        {{/platform}}

        """

    static let pager = """
        {{#pager}}<nav class="pager">{{#previous}}<a href="{{.}}">← previous</a>{{/previous}}
        page {{page}} of {{pages}}
        {{#next}}<a href="{{.}}">next →</a>{{/next}}</nav>{{/pager}}

        """

    static let alertRow = """
        <li class="alert {{state}}" data-fingerprint="{{fingerprint}}">
        <div class="head"><a class="alertname" href="{{detailLink}}">{{name}}</a>
        <span class="state state-{{state}}">{{#firing}}firing{{/firing}}{{^firing}}suppressed{{/firing}}</span>
        <span class="since">since {{startsAt}}</span>
        {{#generatorURL}}<a class="source" href="{{.}}" rel="noreferrer">source</a>{{/generatorURL}}
        <a class="action" href="{{silenceLink}}">silence…</a></div>
        <div class="labels">{{#labels}}<a class="label" href="{{link}}">{{name}}="{{value}}"</a> {{/labels}}</div>
        {{#annotations}}<div class="annotation"><span class="key">{{name}}</span> {{value}}</div>{{/annotations}}
        {{#silencedBy}}<div class="why">silenced by <a class="silence-ref" href="{{link}}">{{id}}</a></div>{{/silencedBy}}
        {{#inhibitedBy}}<div class="why">inhibited by {{#link}}<a class="inhibitor-ref" href="{{.}}">{{labels}}</a>{{/link}}{{^link}}alert {{fingerprint}}{{/link}}</div>{{/inhibitedBy}}
        <div class="receivers">receivers: {{receivers}}</div>
        </li>

        """

    static let alerts = """
        <h1>Alerts</h1>
        <form class="filter" method="get" action="{{base}}/ui/alerts">
        <label>Filter <input type="text" name="filter" id="filter" size="60" value="{{filter}}" placeholder='{alertname="HighLatency", severity=~"critical|page"}'></label>
        <label>Group by <input type="text" name="group" id="group" size="14" value="{{group}}" placeholder="the route's groups"></label>
        <label>Receiver <input type="text" name="receiver" size="14" value="{{receiver}}"></label>
        <label>Show <select name="state">
        {{#states}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{title}}</option>{{/states}}
        </select></label>
        <button type="submit">Apply</button>
        </form>
        {{#error}}<p class="error" id="error">{{.}}</p>{{/error}}
        <p class="summary" id="count">{{list.total}} alerts</p>
        {{#list.byRouteGroups}}<p class="hint">Grouped as the routing tree groups them for notification (each route's <code>group_by</code>); an alert that several routes take is shown in each of their groups.</p>{{/list.byRouteGroups}}
        {{#list.groups}}
        <section class="group">
        <h2>{{#receiver}}<span class="receiver">{{.}}</span> {{/receiver}}{{#link}}<a class="group-link" href="{{.}}">{{title}}</a>{{/link}}{{^link}}{{title}}{{/link}} <small>{{count}}</small></h2>
        <ul class="alerts">
        {{#alerts}}{{> alertRow}}{{/alerts}}
        </ul>
        </section>
        {{/list.groups}}
        {{> pager}}

        """

    static let preview = """
        <div id="preview-result">
        {{#preview}}
        <p class="summary" id="preview-count">The silence would match {{total}} alerts now{{#truncated}} (first ones shown){{/truncated}}.</p>
        <ul class="alerts">{{#alerts}}{{> alertRow}}{{/alerts}}</ul>
        {{/preview}}
        {{^preview}}<p class="summary">{{#previewError}}{{.}}{{/previewError}}{{^previewError}}Enter matchers to see the alerts they match.{{/previewError}}</p>{{/preview}}
        </div>

        """

    static let silenceEditor = """
        <h1>{{#isEdit}}Edit silence{{/isEdit}}{{^isEdit}}New silence{{/isEdit}}</h1>
        {{#editor.error}}<p class="error" id="error">{{.}}</p>{{/editor.error}}
        <form method="post" action="{{base}}/ui/silences" class="editor" id="silence-form">
        <input type="hidden" name="id" value="{{editor.id}}">
        <label>Matchers <input type="text" name="matchers" id="matchers" size="80" value="{{editor.matchers}}" placeholder='{alertname="HighLatency", tenant_id="acme"}' required></label>
        {{#editor.tenantHint}}<p class="hint">Your silences must be confined to your tenants: keep <code>{{.}}</code>.</p>{{/editor.tenantHint}}
        <label>Duration <input type="text" name="duration" id="duration" size="8" value="{{editor.duration}}"></label>
        <label>Created by <input type="text" name="createdBy" id="createdBy" size="24" value="{{editor.createdBy}}" required></label>
        <label>Comment <textarea name="comment" id="comment" rows="3" cols="60" required>{{editor.comment}}</textarea></label>
        <button type="submit" name="action" value="preview" id="preview-button">Preview</button>
        <button type="submit" name="action" value="create" id="create-button">{{#isEdit}}Update{{/isEdit}}{{^isEdit}}Create{{/isEdit}}</button>
        </form>
        <section id="preview">
        <h2>Alerts it matches now</h2>
        {{> preview}}
        </section>

        """

    static let silences = """
        <h1>Silences</h1>
        {{#flash}}<p class="flash" id="flash">{{.}}</p>{{/flash}}
        {{#error}}<p class="error" id="error">{{.}}</p>{{/error}}
        <form class="filter" method="get" action="{{base}}/ui/silences">
        <label>Filter <input type="text" name="filter" size="60" value="{{filter}}"></label>
        <button type="submit">Apply</button>
        <a class="button" href="{{base}}/ui/silences/new" id="new-silence">New silence</a>
        </form>
        {{#hasWindows}}
        <section>
        <h2>Maintenance windows</h2>
        <table class="grid" id="windows"><thead><tr><th>Key</th><th>Matchers</th><th>Until</th><th>Pipeline</th><th>Commit</th><th>Actor</th></tr></thead>
        <tbody>
        {{#list.windows}}
        <tr><td>{{window.key}}</td><td><code>{{matchers}}</code></td><td>{{endsAt}}</td>
        <td>{{#window.pipelineURL}}<a href="{{.}}" rel="noreferrer">pipeline</a>{{/window.pipelineURL}}</td>
        <td>{{window.commit}}</td><td>{{window.actor}}</td></tr>
        {{/list.windows}}
        </tbody></table></section>
        {{/hasWindows}}
        {{#list.sections}}
        <section class="silences">
        <h2>{{title}} <small>{{count}}</small></h2>
        <ul class="silences">
        {{#silences}}
        <li class="silence {{state}}{{#highlighted}} highlighted{{/highlighted}}" id="silence-{{id}}" data-silence-id="{{id}}">
        <div class="head"><code class="matchers">{{matchers}}</code> <span class="state state-{{state}}">{{state}}</span></div>
        <div>{{startsAt}} → {{endsAt}} · by {{createdBy}}</div>
        <div class="comment">{{comment}}</div>
        {{#window}}<div class="window">maintenance window <b>{{key}}</b>{{#commit}} · commit {{.}}{{/commit}}{{#actor}} · by {{.}}{{/actor}}</div>{{/window}}
        <div class="actions"><a href="{{alertsLink}}">matching alerts</a>
        {{#expirable}}<form method="post" action="{{base}}/ui/silences/{{id}}/expire" class="inline">
        <button type="submit" class="expire">Expire</button></form>{{/expirable}}</div>
        </li>
        {{/silences}}
        {{^silences}}<li class="none">None.</li>{{/silences}}
        </ul>
        </section>
        {{/list.sections}}

        """

    static let status = """
        <h1>Status</h1>
        <table class="grid" id="status">
        <tr><th>Version</th><td id="version">{{version}}</td></tr>
        <tr><th>Revision</th><td>{{revision}}</td></tr>
        <tr><th>Built with</th><td>{{toolchain}}</td></tr>
        <tr><th>Started</th><td>{{startedAt}} (up {{uptime}})</td></tr>
        <tr><th>Cluster</th><td>{{cluster}}</td></tr>
        {{#reload}}
        <tr><th>Last reload</th><td id="reload" class="{{#succeeded}}reload-ok{{/succeeded}}{{^succeeded}}reload-failed{{/succeeded}}">
        {{#succeeded}}succeeded at {{time}}{{/succeeded}}
        {{^succeeded}}<b>failed</b> at {{time}}: <span id="reload-error">{{error}}</span><br>the configuration loaded at {{appliedAt}} is still in force{{/succeeded}}
        </td></tr>
        {{/reload}}
        </table>
        <h2>Receivers</h2>
        <ul id="receivers">{{#receivers}}<li><a href="{{link}}">{{name}}</a></li>{{/receivers}}</ul>
        <h2>Configuration</h2>
        <pre id="config">{{config}}</pre>

        """

    static let timeline = """
        <table class="grid timeline" id="timeline">
        <thead><tr><th>Time</th><th>Event</th><th>Receiver</th><th>Detail</th></tr></thead>
        <tbody>
        {{#timeline.entries}}
        <tr class="event {{kind}}{{#failed}} failed{{/failed}}" data-kind="{{kind}}">
        <td>{{time}}</td><td>{{summary}}{{#links}} <a href="{{href}}">{{title}}</a>{{/links}}</td><td>{{target}}</td><td>{{detail}}</td>
        </tr>
        {{/timeline.entries}}
        {{^timeline.entries}}<tr><td colspan="4">No events (the timeline is kept for --history.retention; --history.max-events=0 keeps none).</td></tr>{{/timeline.entries}}
        </tbody>
        </table>
        {{#timeline.next}}<nav class="pager"><a href="{{.}}" id="timeline-next">later events →</a></nav>{{/timeline.next}}

        """

    static let alertDetail = """
        <h1><span class="alertname">{{detail.alert.name}}</span> <span class="state state-{{detail.status}}" id="alert-state">{{detail.status}}</span></h1>
        <p class="summary">fingerprint <code id="fingerprint">{{detail.alert.fingerprint}}</code>{{#detail.held}} · since {{detail.alert.startsAt}}{{#detail.endsAt}} · ends {{.}}{{/detail.endsAt}}{{#detail.updatedAt}} · updated {{.}}{{/detail.updatedAt}}{{/detail.held}}
        {{#detail.alert.generatorURL}} · <a class="source" href="{{.}}" rel="noreferrer">source</a>{{/detail.alert.generatorURL}}
        · <a class="action" href="{{detail.alert.silenceLink}}">silence…</a></p>
        {{^detail.held}}<p class="hint">The alert is no longer held (resolved and dropped); what the timeline kept of it is shown.</p>{{/detail.held}}
        <section>
        <h2>Labels</h2>
        <div class="labels" id="labels">{{#detail.alert.labels}}<a class="label" href="{{link}}">{{name}}="{{value}}"</a> {{/detail.alert.labels}}</div>
        {{#hasAnnotations}}<h2>Annotations</h2>{{/hasAnnotations}}
        <dl class="annotations" id="annotations">{{#detail.alert.annotations}}<dt>{{name}}</dt><dd>{{value}}</dd>{{/detail.alert.annotations}}</dl>
        </section>
        {{#detail.held}}
        <section id="why">
        <h2>Why it is {{#muted}}muted{{/muted}}{{^muted}}not muted{{/muted}}</h2>
        <ul>
        {{#detail.silences}}<li class="why why-silence">silenced by {{#link}}<a class="silence-ref" href="{{.}}">{{id}}</a>{{/link}}{{#hidden}}a silence outside your tenants{{/hidden}} ({{state}} until {{endsAt}}){{^hidden}} · by {{createdBy}}: {{comment}}{{/hidden}}{{#maintenanceKey}} · maintenance window <b>{{.}}</b>{{/maintenanceKey}}</li>{{/detail.silences}}
        {{#detail.inhibitors}}<li class="why why-inhibitor">inhibited by {{#link}}<a class="inhibitor-ref" href="{{.}}">{{labels}}</a>{{/link}}{{#hidden}}an alert outside your tenants{{/hidden}} under {{rule}}</li>{{/detail.inhibitors}}
        {{^muted}}<li>No silence matches it and no firing alert inhibits it.</li>{{/muted}}
        </ul>
        </section>
        <section>
        <h2>Routes</h2>
        <table class="grid" id="routes">
        <thead><tr><th>Receiver</th><th>Group</th><th>Timers (wait / interval / repeat)</th><th>Now</th><th>Last notified</th><th>Next flush</th></tr></thead>
        <tbody>
        {{#detail.routes}}
        <tr data-receiver="{{receiver}}"><td>{{receiver}}</td><td><a class="group-link" href="{{groupLink}}">group by {{groupBy}}</a></td><td>{{timers}}</td>
        <td class="{{#notifies}}notify{{/notifies}}{{^notifies}}suppressed{{/notifies}}">{{verdict}}</td><td>{{lastNotified}}</td><td>{{nextFlush}}</td></tr>
        {{/detail.routes}}
        </tbody>
        </table>
        </section>
        {{/detail.held}}
        <section>
        <h2>Notifications <small>{{notificationCount}}</small></h2>
        <table class="grid" id="notifications">
        <thead><tr><th>Time</th><th>Outcome</th><th>Receiver</th><th>Detail</th></tr></thead>
        <tbody>
        {{#detail.notifications}}<tr class="{{#failed}}failed{{/failed}}"><td>{{time}}</td><td>{{summary}}</td><td>{{target}}</td><td>{{detail}}</td></tr>{{/detail.notifications}}
        {{^detail.notifications}}<tr><td colspan="4">No notification has carried it yet.</td></tr>{{/detail.notifications}}
        </tbody>
        </table>
        </section>
        <section>
        <h2>Timeline</h2>
        {{> timeline}}
        </section>

        """

    static let groupDetail = """
        <h1>Group <span class="receiver">{{group.receiver}}</span></h1>
        <p class="summary">group key <code id="group-key">{{group.groupKey}}</code></p>
        <div class="labels" id="group-labels">{{#group.labels}}<a class="label" href="{{link}}">{{name}}="{{value}}"</a> {{/group.labels}}</div>
        <section>
        <h2>Alerts <small>{{alertCount}}</small></h2>
        <p><a href="{{group.alertsLink}}">in the alert list</a></p>
        <ul class="alerts">
        {{#group.alerts}}{{> alertRow}}{{/group.alerts}}
        </ul>
        </section>
        <section>
        <h2>Timeline</h2>
        {{#group.timelineSampled}}<p class="hint">From the timelines of the group's first alerts only; <code>klaxonctl history</code> reads every event.</p>{{/group.timelineSampled}}
        {{> timeline}}
        </section>

        """

    static let message = """
        <h1>{{title}}</h1>
        <p class="error">{{message}}</p>

        """
}
