/// The Unicode property classes Go's regexp accepts in `\p{Name}` and `\P{Name}`: Go 1.19's `unicode.Categories` and
/// `unicode.Scripts` (generated from Go into `GoUnicodeProperties+Tables.swift`), and `Any`; one-letter categories
/// also as `\pL`.
public enum GoUnicodeProperties {
    /// General categories, scripts and `Any`; case-sensitive, as in Go.
    public static let names: Set<String> = Set(encodedRanges.keys).union(["Any"])

    /// The categories with one-letter names (`\pL`).
    public static let oneLetterNames: Set<Unicode.Scalar> = Set(
        encodedRanges.keys.compactMap { $0.unicodeScalars.count == 1 ? $0.unicodeScalars.first : nil })

    /// The scalars of the category or script `name`; nil for a name Go does not know.
    static func ranges(_ name: String) -> [ClosedRange<UInt32>]? {
        if name == "Any" { return [0...0x10FFFF] }
        guard let encoded = encodedRanges[name] else { return nil }
        return encoded.split(whereSeparator: \.isWhitespace).compactMap { item in
            let bounds = item.split(separator: "-").compactMap { UInt32($0, radix: 16) }
            guard let low = bounds.first, let high = bounds.last else { return nil }
            return low...high
        }
    }

    /// Go's case-folding orbits (`unicode.SimpleFold`), each sorted: the scalars `(?i)` treats as one letter.
    static let foldOrbits: [[UInt32]] = encodedFoldOrbits.split(separator: "\n").map { line in
        line.split(separator: " ").compactMap { UInt32($0, radix: 16) }.sorted()
    }

    private static let foldOrbitIndex: [UInt32: Int] = {
        var index: [UInt32: Int] = [:]
        for (number, orbit) in foldOrbits.enumerated() {
            for scalar in orbit { index[scalar] = number }
        }
        return index
    }()

    /// The orbit of `value`, sorted (`[value]` when it has no other case).
    static func foldOrbit(_ value: UInt32) -> [UInt32] {
        foldOrbitIndex[value].map { foldOrbits[$0] } ?? [value]
    }
}
