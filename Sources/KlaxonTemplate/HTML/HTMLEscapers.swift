import KlaxonGoCompat

/// The escaping functions Go's html/template inserts into actions (`_html_template_*`), with its tables.
enum HTMLEscapers {
    typealias Function = TemplateFunction

    /// Go's "filter failsafe": what a filter puts out instead of an unsafe value.
    static let failsafe = "ZgotmplZ"

    /// The functions by the name the escaper inserts.
    static let functions: [String: TemplateFunction] = [
        "_html_template_attrescaper": escaper(attr),
        "_html_template_commentescaper": escaper { _ in "" },
        "_html_template_cssescaper": escaper(css),
        "_html_template_cssvaluefilter": escaper(cssValueFilter),
        "_html_template_htmlnamefilter": escaper(htmlNameFilter),
        "_html_template_htmlescaper": escaper(html),
        "_html_template_jsregexpescaper": escaper(jsRegexp),
        "_html_template_jsstrescaper": escaper(jsString),
        "_html_template_jsvalescaper": TemplateFunction([], variadic: .any) { args in .string(jsValue(args)) },
        "_html_template_nospaceescaper": escaper(nospace),
        "_html_template_rcdataescaper": escaper(rcdata),
        "_html_template_srcsetescaper": escaper(srcset),
        "_html_template_urlescaper": escaper { urlProcess($0, normalize: false) },
        "_html_template_urlfilter": escaper(urlFilter),
        "_html_template_urlnormalizer": escaper { urlProcess($0, normalize: true) },
        "_eval_args_": TemplateFunction([], variadic: .any) { args in
            if args.count == 1, case .string = args[0].storage { return args[0] }
            return .string(GoFormat.sprint(args))
        },
    ]

    private static func escaper(_ body: @escaping @Sendable (Stringified) -> String) -> TemplateFunction {
        TemplateFunction([], variadic: .any) { args in .string(body(stringify(args))) }
    }

    /// An escaper's argument as text, and whether it is `template.HTML` (what `safeHtml` returns).
    struct Stringified {
        var text: String
        var isHTML: Bool
    }

    /// Go's `stringify`: one string argument as is; otherwise `fmt.Sprint` of the non-nil arguments.
    static func stringify(_ args: [TemplateValue]) -> Stringified {
        if args.count == 1, case .string(let text) = args[0].storage {
            return Stringified(text: text, isHTML: args[0].isSafeHTML)
        }
        return Stringified(text: GoFormat.sprint(args.filter(\.isValid)), isHTML: false)
    }

    // MARK: - HTML

    private static let htmlTable: [UInt32: String] = [
        0: "\u{FFFD}", 0x22: "&#34;", 0x26: "&amp;", 0x27: "&#39;", 0x2B: "&#43;", 0x3C: "&lt;", 0x3E: "&gt;",
    ]
    private static let htmlNormTable: [UInt32: String] = htmlTable.filter { $0.key != 0x26 }
    private static let htmlNospaceTable: [UInt32: String] = [
        0: "&#xfffd;", 0x09: "&#9;", 0x0A: "&#10;", 0x0B: "&#11;", 0x0C: "&#12;", 0x0D: "&#13;", 0x20: "&#32;",
        0x22: "&#34;", 0x26: "&amp;", 0x27: "&#39;", 0x2B: "&#43;", 0x3C: "&lt;", 0x3D: "&#61;", 0x3E: "&gt;",
        0x60: "&#96;",
    ]
    private static let htmlNospaceNormTable: [UInt32: String] = htmlNospaceTable.filter { $0.key != 0x26 }

