/// What a command printed and how it exits; commands are pure functions returning this so they can be golden-tested.
public struct CommandOutput: Sendable, Hashable {
    /// Text for standard output.
    public var stdout: String
    /// Text for standard error.
    public var stderr: String
    /// The process exit code.
    public var exitCode: Int32

    /// Creates an output.
    public init(stdout: String = "", stderr: String = "", exitCode: Int32 = 0) {
        self.stdout = stdout
        self.stderr = stderr
        self.exitCode = exitCode
    }

    /// A fatal error as kingpin prints it in amtool: `<program>: error: <message>` on stderr, exit 1.
    static func fatal(_ message: String, stdout: String = "", stderr: String = "") -> CommandOutput {
        CommandOutput(stdout: stdout, stderr: stderr + "\(KlaxonCtl.programName): error: \(message)\n", exitCode: 1)
    }
}

/// Renders trees like github.com/xlab/treeprint, which amtool uses.
struct TreePrinter {
    final class Node {
        var value: String
        var children: [Node] = []
        init(_ value: String) { self.value = value }

        @discardableResult
        func addBranch(_ value: String) -> Node {
            let node = Node(value)
            children.append(node)
            return node
        }
    }

    let root = Node(".")

    /// The tree, ending with a newline.
    var string: String {
        var out = root.value + "\n"
        Self.render(root.children, prefix: "", into: &out)
        return out
    }

    private static func render(_ nodes: [Node], prefix: String, into out: inout String) {
        for (i, node) in nodes.enumerated() {
            let last = i == nodes.count - 1
            out += prefix + (last ? "└── " : "├── ") + node.value + "\n"
            render(node.children, prefix: prefix + (last ? "    " : "│   "), into: &out)
        }
    }
}
