import KlaxonGoCompat

/// Go's `text/template/parse` parser: turns a text into its top-level tree and the trees it defines.
struct Parser {
    struct Failure: Error {
        var message: String
    }

    /// How deeply parentheses and control structures may nest. Go allows 10,000 parentheses (1,000 on wasm); the
    /// parser and the executor recurse per level, and at 1,000 levels a debug build overflowed a task's stack, so
    /// Klaxon allows 100 (real templates nest a handful), refusing deeper ones with Go's message instead of crashing
    /// (found by the template fuzz target). It applies to `if`, `range`, `with` and `else if` chains too, which Go
    /// does not limit.
    static let maxStackDepth = 100

    private let tokens: [Token]
    private var index = 0
    private let source: Source
    private let functions: Set<String>
    private var vars: [String] = ["$"]
    private var rangeDepth = 0
    /// Parenthesized pipelines and control structures open around the current token (Go's `stackDepth`).
    private var stackDepth = 0
    private var actionLine = 0
    /// Trees defined by this text, in definition order.
    private(set) var defined: [String: Tree] = [:]
    private(set) var definedOrder: [String] = []

    private init(text: String, parseName: String, functions: Set<String>) {
        tokens = Lexer.tokenize(text)
        source = Source(parseName: parseName, text: text)
        self.functions = functions
    }

    /// Parses `text`; returns the top-level tree (named `name`) and every `define`/`block` tree.
    static func parse(
        text: String, name: String, functions: Set<String>
    ) throws(TemplateError) -> (root: Tree, defined: [(String, Tree)]) {
        var parser = Parser(text: text, parseName: name, functions: functions)
        do {
            let root = try parser.parseTop()
            let tree = Tree(name: name, source: parser.source, root: root)
            return (tree, parser.definedOrder.compactMap { key in parser.defined[key].map { (key, $0) } })
        } catch {
            throw TemplateError(message: error.message)
        }
    }

    // MARK: - Tokens

    private var lastLine = 1

    private mutating func next() -> Token {
        let token = tokens[min(index, tokens.count - 1)]
        if index < tokens.count { index += 1 }
        lastLine = token.line
        return token
    }

    private func peek() -> Token { tokens[min(index, tokens.count - 1)] }

    private mutating func backup(_ count: Int = 1) { index -= count }

    private mutating func nextNonSpace() -> Token {
        var token = next()
        while token.kind == .space { token = next() }
        return token
    }

    private mutating func peekNonSpace() -> Token {
        let token = nextNonSpace()
        backup()
        return token
    }

    private func error(_ message: String) -> Failure {
        Failure(message: "template: \(source.parseName):\(lastLine): \(message)")
    }

    private static func describe(_ token: Token) -> String {
        switch token.kind {
        case .eof: return "EOF"
        case .error: return token.value
        case .keywordBlock, .keywordBreak, .keywordContinue, .keywordDefine, .keywordElse, .keywordEnd, .keywordIf,
            .keywordRange, .keywordTemplate, .keywordWith:
            return "<\(token.value)>"
        default:
            if token.value.utf8.count > 10 { return GoQuote.quote(String(token.value.prefix(10))) + "..." }
            return GoQuote.quote(token.value)
        }
    }

    private func unexpected(_ token: Token, _ context: String) -> Failure {
        if token.kind == .error {
            var extra = ""
            if actionLine != 0 && actionLine != token.line {
                extra = " in action started at \(source.parseName):\(actionLine)"
                if token.value.hasSuffix(" action") { extra = String(extra.dropFirst(" in action".count)) }
            }
            return error(token.value + extra)
        }
        return error("unexpected \(Parser.describe(token)) in \(context)")
    }

    private mutating func expect(_ kind: Token.Kind, _ context: String) throws(Failure) -> Token {
        let token = nextNonSpace()
        guard token.kind == kind else { throw unexpected(token, context) }
        return token
    }

    // MARK: - Structure

    /// What ends an item list.
    private enum Stop {
        case end(pos: Int)
        case elseWord(pos: Int)
    }

