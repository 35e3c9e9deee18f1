// MARK: - Syntax

indirect enum RegexNode {
    case empty
    case noMatch
    case scalars(ScalarSet)
    case any(matchesNewline: Bool)
    case concat([RegexNode])
    case alternate([RegexNode])
    case repeated(RegexNode, min: Int, max: Int?, greedy: Bool)
    /// Capturing group `index` (from 1, in the order of the opening parentheses).
    case capture(Int, RegexNode)
    case assert(Assertion)
}

/// Go 1.19's `regexp/syntax` parser, read left to right with an explicit stack of open groups (no recursion, so no
/// depth of parentheses can exhaust the stack), refusing what Go refuses with Go's error and the fragment Go quotes.
/// Go's limits are kept on the way: a tree at most 1000 deep (`expression nests too deeply`), a program of at most
/// about 3.3 million instructions (`regexp/syntax: internal error`), counted repetitions that multiply to at most 1000
/// copies (`invalid repeat count`).
struct Parser {
    typealias SyntaxError = GoLinearRegexp.SyntaxError

    private let chars: [Unicode.Scalar]
    private var index = 0
    private var flags = Flags()
    private(set) var groupCount = 0
    private(set) var groupNames: [Int: String] = [:]
    /// Scalars held in classes and literals so far (Go's `numRunes`).
    private var scalarCount = 0

    /// Go's `maxHeight`, `maxSize` (128 MB of 40-byte instructions) and `maxRunes` (128 MB of runes).
    static let maxHeight = 1000
    static let maxSize = (128 << 20) / 40
    static let maxScalars = (128 << 20) / 4

    struct Flags {
        var caseInsensitive = false
        var dotNewline = false
        var multiLine = false
        var ungreedy = false
    }

    /// A parsed piece and what Go's limits see of it: the height and compiled size of Go's tree for it.
    struct Piece {
        enum Shape { case leaf, concat, alternate, other }
        var node: RegexNode
        var height = 1
        var size = 1
        var shape = Shape.leaf
        /// For a concatenation or alternation, the greatest height among its parts (Go flattens one into an enclosing
        /// one of the same kind, so they count from there).
        var partsHeight = 0
        /// For an alternation, the sizes of its parts without the alternation's own instructions.
        var partsSize = 0
        /// A literal (one scalar, or a run Go merges into one string): whether it was read under `(?i)`.
        var literalFold: Bool?
        /// One scalar or class: Go merges alternatives of these into one class.
        var singleScalar = false
    }

    /// A group being read: the alternatives so far, the pieces of the current one, and the flags to restore at `)`.
    private struct Frame {
        var capture: Int?
        var isTop = false
        var flags: Flags
        var branches: [Piece] = []
        var items: [Piece] = []
    }

    init(_ chars: [Unicode.Scalar]) { self.chars = chars }

    static let perlWord = ScalarSet(ranges: [48...57, 65...90, 95...95, 97...122])
    static let perlDigit = ScalarSet(ranges: [48...57])
    static let perlSpace = ScalarSet(ranges: [9...10, 12...13, 32...32])

    private var atEnd: Bool { index >= chars.count }
    private var peek: Unicode.Scalar? { atEnd ? nil : chars[index] }
    private var whole: String { text(0..<chars.count) }

    private func text(_ range: Range<Int>) -> String {
        String(String.UnicodeScalarView(chars[max(0, range.lowerBound)..<min(chars.count, range.upperBound)]))
    }

