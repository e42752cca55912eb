/// The UI's stylesheet: system fonts, light and dark themes from `prefers-color-scheme`, one
/// colour per state (the Okabe–Ito palette, told apart by colour-blind readers, and always with
/// a glyph beside it).
enum StyleSheet {
    static let text = #"""
        :root{--bg:#fff;--fg:#1d2430;--muted:#5b6472;--line:#d8dde5;--panel:#f5f7fa;--link:#0b5cad;--focus:#e69f00;
        --success:#009e73;--failed:#d55e00;--running:#0072b2;--queued:#8a8f98;--scheduled:#b7950b;--up_for_retry:#e6c200;
        --upstream_failed:#cc79a7;--skipped:#56b4e9;--removed:#c5c9cf;--interrupted:#7b4f9e;--none:#eef0f3;--empty:transparent;
        --on-state:#fff;color-scheme:light dark}
        @media (prefers-color-scheme:dark){:root{--bg:#12161c;--fg:#e3e7ed;--muted:#9aa3af;--line:#2d3440;--panel:#1b2129;
        --link:#7fb8f0;--none:#2a313b;--removed:#505864;--on-state:#0b0e12}}
        *{box-sizing:border-box}
        body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
        a{color:var(--link)}
        a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible,[tabindex]:focus-visible{outline:3px solid var(--focus);outline-offset:1px}
        .skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:var(--bg);padding:4px;z-index:9}
        header.top{display:flex;align-items:center;gap:18px;padding:8px 16px;border-bottom:1px solid var(--line);background:var(--panel);flex-wrap:wrap}
        .brand{font-weight:700;text-decoration:none;color:var(--fg);display:flex;align-items:center;gap:6px}
        .nav{display:flex;gap:4px;flex-wrap:wrap}.nav a{padding:4px 10px;border-radius:6px;text-decoration:none;color:var(--fg)}
        .nav a[aria-current=page]{background:var(--line);font-weight:600}
        .user{margin-left:auto;display:flex;gap:10px;align-items:center}.who small{color:var(--muted)}
        main{padding:12px 16px 40px;max-width:1600px}
        h1{font-size:20px;margin:6px 0 12px}h2{font-size:16px;margin:18px 0 8px}
        .crumbs{color:var(--muted);margin-bottom:4px;font-size:13px}
        table{border-collapse:collapse}
        table.list{width:100%}table.list th,table.list td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
        table.list th{font-size:12px;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.03em}
        .num{text-align:right;font-variant-numeric:tabular-nums}
        .muted{color:var(--muted)}.mono,code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
        .badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;white-space:nowrap;background:var(--st);color:var(--on-state)}
        .badge .g{font-weight:700}
        .s-success{--st:var(--success)}.s-failed{--st:var(--failed)}.s-running{--st:var(--running)}.s-queued{--st:var(--queued)}
        .s-scheduled{--st:var(--scheduled)}.s-up_for_retry{--st:var(--up_for_retry)}.s-upstream_failed{--st:var(--upstream_failed)}
        .s-skipped{--st:var(--skipped)}.s-removed{--st:var(--removed)}.s-interrupted{--st:var(--interrupted)}.s-none{--st:var(--none)}
        .s-empty{--st:var(--empty)}
        .s-queued,.s-scheduled,.s-up_for_retry,.s-upstream_failed,.s-skipped,.s-removed{--on-state:#1d2430}
        .s-none{--on-state:var(--fg)}
        .strip{display:inline-flex;gap:2px;vertical-align:middle}
        .strip a,.strip span{display:inline-block;width:12px;height:16px;border-radius:2px;background:var(--st);font-size:10px;line-height:16px;text-align:center;color:var(--on-state);text-decoration:none}
        button,.button{font:inherit;padding:4px 12px;border-radius:6px;border:1px solid var(--line);background:var(--panel);color:var(--fg);cursor:pointer;text-decoration:none;display:inline-block}
        button.primary,.button.primary{background:var(--running);border-color:var(--running);color:#fff}
        button.danger{border-color:var(--failed);color:var(--failed)}
        button.link{border:0;background:none;color:var(--link);padding:0}
        button:disabled{opacity:.5;cursor:default}
        .toolbar{display:flex;gap:8px;align-items:center;flex-wrap:wrap;margin:8px 0}
        .tabs{display:flex;gap:4px;border-bottom:1px solid var(--line);margin:8px 0 12px}
        .tabs a{padding:6px 12px;text-decoration:none;color:var(--fg);border-bottom:2px solid transparent}
        .tabs a[aria-current=page]{border-color:var(--running);font-weight:600}
        .toggle{display:inline-flex;align-items:center;gap:6px}
        .pill{display:inline-block;padding:0 6px;border:1px solid var(--line);border-radius:8px;font-size:12px;color:var(--muted);margin-right:3px}
        dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:8px 0}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
        .panel{border:1px solid var(--line);border-radius:8px;padding:10px 12px;margin:10px 0;background:var(--bg)}
        .error{color:var(--failed)}.notice{padding:8px 12px;border-left:4px solid var(--running);background:var(--panel);margin:8px 0}
        form.stack{display:grid;gap:10px;max-width:520px}form.stack label{display:grid;gap:3px;font-weight:600}
        form.stack small{font-weight:400;color:var(--muted)}
        input,select,textarea{font:inherit;padding:5px 8px;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg)}
        .field-error{color:var(--failed);font-weight:400}
        .login{max-width:360px;margin:60px auto}
        /* grid */
        .grid-wrap{overflow:auto;max-height:calc(100vh - 190px);border:1px solid var(--line);border-radius:6px}
        table.grid{font-size:12px}
        table.grid th,table.grid td{padding:0;border-bottom:1px solid var(--line)}
        table.grid thead th{position:sticky;top:0;background:var(--panel);z-index:2;vertical-align:bottom;padding:2px 1px}
        table.grid th.task{position:sticky;left:0;background:var(--bg);z-index:1;text-align:left;font-weight:400;white-space:nowrap;padding:1px 10px 1px 6px;max-width:340px;overflow:hidden;text-overflow:ellipsis}
        table.grid thead th.task{z-index:3;background:var(--panel)}
        table.grid th.task .group{font-weight:600}
        table.grid .count{color:var(--muted);font-size:11px}
        table.grid td a,table.grid td span.c{display:block;width:18px;height:18px;margin:1px;border-radius:3px;background:var(--st);color:var(--on-state);text-align:center;line-height:18px;text-decoration:none;font-size:11px}
        table.grid th.run a{display:block;width:18px;margin:0 1px;border-radius:3px;background:var(--st);color:var(--on-state);text-decoration:none;text-align:center;font-size:10px}
        table.grid th.run .bar{display:block;width:18px;margin:0 1px;background:var(--st);border-radius:2px 2px 0 0}
        .tree{display:inline-block;width:1.2em;text-align:center;text-decoration:none}
        .legend{display:flex;gap:10px;flex-wrap:wrap;font-size:12px;margin:6px 0}
        .legend span.sw{display:inline-block;width:14px;height:14px;border-radius:3px;background:var(--st);color:var(--on-state);text-align:center;line-height:14px;font-size:10px;vertical-align:middle;margin-right:3px}
        .live{font-size:12px;color:var(--muted)}.live.on::before{content:"● ";color:var(--success)}
        /* logs */
        pre.log{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:8px 10px;max-height:60vh;overflow:auto;white-space:pre-wrap;word-break:break-word}
        /* charts */
        svg.chart{display:block;max-width:100%;height:auto;background:var(--bg)}
        svg.chart text{fill:var(--muted);font-size:10px;font-family:system-ui,sans-serif}
        svg.chart .axis{stroke:var(--line)}svg.chart .grid-line{stroke:var(--line);stroke-dasharray:2 3}
        svg .node rect{fill:var(--panel);stroke:var(--line)}svg .node.st rect{fill:var(--st)}svg .node.st text{fill:var(--on-state)}
        svg .node text{fill:var(--fg);font-size:11px}svg .edge{stroke:var(--muted);fill:none}
        svg .groupbox{fill:none;stroke:var(--muted);stroke-dasharray:4 3}
        svg .bar{fill:var(--st)}
        /* graph and gantt */
        .graph-wrap{overflow:auto;border:1px solid var(--line);border-radius:6px;padding:4px;max-height:calc(100vh - 220px)}
        svg .arrowhead{fill:var(--muted)}svg .edge.back{stroke-dasharray:3 3}
        svg .node.group rect{stroke-width:2}svg .node text.sub{font-size:10px}svg .node.factory rect{stroke-dasharray:2 2}
        svg .boxlabel{fill:var(--muted);font-size:11px}svg a:hover .node rect,svg a:focus .node rect{stroke:var(--focus);stroke-width:2}
        svg.gantt .label{fill:var(--fg);font-size:11px}svg.gantt .row .bar{fill:var(--st)}svg.gantt .note{font-style:italic}
        svg.gantt a:hover .label,svg.gantt a:focus .label{text-decoration:underline}
        pre.conf{margin:0;background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:6px 8px;max-height:240px;overflow:auto}
        .count{color:var(--muted);font-size:12px}
        /* market */
        .market-charts svg.chart{margin:2px 0}svg.chart .candle.up{stroke:var(--success);fill:var(--bg)}
        svg.chart .candle.down{stroke:var(--failed);fill:var(--failed)}svg.chart .candle line{stroke-width:1}
        svg.chart .vol.up,svg.chart .hist.up{fill:var(--success);opacity:.55}svg.chart .vol.down,svg.chart .hist.down{fill:var(--failed);opacity:.55}
        svg.chart .overlay{fill:none;stroke-width:1.3}svg.chart .sma,.k-sma{stroke:var(--running);color:var(--running)}
        svg.chart .ema,.k-ema{stroke:var(--scheduled);color:var(--scheduled)}svg.chart .bb,.k-bb{stroke:var(--upstream_failed);color:var(--upstream_failed)}
        svg.chart .bb{stroke-dasharray:4 3}svg.chart .rsi-line,svg.chart .macd-line,svg.chart .drift-line{stroke:var(--running)}
        svg.chart .signal-line{stroke:var(--scheduled)}svg.chart .level{stroke:var(--muted);stroke-dasharray:3 3}
        svg.chart text.empty{font-size:13px}svg.chart .series path{fill:none;stroke:var(--sc);stroke-width:1.3}
        svg.chart .series .predicted{stroke-dasharray:4 3}svg.chart .series .dots{fill:var(--sc);stroke:none}
        .s0{--sc:var(--running)}.s1{--sc:var(--failed)}.s2{--sc:var(--success)}.s3{--sc:var(--interrupted)}
        ul.market-legend{list-style:none;padding:0}.market-legend .sw{background:var(--sc)}
        svg.gaps .cell{fill:var(--failed)}svg.gaps .g0{fill:var(--none)}svg.gaps .g1{opacity:.3}svg.gaps .g2{opacity:.5}
        svg.gaps .g3{opacity:.75}svg.gaps text.mark{fill:var(--on-state);font-size:12px}
        td.beats{color:var(--success)}td.loses{color:var(--failed)}
        """#
}
