import Foundation
import KlaxonConfig
import KlaxonCore
import KlaxonEngine
import KlaxonHTTP
import KlaxonNotify
import KlaxonTemplate
import Logging

/// Turns a loaded `Config` into what the engine runs: the routing tree, one notifier per integration,
/// inhibition rules and named time intervals.
struct IntegrationBuilder: Sendable {
    let client: HTTPClient
    let externalURL: String
    let logger: Logger

    func engineConfig(_ config: Config) throws -> EngineConfig {
        let templates = try Self.templates(config)
        var receivers: [String: [any Notifier]] = [:]
        for receiver in config.receivers {
            var notifiers: [any Notifier] = []
            for webhook in receiver.webhookConfigs {
                notifiers.append(WebhookNotifier(config: webhook, client: client, externalURL: externalURL))
            }
            for slack in receiver.slackConfigs {
                notifiers.append(
                    SlackNotifier(config: slack, templates: templates, client: client, externalURL: externalURL))
            }
            for pagerduty in receiver.pagerdutyConfigs {
                notifiers.append(
                    PagerDutyNotifier(config: pagerduty, templates: templates, client: client, externalURL: externalURL)
                )
            }
            for email in receiver.emailConfigs {
                notifiers.append(
                    EmailNotifier(
                        config: email, templates: templates, client: client, externalURL: externalURL, logger: logger))
            }
            for discord in receiver.discordConfigs {
                notifiers.append(
                    DiscordNotifier(config: discord, templates: templates, client: client, externalURL: externalURL))
            }
            for webex in receiver.webexConfigs {
                notifiers.append(
                    WebexNotifier(
                        config: webex, templates: templates, client: client, externalURL: externalURL, logger: logger))
            }
            for pushover in receiver.pushoverConfigs {
                notifiers.append(
                    PushoverNotifier(
                        config: pushover, templates: templates, client: client, externalURL: externalURL,
                        logger: logger))
            }
            for opsgenie in receiver.opsgenieConfigs {
                notifiers.append(
                    OpsGenieNotifier(
                        config: opsgenie, templates: templates, client: client, externalURL: externalURL,
                        logger: logger))
            }
            for victorops in receiver.victoropsConfigs {
                notifiers.append(
                    VictorOpsNotifier(
                        config: victorops, templates: templates, client: client, externalURL: externalURL,
                        logger: logger))
            }
            for wechat in receiver.wechatConfigs {
                notifiers.append(
                    WechatNotifier(config: wechat, templates: templates, client: client, externalURL: externalURL))
            }
            for telegram in receiver.telegramConfigs {
                notifiers.append(
                    TelegramNotifier(
                        config: telegram, templates: templates, client: client, externalURL: externalURL,
                        logger: logger))
            }
            for sns in receiver.snsConfigs {
                notifiers.append(
                    SNSNotifier(
                        config: sns, templates: templates, client: client, externalURL: externalURL, logger: logger))
            }
            for other in receiver.otherConfigs where !Receiver.deliveredOtherIntegrations.contains(other.integration) {
                notifiers.append(
                    UnsupportedNotifier(integrationName: other.integration, sendResolved: other.sendResolved))
            }
            receivers[receiver.name] = notifiers
        }
        return EngineConfig(
            route: config.routeTree, receivers: receivers, inhibitRules: config.coreInhibitRules,
            timeIntervals: config.namedTimeIntervals, resolveTimeout: config.global.resolveTimeout)
    }

    /// The default templates plus the config's `templates` globs (already resolved against the config file's
    /// directory). Templates are parsed once per load: a template error is a config error, and on reload the old
    /// config keeps serving.
    static func templates(_ config: Config) throws -> TemplateSet {
        try TemplateSet.defaults().adding(globs: config.templates, relativeTo: FileManager.default.currentDirectoryPath)
    }
}