    mutating func parseAll() throws(SyntaxError) -> RegexNode {
        var frames = [Frame(isTop: true, flags: flags)]
        // Where the repetition operator just read starts: a second one right after it is an error, as in Perl.
        var lastRepeat: Int?
        while let c = peek {
            var repeatStart: Int?
            switch c {
            case "(":
                if index + 1 < chars.count, chars[index + 1] == "?" {
                    try parsePerlFlags(&frames)
                } else {
                    groupCount += 1
                    frames.append(Frame(capture: groupCount, flags: flags))
                    index += 1
                }
            case "|":
                try closeBranch(&frames[frames.count - 1])
                index += 1
            case ")":
                guard frames.count > 1 else { throw SyntaxError(.unexpectedParen, whole) }
                var frame = frames.removeLast()
                let body = try closeGroup(&frame)
                flags = frame.flags
                if let capture = frame.capture {
                    let piece = Piece(
                        node: .capture(capture, body.node), height: body.height + 1, size: body.size + 2, shape: .other)
                    try push(piece, &frames)
                } else {
                    try push(body, &frames)
                }
                index += 1
            case "^":
                try push(Piece(node: .assert(flags.multiLine ? .beginLine : .beginText)), &frames)
                index += 1
            case "$":
                try push(Piece(node: .assert(flags.multiLine ? .endLine : .endText)), &frames)
                index += 1
            case ".":
                try push(Piece(node: .any(matchesNewline: flags.dotNewline), singleScalar: true), &frames)
                index += 1
            case "[":
                try push(try parseClass(), &frames)
            case "*", "+", "?":
                let before = index
                index += 1
                let bounds: (Int, Int?) = c == "*" ? (0, nil) : c == "+" ? (1, nil) : (0, 1)
                try applyRepeat(bounds, counted: false, before: before, lastRepeat: lastRepeat, &frames)
                repeatStart = before
            case "{":
                let before = index
                guard let (low, high) = parseRepeat() else {
                    try pushLiteral(c.value, &frames)
                    index += 1
                    break
                }
                guard low >= 0, low <= 1000, (high ?? 0) <= 1000, high.map({ low <= $0 }) ?? true else {
                    throw SyntaxError(.invalidRepeatSize, text(before..<index))
                }
                try applyRepeat((low, high), counted: true, before: before, lastRepeat: lastRepeat, &frames)
                repeatStart = before
            case "\\":
                try parseBackslash(&frames)
            default:
                try pushLiteral(c.value, &frames)
                index += 1
            }
            lastRepeat = repeatStart
        }
        guard frames.count == 1, var top = frames.first else { throw SyntaxError(.missingParen, whole) }
        return try closeGroup(&top).node
    }

    // MARK: Pieces and Go's limits

    private mutating func push(_ piece: Piece, _ frames: inout [Frame]) throws(SyntaxError) {
        try checkLimits(piece)
        frames[frames.count - 1].items.append(piece)
    }

    private mutating func pushLiteral(_ value: UInt32, _ frames: inout [Frame]) throws(SyntaxError) {
        let members = flags.caseInsensitive ? GoUnicodeProperties.foldOrbit(value) : [value]
        let set = ScalarSet(ranges: members.map { $0...$0 }).normalized()
        scalarCount += 1
        try push(Piece(node: .scalars(set), literalFold: flags.caseInsensitive, singleScalar: true), &frames)
    }

    /// A class as Go pushes it: one scalar, or a letter and its other case, becomes a literal.
    private mutating func classPiece(_ set: ScalarSet) -> Piece {
        let set = set.normalized()
        scalarCount += 2 * set.ranges.count
        var piece = Piece(node: .scalars(set), singleScalar: true)
        if !set.negated {
            let members = set.ranges.reduce(0) { $0 + Int($1.upperBound - $1.lowerBound) + 1 }
            if members == 1 {
                piece.literalFold = false
            } else if members == 2, let low = set.ranges.first?.lowerBound, let high = set.ranges.last?.upperBound,
                GoUnicodeProperties.foldOrbit(low) == [low, high]
            {
                piece.literalFold = true
            }
        }
        return piece
    }

    private func checkLimits(_ piece: Piece) throws(SyntaxError) {
        if scalarCount > Self.maxScalars || piece.size > Self.maxSize { throw SyntaxError(.internalError, whole) }
        if piece.height > Self.maxHeight { throw SyntaxError(.nestingDepth, whole) }
    }

    /// Ends the current alternative at `|`.
    private func closeBranch(_ frame: inout Frame) throws(SyntaxError) {
        let branch = Self.concatenation(frame.items)
        try checkLimits(branch)
        frame.branches.append(branch)
        frame.items = []
    }

    /// The alternation of a group being closed.
    private func closeGroup(_ frame: inout Frame) throws(SyntaxError) -> Piece {
        try closeBranch(&frame)
        let body = Self.alternation(frame.branches)
        try checkLimits(body)
        return body
    }

