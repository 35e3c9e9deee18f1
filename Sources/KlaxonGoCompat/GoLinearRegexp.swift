/// Go (RE2) regular expressions in time linear in the input, as Go's regexp package guarantees. Label matchers and
/// template patterns come from API clients and label values (a tenant's silence, an alert filter, a template built
/// from labels), so a backtracking engine would let one pattern like `(a+)+$` stall every alert listing and flush;
/// this engine cannot be made to backtrack.
///
/// Two questions are answered: whether the whole of a value matches (what Alertmanager's `^(?:re)$` matchers ask), by
/// a Thompson NFA simulated over the value's Unicode scalars; and where the leftmost-first match and its groups are
/// (Go's `FindStringSubmatch`, `MatchString`, `ReplaceAllString`), by a Pike VM whose threads carry capture slots and
/// run in priority order. The program is compiled as Go's `regexp/syntax` compiles it (repetitions simplified the
/// same way, a nullable `x*` as `(x+)?`), so the priority order, and with it which of several matches wins and what
/// each group holds, is Go's.
///
/// The syntax is RE2's: literals, `.`, classes with ranges, negation, Perl (`\d\w\s`), ASCII (`[:alpha:]`) and
/// Unicode (`\pL`, `\p{Greek}`, `\P{^Lu}`) classes, escapes, groups (capturing, `(?:`, `(?P<name>`), flags `i`, `s`,
/// `m`, `U` (alone or scoped), alternation, `* + ? {n} {n,} {n,m}` with optional `?`, anchors `^ $ \A \z` and `\b \B`.
public struct GoLinearRegexp: Sendable {
    private let program: [Instruction]
    private let start: Int
    /// The number of capturing groups (Go's `NumSubexp`).
    public let groupCount: Int
    /// Each group's name, `""` for unnamed ones and for the whole match at index 0 (Go's `SubexpNames`).
    public let groupNames: [String]
    /// The number of instructions: what the compiled pattern costs in memory, about 20 bytes each.
    public var size: Int { program.count }

    /// Compiles `pattern`; nil when it uses syntax this engine does not implement, or is not valid RE2 (the caller
    /// reports syntax errors).
    public init?(_ pattern: String) {
        var parser = Parser(Array(pattern.unicodeScalars))
        guard let node = try? parser.parseAll() else { return nil }
        var compiler = Compiler()
        guard let entry = try? compiler.compile(simplify(node)) else { return nil }
        program = compiler.code
        start = entry
        groupCount = parser.groupCount
        groupNames = (0...parser.groupCount).map { parser.groupNames[$0] ?? "" }
    }

    /// Whether the whole of `value` matches.
    public func matches(_ value: String) -> Bool {
        let input = Array(value.unicodeScalars)
        var current = StateSet(capacity: program.count)
        var next = StateSet(capacity: program.count)
        addState(&current, start, at: 0, input)
        for position in 0..<input.count {
            if current.isEmpty { return false }
            next.clear()
            let scalar = input[position]
            for pc in current.states {
                if let target = program[pc].successor(consuming: scalar) {
                    addState(&next, target, at: position + 1, input)
                }
            }
            swap(&current, &next)
        }
        return current.states.contains { program[$0] == .match }
    }

    /// Adds `pc` and everything reachable from it without consuming input (at `position`).
    private func addState(_ list: inout StateSet, _ pc: Int, at position: Int, _ input: [Unicode.Scalar]) {
        var stack = [pc]
        while let pc = stack.popLast() {
            guard pc >= 0, list.insert(pc) else { continue }
            switch program[pc] {
            case .split(let first, let second):
                stack.append(second)
                stack.append(first)
            case .assert(let assertion, let next):
                if assertion.holds(at: position, in: input) { stack.append(next) }
            case .save(_, let next), .nop(let next):
                stack.append(next)
            case .scalar, .scalars, .any, .match:
                break
            }
        }
    }

    /// Whether some part of `value` matches (Go's `MatchString`).
    public func matchesSubstring(_ value: String) -> Bool {
        firstMatch(in: Array(value.unicodeScalars), from: 0, slots: 0) != nil
    }