    /// Go's `htmlReplacer`; without `badRunes`, the noncharacters U+FDD0–U+FDEF and U+FFF0–U+FFFF become
    /// numeric references.
    static func htmlReplace(_ text: String, _ table: [UInt32: String], badRunes: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80 {
                if let replacement = table[scalar.value] {
                    out += replacement
                } else {
                    out.unicodeScalars.append(scalar)
                }
            } else if !badRunes
                && ((0xFDD0...0xFDEF).contains(scalar.value) || (0xFFF0...0xFFFF).contains(scalar.value))
            {
                out += "&#x" + String(scalar.value, radix: 16) + ";"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func html(_ value: Stringified) -> String {
        value.isHTML ? value.text : htmlReplace(value.text, htmlTable, badRunes: true)
    }

    static func attr(_ value: Stringified) -> String {
        if value.isHTML { return htmlReplace(stripTags(value.text), htmlNormTable, badRunes: true) }
        return htmlReplace(value.text, htmlTable, badRunes: true)
    }

    static func rcdata(_ value: Stringified) -> String {
        htmlReplace(value.text, value.isHTML ? htmlNormTable : htmlTable, badRunes: true)
    }

    static func nospace(_ value: Stringified) -> String {
        if value.isHTML { return htmlReplace(stripTags(value.text), htmlNospaceNormTable, badRunes: false) }
        return htmlReplace(value.text, htmlNospaceTable, badRunes: false)
    }

    /// Go's `stripTags`: the text content of an HTML fragment (for `template.HTML` put into an attribute).
    static func stripTags(_ html: String) -> String {
        let s = Bytes(Array(html.utf8))
        var out: [UInt8] = []
        var context = HTMLContext()
        var i = 0
        var allText = true
        while i != s.count {
            if context.delim == .none {
                var state = context
                if context.element != .none && !context.state.isInTag { state.state = .rcdata }
                let (next, read) = HTMLTransition.step(state, s.suffix(from: i))
                let i1 = i + read
                if context.state == .text || context.state == .rcdata {
                    let j = HTMLEscaper.textEnd(s, from: i, to: i1, leavesState: next.state != context.state)
                    out += s.suffix(from: i).prefix(j - i).array
                } else {
                    allText = false
                }
                context = next
                i = i1
                continue
            }
            guard let found = s.suffix(from: i).firstIndex(ofAny: context.delim.ends) else { break }
            var i1 = i + found
            if context.delim != .spaceOrTagEnd { i1 += 1 }
            context = HTMLContext(state: .tag, element: context.element)
            i = i1
        }
        if allText { return html }
        if context.state == .text || context.state == .rcdata { out += s.suffix(from: i).array }
        return String(decoding: out, as: UTF8.self)
    }

    static func htmlNameFilter(_ value: Stringified) -> String {
        if value.text.isEmpty { return failsafe }
        let name = value.text.lowercased()
        if HTMLAttributes.contentType(name) != .plain { return failsafe }
        for scalar in name.unicodeScalars where !(("0"..."9").contains(scalar) || ("a"..."z").contains(scalar)) {
            return failsafe
        }
        return name
    }

    // MARK: - URLs

    static func urlFilter(_ value: Stringified) -> String {
        isSafeURL(value.text) ? value.text : "#" + failsafe
    }

    /// Whether a URL's scheme, if it has one, is http, https or mailto.
    static func isSafeURL(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":") else { return true }
        let scheme = text[..<colon]
        if scheme.contains("/") { return true }
        return ["http", "https", "mailto"].contains(scheme.lowercased())
    }

    /// Go's `urlProcessor`: percent-encodes (lower-case hex) every byte that is not unreserved; when
    /// normalizing, reserved characters and valid escapes stay.
    static func urlProcess(_ value: Stringified, normalize: Bool) -> String {
        var out = ""
        appendURL(value.text, normalize: normalize, to: &out)
        return out
    }

    private static let reserved = Set("!#$&*+,/:;=?@[]".utf8)
    private static let hex = Array("0123456789abcdef".utf8)

    static func appendURL(_ text: String, normalize: Bool, to out: inout String) {
        let bytes = Array(text.utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + 16)
        for (i, c) in bytes.enumerated() {
            let keep: Bool
            if reserved.contains(c) {
                keep = normalize
            } else if c == UInt8(ascii: "%") {
                keep = normalize && i + 2 < bytes.count && isHex(bytes[i + 1]) && isHex(bytes[i + 2])
            } else {
                keep =
                    c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || c == UInt8(ascii: "_")
                    || c == UInt8(ascii: "~") || (97...122).contains(c) || (65...90).contains(c)
                    || (48...57).contains(c)
            }
            if keep {
                result.append(c)
            } else {
                result += [UInt8(ascii: "%"), hex[Int(c >> 4)], hex[Int(c & 15)]]
            }
        }
        out += String(decoding: result, as: UTF8.self)
    }

    static func isHex(_ c: UInt8) -> Bool {
        (48...57).contains(c) || (97...102).contains(c) || (65...70).contains(c)
    }

    /// Go's `srcsetFilterAndEscaper` for plain text: each comma-separated image candidate is a URL filtered and
    /// normalized, with its metadata (width or density) checked.
    static func srcset(_ value: Stringified) -> String {
        let text = value.text
        var out = ""
        var written = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == "," {
                filterSrcsetElement(text, written, index, &out)
                out += ","
                written = text.index(after: index)
            }
            index = text.index(after: index)
        }
        filterSrcsetElement(text, written, text.endIndex, &out)
        return out
    }