    /// Go's concatenation: nested concatenations are flattened, and a run of literals with the same case flag is
    /// one node.
    static func concatenation(_ pieces: [Piece]) -> Piece {
        guard let first = pieces.first else { return Piece(node: .empty) }
        if pieces.count == 1 { return first }
        var nodes: [RegexNode] = []
        var partsHeight = 0
        var size = 0
        var oneLiteral = first.literalFold != nil
        for piece in pieces {
            if case .concat(let parts) = piece.node { nodes += parts } else { nodes.append(piece.node) }
            size += piece.size
            partsHeight = max(partsHeight, piece.shape == .concat ? piece.partsHeight : piece.height)
            if piece.literalFold == nil || piece.literalFold != first.literalFold { oneLiteral = false }
        }
        if oneLiteral { return Piece(node: .concat(nodes), size: size, literalFold: first.literalFold) }
        return Piece(
            node: .concat(nodes), height: partsHeight + 1, size: size, shape: .concat, partsHeight: partsHeight)
    }

    /// Go's alternation: nested alternations are flattened, and alternatives that are all single scalars or classes
    /// are one class.
    static func alternation(_ pieces: [Piece]) -> Piece {
        guard let first = pieces.first else { return Piece(node: .noMatch) }
        if pieces.count == 1 { return first }
        var nodes: [RegexNode] = []
        var partsHeight = 0
        var size = 0
        for piece in pieces {
            if case .alternate(let parts) = piece.node { nodes += parts } else { nodes.append(piece.node) }
            size += piece.shape == .alternate ? piece.partsSize : piece.size
            partsHeight = max(partsHeight, piece.shape == .alternate ? piece.partsHeight : piece.height)
        }
        if pieces.allSatisfy(\.singleScalar) { return Piece(node: .alternate(nodes), singleScalar: true) }
        return Piece(
            node: .alternate(nodes), height: partsHeight + 1, size: size + nodes.count - 1, shape: .alternate,
            partsHeight: partsHeight, partsSize: size)
    }

    // MARK: Repetition

    /// Applies the repetition operator read from `before` to the piece before it, as Go's `parser.repeat` does.
    private mutating func applyRepeat(
        _ bounds: (min: Int, max: Int?), counted: Bool, before: Int, lastRepeat: Int?, _ frames: inout [Frame]
    ) throws(SyntaxError) {
        var greedy = !flags.ungreedy
        if peek == "?" {
            index += 1
            greedy.toggle()
        }
        if let lastRepeat { throw SyntaxError(.invalidRepeatOp, text(lastRepeat..<index)) }
        guard let sub = frames[frames.count - 1].items.popLast() else {
            throw SyntaxError(.missingRepeatArgument, text(before..<index))
        }
        let size: Int
        switch (bounds.min, bounds.max) {
        case (0, nil): size = sub.size + 2
        case (let low, nil): size = counted ? 1 + low * sub.size : sub.size + 1
        case (let low, let high?): size = counted ? high * sub.size + (high - low) : sub.size + 1
        }
        let piece = Piece(
            node: .repeated(sub.node, min: bounds.min, max: bounds.max, greedy: greedy), height: sub.height + 1,
            size: max(1, size), shape: .other)
        try push(piece, &frames)
        if counted, bounds.min >= 2 || (bounds.max ?? 0) >= 2, !Self.repeatIsValid(piece.node, 1000) {
            throw SyntaxError(.invalidRepeatSize, text(before..<index))
        }
    }

    /// Go's `repeatIsValid`: counted repetitions nested in one another multiply to at most `limit` copies.
    static func repeatIsValid(_ node: RegexNode, _ limit: Int) -> Bool {
        switch node {
        case .repeated(let inner, let min, let max, _):
            if max == 0 { return true }
            let copies = max ?? min
            if copies > limit { return false }
            return repeatIsValid(inner, copies > 0 ? limit / copies : limit)
        case .concat(let nodes), .alternate(let nodes): return nodes.allSatisfy { repeatIsValid($0, limit) }
        case .capture(_, let inner): return repeatIsValid(inner, limit)
        case .empty, .noMatch, .scalars, .any, .assert: return true
        }
    }

