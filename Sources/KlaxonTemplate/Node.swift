import KlaxonGoCompat

/// Parse tree of Go's template language.
indirect enum Node: Sendable {
    case text(String)
    case action(pos: Int, pipe: Pipe)
    case ifNode(Branch)
    case rangeNode(Branch)
    case withNode(Branch)
    case template(pos: Int, name: String, pipe: Pipe?)
    case breakNode(pos: Int)
    case continueNode(pos: Int)
}

/// `if`, `range` and `with`.
struct Branch: Sendable {
    var pos: Int
    var pipe: Pipe
    var list: [Node]
    var elseList: [Node]?
}

/// A pipeline with optional variable declarations.
struct Pipe: Sendable {
    var pos: Int
    var isAssign: Bool
    var decls: [String]
    var cmds: [Command]
}

/// One stage of a pipeline.
struct Command: Sendable {
    var pos: Int
    var args: [Arg]
}

/// A constant number, as Go's `parse.NumberNode`.
struct NumberConstant: Sendable {
    var text: String
    var intValue: Int?
    var floatValue: Double?
    var isChar: Bool
}

/// An operand.
indirect enum Arg: Sendable {
    case field(pos: Int, names: [String])
    case variable(pos: Int, names: [String])
    case identifier(pos: Int, name: String)
    case dot(pos: Int)
    case nilValue(pos: Int)
    case bool(pos: Int, value: Bool)
    case number(pos: Int, value: NumberConstant)
    case string(pos: Int, quoted: String, value: String)
    case pipe(Pipe)
    case chain(pos: Int, node: Arg, names: [String])

    var pos: Int {
        switch self {
        case .field(let pos, _), .variable(let pos, _), .identifier(let pos, _), .dot(let pos), .nilValue(let pos),
            .bool(let pos, _), .number(let pos, _), .string(let pos, _, _), .chain(let pos, _, _):
            return pos
        case .pipe(let pipe): return pipe.pos
        }
    }
}

/// One parsed template: a name, the name of the text it came from, and its body.
final class Tree: Sendable {
    let name: String
    let source: Source
    let root: [Node]

    init(name: String, source: Source, root: [Node]) {
        self.name = name
        self.source = source
        self.root = root
    }

    /// Go's `parse.IsEmptyTree`: only whitespace text.
    var isEmpty: Bool {
        root.allSatisfy { node in
            if case .text(let text) = node { return text.allSatisfy { $0.isWhitespace } }
            return false
        }
    }
}

/// The text a tree was parsed from, for error locations.
final class Source: Sendable {
    let parseName: String
    let bytes: [UInt8]

    init(parseName: String, text: String) {
        self.parseName = parseName
        self.bytes = Array(text.utf8)
    }

    /// `NAME:LINE:COL` for a byte offset, as Go's `ErrorContext` prints it.
    func location(_ pos: Int) -> String {
        var line = 1
        var lastNewline = -1
        for index in 0..<min(pos, bytes.count) where bytes[index] == 10 {
            line += 1
            lastNewline = index
        }
        return "\(parseName):\(line):\(pos - lastNewline - 1)"
    }
}

// MARK: - Go's String() of nodes, for error contexts.

extension Node {
    var goString: String {
        switch self {
        case .text(let text): return GoQuote.quote(text)
        case .action(_, let pipe): return "{{\(pipe.goString)}}"
        case .ifNode(let branch): return branch.goString("if")
        case .rangeNode(let branch): return branch.goString("range")
        case .withNode(let branch): return branch.goString("with")
        case .template(_, let name, let pipe):
            if let pipe { return "{{template \(GoQuote.quote(name)) \(pipe.goString)}}" }
            return "{{template \(GoQuote.quote(name))}}"
        case .breakNode: return "{{break}}"
        case .continueNode: return "{{continue}}"
        }
    }
}

extension Branch {
    func goString(_ keyword: String) -> String {
        var result = "{{\(keyword) \(pipe.goString)}}" + list.map(\.goString).joined()
        if let elseList { result += "{{else}}" + elseList.map(\.goString).joined() }
        return result + "{{end}}"
    }
}

extension Pipe {
    var goString: String {
        var result = ""
        if !decls.isEmpty { result = decls.joined(separator: ", ") + (isAssign ? " = " : " := ") }
        return result + cmds.map(\.goString).joined(separator: " | ")
    }
}

extension Command {
    var goString: String {
        args.map { arg in
            if case .pipe(let pipe) = arg { return "(\(pipe.goString))" }
            return arg.goString
        }.joined(separator: " ")
    }
}

extension Arg {
    var goString: String {
        switch self {
        case .field(_, let names): return names.map { "." + $0 }.joined()
        case .variable(_, let names): return names.joined(separator: ".")
        case .identifier(_, let name): return name
        case .dot: return "."
        case .nilValue: return "nil"
        case .bool(_, let value): return value ? "true" : "false"
        case .number(_, let value): return value.text
        case .string(_, let quoted, _): return quoted
        case .pipe(let pipe): return pipe.goString
        case .chain(_, let node, let names):
            let base: String
            if case .pipe(let pipe) = node { base = "(\(pipe.goString))" } else { base = node.goString }
            return base + names.map { "." + $0 }.joined()
        }
    }
}
