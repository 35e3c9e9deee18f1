/// Which of a route's children can match an alert, found without evaluating every child: built once with the
/// route, so a tree with 1,000 tenant routes costs a table lookup per alert instead of 1,000 matcher evaluations.
///
/// The children are cut, in config order, into steps. A run of at least `minimumTableRun` consecutive children that
/// each have a positive matcher on one label name accepting finitely many values (`tenant_id="t1"`, or a plain
/// alternation `tenant_id=~"t1|t2"`) becomes one table step: from a value of that label to the children of the run
/// that accept it, in config order. A child outside such a run is a step of its own. Only a child that accepts the
/// alert's value (`""` when the label is absent, as matchers read it) can match, since all of a route's matchers
/// must; so the walk looks up the value and evaluates only those children's full matchers, in the same order as a
/// child-by-child walk, and Alertmanager's order rules (first match stops unless `continue`) apply unchanged.
struct RouteChildIndex: Sendable {
    /// One step of the ordered walk over the children.
    enum Step: Sendable {
        /// Evaluate the child at this position.
        case child(Int)
        /// Evaluate, in order, the children (positions) filed under the alert's value of `label`; none when
        /// the value is not in the table.
        case table(label: String, children: [String: [Int]])
    }

    /// Shorter runs are walked child by child: comparing a few values is cheaper than hashing one.
    static let minimumTableRun = 4

    /// The steps, in config order; together they cover every child exactly once.
    let steps: [Step]

    /// Cuts `children` (each child's matchers) into steps.
    init(children: [Matchers]) {
        // Per child: label name -> the values its positive matchers on that label accept. Several such matchers
        // on one name are ANDed, so only values every one of them accepts are kept.
        let accepted: [[String: Set<String>]] = children.map { matchers in
            var byName: [String: Set<String>] = [:]
            for matcher in matchers.matchers {
                guard let values = matcher.acceptedValues else { continue }
                let set = Set(values)
                byName[matcher.name] = byName[matcher.name].map { $0.intersection(set) } ?? set
            }
            return byName
        }
        var steps: [Step] = []
        var start = 0
        while start < children.count {
            // The longest run starting here on any one label name of this child.
            var best: (label: String, end: Int)?
            for label in accepted[start].keys.sorted() {
                var end = start + 1
                while end < children.count, accepted[end][label] != nil { end += 1 }
                if end > best?.end ?? 0 { best = (label, end) }
            }
            guard let best, best.end - start >= Self.minimumTableRun else {
                steps.append(.child(start))
                start += 1
                continue
            }
            var table: [String: [Int]] = [:]
            for position in start..<best.end {
                for value in accepted[position][best.label] ?? [] { table[value, default: []].append(position) }
            }
            steps.append(.table(label: best.label, children: table))
            start = best.end
        }
        self.steps = steps
    }

    /// The number of table steps (for tests that must know an index was used).
    var tableCount: Int {
        steps.reduce(0) { count, step in
            if case .table = step { count + 1 } else { count }
        }
    }
}
