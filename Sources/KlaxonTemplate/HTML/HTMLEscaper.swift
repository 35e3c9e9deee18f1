import Foundation
import KlaxonGoCompat

/// Go's html/template escaper: rewrites the trees a template reaches so that every action's value is escaped for
/// the HTML, attribute, URL, JavaScript or CSS context it is printed in. Templates called from a context other than
/// HTML text get a copy escaped for it under a mangled name, as Go derives them; comments of the template text are
/// dropped, as Go drops them.
struct HTMLEscaper {
    /// The unescaped trees by name.
    let lookup: (String) -> Tree?
    /// The output context of each (mangled) template escaped so far.
    private var output: [String: HTMLContext] = [:]
    /// The escaped trees by (mangled) name.
    private(set) var escaped: [String: Tree] = [:]
    private var called: Set<String> = []
    /// The contexts at each `break` and `continue` of the ranges being escaped, innermost last.
    private var ranges: [(breaks: [HTMLContext], continues: [HTMLContext])] = []
    /// The text of the tree being escaped, for error locations.
    private var source: Source?

    init(lookup: @escaping (String) -> Tree?) {
        self.lookup = lookup
    }

    /// Escapes template `name` and everything it calls; the escaped trees are in `escaped` under their names.
    /// Throws Go's error when a template cannot be escaped or does not end in HTML text.
    mutating func escape(name: String) throws(TemplateError) {
        let (context, _) = escapeTree(HTMLContext(), name: name)
        if let error = context.error {
            throw TemplateError(message: error.message(templateName: name))
        }
        if context.state != .text {
            let error = HTMLEscapeError(description: "ends in a non-text context: \(context.goString)")
            throw TemplateError(message: error.message(templateName: name))
        }
    }

    // MARK: - Nodes

    private mutating func escape(_ context: HTMLContext, _ node: Node) -> (HTMLContext, Node) {
        switch node {
        case .text(let text):
            let (next, escapedText) = escapeText(context, text)
            return (next, .text(escapedText))
        case .action(let pos, let pipe):
            let (next, escapedPipe) = escapeAction(context, pos, pipe)
            return (next, .action(pos: pos, pipe: escapedPipe))
        case .ifNode(let branch):
            let (next, escapedBranch) = escapeBranch(context, branch, nodeName: "if")
            return (next, .ifNode(escapedBranch))
        case .withNode(let branch):
            let (next, escapedBranch) = escapeBranch(context, branch, nodeName: "with")
            return (next, .withNode(escapedBranch))
        case .rangeNode(let branch):
            let (next, escapedBranch) = escapeBranch(context, branch, nodeName: "range")
            return (next, .rangeNode(escapedBranch))
        case .template(let pos, let name, let pipe):
            let (next, calledName) = escapeTree(context, name: name, at: pos)
            return (next, .template(pos: pos, name: calledName, pipe: pipe))
        case .breakNode:
            if !ranges.isEmpty { ranges[ranges.count - 1].breaks.append(context) }
            return (HTMLContext(state: .dead), node)
        case .continueNode:
            if !ranges.isEmpty { ranges[ranges.count - 1].continues.append(context) }
            return (HTMLContext(state: .dead), node)
        }
    }

    private mutating func escapeList(_ context: HTMLContext, _ list: [Node]) -> (HTMLContext, [Node]) {
        var context = context
        var result: [Node] = []
        result.reserveCapacity(list.count)
        for (index, node) in list.enumerated() {
            let (next, escapedNode) = escape(context, node)
            context = next
            result.append(escapedNode)
            if context.state == .dead {
                result += list[(index + 1)...]
                break
            }
        }
        return (context, result)
    }

    /// Escapes `list` on a copy of the escaper and keeps what it learnt only when `filter` accepts the outcome.
    private mutating func escapeListConditionally(
        _ context: HTMLContext, _ list: [Node], filter: ((HTMLEscaper, HTMLContext) -> Bool)?
    ) -> (HTMLContext, [Node], Bool) {
        var copy = self
        copy.called = []
        let (next, escapedList) = copy.escapeList(context, list)
        // The range contexts are shared with the copy, as Go shares them by pointer.
        ranges = copy.ranges
        let accepted = filter?(copy, next) ?? false
        if accepted {
            output.merge(copy.output) { $1 }
            escaped.merge(copy.escaped) { $1 }
            called.formUnion(copy.called)
        }
        return (next, escapedList, accepted)
    }