    private mutating func parseTop() throws(Failure) -> [Node] {
        var root: [Node] = []
        while peek().kind != .eof {
            if peek().kind == .leftDelim {
                let saved = index
                _ = next()
                if nextNonSpace().kind == .keywordDefine {
                    try parseDefinition()
                    continue
                }
                index = saved
            }
            switch try textOrAction() {
            case .node(let node): root.append(node)
            case .stop(.end): throw error("unexpected {{end}}")
            case .stop(.elseWord): throw error("unexpected {{else}}")
            }
        }
        return root
    }

    private mutating func addTree(_ name: String, _ root: [Node]) throws(Failure) {
        let tree = Tree(name: name, source: source, root: root)
        if let existing = defined[name], !existing.isEmpty {
            if !tree.isEmpty { throw error("template: multiple definition of template \(GoQuote.quote(name))") }
            return
        }
        if defined[name] == nil { definedOrder.append(name) }
        defined[name] = tree
    }

    private mutating func withFreshScope<T>(_ body: (inout Parser) throws(Failure) -> T) throws(Failure) -> T {
        let savedVars = vars
        let savedDepth = rangeDepth
        vars = ["$"]
        rangeDepth = 0
        defer {
            vars = savedVars
            rangeDepth = savedDepth
        }
        return try body(&self)
    }

    private mutating func parseDefinition() throws(Failure) {
        let context = "define clause"
        let token = nextNonSpace()
        let name = try templateName(token, context)
        _ = try expect(.rightDelim, context)
        try withFreshScope { parser throws(Failure) in
            let (list, stop) = try parser.itemList()
            guard case .end = stop else { throw parser.error("unexpected {{else}} in \(context)") }
            try parser.addTree(name, list)
        }
    }

    private mutating func templateName(_ token: Token, _ context: String) throws(Failure) -> String {
        switch token.kind {
        case .string, .rawString:
            guard let name = GoQuote.unquote(token.value) else { throw error("invalid syntax") }
            return name
        default:
            throw unexpected(token, context)
        }
    }

    private mutating func itemList() throws(Failure) -> ([Node], Stop) {
        var list: [Node] = []
        while peekNonSpace().kind != .eof {
            switch try textOrAction() {
            case .node(let node): list.append(node)
            case .stop(let stop): return (list, stop)
            }
        }
        throw error("unexpected EOF")
    }

    private enum Item {
        case node(Node)
        case stop(Stop)
    }

    private mutating func textOrAction() throws(Failure) -> Item {
        let token = nextNonSpace()
        switch token.kind {
        case .text:
            return .node(.text(token.value))
        case .leftDelim:
            actionLine = token.line
            defer { actionLine = 0 }
            return try action()
        default:
            throw unexpected(token, "input")
        }
    }

    private mutating func action() throws(Failure) -> Item {
        let token = nextNonSpace()
        switch token.kind {
        case .keywordBlock: return .node(try blockControl())
        case .keywordBreak, .keywordContinue:
            let word = token.kind == .keywordBreak ? "break" : "continue"
            let after = nextNonSpace()
            guard after.kind == .rightDelim else { throw unexpected(after, "{{\(word)}}") }
            guard rangeDepth > 0 else { throw error("{{\(word)}} outside {{range}}") }
            return .node(token.kind == .keywordBreak ? .breakNode(pos: token.pos) : .continueNode(pos: token.pos))
        case .keywordElse:
            let peeked = peekNonSpace()
            if peeked.kind == .keywordIf { return .stop(.elseWord(pos: peeked.pos)) }
            let closing = try expect(.rightDelim, "else")
            return .stop(.elseWord(pos: closing.pos))
        case .keywordEnd:
            let closing = try expect(.rightDelim, "end")
            return .stop(.end(pos: closing.pos))
        case .keywordIf: return .node(.ifNode(try control(allowElseIf: true, context: "if")))
        case .keywordRange: return .node(.rangeNode(try control(allowElseIf: false, context: "range")))
        case .keywordWith: return .node(.withNode(try control(allowElseIf: false, context: "with")))
        case .keywordTemplate: return .node(try templateControl())
        default:
            backup()
            let start = peek()
            return .node(.action(pos: start.pos, pipe: try pipeline("command", end: .rightDelim)))
        }
    }

    /// Runs `body` one nesting level deeper, refusing past ``maxStackDepth`` with Go's message.
    private mutating func nested<T>(_ body: (inout Parser) throws(Failure) -> T) throws(Failure) -> T {
        guard stackDepth < Parser.maxStackDepth else { throw error("max expression depth exceeded") }
        stackDepth += 1
        defer { stackDepth -= 1 }
        return try body(&self)
    }

