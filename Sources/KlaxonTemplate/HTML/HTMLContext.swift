/// Where the output of Go's `html/template` stands after some text: the parser state of an HTML document with
/// embedded URLs, JavaScript and CSS (Go's `context`). The escaper derives it from the template text and picks the
/// escaping functions of each action from it.
struct HTMLContext: Equatable, Sendable {
    enum State: String, Sendable {
        case text = "stateText"
        case tag = "stateTag"
        case attrName = "stateAttrName"
        case afterName = "stateAfterName"
        case beforeValue = "stateBeforeValue"
        case htmlComment = "stateHTMLCmt"
        case rcdata = "stateRCDATA"
        case attr = "stateAttr"
        case url = "stateURL"
        case srcset = "stateSrcset"
        case js = "stateJS"
        case jsDqStr = "stateJSDqStr"
        case jsSqStr = "stateJSSqStr"
        case jsBqStr = "stateJSBqStr"
        case jsRegexp = "stateJSRegexp"
        case jsBlockComment = "stateJSBlockCmt"
        case jsLineComment = "stateJSLineCmt"
        case css = "stateCSS"
        case cssDqStr = "stateCSSDqStr"
        case cssSqStr = "stateCSSSqStr"
        case cssDqURL = "stateCSSDqURL"
        case cssSqURL = "stateCSSSqURL"
        case cssURL = "stateCSSURL"
        case cssBlockComment = "stateCSSBlockCmt"
        case cssLineComment = "stateCSSLineCmt"
        case error = "stateError"
        case dead = "stateDead"

        var isComment: Bool {
            switch self {
            case .htmlComment, .jsBlockComment, .jsLineComment, .cssBlockComment, .cssLineComment: return true
            default: return false
            }
        }

        var isInTag: Bool {
            switch self {
            case .tag, .attrName, .afterName, .beforeValue, .attr: return true
            default: return false
            }
        }
    }

    /// What ends the current attribute value.
    enum Delim: String, Sendable {
        case none = "delimNone"
        case doubleQuote = "delimDoubleQuote"
        case singleQuote = "delimSingleQuote"
        case spaceOrTagEnd = "delimSpaceOrTagEnd"

        /// The bytes that end a value with this delimiter.
        var ends: [UInt8] {
            switch self {
            case .none: return []
            case .doubleQuote: return Array("\"".utf8)
            case .singleQuote: return Array("'".utf8)
            case .spaceOrTagEnd: return Array(" \t\n\u{0C}\r>".utf8)
            }
        }
    }

    /// The part of a URL an action is in.
    enum URLPart: String, Sendable {
        case none = "urlPartNone"
        case preQuery = "urlPartPreQuery"
        case queryOrFrag = "urlPartQueryOrFrag"
        case unknown = "urlPartUnknown"
    }

    /// Whether a `/` in JavaScript starts a regular expression or is a division.
    enum JSCtx: String, Sendable {
        case regexp = "jsCtxRegexp"
        case divOp = "jsCtxDivOp"
        case unknown = "jsCtxUnknown"
    }

    /// Elements whose content is not HTML.
    enum Element: String, Sendable {
        case none = "elementNone"
        case script = "elementScript"
        case style = "elementStyle"
        case textarea = "elementTextarea"
        case title = "elementTitle"

        /// The state of the element's content.
        var contentState: State {
            switch self {
            case .none: return .text
            case .script: return .js
            case .style: return .css
            case .textarea, .title: return .rcdata
            }
        }

        var endTag: [UInt8] {
            switch self {
            case .none: return []
            case .script: return Array("script".utf8)
            case .style: return Array("style".utf8)
            case .textarea: return Array("textarea".utf8)
            case .title: return Array("title".utf8)
            }
        }
    }

    /// What an attribute's value holds.
    enum Attr: String, Sendable {
        case none = "attrNone"
        case script = "attrScript"
        case scriptType = "attrScriptType"
        case style = "attrStyle"
        case url = "attrURL"
        case srcset = "attrSrcset"

        /// The state at the start of the attribute's value.
        var startState: State {
            switch self {
            case .none, .scriptType: return .attr
            case .script: return .js
            case .style: return .css
            case .url: return .url
            case .srcset: return .srcset
            }
        }
    }

    var state: State = .text
    var delim: Delim = .none
    var urlPart: URLPart = .none
    var jsCtx: JSCtx = .regexp
    var attr: Attr = .none
    var element: Element = .none
    /// The error when `state` is `.error`.
    var error: HTMLEscapeError?

    static func failure(_ description: String, at location: String? = nil) -> HTMLContext {
        HTMLContext(state: .error, error: HTMLEscapeError(description: description, location: location))
    }

    /// Go's `context.String()`, for error messages.
    var goString: String {
        "{\(state.rawValue) \(delim.rawValue) \(urlPart.rawValue) \(jsCtx.rawValue) \(attr.rawValue) "
            + "\(element.rawValue) \(error?.description ?? "<nil>")}"
    }

    /// The name of the copy of template `name` escaped for this context (`name` itself in HTML text).
    func mangle(_ name: String) -> String {
        if state == .text { return name }
        var mangled = name + "$htmltemplate_" + state.rawValue
        if delim != .none { mangled += "_" + delim.rawValue }
        if urlPart != .none { mangled += "_" + urlPart.rawValue }
        if jsCtx != .regexp { mangled += "_" + jsCtx.rawValue }
        if attr != .none { mangled += "_" + attr.rawValue }
        if element != .none { mangled += "_" + element.rawValue }
        return mangled
    }

    /// Go's `nudge`: the context an action moves to when it starts inside a tag (an action after `<a ` is an
    /// attribute name; after `=` an unquoted value).
    var nudged: HTMLContext {
        var context = self
        switch state {
        case .tag:
            context.state = .attrName
        case .beforeValue:
            context.state = attr.startState
            context.delim = .spaceOrTagEnd
            context.attr = .none
        case .afterName:
            context.state = .attrName
            context.attr = .none
        default:
            break
        }
        return context
    }

    /// Go's `join`: the context after a branch whose arms end in `self` and `other`.
    /// `location` is where the branch is, for the error when the arms end in different contexts.
    func joined(with other: HTMLContext, nodeName: String, location: String? = nil) -> HTMLContext {
        if state == .error { return self }
        if other.state == .error { return other }
        if state == .dead { return other }
        if other.state == .dead { return self }
        if self == other { return self }
        var context = self
        context.urlPart = other.urlPart
        if context == other {
            context.urlPart = .unknown
            return context
        }
        context = self
        context.jsCtx = other.jsCtx
        if context == other {
            context.jsCtx = .unknown
            return context
        }
        let nudgedSelf = nudged
        let nudgedOther = other.nudged
        if !(nudgedSelf == self && nudgedOther == other) {
            let joined = nudgedSelf.joined(with: nudgedOther, nodeName: nodeName, location: location)
            if joined.state != .error { return joined }
        }
        return .failure(
            "{{\(nodeName)}} branches end in different contexts: \(goString), \(other.goString)", at: location)
    }
}

/// Why html/template cannot escape a template, and where (`NAME:LINE:COL` of the node, when Go names one).
struct HTMLEscapeError: Equatable, Sendable {
    var description: String
    var location: String?

    /// Go's `Error.Error()` once the escaper has named the template it was escaping.
    func message(templateName: String) -> String {
        if let location { return "html/template:\(location): \(description)" }
        if !templateName.isEmpty { return "html/template:\(templateName): \(description)" }
        return "html/template: \(description)"
    }
}
