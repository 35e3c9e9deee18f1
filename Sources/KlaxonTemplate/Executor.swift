import Foundation
import KlaxonGoCompat

/// Runs parsed trees: Go's `text/template` exec with `missingkey=zero`.
struct Executor {
    /// Finds a template by name.
    let lookup: (String) -> Tree?
    var tree: Tree
    var vars: [(name: String, value: TemplateValue)] = []
    var out: String = ""
    var depth = 0
    private var atPos = 0
    private var atNode: AtNode = .none

    static let maxDepth = 1000

    enum AtNode {
        case none
        case node(Node)
        case arg(Arg)
        case command(Command)
        case pipe(Pipe)

        var goString: String {
            switch self {
            case .none: return ""
            case .node(let node): return node.goString
            case .arg(let arg): return arg.goString
            case .command(let command): return command.goString
            case .pipe(let pipe): return pipe.goString
            }
        }
    }

    enum Flow {
        case normal, breakLoop, continueLoop
    }

    /// The clock for `since`.
    let now: () -> Date

    init(tree: Tree, now: @escaping () -> Date, lookup: @escaping (String) -> Tree?) {
        self.tree = tree
        self.now = now
        self.lookup = lookup
    }

    private mutating func at(_ node: AtNode, _ pos: Int) {
        atNode = node
        atPos = pos
    }

    private func fail(_ message: String) -> TemplateError {
        TemplateError(
            message: "template: \(tree.source.location(atPos)): executing \(GoQuote.quote(tree.name)) at "
                + "<\(atNode.goString)>: \(message)")
    }

    // MARK: - Walking

    mutating func run(dot: TemplateValue) throws(TemplateError) -> String {
        vars = [("$", dot)]
        _ = try walk(dot, tree.root)
        return out
    }

    private mutating func walk(_ dot: TemplateValue, _ list: [Node]) throws(TemplateError) -> Flow {
        for node in list {
            let flow = try walk(dot, node)
            if flow != .normal { return flow }
        }
        return .normal
    }

    private mutating func walk(_ dot: TemplateValue, _ node: Node) throws(TemplateError) -> Flow {
        switch node {
        case .text(let text):
            out += text
        case .action(_, let pipe):
            let value = try evalPipeline(dot, pipe)
            if pipe.decls.isEmpty { out += GoFormat.printed(value) }
        case .ifNode(let branch):
            return try walkIfOrWith(dot, branch, isWith: false)
        case .withNode(let branch):
            return try walkIfOrWith(dot, branch, isWith: true)
        case .rangeNode(let branch):
            return try walkRange(dot, branch, node: node)
        case .template(let pos, let name, let pipe):
            at(.node(node), pos)
            guard let called = lookup(name) else { throw fail("template \(GoQuote.quote(name)) not defined") }
            guard depth < Executor.maxDepth else {
                throw fail("exceeded maximum template depth (\(Executor.maxDepth))")
            }
            let newDot = try pipe.map { pipe throws(TemplateError) in try evalPipeline(dot, pipe) } ?? .null
            var inner = Executor(tree: called, now: now, lookup: lookup)
            inner.depth = depth + 1
            inner.vars = [("$", newDot)]
            swap(&inner.out, &out)
            defer { swap(&inner.out, &out) }
            _ = try inner.walk(newDot, called.root)
        case .breakNode:
            return .breakLoop
        case .continueNode:
            return .continueLoop
        }
        return .normal
    }

    private mutating func walkIfOrWith(_ dot: TemplateValue, _ branch: Branch, isWith: Bool) throws(TemplateError)
        -> Flow
    {
        let mark = vars.count
        defer { vars.removeLast(vars.count - mark) }
        let value = try evalPipeline(dot, branch.pipe)
        if value.truth {
            return try walk(isWith ? value : dot, branch.list)
        } else if let elseList = branch.elseList {
            return try walk(dot, elseList)
        }
        return .normal
    }

