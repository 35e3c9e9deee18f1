import Foundation
import KlaxonConfig
import KlaxonCore

/// One rendered Slack message (an incoming-webhook / `chat.postMessage` body with one attachment), encoded
/// exactly as Alertmanager 0.25 encodes it.
struct SlackMessage: Sendable, Equatable {
    struct Field: Sendable, Equatable {
        var title: String
        var value: String
        var short: Bool
    }

    struct Action: Sendable, Equatable {
        struct Confirm: Sendable, Equatable {
            var text: String
            var title: String
            var okText: String
            var dismissText: String
        }

        var type: String
        var text: String
        var url: String
        var style: String
        var name: String
        var value: String
        var confirm: Confirm?
    }

    /// Slack's limit for an attachment title (runes).
    static let maxTitleRunes = 1024

    var channel: String
    var username: String
    var iconEmoji: String
    var iconURL: String
    var linkNames: Bool
    // The single attachment.
    var title: String
    var titleLink: String
    var pretext: String
    var text: String
    var fallback: String
    var callbackID: String
    var fields: [Field]
    var actions: [Action]
    var imageURL: String
    var thumbURL: String
    var footer: String
    var color: String
    var mrkdwnIn: [String]
}

extension SlackMessage {
    /// Renders every templated field of `config` (the title cut to 1024 runes, `short` falling back to
    /// `short_fields`, `mrkdwn_in` defaulting to fallback, pretext and text). Stops at the first failing field.
    init(config: SlackConfig, templater: NotificationTemplater) throws(NotificationBuildError) {
        let render = templater.render
        channel = try render(config.channel, "channel")
        title = try render(config.title, "title").truncatedInRunes(Self.maxTitleRunes).text
        titleLink = try render(config.titleLink, "title_link")
        pretext = try render(config.pretext, "pretext")
        text = try render(config.text, "text")
        fallback = try render(config.fallback, "fallback")
        callbackID = try render(config.callbackID, "callback_id")
        imageURL = try render(config.imageURL, "image_url")
        thumbURL = try render(config.thumbURL, "thumb_url")
        footer = try render(config.footer, "footer")
        color = try render(config.color, "color")
        mrkdwnIn = config.mrkdwnIn.isEmpty ? SlackConfig.defaultMrkdwnIn : config.mrkdwnIn
        var fields: [Field] = []
        for (index, field) in config.fields.enumerated() {
            fields.append(
                Field(
                    title: try render(field.title, "fields[\(index)].title"),
                    value: try render(field.value, "fields[\(index)].value"),
                    short: field.short ?? config.shortFields))
        }
        self.fields = fields
        var actions: [Action] = []
        for (index, action) in config.actions.enumerated() {
            let path = "actions[\(index)]"
            var confirm: Action.Confirm?
            if let given = action.confirm {
                confirm = Action.Confirm(
                    text: try render(given.text, "\(path).confirm.text"),
                    title: try render(given.title, "\(path).confirm.title"),
                    okText: try render(given.okText, "\(path).confirm.ok_text"),
                    dismissText: try render(given.dismissText, "\(path).confirm.dismiss_text"))
            }
            actions.append(
                Action(
                    type: try render(action.type, "\(path).type"),
                    text: try render(action.text, "\(path).text"),
                    url: try render(action.url, "\(path).url"),
                    style: try render(action.style, "\(path).style"),
                    name: try render(action.name, "\(path).name"),
                    value: try render(action.value, "\(path).value"),
                    confirm: confirm))
        }
        self.actions = actions
        username = try render(config.username, "username")
        iconEmoji = try render(config.iconEmoji, "icon_emoji")
        iconURL = try render(config.iconURL, "icon_url")
        linkNames = config.linkNames
    }

