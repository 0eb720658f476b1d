import Crypto
import Foundation
import HeadroomConfig

/// The bodies each kind of sink receives, rendered from decided notifications. Pure: the same
/// notifications always give the same bytes, so a retried send is the same message.
public enum SinkMessages {
    /// Alertmanager API v2 (`POST /api/v2/alerts`): one alert per notification, identified by its
    /// labels. Firing alerts end 4 evaluation intervals ahead (re-sent every run keeps them
    /// active); a resolution ends now.
    public static func alertmanager(_ notifications: [AlertNotification], now: Int64, evaluationSeconds: Int64, generatorURL: String? = nil) -> [UInt8] {
        let alerts: [[String: Any]] = notifications.map { notice in
            var annotations = ["summary": notice.summary, "description": notice.description]
            if let runbook = notice.runbook { annotations["runbook_url"] = runbook }
            var labels = notice.labels
            if notice.event == .test { labels["test"] = "true" }
            let ends = notice.event == .resolved ? (notice.endsAt ?? now) : now + 4 * evaluationSeconds
            var alert: [String: Any] = ["labels": labels, "annotations": annotations, "startsAt": rfc3339(notice.startsAt), "endsAt": rfc3339(ends)]
            if let generatorURL { alert["generatorURL"] = generatorURL }
            return alert
        }
        return json(alerts)
    }

    /// The generic webhook's document (docs/alerts.md, "Webhook"): one or several alerts (a
    /// digest), the event, the idempotency key and whether it is a test.
    public static func webhook(_ notifications: [AlertNotification], event: String, idempotencyKey: String) -> [UInt8] {
        json([
            "apiVersion": "headroom.io/v1alpha1", "kind": "AlertNotification", "event": event, "idempotencyKey": idempotencyKey,
            "test": notifications.contains { $0.event == .test },
            "alerts": notifications.map { notice -> [String: Any] in
                var alert: [String: Any] = [
                    "key": notice.key, "rule": notice.rule, "event": notice.event.rawValue, "severity": notice.severity.rawValue, "labels": notice.labels,
                    "summary": notice.summary, "description": notice.description, "startsAt": rfc3339(notice.startsAt),
                ]
                if let ends = notice.endsAt { alert["endsAt"] = rfc3339(ends) }
                if let runbook = notice.runbook { alert["runbook"] = runbook }
                return alert
            },
        ])
    }

    /// A Slack incoming-webhook message: `text` for notifications and `blocks` for the app.
    public static func slack(_ notifications: [AlertNotification], digest: Bool) -> [UInt8] {
        let lines = notifications.map { notice in
            let mark = notice.event == .resolved ? "RESOLVED" : notice.severity.rawValue.uppercased()
            return "[\(mark)]\(notice.event == .test ? " [TEST]" : "") \(notice.summary)"
        }
        let title = digest ? "Headroom daily digest: \(notifications.count) alert(s)" : lines.first ?? "Headroom"
        var blocks: [[String: Any]] = [["type": "header", "text": ["type": "plain_text", "text": String(title.prefix(150))]]]
        for notice in notifications.prefix(45) {
            let mark = notice.event == .resolved ? "resolved" : notice.severity.rawValue
            blocks.append(["type": "section", "text": ["type": "mrkdwn", "text": "*\(escapeSlack(notice.summary))* (\(mark))\n\(escapeSlack(notice.description))"]])
        }
        return json(["text": ([digest ? title : nil].compactMap { $0 } + lines).joined(separator: "\n"), "blocks": blocks])
    }

    /// `sha256=` and the hex HMAC-SHA256 of `body` under `secret`: the webhook's signature header.
    public static func signature(_ body: [UInt8], secret: [UInt8]) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: secret))
        return "sha256=" + code.map { String(format: "%02x", $0) }.joined()
    }

    static func escapeSlack(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static func json(_ value: Any) -> [UInt8] {
        // Sorted keys: the same content always gives the same bytes (and signature).
        (try? [UInt8](JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]))) ?? []
    }

    public static func rfc3339(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