    private func location(_ pos: Int) -> String? { source?.location(pos) }

    private mutating func escapeBranch(_ context: HTMLContext, _ branch: Branch, nodeName: String) -> (
        HTMLContext, Branch
    ) {
        let here = location(branch.pos)
        var result = branch
        if nodeName == "range" { ranges.append(([], [])) }
        var (c0, list) = escapeList(context, branch.list)
        result.list = list
        if nodeName == "range" {
            let loop = ranges.removeLast()
            if c0.state != .error { c0 = joinRange(c0, loop) }
            if c0.state == .error { return (c0, result) }
            // The loop body may run again: it must work from the context it ends in.
            ranges.append(([], []))
            let (c1, _, _) = escapeListConditionally(c0, branch.list, filter: nil)
            c0 = c0.joined(with: c1, nodeName: nodeName, location: here)
            if c0.state == .error {
                ranges.removeLast()
                c0.error = c0.error.map {
                    HTMLEscapeError(description: "on range loop re-entry: " + $0.description, location: $0.location)
                }
                return (c0, result)
            }
            c0 = joinRange(c0, ranges.removeLast())
            if c0.state == .error { return (c0, result) }
        }
        var c1 = context
        if let elseList = branch.elseList {
            let (next, escapedElse) = escapeList(context, elseList)
            c1 = next
            result.elseList = escapedElse
        }
        return (c0.joined(with: c1, nodeName: nodeName, location: here), result)
    }

    private func joinRange(_ context: HTMLContext, _ loop: (breaks: [HTMLContext], continues: [HTMLContext]))
        -> HTMLContext
    {
        var c0 = context
        for c in loop.breaks {
            c0 = c0.joined(with: c, nodeName: "range")
            if c0.state == .error {
                c0.error = c0.error.map {
                    HTMLEscapeError(description: "at range loop break: " + $0.description, location: $0.location)
                }
                return c0
            }
        }
        for c in loop.continues {
            c0 = c0.joined(with: c, nodeName: "range")
            if c0.state == .error {
                c0.error = c0.error.map {
                    HTMLEscapeError(description: "at range loop continue: " + $0.description, location: $0.location)
                }
                return c0
            }
        }
        return c0
    }

    // MARK: - Templates

    /// Escapes template `name` for `context`; returns its output context and the name of the escaped copy.
    private mutating func escapeTree(_ context: HTMLContext, name: String, at pos: Int? = nil) -> (HTMLContext, String)
    {
        let mangled = context.mangle(name)
        called.insert(mangled)
        if let out = output[mangled] { return (out, mangled) }
        guard let tree = lookup(name) else {
            return (.failure("no such template \(GoQuote.quote(name))", at: pos.flatMap { location($0) }), mangled)
        }
        let caller = source
        source = tree.source
        defer { source = caller }
        return (computeOutputContext(context, tree, name: mangled), mangled)
    }

    private mutating func computeOutputContext(_ context: HTMLContext, _ tree: Tree, name: String) -> HTMLContext {
        var (c1, ok) = escapeTemplateBody(context, tree, name: name)
        if !ok {
            // A recursive template: assume it ends where the first attempt ended and check that.
            let (c2, ok2) = escapeTemplateBody(c1, tree, name: name)
            if ok2 {
                c1 = c2
                ok = true
            }
        }
        if !ok && c1.state != .error {
            return .failure("cannot compute output context for template \(name)")
        }
        return c1
    }

    private mutating func escapeTemplateBody(_ context: HTMLContext, _ tree: Tree, name: String) -> (HTMLContext, Bool)
    {
        output[name] = context
        let (next, list, accepted) = escapeListConditionally(context, tree.root) { copy, end in
            if end.state == .error { return false }
            // A template that does not call itself needs no assumption about its own output.
            if !copy.called.contains(name) { return true }
            return end == context
        }
        if accepted { escaped[name] = Tree(name: name, source: tree.source, root: list) }
        return (next, accepted)
    }