    /// The leftmost-first match in `value` and what each group matched, nil for a group that took no part (Go's
    /// `FindStringSubmatch`); nil when nothing matches.
    public func submatches(_ value: String) -> [String?]? {
        let input = Array(value.unicodeScalars)
        guard let slots = firstMatch(in: input, from: 0, slots: 2 * (groupCount + 1)) else { return nil }
        return (0...groupCount).map { group in
            let (low, high) = (slots[2 * group], slots[2 * group + 1])
            guard low >= 0, high >= low else { return nil }
            return String(String.UnicodeScalarView(input[low..<high]))
        }
    }

    /// The leftmost-first match that starts at or after `from`, as capture slots (scalar offsets into `input`: start
    /// and end of the whole match, then of each group, -1 for a group that took no part); the first `slots` of them
    /// are tracked, so 0 answers only whether there is a match. Assertions see the input before `from`, as Go's do.
    public func firstMatch(in input: [Unicode.Scalar], from: Int, slots: Int) -> [Int]? {
        var machine = PikeVM(program: program, input: input, slots: slots)
        return machine.run(start: start, from: from)
    }
}

// MARK: - Program

/// A set of scalars: ranges, optionally negated and case-folded.
struct ScalarSet: Sendable, Equatable {
    var ranges: [ClosedRange<UInt32>]
    var negated = false
    var foldCase = false

    func contains(_ scalar: Unicode.Scalar) -> Bool {
        var found = Self.ranges(ranges, contain: scalar.value)
        if !found, foldCase {
            for variant in Self.caseVariants(scalar) where Self.ranges(ranges, contain: variant.value) {
                found = true
                break
            }
        }
        return found != negated
    }

    /// Binary search; `ranges` are sorted and disjoint (see ``normalized()``).
    private static func ranges(_ ranges: [ClosedRange<UInt32>], contain value: UInt32) -> Bool {
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound < value {
                low = middle + 1
            } else if ranges[middle].lowerBound > value {
                high = middle
            } else {
                return true
            }
        }
        return false
    }

    /// The same set with its ranges sorted and overlapping or adjacent ones merged.
    func normalized() -> ScalarSet {
        var merged: [ClosedRange<UInt32>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, range.lowerBound <= last.upperBound &+ 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        var set = self
        set.ranges = merged
        return set
    }

    static func caseVariants(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        let mappings = [scalar.properties.lowercaseMapping, scalar.properties.uppercaseMapping]
        return mappings.compactMap { mapping in
            let scalars = mapping.unicodeScalars
            return scalars.count == 1 ? scalars.first : nil
        }
    }
}

enum Assertion: Sendable, Equatable {
    case beginText, endText, beginLine, endLine, wordBoundary, notWordBoundary

    func holds(at position: Int, in input: [Unicode.Scalar]) -> Bool {
        switch self {
        case .beginText: return position == 0
        case .endText: return position == input.count
        case .beginLine: return position == 0 || input[position - 1] == "\n"
        case .endLine: return position == input.count || input[position] == "\n"
        case .wordBoundary, .notWordBoundary:
            func word(_ index: Int) -> Bool {
                guard index >= 0, index < input.count else { return false }
                return Parser.perlWord.contains(input[index])
            }
            let boundary = word(position - 1) != word(position)
            return self == .wordBoundary ? boundary : !boundary
        }
    }
}

/// One instruction; each names the instruction that follows it (-1: fail), as in Go's `regexp/syntax.Prog`.
enum Instruction: Sendable, Equatable {
    /// One scalar, case-sensitive (no allocation: long literal patterns are common in templates).
    case scalar(Unicode.Scalar, next: Int)
    case scalars(ScalarSet, next: Int)
    /// Any scalar; `\n` too when the flag is set.
    case any(matchesNewline: Bool, next: Int)
    /// Both ways, the first with priority.
    case split(Int, Int)
    case assert(Assertion, next: Int)
    /// Records the position in capture slot `slot`.
    case save(Int, next: Int)
    case nop(next: Int)
    case match

    /// Where a thread at this instruction goes after consuming `scalar`; nil when it cannot.
    func successor(consuming scalar: Unicode.Scalar) -> Int? {
        switch self {
        case .scalar(let expected, let next) where expected == scalar: return next
        case .scalars(let set, let next) where set.contains(scalar): return next
        case .any(let newline, let next) where newline || scalar != "\n": return next
        default: return nil
        }
    }
}

