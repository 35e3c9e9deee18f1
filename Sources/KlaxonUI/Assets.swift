/// The UI's stylesheet and script, embedded in the binary and served under `/ui/assets/`. Hand-written, no build
/// step; every page reads without the script (it only adds refresh, the live silence preview and the mapping of
/// Alertmanager's `#/...` links).
public enum UIAssets {
    /// `klaxon.css`.
    public static let css = """
        :root { --fg: #1d2330; --muted: #667085; --line: #d8dde6; --bg: #f7f8fa; --firing: #c0362c;
          --silenced: #6b5fb5; --inhibited: #a66a00; --ok: #2f7d32; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg);
          background: var(--bg); }
        header { display: flex; gap: 1.5em; align-items: center; padding: .6em 1.2em; background: #1d2330; color: #fff; }
        header a { color: #dfe4ee; text-decoration: none; }
        header a.brand { font-weight: 700; color: #fff; }
        header nav a { margin-right: 1em; }
        header nav a.current { color: #fff; border-bottom: 2px solid #f0b429; }
        header .user, header .refresh { margin-left: auto; color: #aab2c0; font-size: 12px; }
        header .refresh { margin-left: 0; }
        main { padding: 1em 1.2em; max-width: 1400px; }
        h1 { font-size: 20px; margin: .2em 0 .6em; }
        h2 { font-size: 16px; margin: 1.2em 0 .4em; }
        h2 small { color: var(--muted); font-weight: 400; }
        a { color: #1f5fbf; }
        table.grid { border-collapse: collapse; background: #fff; width: 100%; }
        table.grid th, table.grid td { border-bottom: 1px solid var(--line); padding: .35em .6em; text-align: left;
          vertical-align: top; }
        table.grid th a.current { font-weight: 700; text-decoration: underline; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        .firing { color: var(--firing); font-weight: 600; }
        .silenced { color: var(--silenced); }
        .inhibited { color: var(--inhibited); }
        .chip { display: inline-block; padding: 0 .5em; margin: 1px 0; border: 1px solid var(--line); border-radius: 9px;
          background: #fff; font-size: 12px; text-decoration: none; color: var(--fg); }
        .summary { color: var(--muted); }
        .error { color: var(--firing); background: #fdecea; padding: .4em .7em; border-radius: 4px; }
        .flash { color: var(--ok); background: #e8f5e9; padding: .4em .7em; border-radius: 4px; }
        .hint { color: var(--muted); }
        form.filter, form.editor { display: flex; flex-wrap: wrap; gap: .6em 1em; align-items: end; margin-bottom: .8em; }
        form.editor { flex-direction: column; align-items: start; }
        form.inline { display: inline; }
        label { display: inline-flex; flex-direction: column; font-size: 12px; color: var(--muted); }
        input, select, textarea, button, a.button { font: inherit; padding: .3em .5em; }
        button, a.button { border: 1px solid #1f5fbf; background: #1f5fbf; color: #fff; border-radius: 4px; cursor: pointer;
          text-decoration: none; }
        button.expire { background: #fff; color: var(--firing); border-color: var(--firing); }
        ul.alerts, ul.silences { list-style: none; padding: 0; margin: 0; }
        li.alert, li.silence { background: #fff; border: 1px solid var(--line); border-left: 4px solid var(--firing);
          border-radius: 4px; padding: .5em .8em; margin: .4em 0; }
        li.alert.suppressed { border-left-color: var(--silenced); }
        li.silence.expired { border-left-color: var(--muted); opacity: .8; }
        li.silence.pending { border-left-color: var(--inhibited); }
        li.silence.active { border-left-color: var(--silenced); }
        li.highlighted { box-shadow: 0 0 0 2px #f0b429; }
        .head { display: flex; gap: .8em; align-items: baseline; flex-wrap: wrap; }
        .head .action, .head .source { font-size: 12px; }
        .since, .receivers, .why, .window { color: var(--muted); font-size: 12px; }
        .why { color: var(--silenced); }
        a.label { display: inline-block; font: 12px ui-monospace, monospace; background: #eef2f8; border-radius: 3px;
          padding: 0 .35em; margin: 1px 0; text-decoration: none; color: var(--fg); }
        .annotation { font-size: 13px; }
        .annotation .key { color: var(--muted); }
        .state { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; }
        .state-active { color: var(--firing); }
        .state-suppressed, .state-pending { color: var(--silenced); }
        .state-expired { color: var(--muted); }
        pre#config { background: #fff; border: 1px solid var(--line); padding: .8em; overflow: auto; max-height: 60vh; }
        nav.pager { margin: .6em 0; color: var(--muted); }
        .state-firing { color: var(--firing); }
        .state-silenced { color: var(--silenced); }
        .state-inhibited { color: var(--inhibited); }
        .state-resolved, .state-gone { color: var(--ok); }
        h1 .state { font-size: 12px; vertical-align: middle; }
        a.alertname { font-weight: 700; text-decoration: none; color: var(--fg); }
        .receiver { display: inline-block; font-size: 12px; font-weight: 600; background: #1d2330; color: #fff;
          border-radius: 3px; padding: 0 .4em; }
        dl.annotations { display: grid; grid-template-columns: max-content auto; gap: .2em 1em; margin: 0; }
        dl.annotations dt { color: var(--muted); }
        dl.annotations dd { margin: 0; white-space: pre-wrap; }
        table.timeline tr.failed td, table.grid tr.failed td { color: var(--firing); }
        td.notify { color: var(--ok); }
        td.suppressed { color: var(--silenced); }
        .reload-ok { color: var(--ok); }
        .reload-failed { color: var(--firing); }

        """