    private mutating func control(allowElseIf: Bool, context: String) throws(Failure) -> Branch {
        try nested { (parser) throws(Failure) in try parser.nestedControl(allowElseIf: allowElseIf, context: context) }
    }

    private mutating func nestedControl(allowElseIf: Bool, context: String) throws(Failure) -> Branch {
        let savedVars = vars.count
        defer { vars.removeLast(vars.count - savedVars) }
        let pipe = try pipeline(context, end: .rightDelim)
        if context == "range" { rangeDepth += 1 }
        let (list, stop) = try itemList()
        if context == "range" { rangeDepth -= 1 }
        var elseList: [Node]?
        if case .elseWord(let pos) = stop {
            if allowElseIf && peek().kind == .keywordIf {
                _ = next()
                _ = pos
                elseList = [.ifNode(try control(allowElseIf: true, context: "if"))]
            } else {
                let (list, stop) = try itemList()
                guard case .end = stop else { throw error("expected end; found {{else}}") }
                elseList = list
            }
        }
        return Branch(pos: pipe.pos, pipe: pipe, list: list, elseList: elseList)
    }

    private mutating func templateControl() throws(Failure) -> Node {
        let context = "template clause"
        let token = nextNonSpace()
        let name = try templateName(token, context)
        var pipe: Pipe?
        if nextNonSpace().kind != .rightDelim {
            backup()
            pipe = try pipeline(context, end: .rightDelim)
        }
        return .template(pos: token.pos, name: name, pipe: pipe)
    }

    private mutating func blockControl() throws(Failure) -> Node {
        let context = "block clause"
        let token = nextNonSpace()
        let name = try templateName(token, context)
        let pipe = try pipeline(context, end: .rightDelim)
        try withFreshScope { parser throws(Failure) in
            let (list, stop) = try parser.itemList()
            guard case .end = stop else { throw parser.error("unexpected {{else}} in \(context)") }
            try parser.addTree(name, list)
        }
        return .template(pos: token.pos, name: name, pipe: pipe)
    }

    // MARK: - Pipelines

    private mutating func pipeline(_ context: String, end: Token.Kind) throws(Failure) -> Pipe {
        let start = peekNonSpace()
        var pipe = Pipe(pos: start.pos, isAssign: false, decls: [], cmds: [])
        declarations: while peekNonSpace().kind == .variable {
            let saved = index
            let variable = nextNonSpace()
            let following = peekNonSpace()
            switch following.kind {
            case .assign, .declare:
                pipe.isAssign = following.kind == .assign
                _ = nextNonSpace()
                pipe.decls.append(variable.value)
                vars.append(variable.value)
                break declarations
            case .comma:
                _ = nextNonSpace()
                pipe.decls.append(variable.value)
                vars.append(variable.value)
                if context == "range" && pipe.decls.count < 2 {
                    switch peekNonSpace().kind {
                    case .variable, .rightDelim, .rightParen:
                        continue declarations
                    default:
                        throw error("range can only initialize variables")
                    }
                }
                throw error("too many declarations in \(context)")
            default:
                index = saved
                break declarations
            }
        }
        while true {
            let token = nextNonSpace()
            switch token.kind {
            case end:
                if pipe.cmds.isEmpty { throw error("missing value for \(context)") }
                for (offset, cmd) in pipe.cmds.enumerated().dropFirst() {
                    switch cmd.args.first {
                    case .bool, .dot, .nilValue, .number, .string:
                        throw error("non executable command in pipeline stage \(offset + 1)")
                    default: break
                    }
                }
                return pipe
            case .bool, .char, .dot, .field, .identifier, .number, .nilWord, .rawString, .string, .variable,
                .leftParen:
                backup()
                pipe.cmds.append(try command())
            default:
                throw unexpected(token, context)
            }
        }
    }

    private mutating func command() throws(Failure) -> Command {
        var cmd = Command(pos: peekNonSpace().pos, args: [])
        while true {
            _ = peekNonSpace()
            if let operand = try operand() { cmd.args.append(operand) }
            let token = next()
            switch token.kind {
            case .space: continue
            case .rightDelim, .rightParen: backup()
            case .pipe: break
            default: throw unexpected(token, "operand")
            }
            break
        }
        if cmd.args.isEmpty { throw error("empty command") }
        return cmd
    }

