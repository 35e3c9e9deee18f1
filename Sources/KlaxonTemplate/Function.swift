/// A function or method callable from templates, with Go's parameter types for argument checks.
struct TemplateFunction: Sendable {
    /// The Go parameter types templates pass.
    enum ParamType: Sendable, Equatable {
        case any, string, int, float, bool, strings, time

        var goName: String {
            switch self {
            case .any: return "interface {}"
            case .string: return "string"
            case .int: return "int"
            case .float: return "float64"
            case .bool: return "bool"
            case .strings: return "[]string"
            case .time: return "time.Time"
            }
        }

        /// Whether Go's nil converts to this type (slices and interfaces).
        var canBeNil: Bool { self == .any || self == .strings }

        func accepts(_ value: TemplateValue) -> Bool {
            switch (self, value.storage) {
            case (.any, _), (.string, .string), (.int, .int), (.float, .float), (.bool, .bool), (.strings, .strings),
                (.time, .time):
                return true
            default:
                return false
            }
        }
    }

    /// An error a function returns; becomes `error calling NAME: MESSAGE`.
    struct CallError: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    typealias Body = @Sendable ([TemplateValue]) throws(CallError) -> TemplateValue

    var params: [ParamType]
    /// The element type of a trailing variadic parameter.
    var variadic: ParamType?
    var body: Body

    init(_ params: [ParamType], variadic: ParamType? = nil, _ body: @escaping Body) {
        self.params = params
        self.variadic = variadic
        self.body = body
    }
}
