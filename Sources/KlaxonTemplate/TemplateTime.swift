import KlaxonGoCompat

/// A template's time value is Go's `time.Time`: an instant with nanoseconds and a zone, printed and formatted
/// as Go does (`{{ .StartsAt }}`, `.Format`, `date`, `tz`).
public typealias TemplateTime = GoTime