    /// The JSON body: Go's struct field order, `omitempty` where Alertmanager has it (`text`, `fallback`,
    /// `callback_id` and `footer` are always present), HTML-safe escaping, trailing newline.
    func encoded() -> [UInt8] {
        var json = GoJSONWriter(capacity: 1024 + text.utf8.count + title.utf8.count)
        var object = JSONObjectWriter()
        json.raw("{")
        object.optionalString("channel", channel, into: &json)
        object.optionalString("username", username, into: &json)
        object.optionalString("icon_emoji", iconEmoji, into: &json)
        object.optionalString("icon_url", iconURL, into: &json)
        if linkNames {
            object.key("link_names", into: &json)
            json.bool(true)
        }
        object.key("attachments", into: &json)
        json.raw("[")
        encodeAttachment(into: &json)
        json.raw("]}\n")
        return json.bytes
    }

    private func encodeAttachment(into json: inout GoJSONWriter) {
        var object = JSONObjectWriter()
        json.raw("{")
        object.optionalString("title", title, into: &json)
        object.optionalString("title_link", titleLink, into: &json)
        object.optionalString("pretext", pretext, into: &json)
        object.string("text", text, into: &json)
        object.string("fallback", fallback, into: &json)
        object.string("callback_id", callbackID, into: &json)
        if !fields.isEmpty {
            object.key("fields", into: &json)
            json.raw("[")
            for (index, field) in fields.enumerated() {
                if index > 0 { json.raw(",") }
                var inner = JSONObjectWriter()
                json.raw("{")
                inner.string("title", field.title, into: &json)
                inner.string("value", field.value, into: &json)
                inner.key("short", into: &json)
                json.bool(field.short)
                json.raw("}")
            }
            json.raw("]")
        }
        if !actions.isEmpty {
            object.key("actions", into: &json)
            json.raw("[")
            for (index, action) in actions.enumerated() {
                if index > 0 { json.raw(",") }
                action.encode(into: &json)
            }
            json.raw("]")
        }
        object.optionalString("image_url", imageURL, into: &json)
        object.optionalString("thumb_url", thumbURL, into: &json)
        object.string("footer", footer, into: &json)
        object.optionalString("color", color, into: &json)
        if !mrkdwnIn.isEmpty {
            object.key("mrkdwn_in", into: &json)
            json.raw("[")
            for (index, name) in mrkdwnIn.enumerated() {
                if index > 0 { json.raw(",") }
                json.string(name)
            }
            json.raw("]")
        }
        json.raw("}")
    }
}

extension SlackMessage.Action {
    /// Every member is `omitempty` in Alertmanager's `SlackAction` and `SlackConfirmationField`.
    fileprivate func encode(into json: inout GoJSONWriter) {
        var object = JSONObjectWriter()
        json.raw("{")
        object.optionalString("type", type, into: &json)
        object.optionalString("text", text, into: &json)
        object.optionalString("url", url, into: &json)
        object.optionalString("style", style, into: &json)
        object.optionalString("name", name, into: &json)
        object.optionalString("value", value, into: &json)
        if let confirm {
            object.key("confirm", into: &json)
            var inner = JSONObjectWriter()
            json.raw("{")
            inner.optionalString("text", confirm.text, into: &json)
            inner.optionalString("title", confirm.title, into: &json)
            inner.optionalString("ok_text", confirm.okText, into: &json)
            inner.optionalString("dismiss_text", confirm.dismissText, into: &json)
            json.raw("}")
        }
        json.raw("}")
    }
}

/// Writes the members of one JSON object, inserting the commas (so `omitempty` members can be skipped).
struct JSONObjectWriter {
    private var empty = true

    mutating func key(_ name: String, into json: inout GoJSONWriter) {
        if !empty { json.raw(",") }
        empty = false
        json.key(name)
    }

    mutating func string(_ name: String, _ value: String, into json: inout GoJSONWriter) {
        key(name, into: &json)
        json.string(value)
    }

    /// Go's `omitempty` for a string: skipped when empty.
    mutating func optionalString(_ name: String, _ value: String, into json: inout GoJSONWriter) {
        if !value.isEmpty { string(name, value, into: &json) }
    }
}