/// The states of one step, in a sparse set (insertion and clearing in constant time).
struct StateSet {
    private(set) var states: [Int] = []
    private var seen: [Bool]

    init(capacity: Int) { seen = Array(repeating: false, count: capacity) }

    var isEmpty: Bool { states.isEmpty }

    mutating func insert(_ pc: Int) -> Bool {
        if seen[pc] { return false }
        seen[pc] = true
        states.append(pc)
        return true
    }

    mutating func clear() {
        for pc in states { seen[pc] = false }
        states.removeAll(keepingCapacity: true)
    }
}

// MARK: - Pike VM

/// Go's leftmost-first search (its `regexp` package's `machine`): the threads of one position are kept in priority
/// order, each instruction is entered by at most one thread per position (the first to reach it, which has the
/// higher priority), a new thread starts at each position with the lowest priority until something matched, and a
/// match cuts off every thread of lower priority. Time is the input's length times the program's size.
struct PikeVM {
    /// The threads of one position: the instructions entered (in order), the threads among them that wait to
    /// consume or to match, and each such thread's capture slots.
    struct Queue {
        var entered: StateSet
        var threads: [Int] = []
        var captures: [Int] = []

        init(capacity: Int) { entered = StateSet(capacity: capacity) }

        mutating func clear() {
            entered.clear()
            threads.removeAll(keepingCapacity: true)
            captures.removeAll(keepingCapacity: true)
        }
    }

    private enum Work {
        case enter(Int)
        case restore(slot: Int, value: Int)
    }

    let program: [Instruction]
    let input: [Unicode.Scalar]
    let slots: Int
    private var stack: [Work] = []

    init(program: [Instruction], input: [Unicode.Scalar], slots: Int) {
        self.program = program
        self.input = input
        self.slots = slots
    }

    mutating func run(start: Int, from: Int) -> [Int]? {
        var current = Queue(capacity: program.count)
        var next = Queue(capacity: program.count)
        var captures = Array(repeating: -1, count: slots)
        var matched: [Int]?
        var position = from
        while true {
            if current.threads.isEmpty, matched != nil { break }
            if matched == nil {
                if slots > 0 { captures[0] = position }
                add(&current, start, at: position, &captures)
            }
            next.clear()
            let scalar: Unicode.Scalar? = position < input.count ? input[position] : nil
            for (index, pc) in current.threads.enumerated() {
                var threadCaptures = Array(current.captures[(index * slots)..<((index + 1) * slots)])
                if program[pc] == .match {
                    if slots > 1 { threadCaptures[1] = position }
                    matched = threadCaptures
                    if slots == 0 { return matched }
                    break  // leftmost-first: threads of lower priority are cut off
                }
                if let scalar, let target = program[pc].successor(consuming: scalar) {
                    add(&next, target, at: position + 1, &threadCaptures)
                }
            }
            guard position < input.count else { break }
            position += 1
            swap(&current, &next)
        }
        return matched
    }

    /// Enters `pc` and what follows it without consuming input, in priority order, as Go's `machine.add` does:
    /// a capture instruction records `position` for what follows it and restores the slot afterwards.
    private mutating func add(_ queue: inout Queue, _ pc: Int, at position: Int, _ captures: inout [Int]) {
        stack.append(.enter(pc))
        while let work = stack.popLast() {
            switch work {
            case .restore(let slot, let value):
                captures[slot] = value
            case .enter(let pc):
                guard pc >= 0, queue.entered.insert(pc) else { continue }
                switch program[pc] {
                case .split(let first, let second):
                    stack.append(.enter(second))
                    stack.append(.enter(first))
                case .assert(let assertion, let next):
                    if assertion.holds(at: position, in: input) { stack.append(.enter(next)) }
                case .nop(let next):
                    stack.append(.enter(next))
                case .save(let slot, let next):
                    if slot < slots {
                        stack.append(.restore(slot: slot, value: captures[slot]))
                        captures[slot] = position
                    }
                    stack.append(.enter(next))
                case .scalar, .scalars, .any, .match:
                    queue.threads.append(pc)
                    queue.captures.append(contentsOf: captures)
                }
            }
        }
    }
}

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