    private mutating func walkRange(_ dot: TemplateValue, _ branch: Branch, node: Node) throws(TemplateError) -> Flow {
        at(.node(node), branch.pos)
        let mark = vars.count
        defer { vars.removeLast(vars.count - mark) }
        let value = try evalPipeline(dot, branch.pipe)
        let bodyMark = vars.count
        let pipe = branch.pipe
        func iterate(_ executor: inout Executor, _ index: TemplateValue, _ element: TemplateValue) throws(TemplateError)
            -> Flow
        {
            if !pipe.decls.isEmpty {
                if pipe.isAssign {
                    executor.setVar(pipe.decls[0], pipe.decls.count > 1 ? index : element)
                } else {
                    executor.vars[executor.vars.count - 1].value = element
                }
            }
            if pipe.decls.count > 1 {
                if pipe.isAssign {
                    executor.setVar(pipe.decls[1], element)
                } else {
                    executor.vars[executor.vars.count - 2].value = index
                }
            }
            defer { executor.vars.removeLast(executor.vars.count - bodyMark) }
            return try executor.walk(element, branch.list)
        }
        var ranged = false
        if let count = value.sliceCount {
            if count > 0 {
                ranged = true
                for offset in 0..<count {
                    let flow = try iterate(&self, .int(offset), value.element(at: offset))
                    if flow == .breakLoop { break }
                }
            }
        } else if let entries = value.sortedMapEntries {
            if !entries.isEmpty {
                ranged = true
                for (key, element) in entries {
                    let flow = try iterate(&self, .string(key), element)
                    if flow == .breakLoop { break }
                }
            }
        } else if value.isValid {
            throw fail("range can't iterate over \(GoFormat.plain(value))")
        }
        if !ranged, let elseList = branch.elseList {
            return try walk(dot, elseList)
        }
        return .normal
    }

    private mutating func setVar(_ name: String, _ value: TemplateValue) {
        if let index = vars.lastIndex(where: { $0.name == name }) { vars[index].value = value }
    }

    // MARK: - Pipelines and commands

    private mutating func evalPipeline(_ dot: TemplateValue, _ pipe: Pipe) throws(TemplateError) -> TemplateValue {
        at(.pipe(pipe), pipe.pos)
        var value: TemplateValue?
        for cmd in pipe.cmds {
            value = try evalCommand(dot, cmd, final: value)
        }
        let result = value ?? .null
        for name in pipe.decls {
            if pipe.isAssign {
                guard vars.contains(where: { $0.name == name }) else { throw fail("undefined variable: \(name)") }
                setVar(name, result)
            } else {
                vars.append((name, result))
            }
        }
        return result
    }

    private mutating func notAFunction(_ args: [Arg], _ final: TemplateValue?) throws(TemplateError) {
        if args.count > 1 || final != nil {
            throw fail("can't give argument to non-function \(args[0].goString)")
        }
    }

    private mutating func evalCommand(_ dot: TemplateValue, _ cmd: Command, final: TemplateValue?)
        throws(TemplateError) -> TemplateValue
    {
        let first = cmd.args[0]
        switch first {
        case .field(let pos, let names):
            at(.arg(first), pos)
            return try evalFieldChain(
                dot, receiver: dot, node: first, names: names, args: cmd.args, final: final,
                cmd: cmd)
        case .chain:
            return try evalChain(dot, first, args: cmd.args, final: final, cmd: cmd)
        case .identifier(let pos, let name):
            return try evalFunction(dot, name: name, pos: pos, node: first, cmd: cmd, args: cmd.args, final: final)
        case .pipe(let pipe):
            try notAFunction(cmd.args, final)
            return try evalPipeline(dot, pipe)
        case .variable:
            return try evalVariable(dot, first, args: cmd.args, final: final, cmd: cmd)
        default:
            break
        }
        at(.arg(first), first.pos)
        try notAFunction(cmd.args, final)
        switch first {
        case .bool(_, let value): return .bool(value)
        case .dot: return dot
        case .nilValue: throw fail("nil is not a command")
        case .number(_, let number): return try idealConstant(number)
        case .string(_, _, let value): return .string(value)
        default: throw fail("can't evaluate command \(GoQuote.quote(first.goString))")
        }
    }

    private mutating func idealConstant(_ number: NumberConstant) throws(TemplateError) -> TemplateValue {
        let text = number.text.lowercased()
        let isHex = text.hasPrefix("0x") || text.hasPrefix("-0x") || text.hasPrefix("+0x")
        if !number.isChar && !isHex && number.text.contains(where: { ".eEpP".contains($0) }),
            let float = number.floatValue
        {
            return .float(float)
        }
        if let int = number.intValue { return .int(int) }
        if let float = number.floatValue { return .float(float) }
        throw fail("\(number.text) overflows int")
    }