    // MARK: - Actions

    private static let predefinedEscapers: Set<String> = ["html", "urlquery"]
    private static let equivalentEscapers: [String: String] = [
        "_html_template_attrescaper": "html",
        "_html_template_htmlescaper": "html",
        "_html_template_rcdataescaper": "html",
        "_html_template_urlescaper": "urlquery",
        "_html_template_urlnormalizer": "urlquery",
    ]
    private static let redundantAfter: [String: Set<String>] = [
        "_html_template_commentescaper": [
            "_html_template_attrescaper", "_html_template_nospaceescaper", "_html_template_htmlescaper",
        ],
        "_html_template_cssescaper": ["_html_template_attrescaper"],
        "_html_template_jsregexpescaper": ["_html_template_attrescaper"],
        "_html_template_jsstrescaper": ["_html_template_attrescaper"],
        "_html_template_urlescaper": ["_html_template_urlnormalizer"],
    ]

    private func escapeAction(_ context: HTMLContext, _ pos: Int, _ pipe: Pipe) -> (HTMLContext, Pipe) {
        // A variable declaration prints nothing.
        if !pipe.decls.isEmpty { return (context, pipe) }
        var c = context.nudged
        for (index, command) in pipe.cmds.enumerated() {
            guard case .identifier(_, let ident) = command.args.first, Self.predefinedEscapers.contains(ident) else {
                continue
            }
            if index < pipe.cmds.count - 1 || (c.state == .attr && c.delim == .spaceOrTagEnd && ident == "html") {
                let description = "predefined escaper \(GoQuote.quote(ident)) disallowed in template"
                return (.failure(description, at: location(pos)), pipe)
            }
        }
        var escapers: [String] = []
        switch c.state {
        case .error:
            return (c, pipe)
        case .url, .cssDqStr, .cssSqStr, .cssDqURL, .cssSqURL, .cssURL:
            switch c.urlPart {
            case .none, .preQuery:
                if c.urlPart == .none { escapers.append("_html_template_urlfilter") }
                if c.state == .cssDqStr || c.state == .cssSqStr {
                    escapers.append("_html_template_cssescaper")
                } else {
                    escapers.append("_html_template_urlnormalizer")
                }
            case .queryOrFrag:
                escapers.append("_html_template_urlescaper")
            case .unknown:
                let description = "{{\(pipe.goString)}} appears in an ambiguous context within a URL"
                return (.failure(description, at: location(pos)), pipe)
            }
        case .js:
            escapers.append("_html_template_jsvalescaper")
            c.jsCtx = .divOp
        case .jsDqStr, .jsSqStr:
            escapers.append("_html_template_jsstrescaper")
        case .jsBqStr:
            return (.failure("{{\(pipe.goString)}} appears in a JS template literal", at: location(pos)), pipe)
        case .jsRegexp:
            escapers.append("_html_template_jsregexpescaper")
        case .css:
            escapers.append("_html_template_cssvaluefilter")
        case .text:
            escapers.append("_html_template_htmlescaper")
        case .rcdata:
            escapers.append("_html_template_rcdataescaper")
        case .attr:
            break
        case .attrName, .tag:
            c.state = .attrName
            escapers.append("_html_template_htmlnamefilter")
        case .srcset:
            escapers.append("_html_template_srcsetescaper")
        case .htmlComment, .jsBlockComment, .jsLineComment, .cssBlockComment, .cssLineComment:
            escapers.append("_html_template_commentescaper")
        case .afterName, .beforeValue, .dead:
            return (.failure("unexpected state \(c.state.rawValue)"), pipe)
        }
        switch c.delim {
        case .none: break
        case .spaceOrTagEnd: escapers.append("_html_template_nospaceescaper")
        default: escapers.append("_html_template_attrescaper")
        }
        return (c, Self.ensurePipelineContains(pipe, escapers))
    }

    private static func normalized(_ name: String) -> String { equivalentEscapers[name] ?? name }

    private static func identifierCommand(_ name: String, pos: Int) -> Command {
        Command(pos: pos, args: [.identifier(pos: pos, name: name)])
    }

