import Foundation

/// Zone abbreviations as Go prints them (`CET`, `CEST`, `+04`), read from the POSIX TZ string that ends a
/// zoneinfo file; Foundation on Linux only offers `GMT+1`-style names.
enum ZoneAbbreviation {
    static func abbreviation(zone: TimeZone, at date: Date) -> String {
        let directory = ProcessInfo.processInfo.environment["ZONEINFO"] ?? "/usr/share/zoneinfo"
        let path = (directory as NSString).appendingPathComponent(zone.identifier)
        guard let data = FileManager.default.contents(atPath: path), let footer = footer(data),
            let names = posixNames(footer)
        else {
            return zone.abbreviation(for: date) ?? ""
        }
        if zone.isDaylightSavingTime(for: date), let daylight = names.daylight { return daylight }
        return names.standard
    }

    private static func footer(_ data: Data) -> String? {
        let bytes = [UInt8](data)
        guard bytes.count > 2, bytes[bytes.count - 1] == 10 else { return nil }
        var start = bytes.count - 2
        while start > 0 && bytes[start] != 10 { start -= 1 }
        guard bytes[start] == 10 else { return nil }
        return String(bytes: bytes[(start + 1)..<(bytes.count - 1)], encoding: .ascii)
    }

    /// The standard and daylight names of a POSIX TZ string such as `CET-1CEST,M3.5.0,M10.5.0/3` or `<+04>-4`.
    static func posixNames(_ spec: String) -> (standard: String, daylight: String?)? {
        var rest = Substring(spec)
        func name() -> String? {
            if rest.first == "<" {
                guard let close = rest.firstIndex(of: ">") else { return nil }
                let value = rest[rest.index(after: rest.startIndex)..<close]
                rest = rest[rest.index(after: close)...]
                return String(value)
            }
            let value = rest.prefix { $0.isLetter }
            guard value.count >= 3 else { return nil }
            rest = rest.dropFirst(value.count)
            return String(value)
        }
        guard let standard = name() else { return nil }
        rest = rest.drop { $0 == "+" || $0 == "-" || $0 == ":" || $0.isNumber }
        if rest.isEmpty || rest.first == "," { return (standard, nil) }
        return (standard, name())
    }
}