struct UnsupportedRegex: Error {}

struct Parser {
    private let chars: [Unicode.Scalar]
    private var index = 0
    private var flags = Flags()
    private(set) var groupCount = 0
    private(set) var groupNames: [Int: String] = [:]

    struct Flags {
        var caseInsensitive = false
        var dotNewline = false
        var multiLine = false
        var ungreedy = false
    }

    init(_ chars: [Unicode.Scalar]) { self.chars = chars }

    static let perlWord = ScalarSet(ranges: [48...57, 65...90, 95...95, 97...122])
    static let perlDigit = ScalarSet(ranges: [48...57])
    static let perlSpace = ScalarSet(ranges: [9...10, 12...13, 32...32])

    mutating func parseAll() throws(UnsupportedRegex) -> RegexNode {
        let node = try parseAlternation()
        guard index == chars.count else { throw UnsupportedRegex() }
        return node
    }

    private var atEnd: Bool { index >= chars.count }
    private var peek: Unicode.Scalar? { atEnd ? nil : chars[index] }

    /// Flags set by `(?i)` hold for the rest of the enclosing group, across its alternatives, as in Go.
    private mutating func parseAlternation() throws(UnsupportedRegex) -> RegexNode {
        let saved = flags
        defer { flags = saved }
        var branches = [try parseConcatenation()]
        while peek == "|" {
            index += 1
            branches.append(try parseConcatenation())
        }
        return branches.count == 1 ? branches[0] : .alternate(branches)
    }

    private mutating func parseConcatenation() throws(UnsupportedRegex) -> RegexNode {
        var items: [RegexNode] = []
        while let ch = peek, ch != "|", ch != ")" {
            guard var atom = try parseAtom() else { continue }
            atom = try parseRepetitions(atom)
            items.append(atom)
        }
        return items.count == 1 ? items[0] : (items.isEmpty ? .empty : .concat(items))
    }

    private mutating func parseRepetitions(_ atom: RegexNode) throws(UnsupportedRegex) -> RegexNode {
        var node = atom
        while let ch = peek {
            var bounds: (Int, Int?)
            switch ch {
            case "*": bounds = (0, nil)
            case "+": bounds = (1, nil)
            case "?": bounds = (0, 1)
            case "{":
                guard let parsed = parseBraces() else { return node }
                bounds = parsed
                node = .repeated(node, min: bounds.0, max: bounds.1, greedy: greedyAfterOperator())
                continue
            default: return node
            }
            index += 1
            node = .repeated(node, min: bounds.0, max: bounds.1, greedy: greedyAfterOperator())
        }
        return node
    }

    /// Whether the repetition just read is greedy: a `?` after it, or the `U` flag, makes it lazy (both: greedy).
    private mutating func greedyAfterOperator() -> Bool {
        var lazy = flags.ungreedy
        if peek == "?" {
            index += 1
            lazy.toggle()
        }
        return !lazy
    }

    /// `{n}`, `{n,}`, `{n,m}` at `index`; nil (and `{` is a literal) when it is not one, as in Go.
    private mutating func parseBraces() -> (Int, Int?)? {
        var k = index + 1
        func number() -> Int? {
            var digits = ""
            while k < chars.count, let d = chars[k].properties.numericType, d == .decimal, chars[k].isASCII {
                digits.unicodeScalars.append(chars[k])
                k += 1
            }
            return digits.isEmpty ? nil : Int(digits)
        }
        guard let low = number() else { return nil }
        var high: Int? = low
        if k < chars.count, chars[k] == "," {
            k += 1
            high = number()
        }
        guard k < chars.count, chars[k] == "}" else { return nil }
        guard low <= 1000, (high ?? 0) <= 1000, high.map({ $0 >= low }) ?? true else { return nil }
        index = k + 1
        return (low, high)
    }