    private mutating func evalVariable(
        _ dot: TemplateValue, _ node: Arg, args: [Arg], final: TemplateValue?, cmd: Command?
    ) throws(TemplateError) -> TemplateValue {
        guard case .variable(let pos, let names) = node else { return .null }
        at(.arg(node), pos)
        guard let value = vars.last(where: { $0.name == names[0] })?.value else {
            throw fail("undefined variable: \(names[0])")
        }
        if names.count == 1 {
            try notAFunction(args.isEmpty ? [node] : args, final)
            return value
        }
        return try evalFieldChain(
            dot, receiver: value, node: node, names: Array(names.dropFirst()), args: args,
            final: final, cmd: cmd)
    }

    private mutating func evalChain(
        _ dot: TemplateValue, _ node: Arg, args: [Arg], final: TemplateValue?,
        cmd: Command?
    ) throws(TemplateError) -> TemplateValue {
        guard case .chain(let pos, let inner, let names) = node else { return .null }
        at(.arg(node), pos)
        if case .nilValue = inner { throw fail("indirection through explicit nil in \(node.goString)") }
        let receiver = try evalArg(dot, inner, type: .any)
        return try evalFieldChain(
            dot, receiver: receiver, node: node, names: names, args: args, final: final,
            cmd: cmd)
    }

    private mutating func evalFieldChain(
        _ dot: TemplateValue, receiver: TemplateValue, node: Arg, names: [String], args: [Arg],
        final: TemplateValue?, cmd: Command?
    ) throws(TemplateError) -> TemplateValue {
        var receiver = receiver
        for name in names.dropLast() {
            receiver = try evalField(dot, name: name, node: node, args: [], final: nil, receiver: receiver, cmd: cmd)
        }
        return try evalField(
            dot, name: names[names.count - 1], node: node, args: args, final: final,
            receiver: receiver, cmd: cmd)
    }

    private mutating func evalField(
        _ dot: TemplateValue, name: String, node: Arg, args: [Arg], final: TemplateValue?,
        receiver: TemplateValue, cmd: Command?
    ) throws(TemplateError) -> TemplateValue {
        guard receiver.isValid else { return .null }
        if let method = Methods.method(named: name, on: receiver) {
            return try evalCall(
                dot, method, name: name, args: args, final: final, callNode: .arg(node),
                callPos: node.pos)
        }
        let hasArgs = args.count > 1 || final != nil
        if let field = Methods.field(named: name, on: receiver) {
            if hasArgs { throw fail("\(name) has arguments but cannot be invoked as function") }
            return field
        }
        switch receiver.storage {
        case .kv(let kv):
            if hasArgs { throw fail("\(name) is not a method but has arguments") }
            return .string(kv[name] ?? "")
        case .map(let map):
            if hasArgs { throw fail("\(name) is not a method but has arguments") }
            return map[name] ?? .null
        default:
            throw fail("can't evaluate field \(name) in type \(receiver.typeName)")
        }
    }

    private mutating func evalFunction(
        _ dot: TemplateValue, name: String, pos: Int, node: Arg, cmd: Command?, args: [Arg], final: TemplateValue?
    ) throws(TemplateError) -> TemplateValue {
        at(.arg(node), pos)
        if name == "and" || name == "or" {
            return try evalAndOr(dot, name: name, args: args, final: final)
        }
        if name == "since" {
            return try evalCall(
                dot, Functions.since(now: now()), name: name, args: args, final: final,
                callNode: cmd.map { .command($0) } ?? .arg(node), callPos: cmd?.pos ?? pos)
        }
        guard let function = Functions.all[name] ?? HTMLEscapers.functions[name] else {
            throw fail("\(GoQuote.quote(name)) is not a defined function")
        }
        return try evalCall(
            dot, function, name: name, args: args, final: final,
            callNode: cmd.map { .command($0) } ?? .arg(node), callPos: cmd?.pos ?? pos)
    }

    private mutating func evalAndOr(_ dot: TemplateValue, name: String, args: [Arg], final: TemplateValue?)
        throws(TemplateError) -> TemplateValue
    {
        let operands = args.dropFirst()
        if operands.count + (final == nil ? 0 : 1) < 1 {
            throw fail("wrong number of args for \(name): want at least 1 got 0")
        }
        var value = TemplateValue.null
        for operand in operands {
            value = try evalArg(dot, operand, type: .any)
            if value.truth == (name == "or") { return value }
        }
        if let final { value = final }
        return value
    }