    /// `{n}`, `{n,}`, `{n,m}` at `index` (Go's `parseRepeat`), moving past it; nil (and `{` is a literal) when it is
    /// not one. A number with a leading zero is not one; a number above 10^8 is -1 (an invalid count).
    private mutating func parseRepeat() -> (Int, Int?)? {
        var k = index + 1
        func number() -> Int? {
            guard k < chars.count, ("0"..."9").contains(chars[k]) else { return nil }
            if chars[k] == "0", k + 1 < chars.count, ("0"..."9").contains(chars[k + 1]) { return nil }
            var value = 0
            while k < chars.count, ("0"..."9").contains(chars[k]) {
                if value >= 100_000_000 {
                    value = -1
                } else if value >= 0 {
                    value = value * 10 + Int(chars[k].value - 48)
                }
                k += 1
            }
            return value
        }
        guard var low = number(), k < chars.count else { return nil }
        var high: Int? = low
        if chars[k] == "," {
            k += 1
            guard k < chars.count else { return nil }
            if chars[k] == "}" {
                high = nil
            } else {
                guard let parsed = number() else { return nil }
                high = parsed
                if parsed < 0 { low = -1 }
            }
        }
        guard k < chars.count, chars[k] == "}" else { return nil }
        index = k + 1
        return (low, high)
    }

    // MARK: Groups and flags

    /// `(?P<name>`, `(?flags)`, `(?flags:` at `index` (Go's `parsePerlFlags`). Go 1.19 knows no `(?<name>`.
    private mutating func parsePerlFlags(_ frames: inout [Frame]) throws(SyntaxError) {
        let start = index
        if chars.count - index > 4, chars[index + 2] == "P", chars[index + 3] == "<" {
            guard let end = chars[index...].firstIndex(of: ">") else {
                throw SyntaxError(.invalidNamedCapture, text(start..<chars.count))
            }
            let name = text((index + 4)..<end)
            let valid = chars[(index + 4)..<end].allSatisfy { $0 == "_" || Self.isASCIIAlphanumeric($0) }
            guard !name.isEmpty, valid else { throw SyntaxError(.invalidNamedCapture, text(start..<(end + 1))) }
            groupCount += 1
            groupNames[groupCount] = name
            frames.append(Frame(capture: groupCount, flags: flags))
            index = end + 1
            return
        }
        index += 2
        var changed = flags
        var on = true
        var sawFlag = false
        while let c = peek {
            index += 1
            switch c {
            case "i": changed.caseInsensitive = on
            case "m": changed.multiLine = on
            case "s": changed.dotNewline = on
            case "U": changed.ungreedy = on
            case "-" where on:
                on = false
                sawFlag = false
                continue
            case ":", ")":
                guard on || sawFlag else { throw SyntaxError(.invalidPerlOp, text(start..<index)) }
                if c == ":" { frames.append(Frame(flags: flags)) }
                flags = changed
                return
            default:
                throw SyntaxError(.invalidPerlOp, text(start..<index))
            }
            sawFlag = true
        }
        throw SyntaxError(.invalidPerlOp, text(start..<index))
    }

    static func isASCIIAlphanumeric(_ c: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(c) || ("a"..."z").contains(c) || ("A"..."Z").contains(c)
    }

    // MARK: Escapes

    /// A backslash outside a class: an assertion, `\Q...\E`, a class (`\pL`, `\d`) or one scalar.
    private mutating func parseBackslash(_ frames: inout [Frame]) throws(SyntaxError) {
        if index + 1 < chars.count {
            let assertion: Assertion?
            switch chars[index + 1] {
            case "A": assertion = .beginText
            case "b": assertion = .wordBoundary
            case "B": assertion = .notWordBoundary
            case "z": assertion = .endText
            case "C": throw SyntaxError(.invalidEscape, text(index..<(index + 2)))  // any byte: not in Go either
            case "Q":
                index += 2
                while let c = peek {
                    if c == "\\", index + 1 < chars.count, chars[index + 1] == "E" {
                        index += 2
                        break
                    }
                    try pushLiteral(c.value, &frames)
                    index += 1
                }
                return
            default: assertion = nil
            }
            if let assertion {
                try push(Piece(node: .assert(assertion)), &frames)
                index += 2
                return
            }
        }
        if let set = try parseUnicodeClass() ?? parsePerlClass() {
            let piece = classPiece(set)
            try push(piece, &frames)
            return
        }
        try pushLiteral(try parseEscape(), &frames)
    }

