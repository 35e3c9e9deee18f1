import KlaxonCore
import Yams

/// yaml.v2's wording for YAML errors (`yaml: line 3: mapping values are not allowed in this context`).
///
/// Only the line and libyaml's problem are reported, never the source text: the files these errors are about
/// (amtool's config file, `--http.config.file`, a server's running config) hold passwords and tokens, and Yams'
/// own descriptions quote the offending line.
enum GoYAML {
    /// The message for an error thrown while composing YAML text.
    static func syntaxMessage(_ error: any Error) -> String {
        guard let yamlError = error as? YamlError else { return "yaml: unknown problem parsing YAML content" }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _):
            // yaml.v2 reports a scanner error at the problem's 1-based line, else at the context's 0-based line.
            let line = mark.line > 1 ? mark.line : max((context?.mark.line ?? 1) - 1, 0)
            return located(problem, line: line)
        case .parser(let context, let problem, let mark, _), .composer(let context, let problem, let mark, _):
            // Parser errors use the 0-based line of the problem (or of the context when that is 0).
            let line = mark.line > 1 ? mark.line - 1 : max((context?.mark.line ?? 1) - 1, 0)
            return located(problem, line: line)
        case .reader(let problem, _, _, _):
            return "yaml: \(problem)"
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted().map { "key \(GoQuote.quote($0)) already set in map" }
            return located(keys.joined(separator: ", "), line: context.mark.line)
        default:
            return "yaml: unknown problem parsing YAML content"
        }
    }

    /// yaml.v2's type errors: `yaml: unmarshal errors:` and one indented `line N: ...` entry.
    static func unmarshalError(_ problem: String, at node: Node?) -> String {
        let line = (node?.mark?.line).map { "line \($0): " } ?? ""
        return "yaml: unmarshal errors:\n  \(line)\(problem)"
    }

    private static func located(_ problem: String, line: Int) -> String {
        line > 0 ? "yaml: line \(line): \(problem)" : "yaml: \(problem)"
    }
}