    private mutating func evalCall(
        _ dot: TemplateValue, _ function: TemplateFunction, name: String, args: [Arg], final: TemplateValue?,
        callNode: AtNode, callPos: Int
    ) throws(TemplateError) -> TemplateValue {
        let given = Array(args.dropFirst())
        let numIn = given.count + (final == nil ? 0 : 1)
        let fixed = function.params.count
        if function.variadic != nil {
            if numIn < fixed {
                throw fail("wrong number of args for \(name): want at least \(fixed) got \(given.count)")
            }
        } else if numIn != fixed {
            throw fail("wrong number of args for \(name): want \(fixed) got \(numIn)")
        }
        var argv: [TemplateValue] = []
        argv.reserveCapacity(numIn)
        for (index, arg) in given.enumerated() {
            let type = index < fixed ? function.params[index] : (function.variadic ?? .any)
            argv.append(try evalArg(dot, arg, type: type))
        }
        if let final {
            let type = numIn - 1 < fixed ? function.params[numIn - 1] : (function.variadic ?? .any)
            argv.append(try validate(final, type))
        }
        do {
            return try function.body(argv)
        } catch {
            at(callNode, callPos)
            throw fail("error calling \(name): \(error.message)")
        }
    }

    private mutating func validate(_ value: TemplateValue, _ type: TemplateFunction.ParamType) throws(TemplateError)
        -> TemplateValue
    {
        guard value.isValid else {
            if type.canBeNil { return type == .strings ? .strings([]) : .null }
            throw fail("invalid value; expected \(type.goName)")
        }
        guard type.accepts(value) else {
            throw fail("wrong type for value; expected \(type.goName); got \(value.typeName)")
        }
        return value
    }

    private mutating func evalArg(_ dot: TemplateValue, _ arg: Arg, type: TemplateFunction.ParamType)
        throws(TemplateError) -> TemplateValue
    {
        at(.arg(arg), arg.pos)
        switch arg {
        case .dot:
            return try validate(dot, type)
        case .nilValue:
            if type.canBeNil { return type == .strings ? .strings([]) : .null }
            throw fail("cannot assign nil to \(type.goName)")
        case .field(_, let names):
            return try validate(
                evalFieldChain(dot, receiver: dot, node: arg, names: names, args: [arg], final: nil, cmd: nil), type)
        case .variable:
            return try validate(evalVariable(dot, arg, args: [], final: nil, cmd: nil), type)
        case .pipe(let pipe):
            return try validate(evalPipeline(dot, pipe), type)
        case .identifier(let pos, let name):
            return try validate(
                evalFunction(dot, name: name, pos: pos, node: arg, cmd: nil, args: [arg], final: nil),
                type)
        case .chain:
            return try validate(evalChain(dot, arg, args: [], final: nil, cmd: nil), type)
        case .bool(_, let value):
            guard type == .bool || type == .any else { throw fail(expected(type, arg)) }
            return .bool(value)
        case .string(_, _, let value):
            guard type == .string || type == .any else { throw fail(expected(type, arg)) }
            return .string(value)
        case .number(_, let number):
            switch type {
            case .any: return try idealConstant(number)
            case .int:
                guard let int = number.intValue else { throw fail(expected(type, arg)) }
                return .int(int)
            case .float:
                guard let float = number.floatValue else { throw fail(expected(type, arg)) }
                return .float(float)
            default: throw fail(expected(type, arg))
            }
        }
    }

    private func expected(_ type: TemplateFunction.ParamType, _ arg: Arg) -> String {
        switch type {
        case .string: return "expected string; found \(arg.goString)"
        case .int: return "expected integer; found \(arg.goString)"
        case .float: return "expected float; found \(arg.goString)"
        case .bool: return "expected bool; found \(arg.goString)"
        default: return "can't handle \(arg.goString) for arg of type \(type.goName)"
        }
    }
}

extension TemplateValue {
    func element(at index: Int) -> TemplateValue {
        switch storage {
        case .strings(let value): return .string(value[index])
        case .list(let value): return value[index]
        case .alerts(let value, _): return .alert(value[index])
        case .pairs(let value): return TemplateValue(storage: .pair(value[index]))
        default: return .null
        }
    }
}