    private static func identifier(of command: Command) -> String? {
        if case .identifier(_, let name) = command.args.first { return name }
        return nil
    }

    private static func append(_ command: Command, to commands: inout [Command]) {
        if let last = commands.last.flatMap(identifier), let next = identifier(of: command),
            redundantAfter[last]?.contains(next) == true
        {
            return
        }
        commands.append(command)
    }

    /// Go's `ensurePipelineContains`: appends the escapers to the pipeline, merging a trailing `html` or
    /// `urlquery` the template already has with its equivalent.
    static func ensurePipelineContains(_ pipe: Pipe, _ escapers: [String]) -> Pipe {
        guard !escapers.isEmpty else { return pipe }
        var escapers = escapers
        var cmds = pipe.cmds
        var keep = cmds.count
        if let last = cmds.last, case .identifier(let pos, let esc) = last.args.first, predefinedEscapers.contains(esc)
        {
            if cmds.count == 1 && last.args.count > 1 {
                // {{ esc a b }} becomes {{ _eval_args_ a b | esc }} so esc merges with the escapers.
                var evaluated = last
                evaluated.args[0] = .identifier(pos: pos, name: "_eval_args_")
                cmds[0] = evaluated
                append(identifierCommand(esc, pos: pipe.pos), to: &cmds)
                keep += 1
            }
            var duplicate = false
            for (index, escaper) in escapers.enumerated() where normalized(esc) == normalized(escaper) {
                escapers[index] = esc
                duplicate = true
            }
            if duplicate { keep -= 1 }
        }
        var result = Array(cmds.prefix(keep))
        var inserted = Set(result.compactMap(identifier).map(normalized))
        for name in escapers where !inserted.contains(normalized(name)) {
            append(identifierCommand(name, pos: pipe.pos), to: &result)
            inserted.insert(normalized(name))
        }
        var escapedPipe = pipe
        escapedPipe.cmds = result
        return escapedPipe
    }

    // MARK: - Text

    private static let doctype = Array("<!DOCTYPE".utf8)

    /// The context after `text`, and the text as html/template prints it: comments dropped, and a `<` that starts no
    /// tag in HTML text written as `&lt;`.
    private func escapeText(_ context: HTMLContext, _ text: String) -> (HTMLContext, String) {
        let bytes = Array(text.utf8)
        let s = Bytes(bytes)
        var c = context
        var written = 0
        var i = 0
        var out: [UInt8] = []
        while i != s.count {
            let (c1, read) = Self.contextAfterText(c, s.suffix(from: i))
            let i1 = i + read
            if c.state == .text || c.state == .rcdata {
                let end = Self.textEnd(s, from: i, to: i1, leavesState: c1.state != c.state)
                for j in i..<max(i, end) where s[j] == UInt8(ascii: "<") && !Self.hasDoctypePrefix(s.suffix(from: j)) {
                    out += bytes[written..<j]
                    out += Array("&lt;".utf8)
                    written = j + 1
                }
            } else if c.state.isComment && c.delim == .none {
                switch c.state {
                case .jsBlockComment:
                    let comment = String(decoding: bytes[written..<i1], as: UTF8.self)
                    let breaksLine = comment.unicodeScalars.contains {
                        $0 == "\n" || $0 == "\r" || $0 == "\u{2028}" || $0 == "\u{2029}"
                    }
                    out.append(breaksLine ? UInt8(ascii: "\n") : UInt8(ascii: " "))
                case .cssBlockComment:
                    out.append(UInt8(ascii: " "))
                default:
                    break
                }
                written = i1
            }
            if c.state != c1.state && c1.state.isComment && c1.delim == .none {
                // The comment's opening (`<!--`, `/*` or `//`) is dropped with it.
                var commentStart = i1 - 2
                if c1.state == .htmlComment { commentStart -= 2 }
                out += bytes[written..<commentStart]
                written = i1
            }
            if i == i1 && c.state == c1.state {
                return (.failure("infinite loop in the escaper at \(GoQuote.quote(text))"), text)
            }
            c = c1
            i = i1
        }
        if written != 0 && c.state != .error {
            if !c.state.isComment || c.delim != .none { out += bytes[written...] }
            return (c, String(decoding: out, as: UTF8.self))
        }
        return (c, text)
    }

