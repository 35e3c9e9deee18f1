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
/// `m`, `U` (alone or scoped), alternation, `* + ? {n} {n,} {n,m}` with optional `?`, anchors `^ $ \A \z` and `\b \B`,
/// octal and hexadecimal escapes; `(?i)` matches Go's case-folding orbits. What Go 1.19 refuses is refused with Go's
/// error (``SyntaxError``), Go's limits on nesting, size and repetition included.
public struct GoLinearRegexp: Sendable {
    private let program: [Instruction]
    private let start: Int
    /// The number of capturing groups (Go's `NumSubexp`).
    public let groupCount: Int
    /// Each group's name, `""` for unnamed ones and for the whole match at index 0 (Go's `SubexpNames`).
    public let groupNames: [String]
    /// The number of instructions: what the compiled pattern costs in memory, about 20 bytes each.
    public var size: Int { program.count }

    /// Compiles `pattern` as Go's `regexp.Compile` does, or throws the error Go gives for it.
    public init(compiling pattern: String) throws(SyntaxError) {
        var parser = Parser(Array(pattern.unicodeScalars))
        let node = try parser.parseAll()
        var compiler = Compiler()
        guard let entry = try? compiler.compile(simplify(node)) else {
            throw SyntaxError(.internalError, pattern)
        }
        program = compiler.code
        start = entry
        groupCount = parser.groupCount
        groupNames = (0...parser.groupCount).map { parser.groupNames[$0] ?? "" }
    }

    /// Compiles `pattern`; nil when Go refuses it (``init(compiling:)`` says why).
    public init?(_ pattern: String) {
        guard let compiled = try? GoLinearRegexp(compiling: pattern) else { return nil }
        self = compiled
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

/// A set of scalars: ranges, optionally negated. Case folding is done when the set is built (``folded()``), as Go
/// does it.
struct ScalarSet: Sendable, Equatable {
    var ranges: [ClosedRange<UInt32>]
    var negated = false

    func contains(_ scalar: Unicode.Scalar) -> Bool {
        Self.ranges(ranges, contain: scalar.value) != negated
    }

    /// Binary search; `ranges` are sorted and disjoint (see ``normalized()``).
    static func ranges(_ ranges: [ClosedRange<UInt32>], contain value: UInt32) -> Bool {
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

    /// The scalars in the set, as ranges without negation.
    var members: [ClosedRange<UInt32>] { negated ? Parser.complement(normalized().ranges) : ranges }

    /// The scalars in either set.
    func union(_ other: ScalarSet) -> ScalarSet {
        ScalarSet(ranges: members + other.members).normalized()
    }

    /// The set with every scalar's case-folding orbit (Go's `unicode.SimpleFold`: `k` brings `K` and the Kelvin sign
    /// U+212A), what `(?i)` matches for it; negation is kept as it is, so fold before negating.
    func folded() -> ScalarSet {
        let set = normalized()
        var added: [ClosedRange<UInt32>] = []
        for orbit in GoUnicodeProperties.foldOrbits
        where orbit.contains(where: { Self.ranges(set.ranges, contain: $0) }) {
            added += orbit.map { $0...$0 }
        }
        guard !added.isEmpty else { return set }
        var result = set
        result.ranges += added
        return result.normalized()
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

/// The compiler ran past its limit.
struct UnsupportedRegex: Error {}

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
        // Go's limit (about 3.3 million, checked when parsing), with room for where the two compilers differ.
        guard code.count < 2 * Parser.maxSize else { throw UnsupportedRegex() }
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
            if !set.negated, normalized.ranges.count == 1, let range = normalized.ranges.first,
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
