import Foundation
import UpdraftUI

/// The gaps heatmap (`svg.chart.gaps`): one cell per UTC day of the range, darker the more of its
/// minutes are missing, with the count in each cell's `<title>` and a mark in cells with gaps
/// (so it reads without colour).
enum GapHeatmap {
    static let cell = 18.0, gap = 3.0
    /// Days per row: as many whole cells as the plot's width holds (44).
    static let perRow = Int((PlotArea.width - PlotArea.left - PlotArea.right + gap) / (cell + gap))

    static func render(_ html: inout HTML, _ data: MarketChartData) {
        let days = data.gapDays
        let rows = max(1, (days.count + perRow - 1) / perRow)
        let height = Double(rows) * (cell + gap) + 18
        html.open(
            "svg",
            [
                "class": "chart gaps", "viewBox": "0 0 1000 \(NumberText.string(height))", "role": "img",
                "aria-label": "\(data.symbol) missing minutes by day", "data-days": String(days.count),
                "data-missing": String(days.reduce(0) { $0 + $1.missing }),
            ])
        for (index, day) in days.enumerated() {
            let x = PlotArea.left + Double(index % perRow) * (cell + gap), y = 4 + Double(index / perRow) * (cell + gap)
            let share = day.minutes > 0 ? Double(day.missing) / Double(day.minutes) : 0
            let level = day.missing == 0 ? 0 : share < 0.01 ? 1 : share < 0.1 ? 2 : share < 0.5 ? 3 : 4
            html.open(
                "rect",
                [
                    "class": "cell g\(level)", "x": NumberText.string(x), "y": NumberText.string(y), "width": NumberText.string(cell),
                    "height": NumberText.string(cell), "rx": "2", "data-day": TimeLabel.day(day.start), "data-missing": String(day.missing),
                ])
            html.element("title", text: "\(TimeLabel.day(day.start)): \(day.missing) of \(day.minutes) minutes missing")
            html.close("rect")
            if day.missing > 0 {
                html.element(
                    "text",
                    [
                        "class": "mark", "x": NumberText.string(x + cell / 2), "y": NumberText.string(y + cell / 2 + 3),
                        "text-anchor": "middle",
                    ],
                    text: level == 4 ? "✕" : "·")
            }
        }
        html.element("text", ["x": NumberText.string(PlotArea.left - 4), "y": "16", "text-anchor": "end"], text: "Gaps")
        if let first = days.first, let last = days.last {
            html.element("text", ["x": NumberText.string(PlotArea.left), "y": NumberText.string(height - 2)]) { html in
                html.text(
                    "\(TimeLabel.day(first.start)) → \(TimeLabel.day(last.start)) · \(days.reduce(0) { $0 + $1.missing }) minutes missing")
            }
        }
        html.close("svg")
    }
}
