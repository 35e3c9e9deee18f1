/// Whole-string matching of Go (RE2) regular expressions in time linear in the input: a Thompson NFA simulated over
/// the input's Unicode scalars, as Go's regexp package guarantees. Label matchers come from API clients (a tenant's
/// silence, an alert filter), so a backtracking engine would let one silence like `(a+)+$` stall every alert
/// listing and flush; this engine cannot be made to backtrack.
///
/// It answers only "does the whole value match" (what Alertmanager's `^(?:re)$` matchers ask), so captures and
/// laziness play no part. The syntax is RE2's: literals, `.`, classes with ranges, negation, Perl (`\d\w\s`) and
/// ASCII (`[:alpha:]`) classes, escapes, groups (capturing, `(?:`, `(?P<name>`), flags `i`, `s`, `m`, `U` (alone or
/// scoped), alternation, `* + ? {n} {n,} {n,m}` with optional `?`, anchors `^ $ \A \z` and `\b \B`. Unicode
/// property classes (`\pL`, `\p{Greek}`) are not implemented: ``init(_:)`` returns nil for them and the caller keeps
/// its other engine.
public struct GoLinearRegexp: Sendable {
    private let program: [Instruction]

    /// Compiles `pattern`; nil when it uses syntax this engine does not implement, or is not valid RE2 (the caller
    /// reports syntax errors).
    public init?(_ pattern: String) {
        var parser = Parser(Array(pattern.unicodeScalars))
        guard let node = try? parser.parseAll() else { return nil }
        var compiler = Compiler()
        guard (try? compiler.emit(node)) != nil else { return nil }
        compiler.code.append(.match)
        program = compiler.code
    }

    /// Whether the whole of `value` matches.
    public func matches(_ value: String) -> Bool {
        let input = Array(value.unicodeScalars)
        var current = ThreadList(capacity: program.count)
        var next = ThreadList(capacity: program.count)
        addThread(&current, 0, at: 0, input)
        for position in 0..<input.count {
            if current.isEmpty { return false }
            next.clear()
            let scalar = input[position]
            for pc in current.states {
                switch program[pc] {
                case .scalars(let set) where set.contains(scalar):
                    addThread(&next, pc + 1, at: position + 1, input)
                case .any(let newline) where newline || scalar != "\n":
                    addThread(&next, pc + 1, at: position + 1, input)
                default:
                    break
                }
            }
            swap(&current, &next)
        }
        return current.states.contains { program[$0] == .match }
    }

    /// Adds `pc` and everything reachable from it without consuming input (at `position`).
    private func addThread(_ list: inout ThreadList, _ pc: Int, at position: Int, _ input: [Unicode.Scalar]) {
        var stack = [pc]
        while let pc = stack.popLast() {
            guard list.insert(pc) else { continue }
            switch program[pc] {
            case .jump(let target):
                stack.append(target)
            case .split(let first, let second):
                stack.append(second)
                stack.append(first)
            case .assert(let assertion):
                if assertion.holds(at: position, in: input) { stack.append(pc + 1) }
            case .scalars, .any, .match:
                break
            }
        }
    }
}

// MARK: - Program

/// A set of scalars: ranges, optionally negated and case-folded.
struct ScalarSet: Sendable, Equatable {
    var ranges: [ClosedRange<UInt32>]
    var negated = false
    var foldCase = false

    func contains(_ scalar: Unicode.Scalar) -> Bool {
        var found = ranges.contains { $0.contains(scalar.value) }
        if !found, foldCase {
            for variant in Self.caseVariants(scalar) where ranges.contains(where: { $0.contains(variant.value) }) {
                found = true
                break
            }
        }
        return found != negated
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

enum Instruction: Sendable, Equatable {
    case scalars(ScalarSet)
    /// Any scalar; `\n` too when the flag is set.
    case any(matchesNewline: Bool)
    case split(Int, Int)
    case jump(Int)
    case assert(Assertion)
    case match
}

/// The states of one step, in a sparse set (insertion and clearing in constant time).
struct ThreadList {
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

// MARK: - Syntax

indirect enum RegexNode {
    case empty
    case scalars(ScalarSet)
    case any(matchesNewline: Bool)
    case concat([RegexNode])
    case alternate([RegexNode])
    case repeated(RegexNode, min: Int, max: Int?)
    case assert(Assertion)
}

struct UnsupportedRegex: Error {}

struct Parser {
    private let chars: [Unicode.Scalar]
    private var index = 0
    private var flags = Flags()

    struct Flags {
        var caseInsensitive = false
        var dotNewline = false
        var multiLine = false
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
                node = .repeated(node, min: bounds.0, max: bounds.1)
                if peek == "?" { index += 1 }
                continue
            default: return node
            }
            index += 1
            if peek == "?" { index += 1 }  // laziness does not change whether the whole value matches
            node = .repeated(node, min: bounds.0, max: bounds.1)
        }
        return node
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
                while let c = peek, c != ">" { index += 1 }
                guard peek == ">" else { throw UnsupportedRegex() }
                index += 1
                return try parseGroupBody()
            }
            var on = true
            var changed = flags
            while let c = peek, c != ")", c != ":" {
                switch c {
                case "i": changed.caseInsensitive = on
                case "s": changed.dotNewline = on
                case "m": changed.multiLine = on
                case "U": break  // ungreedy: no effect on whole matches
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
        return try parseGroupBody()
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

// MARK: - Compilation

struct Compiler {
    var code: [Instruction] = []

    /// Appends the code of `node`; control falls through to the next instruction when it matches.
    mutating func emit(_ node: RegexNode) throws(UnsupportedRegex) {
        guard code.count < 100_000 else { throw UnsupportedRegex() }
        switch node {
        case .empty: break
        case .scalars(let set): code.append(.scalars(set))
        case .any(let newline): code.append(.any(matchesNewline: newline))
        case .assert(let assertion): code.append(.assert(assertion))
        case .concat(let items):
            for item in items { try emit(item) }
        case .alternate(let branches):
            var jumps: [Int] = []
            for (position, branch) in branches.enumerated() {
                if position == branches.count - 1 {
                    try emit(branch)
                } else {
                    let split = code.count
                    code.append(.split(split + 1, -1))
                    try emit(branch)
                    jumps.append(code.count)
                    code.append(.jump(-1))
                    code[split] = .split(split + 1, code.count)
                }
            }
            for jump in jumps { code[jump] = .jump(code.count) }
        case .repeated(let inner, let min, let max):
            for _ in 0..<min { try emit(inner) }
            if let max {
                // Each optional copy may be skipped to the end.
                var skips: [Int] = []
                for _ in min..<max {
                    skips.append(code.count)
                    code.append(.split(code.count + 1, -1))
                    try emit(inner)
                }
                for skip in skips { code[skip] = .split(skip + 1, code.count) }
            } else {
                let loop = code.count
                code.append(.split(loop + 1, -1))
                try emit(inner)
                code.append(.jump(loop))
                code[loop] = .split(loop + 1, code.count)
            }
        }
    }
}