    /// One atom; nil for a flag group that only changes flags.
    private mutating func parseAtom() throws(UnsupportedRegex) -> RegexNode? {
        let ch = chars[index]
        index += 1
        switch ch {
        case ".": return .any(matchesNewline: flags.dotNewline)
        case "^": return .assert(flags.multiLine ? .beginLine : .beginText)
        case "$": return .assert(flags.multiLine ? .endLine : .endText)
        case "[": return .scalars(try parseClass())
        case "\\": return try parseEscape(inClass: false).node(flags)
        case "(": return try parseGroup()
        case "*", "+", "?": throw UnsupportedRegex()  // missing argument to repetition operator
        default: return literal(ch)
        }
    }

    private func literal(_ ch: Unicode.Scalar) -> RegexNode {
        .scalars(ScalarSet(ranges: [ch.value...ch.value], foldCase: flags.caseInsensitive))
    }

    private mutating func parseGroup() throws(UnsupportedRegex) -> RegexNode? {
        if peek == "?" {
            index += 1
            if peek == "P" || peek == "<" {
                if peek == "P" { index += 1 }
                guard peek == "<" else { throw UnsupportedRegex() }
                index += 1
                var name = ""
                while let c = peek, c != ">" {
                    // Go: [A-Za-z0-9_]+
                    guard c == "_" || (c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c))) else {
                        throw UnsupportedRegex()
                    }
                    name.unicodeScalars.append(c)
                    index += 1
                }
                guard peek == ">", !name.isEmpty else { throw UnsupportedRegex() }
                index += 1
                groupCount += 1
                groupNames[groupCount] = name
                return .capture(groupCount, try parseGroupBody())
            }
            var on = true
            var changed = flags
            while let c = peek, c != ")", c != ":" {
                switch c {
                case "i": changed.caseInsensitive = on
                case "s": changed.dotNewline = on
                case "m": changed.multiLine = on
                case "U": changed.ungreedy = on
                case "-" where on: on = false
                default: throw UnsupportedRegex()
                }
                index += 1
            }
            guard let end = peek else { throw UnsupportedRegex() }
            index += 1
            if end == ")" {
                flags = changed  // `(?i)`: for the rest of the enclosing group
                return nil
            }
            let saved = flags
            flags = changed
            defer { flags = saved }
            return try parseGroupBody()
        }
        groupCount += 1
        let group = groupCount
        return .capture(group, try parseGroupBody())
    }

    private mutating func parseGroupBody() throws(UnsupportedRegex) -> RegexNode {
        let node = try parseAlternation()
        guard peek == ")" else { throw UnsupportedRegex() }
        index += 1
        return node
    }

    /// What an escape stands for.
    enum Escape {
        case scalar(Unicode.Scalar)
        case set(ScalarSet)
        case assertion(Assertion)
        case quoted([Unicode.Scalar])

        func node(_ flags: Flags) -> RegexNode {
            switch self {
            case .scalar(let s):
                return .scalars(ScalarSet(ranges: [s.value...s.value], foldCase: flags.caseInsensitive))
            case .set(let set): return .scalars(set)
            case .assertion(let a): return .assert(a)
            case .quoted(let scalars):
                return .concat(
                    scalars.map { .scalars(ScalarSet(ranges: [$0.value...$0.value], foldCase: flags.caseInsensitive)) })
            }
        }
    }

    private mutating func parseEscape(inClass: Bool) throws(UnsupportedRegex) -> Escape {
        guard let c = peek else { throw UnsupportedRegex() }
        index += 1
        switch c {
        case "d": return .set(Self.perlDigit)
        case "D": return .set(negate(Self.perlDigit))
        case "w": return .set(Self.perlWord)
        case "W": return .set(negate(Self.perlWord))
        case "s": return .set(Self.perlSpace)
        case "S": return .set(negate(Self.perlSpace))
        case "n": return .scalar("\n")
        case "t": return .scalar("\t")
        case "r": return .scalar("\r")
        case "f": return .scalar("\u{0C}")
        case "v": return .scalar("\u{0B}")
        case "a": return .scalar("\u{07}")
        case "A" where !inClass: return .assertion(.beginText)
        case "z" where !inClass: return .assertion(.endText)
        case "b" where !inClass: return .assertion(.wordBoundary)
        case "B" where !inClass: return .assertion(.notWordBoundary)
        case "Q" where !inClass:
            var quoted: [Unicode.Scalar] = []
            while index < chars.count {
                if chars[index] == "\\", index + 1 < chars.count, chars[index + 1] == "E" {
                    index += 2
                    break
                }
                quoted.append(chars[index])
                index += 1
            }
            return .quoted(quoted)
        case "p", "P":
            var set = try parseProperty()
            set.negated = set.negated != (c == "P")
            set.foldCase = flags.caseInsensitive
            return .set(set)
        case "x":
            var hex = ""
            if peek == "{" {
                index += 1
                while let h = peek, h != "}" {
                    hex.unicodeScalars.append(h)
                    index += 1
                }
                guard peek == "}" else { throw UnsupportedRegex() }
                index += 1
            } else {
                for _ in 0..<2 {
                    guard let h = peek else { throw UnsupportedRegex() }
                    hex.unicodeScalars.append(h)
                    index += 1
                }
            }
            guard let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) else {
                throw UnsupportedRegex()
            }
            return .scalar(scalar)
        default:
            // Punctuation escapes itself; letters and digits not handled above are Go errors or Unicode classes
            // (`\pL`), left to the other engine.
            guard c.isASCII, !c.properties.isAlphabetic, !("0"..."9").contains(c) else { throw UnsupportedRegex() }
            return .scalar(c)
        }
    }

    /// The class after `\p` or `\P`: `L` or `{Name}`, `{^Name}` for its complement, with the names Go knows.
    private mutating func parseProperty() throws(UnsupportedRegex) -> ScalarSet {
        guard let first = peek else { throw UnsupportedRegex() }
        index += 1
        var name = String(first)
        var negated = false
        if first == "{" {
            name = ""
            while let c = peek, c != "}" {
                name.unicodeScalars.append(c)
                index += 1
            }
            guard peek == "}" else { throw UnsupportedRegex() }
            index += 1
            if name.hasPrefix("^") {
                negated = true
                name.removeFirst()
            }
        }
        guard let ranges = GoUnicodeProperties.ranges(name) else { throw UnsupportedRegex() }
        return ScalarSet(ranges: ranges, negated: negated)
    }

    private func negate(_ set: ScalarSet) -> ScalarSet {
        var negated = set
        negated.negated.toggle()
        return negated
    }

    /// A bracket class after `[`.
    private mutating func parseClass() throws(UnsupportedRegex) -> ScalarSet {
        var set = ScalarSet(ranges: [], foldCase: flags.caseInsensitive)
        if peek == "^" {
            index += 1
            set.negated = true
        }
        var first = true
        while let c = peek, c != "]" || first {
            first = false
            if c == "[", index + 1 < chars.count, chars[index + 1] == ":" {
                set.ranges += try parsePOSIXClass()
                continue
            }
            index += 1
            var low: Unicode.Scalar
            if c == "\\" {
                switch try parseEscape(inClass: true) {
                case .scalar(let s): low = s
                case .set(let inner):
                    guard !inner.negated else {
                        // `[^\D]`-style nesting: complement ranges of the ASCII-only Perl classes.
                        set.ranges += Self.complement(inner.ranges)
                        continue
                    }
                    set.ranges += inner.ranges
                    continue
                default: throw UnsupportedRegex()
                }
            } else {
                low = c
            }
            if peek == "-", index + 1 < chars.count, chars[index + 1] != "]" {
                index += 1
                var high = chars[index]
                index += 1
                if high == "\\" {
                    guard case .scalar(let s) = try parseEscape(inClass: true) else { throw UnsupportedRegex() }
                    high = s
                }
                guard low.value <= high.value else { throw UnsupportedRegex() }
                set.ranges.append(low.value...high.value)
            } else {
                set.ranges.append(low.value...low.value)
            }
        }
        guard peek == "]" else { throw UnsupportedRegex() }
        index += 1
        return set
    }

    private mutating func parsePOSIXClass() throws(UnsupportedRegex) -> [ClosedRange<UInt32>] {
        var k = index + 2
        var negated = false
        if k < chars.count, chars[k] == "^" {
            negated = true
            k += 1
        }
        var name = ""
        while k < chars.count, chars[k] != ":" {
            name.unicodeScalars.append(chars[k])
            k += 1
        }
        guard k + 1 < chars.count, chars[k + 1] == "]" else { throw UnsupportedRegex() }
        index = k + 2
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
        default: throw UnsupportedRegex()
        }
        return negated ? Self.complement(ranges) : ranges
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