    private static func filterSrcsetElement(
        _ s: String, _ left: String.Index, _ right: String.Index, _ out: inout String
    ) {
        let whitespace: Set<Character> = [" ", "\t", "\n", "\u{0C}", "\r"]
        var start = left
        while start < right && whitespace.contains(s[start]) { start = s.index(after: start) }
        var end = right
        for index in s[start..<right].indices where whitespace.contains(s[index]) {
            end = index
            break
        }
        let url = String(s[start..<end])
        if isSafeURL(url) {
            let metadata = s[end..<right]
            let metadataOK = metadata.allSatisfy {
                whitespace.contains($0) || $0.isASCII && ($0.isLetter || $0.isNumber)
            }
            if metadataOK {
                out += String(s[left..<start])
                appendURL(url, normalize: true, to: &out)
                out += String(s[end..<right])
                return
            }
        }
        out += "#" + failsafe
    }

    // MARK: - JavaScript

    private static let lowUnicode: [UInt32: String] = {
        var table: [UInt32: String] = [:]
        for value in UInt32(0)..<0x20 {
            table[value] = "\\u00" + String(hex[Int(value >> 4)].asCharacter) + String(hex[Int(value & 15)].asCharacter)
        }
        table[0x09] = "\\t"
        table[0x0A] = "\\n"
        table[0x0C] = "\\f"
        table[0x0D] = "\\r"
        return table
    }()

    private static let jsStringTable: [UInt32: String] = [
        0x22: "\\u0022", 0x60: "\\u0060", 0x26: "\\u0026", 0x27: "\\u0027", 0x2B: "\\u002b", 0x2F: "\\/",
        0x3C: "\\u003c", 0x3E: "\\u003e", 0x5C: "\\\\",
    ]

    private static let jsRegexpTable: [UInt32: String] = [
        0x22: "\\u0022", 0x24: "\\$", 0x26: "\\u0026", 0x27: "\\u0027", 0x28: "\\(", 0x29: "\\)", 0x2A: "\\*",
        0x2B: "\\u002b", 0x2D: "\\-", 0x2E: "\\.", 0x2F: "\\/", 0x3C: "\\u003c", 0x3E: "\\u003e", 0x3F: "\\?",
        0x5B: "\\[", 0x5C: "\\\\", 0x5D: "\\]", 0x5E: "\\^", 0x7B: "\\{", 0x7C: "\\|", 0x7D: "\\}",
    ]