    /// A single-scalar escape at the backslash at `index` (Go's `parseEscape`): punctuation, octal (`\0`, `\012`;
    /// `\1` to `\7` only followed by another octal digit), hexadecimal (`\x41`, `\x{10FFFF}`) and C escapes.
    private mutating func parseEscape() throws(SyntaxError) -> UInt32 {
        let start = index
        index += 1
        guard let c = peek else { throw SyntaxError(.trailingBackslash, "") }
        index += 1
        func octal(_ s: Unicode.Scalar?) -> Bool { s.map { ("0"..."7").contains($0) } ?? false }
        switch c {
        case "0"..."7":
            if c != "0", !octal(peek) { break }  // `\1` alone is a back-reference, which Go does not have
            var value = c.value - 48
            for _ in 1..<3 {
                guard let digit = peek, octal(digit) else { break }
                value = value * 8 + digit.value - 48
                index += 1
            }
            return value
        case "x":
            guard let first = peek else { break }
            index += 1
            if first == "{" {
                var value: UInt32 = 0
                var digits = 0
                while true {
                    guard let digit = peek else { throw SyntaxError(.invalidEscape, text(start..<index)) }
                    index += 1
                    if digit == "}" { break }
                    guard let v = Self.hexValue(digit) else { throw SyntaxError(.invalidEscape, text(start..<index)) }
                    value = value * 16 + v
                    guard value <= 0x10FFFF else { throw SyntaxError(.invalidEscape, text(start..<index)) }
                    digits += 1
                }
                guard digits > 0 else { break }
                return value
            }
            let second = peek
            if second != nil { index += 1 }
            guard let high = Self.hexValue(first), let low = second.flatMap(Self.hexValue) else { break }
            return high * 16 + low
        case "a": return 7
        case "f": return 12
        case "n": return 10
        case "r": return 13
        case "t": return 9
        case "v": return 11
        default:
            if c.isASCII, !Self.isASCIIAlphanumeric(c) { return c.value }
        }
        throw SyntaxError(.invalidEscape, text(start..<index))
    }

    private static func hexValue(_ c: Unicode.Scalar) -> UInt32? {
        switch c {
        case "0"..."9": c.value - 48
        case "a"..."f": c.value - 87
        case "A"..."F": c.value - 55
        default: nil
        }
    }

    /// `\d \D \s \S \w \W` at `index`, folded under `(?i)` before any negation, as Go's `appendGroup` does.
    private mutating func parsePerlClass() -> ScalarSet? {
        guard index + 1 < chars.count, chars[index] == "\\" else { return nil }
        let base: ScalarSet
        switch chars[index + 1] {
        case "d", "D": base = Self.perlDigit
        case "s", "S": base = Self.perlSpace
        case "w", "W": base = Self.perlWord
        default: return nil
        }
        index += 2
        return group(base.ranges, negated: chars[index - 1].properties.isUppercase)
    }

    /// A class group (Perl, POSIX or Unicode): folded under `(?i)`, then negated.
    private func group(_ ranges: [ClosedRange<UInt32>], negated: Bool) -> ScalarSet {
        var set = ScalarSet(ranges: ranges)
        if flags.caseInsensitive { set = set.folded() }
        set.negated = negated
        return set
    }