// MARK: - Simplification and compilation

/// Go's `Regexp.Simplify`: counted repetitions become stars, pluses and quests (`x{2,}` is `xx+`, `x{2,4}` is
/// `xx(x(x)?)?`), a repetition of the empty string is the empty string, and a repetition of the same repetition is
/// one. The shape decides the priority order of a match, so it is Go's.
func simplify(_ node: RegexNode) -> RegexNode {
    switch node {
    case .empty, .noMatch, .scalars, .any, .assert: return node
    case .concat(let items): return .concat(items.map(simplify))
    case .alternate(let branches): return .alternate(branches.map(simplify))
    case .capture(let index, let inner): return .capture(index, simplify(inner))
    case .repeated(let inner, let min, let max, let greedy):
        let sub = simplify(inner)
        func one(_ kind: RepetitionKind, _ sub: RegexNode) -> RegexNode {
            if case .empty = sub { return sub }
            if case .repeated(_, let subMin, let subMax, let subGreedy) = sub, subGreedy == greedy,
                RepetitionKind(min: subMin, max: subMax) == kind
            {
                return sub
            }
            return .repeated(sub, min: kind.bounds.min, max: kind.bounds.max, greedy: greedy)
        }
        if let kind = RepetitionKind(min: min, max: max) { return one(kind, sub) }
        if min == 0 && max == 0 { return .empty }
        guard let max else {
            // x{n,} is n-1 copies of x and x+.
            return .concat(Array(repeating: sub, count: min - 1) + [one(.plus, sub)])
        }
        if min == 1 && max == 1 { return sub }
        var items = Array(repeating: sub, count: min)
        if max > min {
            var suffix = one(.quest, sub)
            for _ in (min + 1)..<max { suffix = one(.quest, .concat([sub, suffix])) }
            items.append(suffix)
        }
        return .concat(items)
    }
}

