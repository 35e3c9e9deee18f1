import Foundation
import KlaxonTemplate

/// `template render` as amtool 0.25 does it, except that Klaxon's built-in default templates are always loaded
/// first (as in Alertmanager 0.28+), so `--template.glob` only adds files.
public enum TemplateRender {
    /// The values of `--template.type`.
    public static let types = ["html", "text"]

    /// The output of `template render`.
    ///
    /// - Parameters:
    ///   - globs: every `--template.glob`, in order; relative ones resolve against `directory`.
    ///   - texts: every `--template.text` (amtool accepts exactly one).
    ///   - type: `--template.type`, nil for the default (text).
    ///   - dataFile: `--template.data`, nil for the built-in sample data.
    ///   - directory: the directory relative paths are taken from (the working directory when run).
    ///   - now: the clock for the sample data's times and for `since`.
    public static func render(
        globs: [String], texts: [String], type: String?, dataFile: String?,
        directory: String = FileManager.default.currentDirectoryPath, now: Date = Date()
    ) -> CommandOutput {
        // Flag values first (kingpin checks them while parsing), then required flags, then the action.
        if texts.count > 1 { return .fatal("flag 'template.text' cannot be repeated\n") }
        if let type, !types.contains(type) {
            return .fatal("enum value must be one of \(types.joined(separator: ",")), got '\(type)'\n")
        }
        var dataBytes: [UInt8]?
        if let dataFile {
            switch readFile(dataFile, directory: directory) {
            case .success(let bytes): dataBytes = bytes
            case .failure(let error): return .fatal("\(error.description)\n")
            }
        }
        if globs.isEmpty { return .fatal("required flag --template.glob not provided\n") }
        guard let text = texts.first else { return .fatal("required flag --template.text not provided\n") }

        let templates: TemplateSet
        do {
            templates = try TemplateFiles.load(globs: globs, directory: directory) { now }
        } catch {
            return .fatal("\(error.description)\n")
        }
        let data: TemplateData
        if let dataBytes {
            do {
                data = try TemplateDataJSON.decode(dataBytes)
            } catch {
                return .fatal("\(error.description)\n")
            }
        } else {
            data = sampleData(now: now)
        }
        // Go's ExecuteTextString and ExecuteHTMLString return "" for an empty text without parsing it.
        if text.isEmpty { return CommandOutput() }
        do {
            if type == "html" {
                return CommandOutput(stdout: try templates.renderHTML(text: text, data: data.value()))
            }
            return CommandOutput(stdout: try templates.render(text: text, data: data.value()))
        } catch {
            return .fatal("\(error)\n")
        }
    }

    /// amtool's built-in data when `--template.data` is absent: receiver `receiver`, status `alertstatus`, two
    /// alerts that started 5 and 10 minutes before `now` and end at `now`.
    public static func sampleData(now: Date) -> TemplateData {
        let common = ["commonlabelkey1": "commonlabelvalue1", "commonlabelkey2": "commonlabelvalue2"]
        let commonAnnotations = [
            "commonannotationkey1": "commonannotationvalue1", "commonannotationkey2": "commonannotationvalue2",
        ]
        let first = TemplateAlert(
            status: "alertstatus",
            labels: KV(common.merging(["label1": "value1", "label2": "value2", "instance": "foo.bar:1234"]) { $1 }),
            annotations: KV(commonAnnotations.merging(["annotation1": "value1", "annotation2": "value2"]) { $1 }),
            startsAt: now.addingTimeInterval(-5 * 60), endsAt: now, generatorURL: "https://generatorurl.com",
            fingerprint: "fingerprint1")
        let second = TemplateAlert(
            status: "alertstatus", labels: KV(common.merging(["foo": "bar", "baz": "qux"]) { $1 }),
            annotations: KV(commonAnnotations.merging(["aaa": "bbb", "ccc": "ddd"]) { $1 }),
            startsAt: now.addingTimeInterval(-10 * 60), endsAt: now, generatorURL: "https://generatorurl.com",
            fingerprint: "fingerprint2")
        return TemplateData(
            receiver: "receiver", status: "alertstatus", alerts: [first, second],
            groupLabels: KV(["grouplabelkey1": "grouplabelvalue1", "grouplabelkey2": "grouplabelvalue2"]),
            commonLabels: KV(common), commonAnnotations: KV(commonAnnotations), externalURL: "https://example.com")
    }

    struct FileError: Error, CustomStringConvertible {
        var description: String
    }

    /// Reads a file, failing with Go's `open PATH: reason` (the path as given).
    static func readFile(_ path: String, directory: String) -> Result<[UInt8], FileError> {
        let full = path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path)
        guard let handle = fopen(full, "rb") else {
            return .failure(FileError(description: "open \(path): \(goErrno(errno))"))
        }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = fread(&buffer, 1, buffer.count, handle)
            if count > 0 { bytes.append(contentsOf: buffer[0..<count]) }
            if count < buffer.count {
                if ferror(handle) != 0 { return .failure(FileError(description: "read \(path): \(goErrno(errno))")) }
                return .success(bytes)
            }
        }
    }

    /// Go's text for an errno: the C library's, starting lower-case.
    static func goErrno(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }
}