    /// Go's `replace` for JavaScript: control characters, the table's characters, U+2028 and U+2029.
    static func jsReplace(_ text: String, _ table: [UInt32: String]) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if let replacement = lowUnicode[scalar.value] ?? table[scalar.value] {
                out += replacement
            } else if scalar.value == 0x2028 {
                out += "\\u2028"
            } else if scalar.value == 0x2029 {
                out += "\\u2029"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func jsString(_ value: Stringified) -> String { jsReplace(value.text, jsStringTable) }

    static func jsRegexp(_ value: Stringified) -> String {
        let escaped = jsReplace(value.text, jsRegexpTable)
        return escaped.isEmpty ? "(?:)" : escaped
    }

    /// Go's `jsValEscaper`: the JSON of one value (several are printed together first), padded with spaces when
    /// it would otherwise run into an identifier.
    static func jsValue(_ args: [TemplateValue]) -> String {
        let json: String
        if args.count == 1 {
            json = JSONEncoding.encode(args[0])
        } else {
            json = JSONEncoding.encode(.string(GoFormat.sprint(args)))
        }
        if json.isEmpty { return " null " }
        var out = ""
        for scalar in json.unicodeScalars {
            switch scalar.value {
            case 0x2028: out += "\\u2028"
            case 0x2029: out += "\\u2029"
            default: out.unicodeScalars.append(scalar)
            }
        }
        // A value next to an identifier character would run into the code around it: `return x`, `typeof x`.
        let first = json.utf8.first ?? 0
        let last = json.utf8.last ?? 0
        if HTMLTransition.isJSIdentPart(first) || HTMLTransition.isJSIdentPart(last) { return " " + out + " " }
        return out
    }

    // MARK: - CSS

    private static let cssTable: [UInt32: String] = [
        0: "\\0", 0x09: "\\9", 0x0A: "\\a", 0x0C: "\\c", 0x0D: "\\d", 0x22: "\\22", 0x26: "\\26", 0x27: "\\27",
        0x28: "\\28", 0x29: "\\29", 0x2B: "\\2b", 0x2F: "\\2f", 0x3A: "\\3a", 0x3B: "\\3b", 0x3C: "\\3c",
        0x3E: "\\3e", 0x5C: "\\\\", 0x7B: "\\7b", 0x7D: "\\7d",
    ]

    static func css(_ value: Stringified) -> String {
        let scalars = Array(value.text.unicodeScalars)
        var out = ""
        for (index, scalar) in scalars.enumerated() {
            guard let replacement = cssTable[scalar.value] else {
                out.unicodeScalars.append(scalar)
                continue
            }
            out += replacement
            if replacement != "\\\\" {
                if index + 1 == scalars.count {
                    out += " "
                } else {
                    let next = scalars[index + 1]
                    if next.isASCII
                        && (isHex(UInt8(next.value)) || HTMLTransition.whitespace.contains(UInt8(next.value)))
                    {
                        out += " "
                    }
                }
            }
        }
        return out
    }

    static func cssValueFilter(_ value: Stringified) -> String {
        let decoded = CSSDecoding.decode(Array(value.text.utf8))
        var identifier: [UInt8] = []
        for (index, c) in decoded.enumerated() {
            switch c {
            case 0, 0x22, 0x27, 0x28, 0x29, 0x2F, 0x3B, 0x40, 0x5B, 0x5C, 0x5D, 0x60, 0x7B, 0x7D:
                return failsafe
            case 0x2D:
                if index != 0 && decoded[index - 1] == 0x2D { return failsafe }
                identifier.append(c)
            default:
                if c < 0x80 && CSSDecoding.isNmchar(Unicode.Scalar(c)) { identifier.append(c) }
            }
        }
        let lowered = String(decoding: identifier, as: UTF8.self).lowercased()
        if lowered.contains("expression") || lowered.contains("mozbinding") { return failsafe }
        return String(decoding: decoded, as: UTF8.self)
    }
}

extension UInt8 {
    fileprivate var asCharacter: Character { Character(Unicode.Scalar(self)) }
}

/// CSS escapes (`\` and up to six hex digits, or `\` and a character), as Go's `decodeCSS` reads them.
enum CSSDecoding {
    static func isNmchar(_ r: Unicode.Scalar) -> Bool {
        let v = r.value
        return (97...122).contains(v) || (65...90).contains(v) || (48...57).contains(v) || v == 0x2D || v == 0x5F
            || (0x80...0xD7FF).contains(v) || (0xE000...0xFFFD).contains(v) || (0x10000...0x10FFFF).contains(v)
    }

