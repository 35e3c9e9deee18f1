// Go's standard-library behaviour (GoQuote, GoJSONWriter, GoTime, GoDuration, GoURL...) is vocabulary that every
// target speaking Alertmanager uses alongside the core's types, so `import KlaxonCore` brings it into scope too.
// Files that need nothing else from the core import KlaxonGoCompat directly.
@_exported import KlaxonGoCompat
