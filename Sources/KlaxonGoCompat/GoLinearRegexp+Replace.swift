extension GoLinearRegexp {
    /// Go's `ReplaceAllString`: every match in `source` replaced by `template`, in which `$1`, `${1}`, `$name` and
    /// `${name}` stand for what a group matched (empty for a group that does not exist or took no part) and `$$` for
    /// `$`. As in Go, a name is the longest run of letters, digits and `_` (`$1x` is the group named `1x`), and an
    /// empty match right after the previous match is not replaced.
    public func replaceAll(in source: String, with template: String) -> String {
        let input = Array(source.unicodeScalars)
        let slots = template.contains("$") ? 2 * (groupCount + 1) : 2
        var output = String.UnicodeScalarView()
        var lastMatchEnd = 0
        var searchFrom = 0
        while searchFrom <= input.count {
            guard let match = firstMatch(in: input, from: searchFrom, slots: slots) else { break }
            output.append(contentsOf: input[lastMatchEnd..<match[0]])
            // Not for an empty match right after another match (patterns that match both empty and non-empty
            // strings would otherwise replace twice).
            if match[1] > lastMatchEnd || match[0] == 0 {
                expand(template, match, input, into: &output)
            }
            lastMatchEnd = match[1]
            // On by at least one scalar.
            let width = searchFrom < input.count ? 1 : 0
            if searchFrom + width > match[1] {
                searchFrom += width
            } else if searchFrom + 1 > match[1] {
                searchFrom += 1
            } else {
                searchFrom = match[1]
            }
        }
        output.append(contentsOf: input[lastMatchEnd...])
        return String(output)
    }

    /// Go's `Regexp.Expand` of `template` for one match's capture slots.
    private func expand(
        _ template: String, _ match: [Int], _ input: [Unicode.Scalar], into output: inout String.UnicodeScalarView
    ) {
        let chars = Array(template.unicodeScalars)
        func group(_ number: Int) {
            guard 2 * number + 1 < match.count, match[2 * number] >= 0 else { return }
            output.append(contentsOf: input[match[2 * number]..<match[2 * number + 1]])
        }
        var index = 0
        while index < chars.count {
            let c = chars[index]
            index += 1
            guard c == "$" else {
                output.append(c)
                continue
            }
            if index < chars.count, chars[index] == "$" {
                output.append("$")
                index += 1
                continue
            }
            guard let (name, end) = Self.reference(chars, at: index) else {
                output.append("$")  // malformed: the `$` is text
                continue
            }
            index = end
            if let number = Self.groupNumber(name) {
                group(number)
            } else if let number = groupNames.indices.first(where: {
                groupNames[$0] == name && 2 * $0 + 1 < match.count && match[2 * $0] >= 0
            }) {
                group(number)
            }
        }
    }

    /// The name after a `$` at `start` (`name` or `{name}`) and where the reference ends; nil when malformed.
    private static func reference(_ chars: [Unicode.Scalar], at start: Int) -> (String, Int)? {
        var index = start
        let braced = index < chars.count && chars[index] == "{"
        if braced { index += 1 }
        var name = String.UnicodeScalarView()
        while index < chars.count, isNameScalar(chars[index]) {
            name.append(chars[index])
            index += 1
        }
        guard !name.isEmpty else { return nil }
        if braced {
            guard index < chars.count, chars[index] == "}" else { return nil }
            index += 1
        }
        return (String(name), index)
    }

    /// A group number: at most nine decimal digits without a leading zero (Go's limits); otherwise a name.
    private static func groupNumber(_ name: String) -> Int? {
        guard name.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }), name.unicodeScalars.count <= 9,
            name == "0" || !name.hasPrefix("0")
        else { return nil }
        return Int(name)
    }

    /// Go's `unicode.IsLetter`, `unicode.IsDigit` or `_`.
    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber:
            return true
        default:
            return scalar == "_"
        }
    }
}