    /// `\pL`, `\p{Greek}`, `\P{^Lu}` at `index` (Go's `parseUnicodeClass`); nil when not there.
    private mutating func parseUnicodeClass() throws(SyntaxError) -> ScalarSet? {
        guard index + 1 < chars.count, chars[index] == "\\", chars[index + 1] == "p" || chars[index + 1] == "P" else {
            return nil
        }
        let start = index
        var negated = chars[index + 1] == "P"
        var name: String
        var end: Int
        if index + 2 < chars.count, chars[index + 2] == "{" {
            guard let close = chars[index...].firstIndex(of: "}") else {
                throw SyntaxError(.invalidCharRange, text(start..<chars.count))
            }
            name = text((index + 3)..<close)
            end = close + 1
        } else {
            end = min(index + 3, chars.count)
            name = text((index + 2)..<end)
        }
        if name.hasPrefix("^") {
            negated.toggle()
            name.removeFirst()
        }
        guard let ranges = GoUnicodeProperties.ranges(name) else {
            throw SyntaxError(.invalidCharRange, text(start..<end))
        }
        index = end
        return group(ranges, negated: negated)
    }

    // MARK: Classes

    /// A bracket class at `[` (Go's `parseClass`): single scalars and ranges are folded under `(?i)` one by one,
    /// groups as groups, and the whole is negated last.
    private mutating func parseClass() throws(SyntaxError) -> Piece {
        let start = index
        index += 1
        var negated = false
        if peek == "^" {
            negated = true
            index += 1
        }
        var items: [ClosedRange<UInt32>] = []
        var groups = ScalarSet(ranges: [])
        var first = true
        while peek != "]" || first {
            first = false
            if index + 2 < chars.count, chars[index] == "[", chars[index + 1] == ":",
                let posix = try parsePOSIXClass()
            {
                groups = groups.union(posix)
                continue
            }
            if let set = try parseUnicodeClass() ?? parsePerlClass() {
                groups = groups.union(set)
                continue
            }
            let rangeStart = index
            let low = try parseClassChar(from: start)
            var high = low
            if index + 1 < chars.count, chars[index] == "-", chars[index + 1] != "]" {
                index += 1
                high = try parseClassChar(from: start)
                guard low <= high else { throw SyntaxError(.invalidCharRange, text(rangeStart..<index)) }
            }
            items.append(low...high)
        }
        index += 1
        var itemSet = ScalarSet(ranges: items)
        if flags.caseInsensitive { itemSet = itemSet.folded() }
        var set = itemSet.union(groups)
        set.negated = negated
        return classPiece(set)
    }

    private mutating func parseClassChar(from classStart: Int) throws(SyntaxError) -> UInt32 {
        guard let c = peek else { throw SyntaxError(.missingBracket, text(classStart..<chars.count)) }
        if c == "\\" { return try parseEscape() }
        index += 1
        return c.value
    }

    /// `[:alpha:]` or `[:^alpha:]` at `index`: nil when no `:]` follows (then `[` is a literal), an error for a
    /// name Go does not know.
    private mutating func parsePOSIXClass() throws(SyntaxError) -> ScalarSet? {
        var k = index + 2
        while k + 1 < chars.count, !(chars[k] == ":" && chars[k + 1] == "]") { k += 1 }
        guard k + 1 < chars.count else { return nil }
        let whole = text(index..<(k + 2))
        var name = text((index + 2)..<k)
        let negated = name.hasPrefix("^")
        if negated { name.removeFirst() }
        let ranges: [ClosedRange<UInt32>]
        switch name {
        case "alnum": ranges = [48...57, 65...90, 97...122]
        case "alpha": ranges = [65...90, 97...122]
        case "ascii": ranges = [0...0x7F]
        case "blank": ranges = [9...9, 32...32]
        case "cntrl": ranges = [0...31, 127...127]
        case "digit": ranges = [48...57]
        case "graph": ranges = [33...126]
        case "lower": ranges = [97...122]
        case "print": ranges = [32...126]
        case "punct": ranges = [33...47, 58...64, 91...96, 123...126]
        case "space": ranges = [9...13, 32...32]
        case "upper": ranges = [65...90]
        case "word": ranges = [48...57, 65...90, 95...95, 97...122]
        case "xdigit": ranges = [48...57, 65...70, 97...102]
        default: throw SyntaxError(.invalidCharRange, whole)
        }
        index = k + 2
        return group(ranges, negated: negated)
    }

    /// The scalars not in `ranges`.
    static func complement(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            next = max(next, range.upperBound &+ 1)
        }
        if next <= 0x10FFFF { result.append(next...0x10FFFF) }
        return result
    }
}