/// The repetitions that compile directly.
enum RepetitionKind: Equatable {
    case star, plus, quest

    init?(min: Int, max: Int?) {
        switch (min, max) {
        case (0, nil): self = .star
        case (1, nil): self = .plus
        case (0, 1): self = .quest
        default: return nil
        }
    }

    var bounds: (min: Int, max: Int?) {
        switch self {
        case .star: (0, nil)
        case .plus: (1, nil)
        case .quest: (0, 1)
        }
    }
}

/// Compiles a simplified tree as Go's `regexp/syntax` compiler does: fragments with a list of holes (the ways out
/// that are not yet connected), patched to what follows.
struct Compiler {
    var code: [Instruction] = []

    /// A way out of a fragment: the instruction and which of its targets (the second of a split, or the first).
    private struct Hole {
        var pc: Int
        var second: Bool
    }

    /// A compiled piece: its entry (-1: it never matches), its holes, and whether it can match the empty string.
    private struct Fragment {
        var entry: Int
        var holes: [Hole]
        var nullable: Bool
        static let fail = Fragment(entry: -1, holes: [], nullable: false)
    }

    /// Compiles `node` followed by a match; answers the entry.
    mutating func compile(_ node: RegexNode) throws(UnsupportedRegex) -> Int {
        let fragment = try emit(node)
        let match = append(.match)
        patch(fragment.holes, to: match)
        return fragment.entry
    }

    private mutating func append(_ instruction: Instruction) -> Int {
        code.append(instruction)
        return code.count - 1
    }

    private mutating func single(_ instruction: Instruction) throws(UnsupportedRegex) -> Fragment {
        guard code.count < 100_000 else { throw UnsupportedRegex() }
        let pc = append(instruction)
        return Fragment(entry: pc, holes: [Hole(pc: pc, second: false)], nullable: true)
    }