    static func decode(_ input: [UInt8]) -> [UInt8] {
        guard input.contains(UInt8(ascii: "\\")) else { return input }
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var s = input[...]
        while !s.isEmpty {
            let i = s.firstIndex(of: UInt8(ascii: "\\")) ?? s.endIndex
            out += s[s.startIndex..<i]
            s = s[i...]
            if s.count < 2 { break }
            let first = s.startIndex
            if HTMLEscapers.isHex(s[first + 1]) {
                var j = first + 2
                while j < s.endIndex && j < first + 7 && HTMLEscapers.isHex(s[j]) { j += 1 }
                var value: UInt32 = 0
                for c in s[(first + 1)..<j] { value = value << 4 | UInt32(hexValue(c)) }
                if value > 0x10FFFF {
                    value /= 16
                    j -= 1
                }
                let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
                out += Array(String(scalar).utf8)
                s = skipSpace(s[j...])
            } else {
                let rest = s[(first + 1)...]
                let length = utf8Length(rest.first ?? 0)
                let end = min(rest.startIndex + length, rest.endIndex)
                out += rest[rest.startIndex..<end]
                s = s[end...]
            }
        }
        return out
    }

    private static func hexValue(_ c: UInt8) -> UInt8 {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        default: return c - 55
        }
    }

    private static func utf8Length(_ lead: UInt8) -> Int {
        switch lead {
        case 0xF0...: return 4
        case 0xE0...: return 3
        case 0xC0...: return 2
        default: return 1
        }
    }

    private static func skipSpace(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard let first = s.first else { return s }
        switch first {
        case 0x09, 0x0A, 0x0C, 0x20: return s.dropFirst()
        case 0x0D: return s.dropFirst(s.dropFirst().first == 0x0A ? 2 : 1)
        default: return s
        }
    }
}

/// Go's table of HTML attributes by the kind of content their values hold.
enum HTMLAttributes {
    enum ContentType { case plain, css, html, js, url, srcset, unsafe }

    private static let plain: Set<String> = [
        "accept", "alt", "autocomplete", "autofocus", "autoplay", "border", "checked", "class", "cols", "colspan",
        "contenteditable", "contextmenu", "controls", "coords", "datetime", "default", "dir", "dirname", "disabled",
        "draggable", "dropzone", "for", "formtarget", "headers", "height", "hidden", "high", "hreflang", "id", "ismap",
        "kind", "label", "lang", "list", "loop", "low", "max", "maxlength", "media", "mediagroup", "min", "multiple",
        "name", "open", "optimum", "placeholder", "preload", "pubdate", "radiogroup", "readonly", "required",
        "reversed", "rows", "rowspan", "spellcheck", "scope", "scoped", "seamless", "selected", "shape", "size",
        "sizes", "span", "srclang", "start", "step", "tabindex", "target", "title", "width", "wrap",
    ]
    private static let unsafe: Set<String> = [
        "accept-charset", "async", "challenge", "charset", "content", "crossorigin", "defer", "enctype", "form",
        "formenctype", "formmethod", "formnovalidate", "http-equiv", "keytype", "language", "method", "novalidate",
        "pattern", "rel", "sandbox", "type", "value",
    ]
    private static let url: Set<String> = [
        "action", "archive", "background", "cite", "classid", "codebase", "data", "formaction", "href", "icon",
        "longdesc", "manifest", "poster", "profile", "src", "usemap", "xmlns",
    ]

    /// Go's `attrType` of a lower-case attribute name.
    static func contentType(_ attributeName: String) -> ContentType {
        var name = attributeName
        if name.hasPrefix("data-") {
            name = String(name.dropFirst(5))
        } else if let colon = name.firstIndex(of: ":") {
            if name[..<colon] == "xmlns" { return .url }
            name = String(name[name.index(after: colon)...])
        }
        if plain.contains(name) { return .plain }
        if unsafe.contains(name) { return .unsafe }
        if url.contains(name) { return .url }
        switch name {
        case "srcdoc": return .html
        case "srcset": return .srcset
        case "style": return .css
        default: break
        }
        if name.hasPrefix("on") { return .js }
        if name.contains("src") || name.contains("uri") || name.contains("url") { return .url }
        return .plain
    }
}