    /// Where the text of `s[start..<end]` ends: before the `<` of the tag that changed the state, if it did.
    static func textEnd(_ s: Bytes, from start: Int, to end: Int, leavesState: Bool) -> Int {
        guard leavesState else { return end }
        var j = end - 1
        while j >= start {
            if s[j] == UInt8(ascii: "<") { return j }
            j -= 1
        }
        return end
    }

    private static func hasDoctypePrefix(_ s: Bytes) -> Bool {
        guard s.count >= doctype.count else { return false }
        for (index, byte) in doctype.enumerated() {
            let c = s[index]
            let upper = (97...122).contains(c) ? c - 32 : c
            if upper != byte { return false }
        }
        return true
    }

    /// Go's `contextAfterText`: the context after the part of `s` up to the next change of state.
    static func contextAfterText(_ context: HTMLContext, _ s: Bytes) -> (HTMLContext, Int) {
        if context.delim == .none {
            let (c1, i) = HTMLTransition.specialTagEnd(context, s)
            if i == 0 {
                // A special end tag (`</script>`...) at the start: back to HTML text.
                return (c1, 0)
            }
            return HTMLTransition.step(context, s.prefix(i))
        }
        let ends = context.delim.ends
        let i = s.firstIndex(ofAny: ends) ?? s.count
        if context.delim == .spaceOrTagEnd,
            let j = s.prefix(i).firstIndex(ofAny: Array("\"'<=`".utf8))
        {
            let bad = String(decoding: [s[j]], as: UTF8.self)
            let value = String(decoding: s.prefix(i).array, as: UTF8.self)
            return (.failure("\(GoQuote.quote(bad)) in unquoted attr: \(GoQuote.quote(value))"), s.count)
        }
        if i == s.count {
            // The value continues after this text: run the transitions over its decoded characters.
            var c = context
            let decoded = Array(HTMLEntities.unescape(String(decoding: s.array, as: UTF8.self)).utf8)
            var u = Bytes(decoded)
            while !u.isEmpty {
                let (c1, read) = HTMLTransition.step(c, u)
                c = c1
                u = u.suffix(from: read)
            }
            return (c, s.count)
        }
        var element = context.element
        if context.state == .attr && context.element == .script && context.attr == .scriptType
            && !isJSType(String(decoding: s.prefix(i).array, as: UTF8.self))
        {
            element = .none
        }
        return (HTMLContext(state: .tag, element: element), context.delim == .spaceOrTagEnd ? i : i + 1)
    }

    private static let jsTypes: Set<String> = [
        "application/ecmascript", "application/javascript", "application/json", "application/ld+json",
        "application/x-ecmascript", "application/x-javascript", "module", "text/ecmascript", "text/javascript",
        "text/javascript1.0", "text/javascript1.1", "text/javascript1.2", "text/javascript1.3", "text/javascript1.4",
        "text/javascript1.5", "text/jscript", "text/livescript", "text/x-ecmascript", "text/x-javascript",
    ]

    static func isJSType(_ mimeType: String) -> Bool {
        let type = mimeType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return jsTypes.contains(type.lowercased().trimmingCharacters(in: .whitespaces))
    }
}

/// HTML character references, as Go's `html.UnescapeString` decodes them: numeric references and the named ones
/// templates use in attribute values (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&nbsp;`); other names stay as
/// written.
enum HTMLEntities {
    private static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}",
    ]

    static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            guard character == "&", let semicolon = text[index...].prefix(34).firstIndex(of: ";") else {
                out.append(character)
                index = text.index(after: index)
                continue
            }
            let name = text[text.index(after: index)..<semicolon]
            if let replacement = decode(name) {
                out += replacement
                index = text.index(after: semicolon)
            } else {
                out.append(character)
                index = text.index(after: index)
            }
        }
        return out
    }

    private static func decode(_ name: Substring) -> String? {
        if name.hasPrefix("#x") || name.hasPrefix("#X") {
            return UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
        }
        if name.hasPrefix("#") {
            return UInt32(name.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init).map { String($0) }
        }
        return named[String(name)]
    }
}