    private mutating func patch(_ holes: [Hole], to target: Int) {
        for hole in holes {
            switch code[hole.pc] {
            case .scalar(let scalar, _): code[hole.pc] = .scalar(scalar, next: target)
            case .scalars(let set, _): code[hole.pc] = .scalars(set, next: target)
            case .any(let newline, _): code[hole.pc] = .any(matchesNewline: newline, next: target)
            case .assert(let assertion, _): code[hole.pc] = .assert(assertion, next: target)
            case .save(let slot, _): code[hole.pc] = .save(slot, next: target)
            case .nop: code[hole.pc] = .nop(next: target)
            case .split(let first, let second):
                code[hole.pc] = hole.second ? .split(first, target) : .split(target, second)
            case .match: preconditionFailure("a match instruction has no way out")
            }
        }
    }

    private mutating func emit(_ node: RegexNode) throws(UnsupportedRegex) -> Fragment {
        switch node {
        case .empty: return try single(.nop(next: -1))
        case .noMatch: return .fail
        case .scalars(let set):
            let normalized = set.normalized()
            var fragment: Fragment
            if !set.negated, !set.foldCase, normalized.ranges.count == 1, let range = normalized.ranges.first,
                range.lowerBound == range.upperBound, let scalar = Unicode.Scalar(range.lowerBound)
            {
                fragment = try single(.scalar(scalar, next: -1))
            } else {
                fragment = try single(.scalars(normalized, next: -1))
            }
            fragment.nullable = false
            return fragment
        case .any(let newline):
            var fragment = try single(.any(matchesNewline: newline, next: -1))
            fragment.nullable = false
            return fragment
        case .assert(let assertion): return try single(.assert(assertion, next: -1))
        case .capture(let index, let inner):
            let open = try single(.save(2 * index, next: -1))
            let body = try emit(inner)
            let close = try single(.save(2 * index + 1, next: -1))
            return concatenate(concatenate(open, body), close)
        case .concat(let items):
            guard let first = items.first else { return try single(.nop(next: -1)) }
            var fragment = try emit(first)
            for item in items.dropFirst() { fragment = concatenate(fragment, try emit(item)) }
            return fragment
        case .alternate(let branches):
            var fragment = Fragment.fail
            for branch in branches {
                let next = try emit(branch)
                if fragment.entry < 0 {
                    fragment = next
                } else if next.entry >= 0 {
                    let split = append(.split(fragment.entry, next.entry))
                    fragment = Fragment(
                        entry: split, holes: fragment.holes + next.holes, nullable: fragment.nullable || next.nullable)
                }
            }
            return fragment
        case .repeated(let inner, let min, let max, let greedy):
            let body = try emit(inner)
            switch RepetitionKind(min: min, max: max) {
            case .quest: return quest(body, greedy: greedy)
            case .plus: return plus(body, greedy: greedy)
            case .star:
                // A nullable x* is (x+)? so that the priority order is right (Go's issue 46123).
                return body.nullable ? quest(plus(body, greedy: greedy), greedy: greedy) : loop(body, greedy: greedy)
            case nil: preconditionFailure("counted repetitions are simplified away")
            }
        }
    }

    private mutating func concatenate(_ first: Fragment, _ second: Fragment) -> Fragment {
        guard first.entry >= 0, second.entry >= 0 else { return .fail }
        patch(first.holes, to: second.entry)
        return Fragment(entry: first.entry, holes: second.holes, nullable: first.nullable && second.nullable)
    }

    private mutating func quest(_ body: Fragment, greedy: Bool) -> Fragment {
        let pc = append(greedy ? .split(body.entry, -1) : .split(-1, body.entry))
        return Fragment(entry: pc, holes: [Hole(pc: pc, second: greedy)] + body.holes, nullable: true)
    }

    /// The loop of a star or plus: a split after the body, back to it or on.
    private mutating func loop(_ body: Fragment, greedy: Bool) -> Fragment {
        let pc = append(greedy ? .split(body.entry, -1) : .split(-1, body.entry))
        patch(body.holes, to: pc)
        return Fragment(entry: pc, holes: [Hole(pc: pc, second: greedy)], nullable: true)
    }

    private mutating func plus(_ body: Fragment, greedy: Bool) -> Fragment {
        Fragment(entry: body.entry, holes: loop(body, greedy: greedy).holes, nullable: body.nullable)
    }
}