    private mutating func operand() throws(Failure) -> Arg? {
        guard let node = try term() else { return nil }
        guard peek().kind == .field else { return node }
        let chainPos = peek().pos
        var names: [String] = []
        while peek().kind == .field { names.append(String(next().value.dropFirst())) }
        switch node {
        case .field(_, let base): return .field(pos: chainPos, names: base + names)
        case .variable(_, let base): return .variable(pos: chainPos, names: base + names)
        case .bool, .string, .number, .nilValue, .dot:
            throw error("unexpected . after term \(GoQuote.quote(node.goString))")
        default: return .chain(pos: chainPos, node: node, names: names)
        }
    }

    private mutating func term() throws(Failure) -> Arg? {
        let token = nextNonSpace()
        switch token.kind {
        case .identifier:
            guard functions.contains(token.value) else {
                throw error("function \(GoQuote.quote(token.value)) not defined")
            }
            return .identifier(pos: token.pos, name: token.value)
        case .dot: return .dot(pos: token.pos)
        case .nilWord: return .nilValue(pos: token.pos)
        case .variable:
            let names = token.value.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard vars.contains(names[0]) else { throw error("undefined variable \(GoQuote.quote(names[0]))") }
            return .variable(pos: token.pos, names: names)
        case .field: return .field(pos: token.pos, names: [String(token.value.dropFirst())])
        case .bool: return .bool(pos: token.pos, value: token.value == "true")
        case .number, .char:
            guard let number = parseNumber(token) else {
                let plainDigits = token.kind == .number && !token.value.contains(where: { ".eEpPxX".contains($0) })
                if plainDigits && Double(token.value.replacingOccurrences(of: "_", with: "")) != nil {
                    throw error("integer overflow: \(GoQuote.quote(token.value))")
                }
                throw error("illegal number syntax: \(GoQuote.quote(token.value))")
            }
            return .number(pos: token.pos, value: number)
        case .leftParen:
            return .pipe(
                try nested { (parser) throws(Failure) in try parser.pipeline("parenthesized pipeline", end: .rightParen)
                })
        case .string, .rawString:
            guard let value = GoQuote.unquote(token.value) else { throw error("invalid syntax") }
            return .string(pos: token.pos, quoted: token.value, value: value)
        default:
            backup()
            return nil
        }
    }

    private func parseNumber(_ token: Token) -> NumberConstant? {
        let text = token.value
        if token.kind == .char {
            guard let value = GoQuote.unquote(text), value.unicodeScalars.count == 1,
                let scalar = value.unicodeScalars.first
            else { return nil }
            return NumberConstant(
                text: text, intValue: Int(scalar.value), floatValue: Double(scalar.value), isChar: true)
        }
        let clean = text.replacingOccurrences(of: "_", with: "")
        var body = Substring(clean)
        var negative = false
        if body.hasPrefix("+") || body.hasPrefix("-") {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        var intValue: Int?
        let lower = body.lowercased()
        let isHexFloat = lower.hasPrefix("0x")
        if lower.hasPrefix("0x") {
            intValue = Int(lower.dropFirst(2), radix: 16)
        } else if lower.hasPrefix("0o") {
            intValue = Int(lower.dropFirst(2), radix: 8)
        } else if lower.hasPrefix("0b") {
            intValue = Int(lower.dropFirst(2), radix: 2)
        } else if lower.count > 1 && lower.hasPrefix("0") && lower.allSatisfy(\.isNumber) {
            intValue = Int(lower.dropFirst(), radix: 8)
        } else {
            intValue = Int(lower)
        }
        if let value = intValue {
            let signed = negative ? -value : value
            return NumberConstant(text: text, intValue: signed, floatValue: Double(signed), isChar: false)
        }
        guard let float = Double(String(body)) else { return nil }
        if !isHexFloat && !text.contains(where: { ".eEpP".contains($0) }) { return nil }
        let signed = negative ? -float : float
        let integral = signed.rounded() == signed && abs(signed) < 9.2e18
        return NumberConstant(
            text: text, intValue: integral ? Int(signed) : nil, floatValue: signed, isChar: false)
    }
}