    /// `klaxon.js`.
    public static let js = """
        (function () {
          "use strict";
          var base = document.body ? document.body.getAttribute("data-base") || "" : "";
          // Alertmanager's UI keeps its routes in the fragment (#/silences/new?filter=...); its notification
          // templates link there. Map them to the server-rendered pages.
          function mapFragment(hash) {
            if (hash.indexOf("#/") !== 0) return null;
            var rest = hash.slice(2), query = "", q = rest.indexOf("?");
            if (q >= 0) { query = rest.slice(q); rest = rest.slice(0, q); }
            var parts = rest.split("/").filter(function (p) { return p !== ""; });
            if (parts[0] === "alerts") return base + "/ui/alerts" + query;
            if (parts[0] === "silences") {
              if (parts[1] === "new") return base + "/ui/silences/new" + query;
              if (parts[1]) {
                if (parts[2] === "edit") return base + "/ui/silences/new?id=" + encodeURIComponent(parts[1]);
                return base + "/ui/silences?id=" + encodeURIComponent(parts[1]);
              }
              return base + "/ui/silences" + query;
            }
            if (parts[0] === "status") return base + "/ui/status";
            return base + "/ui/overview" + query;
          }
          var target = mapFragment(window.location.hash);
          if (target) { window.location.replace(target); return; }

          // Refresh every 30 s while the box is ticked (remembered per browser); never on a form being edited.
          var box = document.getElementById("autorefresh");
          if (box) {
            var on = window.localStorage && localStorage.getItem("klaxon.refresh") === "1";
            box.checked = !!on;
            box.addEventListener("change", function () {
              if (window.localStorage) localStorage.setItem("klaxon.refresh", box.checked ? "1" : "0");
            });
            if (!document.getElementById("silence-form")) {
              setInterval(function () { if (box.checked) window.location.reload(); }, 30000);
            }
          }

          // The silence editor's live preview: the alerts the matchers select now, as the server renders them.
          var matchers = document.getElementById("matchers");
          var preview = document.getElementById("preview-result");
          if (matchers && preview) {
            var timer = null, last = matchers.value;
            matchers.addEventListener("input", function () {
              if (timer) clearTimeout(timer);
              timer = setTimeout(function () {
                if (matchers.value === last) return;
                last = matchers.value;
                var url = base + "/ui/silences/preview?matchers=" + encodeURIComponent(matchers.value);
                fetch(url, { credentials: "same-origin" }).then(function (r) { return r.text(); }).then(function (html) {
                  var holder = document.getElementById("preview-result");
                  if (holder) holder.outerHTML = html;
                });
              }, 300);
            });
          }
        })();

        """
}
