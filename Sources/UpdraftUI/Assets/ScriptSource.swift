/// The UI's only script, hand-written, no build step. Pages work without it (read-only); it adds
/// the API calls of buttons and switches (with the session's CSRF token), live grid updates (server-sent
/// events), group expansion, log following, chart zoom and keyboard moves in the grid.
enum ScriptSource {
    static let text = #"""
        "use strict";
        (function () {
          const csrf = () => { const m = document.querySelector('meta[name="csrf-token"]'); return m ? m.content : ""; };
          const $ = (s, r) => (r || document).querySelector(s);
          const $$ = (s, r) => Array.from((r || document).querySelectorAll(s));

          async function api(method, url, body) {
            const headers = { "X-CSRF-Token": csrf(), "Accept": "application/json" };
            if (body !== undefined) headers["Content-Type"] = "application/json";
            const r = await fetch(url, { method, headers, credentials: "same-origin",
              body: body === undefined ? undefined : JSON.stringify(body) });
            let data = null;
            try { data = await r.json(); } catch (e) { data = null; }
            return { ok: r.ok, status: r.status, data };
          }

          function message(result) {
            const d = result.data && result.data.detail;
            if (typeof d === "string") return d;
            if (Array.isArray(d)) return d.map(x => (x.loc ? x.loc.join(".") + ": " : "") + x.msg).join("; ");
            return "The server answered " + result.status;
          }

          function flash(text, isError) {
            let box = $("#flash");
            if (!box) { box = document.createElement("div"); box.id = "flash"; box.setAttribute("role", "status"); $("main").prepend(box); }
            box.className = isError ? "notice error" : "notice";
            box.textContent = text;
          }

          // Buttons that call the API: data-api="METHOD URL", data-body (JSON), data-confirm, data-then.
          document.addEventListener("click", async (event) => {
            const button = event.target.closest("[data-api]");
            if (!button) return;
            event.preventDefault();
            if (button.dataset.confirm && !confirm(button.dataset.confirm)) return;
            const [method, url] = button.dataset.api.split(" ");
            const body = button.dataset.body ? JSON.parse(button.dataset.body) : undefined;
            button.disabled = true;
            const result = await api(method, url, body);
            button.disabled = false;
            if (!result.ok) { flash(message(result), true); return; }
            const then = button.dataset.then || "reload";
            if (then === "reload") location.reload(); else location.href = then;
          });

          // Pause toggles: PATCH {is_paused}.
          document.addEventListener("change", async (event) => {
            const box = event.target.closest("input[data-pause]");
            if (!box) return;
            box.disabled = true;
            const result = await api("PATCH", box.dataset.pause, { is_paused: !box.checked });
            box.disabled = false;
            if (!result.ok) { box.checked = !box.checked; flash(message(result), true); return; }
            const label = box.parentElement.querySelector("[data-pause-label]");
            if (label) label.textContent = result.data.is_paused ? "paused" : "active";
            box.setAttribute("aria-checked", String(!result.data.is_paused));
          });

          // The grid: groups expand in place (only that group's rows are fetched), and the rows
          // follow the store through server-sent events.
          const grid = $("[data-grid]");
          if (grid) {
            const expanded = new Set((grid.dataset.expanded || "").split(",").filter(Boolean));
            const rowsURL = (extra) => grid.dataset.rows + (grid.dataset.rows.includes("?") ? "&" : "?") + extra;
            grid.addEventListener("click", async (event) => {
              const toggle = event.target.closest("a[data-toggle]");
              if (!toggle) return;
              event.preventDefault();
              const group = toggle.dataset.toggle;
              const row = toggle.closest("tr");
              if (expanded.has(group)) {
                for (const g of [...expanded]) if (g === group || g.startsWith(group + ".")) expanded.delete(g);
                $$("tr[data-in]", grid).forEach(r => { if (r.dataset.in === group || r.dataset.in.startsWith(group + ".")) r.remove(); });
                toggle.setAttribute("aria-expanded", "false"); toggle.textContent = "▸";
              } else {
                expanded.add(group);
                const r = await fetch(rowsURL("group=" + encodeURIComponent(group)), { credentials: "same-origin" });
                if (!r.ok) { flash("Could not load group " + group + ": " + r.status, true); return; }
                row.insertAdjacentHTML("afterend", await r.text());
                toggle.setAttribute("aria-expanded", "true"); toggle.textContent = "▾";
              }
              grid.dispatchEvent(new CustomEvent("updraft:toggled"));
              const url = new URL(location.href);
              if (expanded.size) url.searchParams.set("expand", [...expanded].join(",")); else url.searchParams.delete("expand");
              history.replaceState(null, "", url);
            });
            const live = $("[data-live-status]");
            // One refresh at a time; a change (or a toggle) during one asks for another after it.
            let pending = false, again = false, shown = null;
            async function refresh() {
              if (pending) { again = true; return; }
              pending = true;
              try {
                do {
                  again = false;
                  const r = await fetch(rowsURL("expand=" + encodeURIComponent([...expanded].join(",")) + "&whole=1"), { credentials: "same-origin" });
                  if (!r.ok) break;
                  const text = await r.text();
                  if (again) continue;
                  // The store changes for reasons the table does not show (heartbeats, leases):
                  // an identical table is left in place, with its focus and its elements.
                  if (text === shown) continue;
                  shown = text;
                  const holder = document.createElement("table"); holder.innerHTML = text;
                  const newHead = $("thead", holder), newBody = $("tbody", holder);
                  const focused = document.activeElement && document.activeElement.getAttribute("href");
                  if (newHead) $("thead", grid).replaceWith(newHead);
                  if (newBody) $("tbody", grid).replaceWith(newBody);
                  if (focused) { const back = $('a[href="' + CSS.escape(focused) + '"]', grid); if (back) back.focus(); }
                } while (again);
              } finally { pending = false; }
            }
            // A toggle changed the rows by hand: the next table is swapped in whatever it holds.
            grid.addEventListener("updraft:toggled", () => { shown = null; if (pending) again = true; });
            // The stream is open while the tab is visible: a hidden tab gives its connection back
            // (browsers allow six per server) and looks again when it is shown.
            let source = null;
            function connect() {
              if (source || !grid.dataset.events || !window.EventSource) return;
              source = new EventSource(grid.dataset.events);
              let connected = false;
              // `ready` comes at each (re)connection: changes may have been missed meanwhile.
              source.addEventListener("ready", () => { if (connected) refresh(); connected = true; });
              source.addEventListener("change", () => { refresh(); });
              source.onopen = () => { if (live) { live.classList.add("on"); live.textContent = "live"; } };
              source.onerror = () => {
                if (!live) return;
                live.classList.remove("on");
                live.textContent = source && source.readyState === EventSource.CLOSED ? "not live: reload the page (signed out?)" : "reconnecting…";
              };
            }
            document.addEventListener("visibilitychange", () => {
              if (document.hidden) {
                if (source) { source.close(); source = null; }
                if (live) { live.classList.remove("on"); live.textContent = "paused"; }
              } else { connect(); refresh(); }
            });
            if (!document.hidden) connect();
            // Arrow keys move between cells.
            grid.addEventListener("keydown", (event) => {
              const cell = event.target.closest("td,th"); if (!cell) return;
              const moves = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
              const move = moves[event.key]; if (!move) return;
              const row = cell.parentElement, rows = $$("tr", grid);
              const r = rows.indexOf(row) + move[0], c = Array.from(row.children).indexOf(cell) + move[1];
              const target = rows[r] && rows[r].children[c];
              const link = target && target.querySelector("a");
              if (link) { event.preventDefault(); link.focus(); }
            });
          }

          // A running try's log follows the file (NDJSON from the API) until the try ends.
          const log = $("pre[data-follow]");
          if (log && window.ReadableStream) {
            (async () => {
              const r = await fetch(log.dataset.follow, { credentials: "same-origin", headers: { "Accept": "application/x-ndjson" } });
              if (!r.ok || !r.body) return;
              const status = $("[data-follow-status]"); if (status) status.textContent = "following…";
              const reader = r.body.getReader(); const decoder = new TextDecoder(); let rest = "";
              for (;;) {
                const { value, done } = await reader.read();
                if (done) break;
                rest += decoder.decode(value, { stream: true });
                const lines = rest.split("\n"); rest = lines.pop();
                for (const line of lines) {
                  if (!line) continue;
                  const m = JSON.parse(line);
                  const text = (m.timestamp ? "[" + m.timestamp + "] " : "") + (m.level ? m.level.toUpperCase() + " - " : "") + (m.event || "");
                  log.append(document.createTextNode(text + "\n"));
                  if (log.scrollHeight - log.scrollTop - log.clientHeight < 80) log.scrollTop = log.scrollHeight;
                }
              }
              if (status) status.textContent = "the try has ended";
              if (log.dataset.reloadWhenDone !== undefined) location.reload();
            })();
          }

          // Charts zoom by dragging across the plot: the page reloads for the chosen time range.
          for (const svg of $$("svg[data-zoom]")) {
            const x0 = Number(svg.dataset.plotLeft), x1 = Number(svg.dataset.plotRight);
            const t0 = Number(svg.dataset.timeLeft), t1 = Number(svg.dataset.timeRight);
            let start = null, band = null;
            const toX = (event) => { const box = svg.getBoundingClientRect(); const vb = svg.viewBox.baseVal;
              return Math.min(x1, Math.max(x0, (event.clientX - box.left) / box.width * vb.width)); };
            svg.addEventListener("pointerdown", (event) => {
              start = toX(event);
              band = document.createElementNS("http://www.w3.org/2000/svg", "rect");
              band.setAttribute("y", "0"); band.setAttribute("height", String(svg.viewBox.baseVal.height));
              band.setAttribute("fill", "currentColor"); band.setAttribute("opacity", "0.12"); svg.append(band);
            });
            svg.addEventListener("pointermove", (event) => {
              if (start === null) return; const x = toX(event);
              band.setAttribute("x", String(Math.min(start, x))); band.setAttribute("width", String(Math.abs(x - start)));
            });
            svg.addEventListener("pointerup", (event) => {
              if (start === null) return; const end = toX(event); band.remove();
              const a = Math.min(start, end), b = Math.max(start, end); start = null;
              if (b - a < 4) return;
              const time = (x) => Math.round(t0 + (x - x0) / (x1 - x0) * (t1 - t0));
              location.href = svg.dataset.zoom.replace("{from}", String(time(a))).replace("{to}", String(time(b)));
            });
          }

          // Relative times ("3 min ago") from <time datetime>, refreshed each minute.
          function relative() {
            for (const t of $$("time[data-relative]")) {
              const seconds = Math.round((Date.now() - Date.parse(t.dateTime)) / 1000);
              const a = Math.abs(seconds), unit = a < 90 ? [a, "s"] : a < 5400 ? [Math.round(a / 60), "min"] : a < 129600 ? [Math.round(a / 3600), "h"] : [Math.round(a / 86400), "d"];
              t.textContent = seconds >= 0 ? unit[0] + " " + unit[1] + " ago" : "in " + unit[0] + " " + unit[1];
            }
          }
          relative(); setInterval(relative, 60000);
        })();
        """#
}
