/// Aligns tab-terminated cells into columns like Go's `text/tabwriter` as amtool configures it
/// (`NewWriter(w, 0, 0, 2, ' ', 0)`): a column block is a run of consecutive lines that have a cell in that column,
/// each cell is padded with spaces to the block's widest cell plus 2, and text after a line's last tab is not
/// aligned. Widths count Unicode scalars, as Go counts runes.
struct TabWriter {
    var padding = 2
    private var text = ""

    /// Appends raw text (cells end with `\t`, lines with `\n`).
    mutating func write(_ s: String) { text += s }

    /// Appends one row: every cell followed by a tab, then a newline (amtool's `"%s\t%s\t\n"`).
    mutating func row(_ cells: [String]) {
        text += cells.map { $0 + "\t" }.joined() + "\n"
    }

    /// The aligned text.
    func flush() -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
        let endsWithNewline = text.hasSuffix("\n")
        if endsWithNewline { lines.removeLast() }
        var widths: [Int] = []
        var out = ""
        format(lines, 0, lines.count, &widths, &out)
        if !endsWithNewline, out.hasSuffix("\n") { out.removeLast() }
        return out
    }

    private func format(_ lines: [[String]], _ start: Int, _ end: Int, _ widths: inout [Int], _ out: inout String) {
        let column = widths.count
        var line0 = start
        var this = start
        while this < end {
            // A line with a tab-terminated cell in this column starts a column block.
            if column >= lines[this].count - 1 {
                this += 1
                continue
            }
            write(lines, line0, this, widths, &out)
            line0 = this
            var width = 0
            while this < end, column < lines[this].count - 1 {
                width = max(width, lines[this][column].unicodeScalars.count + padding)
                this += 1
            }
            widths.append(width)
            format(lines, line0, this, &widths, &out)
            widths.removeLast()
            line0 = this
        }
        write(lines, line0, end, widths, &out)
    }

    private func write(_ lines: [[String]], _ start: Int, _ end: Int, _ widths: [Int], _ out: inout String) {
        guard start < end else { return }
        for line in lines[start..<end] {
            for (j, cell) in line.enumerated() {
                out += cell
                if j < widths.count && j < line.count - 1 {
                    out += String(repeating: " ", count: max(0, widths[j] - cell.unicodeScalars.count))
                }
            }
            out += "\n"
        }
    }
}
