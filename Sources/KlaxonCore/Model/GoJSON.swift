import KlaxonGoCompat

extension GoJSONWriter {
    /// Appends a label set as an object with sorted keys (Go marshals maps sorted).
    public mutating func object(_ labels: LabelSet) {
        raw(UInt8(ascii: "{"))
        for (index, label) in labels.labels.enumerated() {
            if index > 0 { raw(UInt8(ascii: ",")) }
            key(label.name)
            string(label.value)
        }
        raw(UInt8(ascii: "}"))
    }
}
