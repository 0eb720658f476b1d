import Foundation
import HeadroomAlerts
import HeadroomCore
import HeadroomTesting
import Testing

/// `headroom alerts` on the demo store, delivering to a real Alertmanager and a loopback webhook.
@Suite struct AlertsCommandTests {
    static let secret = "demo-webhook-secret"
    static let budgets = DemoStore.root.appendingPathComponent("models/budgets/terrafusion.example.yaml").path

    static func receiver(delaying delays: [Duration] = []) throws -> WebhookReceiver {
        try WebhookReceiver(delaying: delays) { body, signature in SinkMessages.signature(body, secret: Array(secret.utf8)) == signature }
    }

    /// A rule file sending the budget forecast (critical) to `alertmanager` and `webhook`.
    /// `hookTimeout`: how long the webhook may take to answer.
    static func rules(_ directory: TemporaryDirectory, alertmanagers: [String], webhook: String, hookTimeout: String = "10s") throws -> String {
        let secretFile = try directory.write("secret", secret + "\n")
        return try directory.write("alerts.yaml", """
            evaluationInterval: 15m
            sinks:
              - {name: am, type: alertmanager, urls: [\(alertmanagers.map { "\"\($0)\"" }.joined(separator: ", "))]}
              - {name: hook, type: webhook, url: "\(webhook)", secretFile: "\(secretFile)", headers: {X-Team: finops}, timeout: \(hookTimeout)}
            rules:
              - name: budget-forecast
                kind: budgetForecast
                percentile: p50
                severity: critical
                runbook: https://runbooks.example.com/budget-forecast
                sinks: [am, hook]
            """)
    }

    /// Budgets with what `budget check` projects, from its JSON.
    static func projectedOver(_ json: String) throws -> Set<String> {
        let document = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] ?? [:]
        let budgets = document["budgets"] as? [[String: Any]] ?? []
        return Set(budgets.compactMap { budget in
            let projection = budget["projection"] as? [String: Any] ?? [:]
            guard let p50 = projection["p50"] as? Int64 ?? (projection["p50"] as? Int).map(Int64.init),
                  let monthly = budget["monthlyMicrodollars"] as? Int64 ?? (budget["monthlyMicrodollars"] as? Int).map(Int64.init) else { return nil }
            return p50 >= monthly ? budget["budget"] as? String : nil
        })
    }

    @Test("the demo's development budget raises a forecast alert: exit 3, in a real Alertmanager with its labels, in the signed webhook; resolved, it ends in both")
    func demoForecastAlert() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let demo = try DemoStore(in: directory)
        #expect(try await demo.run(["import"] + demo.files).status == 0)
        // An HA pair: every alert goes to each member.
        let alertmanager = try await PrivateAlertmanager(), peer = try await PrivateAlertmanager()
        let receiver = try Self.receiver()
        let rules = try Self.rules(directory, alertmanagers: [alertmanager.url, peer.url], webhook: receiver.url)
        // Evaluated at the real time (the budgets' month is the data's): Alertmanager keeps an
        // alert active until its endsAt, which is counted from the evaluation.
        let now = String(Int64(Date().timeIntervalSince1970))

        let run = try await demo.run(["alerts", "run", "--rules", rules, "--budgets", Self.budgets, "--now", now, "-o", "json"])
        #expect(run.status == 3, "a critical alert fires: \(run.stderr)")
        #expect(try await demo.run(["cost", "allocate"]).status == 0)
        let check = try await demo.run(["budget", "check", "--budgets", Self.budgets, "-o", "json"])
        let over = try Self.projectedOver(check.stdout)
        #expect(over == ["development"], "budget check projects the same budgets over: \(check.stdout.prefix(400))")

        let held = try await alertmanager.alerts()
        #expect(held.count == 1)
        let alert = try #require(held.first)
        #expect(alert["labels"] as? [String: String] == ["alertname": "HeadroomBudgetForecast", "severity": "critical", "rule": "budget-forecast",
                                                        "budget": "development", "threshold": "100", "cluster": "terrafusion"])
        let annotations = alert["annotations"] as? [String: String] ?? [:]
        #expect(annotations["summary"]?.hasPrefix("Budget development: month-end P50 projection $") == true, "\(annotations)")
        #expect(annotations["runbook_url"] == "https://runbooks.example.com/budget-forecast")
        #expect((alert["status"] as? [String: Any])?["state"] as? String == "active")
        let mirrored = try await peer.alerts()
        #expect(mirrored.count == 1 && mirrored.first?["labels"] as? [String: String] == alert["labels"] as? [String: String], "the HA peer has it too")

        let delivered = try receiver.delivered()
        #expect(delivered.count == 1 && receiver.received.first?.headers["x-team"] == "finops")
        let notice = try #require((delivered.first?["alerts"] as? [[String: Any]])?.first)
        #expect(delivered.first?["event"] as? String == "firing" && (notice["labels"] as? [String: String])?["budget"] == "development")

        // The same run again: nothing new is notified; Alertmanager keeps it active.
        let again = try await demo.run(["alerts", "run", "--rules", rules, "--budgets", Self.budgets, "--now", String(Int64(Date().timeIntervalSince1970)), "-o", "json"])
        #expect(again.status == 3 && again.stdout.contains(#""notices" : ["#) && !again.stdout.contains(#""event" : "firing""#))
        #expect(try receiver.delivered().count == 1)
        // Re-sent to each Alertmanager with endsAt moved ahead (4 × 15 min from this run).
        for member in [alertmanager, peer] {
            let ends = try await member.alerts().compactMap { $0["endsAt"] as? String }
            #expect(ends.count == 1 && ends[0] > (alert["endsAt"] as? String ?? ""), "\(ends) after \(alert["endsAt"] ?? "")")
        }

        // A budget the projection stays under: the alert resolves.
        let roomy = try directory.write("budgets.yaml", "budgets:\n  - {name: development, namespace: development, monthlyUSD: 100000}\n")
        let resolved = try await demo.run(["alerts", "run", "--rules", rules, "--budgets", roomy, "--now", String(Int64(Date().timeIntervalSince1970)), "-o", "json"])
        #expect(resolved.status == 0, "nothing critical fires: \(resolved.stderr)")
        let stillHeld = try await alertmanager.alerts().count + peer.alerts().count
        #expect(stillHeld == 0, "both Alertmanagers ended it")
        let events = try receiver.delivered().map { $0["event"] as? String ?? "" }
        #expect(events == ["firing", "resolved"])
        let status = try await demo.run(["alerts", "status", "-o", "json"])
        #expect(status.status == 0 && status.stdout.contains(#""status" : "resolved""#), "\(status.stdout)")
    }

    @Test("killed with SIGKILL while the webhook holds the notice: after a restart the receiver has it exactly once (by its idempotency key)")
    func killedMidSend() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let demo = try DemoStore(in: directory)
        #expect(try await demo.run(["import"] + demo.files).status == 0)
        let alertmanager = try await PrivateAlertmanager()
        // The answer is held (5 minutes) far longer than the test can take to kill the sender
        // (ASAN, a loaded machine), and the sink waits for it: the kill lands mid-send.
        let receiver = try Self.receiver(delaying: [.seconds(300)])
        let rules = try Self.rules(directory, alertmanagers: [alertmanager.url], webhook: receiver.url, hookTimeout: "20m")
        let process = try SpawnedProcess(demo.binary, ["alerts", "run", "--rules", rules, "--budgets", Self.budgets, "--now", String(demo.options.end + 3_600),
                                                       "--db", demo.store], environment: ["HEADROOM_MODELS": DemoStore.models])
        // Assessing the demo before the send takes minutes under ASAN with other suites running.
        for _ in 0..<12_000 where receiver.received.isEmpty && Self.running(process.pid) { try await Task.sleep(for: .milliseconds(100)) }
        #expect(receiver.received.count == 1, "the notice reached the receiver, whose answer is held")
        process.signal(SIGKILL)
        #expect(await process.exit().signalled)

        let restarted = try await demo.run(["alerts", "run", "--rules", rules, "--budgets", Self.budgets, "--now", String(demo.options.end + 3_660), "-o", "json"])
        #expect(restarted.status == 3)
        #expect(!restarted.stdout.contains(#""event" : "firing""#), "the decision was stored before the kill: nothing is decided again")
        #expect(receiver.received.count == 2 && receiver.accepted.count == 2, "sent again, since no answer was heard")
        #expect(Set(receiver.received.compactMap { $0.headers["idempotency-key"] }).count == 1)
        #expect(try receiver.delivered().count == 1, "exactly one after deduplication")
        // The held answer ends with the server, so no thread keeps its request past the test.
        receiver.server.stop()
        try await Task.sleep(for: .milliseconds(300))
    }

    @Test("workload risk by OOM kills seen: exactly the workloads 'usage' reports OOM-killed over the same 14 days, with their count")
    func oomKillsSeen() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let demo = try DemoStore(in: directory)
        #expect(try await demo.run(["import"] + demo.files).status == 0)
        let rules = try directory.write("alerts.yaml", """
            sinks:
              - {name: hook, type: webhook, url: "http://127.0.0.1:9/hook"}
            rules:
              - {name: oom, kind: workloadRisk, oomKills: 1, severity: warning, sinks: [hook]}
            """)
        let run = try await demo.run(["alerts", "run", "--rules", rules, "--no-send", "-o", "json"])
        #expect(run.status == 0, "warnings only: \(run.stderr)")
        let document = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any] ?? [:]
        let firing = (document["firing"] as? [[String: Any]] ?? []).map { ($0["key"] as? String ?? "", $0["summary"] as? String ?? "") }

        let usage = try await demo.run(["usage", "--since", "14d", "-o", "json"])
        let rows = (try JSONSerialization.jsonObject(with: Data(usage.stdout.utf8)) as? [String: Any])?["containers"] as? [[String: Any]] ?? []
        var killed: [String: Int] = [:]
        for row in rows {
            guard let kills = row["oomKills"] as? Int, kills > 0, let workload = (row["container"] as? [String: Any])?["workload"] as? [String: Any] else { continue }
            killed[#"oom{cluster="terrafusion",namespace="\#(workload["namespace"] as? String ?? "")",workload="\#(workload["kind"] as? String ?? "")/\#(workload["name"] as? String ?? "")"}"#, default: 0] += kills
        }
        #expect(!killed.isEmpty, "the demo has OOM kills")
        #expect(firing.map(\.0) == killed.keys.sorted())
        for (key, summary) in firing { #expect(summary.contains(": \(killed[key] ?? -1) OOM kill(s) seen"), "\(summary)") }
    }

    @Test("alerts rules: promtool accepts them, and a real Prometheus scraping the service fires the same budget alerts as 'alerts run'")
    func prometheusRules() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let demo = try DemoStore(in: directory)
        #expect(try await demo.run(["import"] + demo.files).status == 0)
        let example = DemoStore.root.appendingPathComponent("models/alerts/alerts.example.yaml").path
        let generated = try await ChildProcess.run(demo.binary, ["alerts", "rules", "--rules", example, "--format", "rules"])
        #expect(generated.status == 0 && generated.stderr.contains("left out idle-pools"), "\(generated.stderr)")
        let rulesFile = try directory.write("headroom.rules.yml", generated.stdout)
        let check = try await ChildProcess.run(try PrivateAlertmanager.tool("promtool"), ["check", "rules", rulesFile])
        #expect(check.status == 0 && check.stdout.contains("SUCCESS: 4 rules found"), "\(check.stdout) \(check.stderr)")
        let resource = try await ChildProcess.run(demo.binary, ["alerts", "rules", "--rules", example, "--namespace", "monitoring"])
        #expect(resource.stdout.hasPrefix("apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\n") && resource.stdout.contains("namespace: monitoring"))

        // What Headroom itself raises for those rules.
        let run = try await demo.run(["alerts", "run", "--rules", example, "--budgets", Self.budgets, "--no-send", "-o", "json"])
        let firing = ((try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])?["firing"] as? [[String: Any]] ?? [])
            .compactMap { $0["key"] as? String }.filter { $0.hasPrefix("budget-") }.sorted()
        #expect(firing.contains(#"budget-forecast{budget="development",cluster="terrafusion",threshold="100"}"#), "\(firing)")

        // The service's /metrics, scraped every second by a real Prometheus evaluating the rules.
        let server = try SpawnedProcess(demo.binary, ["serve", "--db", demo.store, "--listen", "127.0.0.1:0", "--budgets", Self.budgets],
                                        environment: ["HEADROOM_MODELS": DemoStore.models])
        let started = await server.standardError { $0.contains("listening on 127.0.0.1:") && $0.contains("msg=cycle") }
        let port = try #require(started.firstMatch(of: /listening on 127\.0\.0\.1:([0-9]+)/).map { String($0.1) })
        let prometheusPort = try freeLoopbackPort()
        let config = try directory.write("prometheus.yml", """
            global: {scrape_interval: 1s, evaluation_interval: 1s}
            rule_files: ["\(rulesFile)"]
            scrape_configs:
              - job_name: headroom
                static_configs: [{targets: ["127.0.0.1:\(port)"]}]
            """)
        let prometheus = try SpawnedProcess(try PrivateAlertmanager.tool("prometheus"), [
            "--config.file=\(config)", "--storage.tsdb.path=\(directory.file("tsdb"))", "--web.listen-address=127.0.0.1:\(prometheusPort)", "--log.level=warn"])
        var raised: [String] = []
        for _ in 0..<600 {
            let answer = try await ChildProcess.run("/usr/bin/curl", ["-s", "http://127.0.0.1:\(prometheusPort)/api/v1/alerts"]).stdout
            let alerts = (((try? JSONSerialization.jsonObject(with: Data(answer.utf8))) as? [String: Any])?["data"] as? [String: Any])?["alerts"] as? [[String: Any]] ?? []
            raised = alerts.compactMap { alert -> String? in
                guard alert["state"] as? String == "firing", let labels = alert["labels"] as? [String: String], let rule = labels["rule"],
                      let budget = labels["budget"], let threshold = labels["threshold"] else { return nil }
                return "\(rule){budget=\"\(budget)\",threshold=\"\(threshold)\"}"
            }.sorted()
            if !raised.isEmpty && raised.count >= firing.count { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        prometheus.signal(SIGTERM)
        _ = await prometheus.exit()
        server.signal(SIGTERM)
        _ = await server.exit()
        // Headroom's keys carry the cluster; the budget series the exported rules watch do not.
        let unclustered = firing.map { $0.replacingOccurrences(of: #",cluster="terrafusion""#, with: "") }
        #expect(raised == unclustered, "Prometheus over /metrics: \(raised); Headroom: \(firing)")
    }

    /// Whether a child still runs (not exited, not a zombie waiting to be reaped).
    static func running(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return false }
        return !stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    /// `namespace/kind/name/container` of a container identity in the JSON documents.
    static func key(_ id: [String: Any]) -> String {
        let workload = id["workload"] as? [String: Any] ?? [:]
        return ["namespace", "kind", "name"].map { workload[$0] as? String ?? "" }.joined(separator: "/") + "/" + (id["container"] as? String ?? "")
    }

    @Test("workload risk scoped by labels: team=platform keeps the API gateway's replayed OOM risk and leaves out the payment processor's kills")
    func labelScope() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let demo = try DemoStore(in: directory)
        #expect(try await demo.run(["import"] + demo.files).status == 0)
        func firing(_ scope: String) async throws -> [String] {
            let rules = try directory.write("alerts.yaml", """
                sinks:
                  - {name: hook, type: webhook, url: "http://127.0.0.1:9/hook"}
                rules:
                  - {name: risk, kind: workloadRisk, oomBuckets: 1, oomKills: 1, severity: warning, sinks: [hook]\(scope)}
                """)
            let run = try await demo.run(["alerts", "run", "--rules", rules, "--no-send", "-o", "json"])
            #expect(run.status == 0, "\(run.stderr)")
            return ((try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])?["firing"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String }
        }
        let all = try await firing("")
        #expect(all.contains(#"risk{cluster="terrafusion",namespace="production",workload="Deployment/payment-processor"}"#) && all.contains(#"risk{cluster="terrafusion",namespace="production",workload="Deployment/api-gateway"}"#), "\(all)")
        // The demo labels the API gateway team=platform and the payment processor team=payments.
        #expect(try await firing(", labels: {team: platform}") == [#"risk{cluster="terrafusion",namespace="production",workload="Deployment/api-gateway"}"#])
        #expect(try await firing(", labels: {team: platform, environment: staging}").isEmpty, "every label must match")
    }

    @Test("efficiency: Kubecost's cost-weighted formula recomputed from the assessment's requests, replayed mean usage and allocated costs; the alert fires for exactly the namespaces below the line")
    func efficiencyAlert() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let demo = try DemoStore(in: directory)
        #expect(try await demo.run(["import"] + demo.files).status == 0)
        let assess = try await demo.run(["assess", "-o", "json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(assess.stdout.utf8)) as? [String: Any])
        // usage / request per container and resource: (request − mean slack) / request.
        var ratios: [String: (cpu: Double, memory: Double)] = [:]
        for container in document["containers"] as? [[String: Any]] ?? [] {
            let current = container["current"] as? [String: Any] ?? [:]
            let requests = current["requests"] as? [String: String] ?? [:], risk = current["risk"] as? [String: Any] ?? [:]
            let cpu = Double(try CPUQuantity(parsing: requests["cpu"] ?? "0").millicores), memory = Double(try MemoryQuantity(parsing: requests["memory"] ?? "0").bytes)
            ratios[Self.key(container["container"] as? [String: Any] ?? [:])] = ((cpu - (risk["cpuSlackMillicores"] as? Double ?? 0)) / cpu, (memory - (risk["memorySlackBytes"] as? Double ?? 0)) / memory)
        }
        let allocation = try #require(document["allocation"] as? [String: Any])
        var weighted: [String: (usage: Double, cost: Double)] = [:]
        for cost in allocation["containers"] as? [[String: Any]] ?? [] {
            let id = cost["container"] as? [String: Any] ?? [:], workload = id["workload"] as? [String: Any] ?? [:]
            let ratio = try #require(ratios[Self.key(id)])
            let cpu = Double(cost["cpuMicrodollars"] as? Int ?? 0), ram = Double(cost["ramMicrodollars"] as? Int ?? 0)
            let namespace = workload["namespace"] as? String ?? ""
            weighted[namespace, default: (0, 0)].usage += max(0, ratio.cpu) * cpu + max(0, ratio.memory) * ram
            weighted[namespace, default: (0, 0)].cost += cpu + ram
        }
        let expected = weighted.mapValues { $0.usage / $0.cost }
        let reported = Dictionary(uniqueKeysWithValues: (allocation["efficiency"] as? [[String: Any]] ?? []).map { ($0["namespace"] as? String ?? "", $0["efficiency"] as? Double ?? -1) })
        #expect(Set(reported.keys) == Set(expected.keys))
        for (namespace, value) in expected { #expect(abs((reported[namespace] ?? -1) - value) < 1e-9, "\(namespace): \(reported[namespace] ?? -1) vs \(value)") }

        let line = 0.25
        let rules = try directory.write("alerts.yaml", """
            sinks:
              - {name: hook, type: webhook, url: "http://127.0.0.1:9/hook"}
            rules:
              - {name: efficiency, kind: efficiency, below: \(line), minimumMonthlyUSD: 10, sinks: [hook]}
              - {name: spend, kind: spendChange, minimumChangePercent: 5, minimumSpendUSD: 1, sinks: [hook]}
            """)
        let run = try await demo.run(["alerts", "run", "--rules", rules, "--no-send", "-o", "json"])
        let firing = ((try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])?["firing"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String }
        #expect(firing == expected.filter { $0.value < line }.keys.sorted().map { #"efficiency{cluster="terrafusion",namespace="\#($0)"}"# }, "\(expected)")
        #expect(firing.count >= 1 && firing.count < expected.count, "the line separates the demo's namespaces")
        #expect(!firing.contains { $0.hasPrefix("spend") }, "requests, not usage, set the demo's cost: flat within 1 % week on week")
    }

    @Test("alerts test: the rule's real message with current data, marked as a test, to one sink; no state changes")
    func testMessage() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let demo = try DemoStore(in: directory)
        #expect(try await demo.run(["import"] + demo.files).status == 0)
        let alertmanager = try await PrivateAlertmanager()
        let receiver = try Self.receiver()
        let rules = try Self.rules(directory, alertmanagers: [alertmanager.url], webhook: receiver.url)
        let result = try await demo.run(["alerts", "test", "--rules", rules, "--budgets", Self.budgets, "--rule", "budget-forecast", "--sink", "hook"])
        #expect(result.status == 0 && result.stdout.hasPrefix("sent to hook (http://127.0.0.1:"), "\(result.stdout) \(result.stderr)")
        let message = try #require(try receiver.delivered().first)
        #expect(message["test"] as? Bool == true && message["event"] as? String == "test")
        let notice = try #require((message["alerts"] as? [[String: Any]])?.first)
        #expect((notice["summary"] as? String)?.hasPrefix("[TEST] Budget development: month-end P50 projection $") == true, "\(notice)")
        #expect(try await alertmanager.alerts().isEmpty, "only the named sink")
        let status = try await demo.run(["alerts", "status", "-o", "json"])
        let states = (try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])?["alerts"] as? [Any]
        #expect(states?.isEmpty == true, "\(status.stdout)")
        let unknown = try await demo.run(["alerts", "test", "--rules", rules, "--rule", "nope", "--sink", "hook"])
        #expect(unknown.status == 2 && unknown.stderr.contains("--rule nope: no such rule"), "\(unknown.stderr)")
    }

    @Test("a rule file with an unknown key, a negative threshold or an unknown sink: FILE:LINE and exit 2", arguments: [
        ("    treshold: 90\n", 7, "unknown key \"treshold\""),
        ("    thresholds: [-10]\n", 7, "rules[0].thresholds[] -10 is outside 1…1000"),
        ("    sinks: [pager]\n", 7, "unknown sink \"pager\""),
    ])
    func badRuleFile(line: String, number: Int, reason: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let kind = line.contains("thresholds") ? "budgetActual" : "budgetForecast"
        let sinks = line.contains("sinks") ? "" : "    sinks: [hook]\n"
        let file = try directory.write("rules.yaml", """
            sinks:
              - {name: hook, type: webhook, url: "http://127.0.0.1:9/hook"}
            rules:
              - name: r
                kind: \(kind)
                severity: warning

            """ + line + sinks)
        let result = try await ChildProcess.run(try ChildProcess.headroomBinary(), ["alerts", "run", "--rules", file, "--db", directory.file("none.sqlite")])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(file):\(number): ") && result.stderr.contains(reason), "\(result.stderr)")
    }
}

/// `headroom serve --alerts`: every good cycle evaluates the rules and delivers, counted in `/metrics`.
@Suite struct ServeAlertsTests {
    @Test("serve --alerts: the cycle delivers the forecast alert; restarted, it re-notifies nothing and /metrics counts the alerts")
    func serveDelivers() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let demo = try DemoStore(in: directory)
        #expect(try await demo.run(["import"] + demo.files).status == 0)
        let receiver = try AlertsCommandTests.receiver()
        let secretFile = try directory.write("secret", AlertsCommandTests.secret)
        let rules = try directory.write("alerts.yaml", """
            sinks:
              - {name: hook, type: webhook, url: "\(receiver.url)", secretFile: "\(secretFile)"}
            rules:
              - {name: budget-forecast, kind: budgetForecast, severity: critical, sinks: [hook]}
            """)
        let once = try await demo.run(["serve", "--once", "--alerts", rules, "--budgets", AlertsCommandTests.budgets])
        #expect(once.status == 0, "\(once.stderr)")
        #expect(once.stderr.contains("msg=alerts") && once.stderr.contains("firing=1") && once.stderr.contains("sent=1"), "\(once.stderr)")
        #expect(try receiver.delivered().map { $0["event"] as? String } == ["firing"])

        let server = try SpawnedProcess(demo.binary, ["serve", "--db", demo.store, "--listen", "127.0.0.1:0", "--alerts", rules,
                                                      "--budgets", AlertsCommandTests.budgets], environment: ["HEADROOM_MODELS": DemoStore.models])
        let started = await server.standardError { $0.contains("listening on 127.0.0.1:") && $0.contains("msg=alerts") }
        let port = try #require(started.firstMatch(of: /listening on 127\.0\.0\.1:([0-9]+)/).map { String($0.1) })
        let metrics = try await ChildProcess.run("/usr/bin/curl", ["-s", "http://127.0.0.1:\(port)/metrics"]).stdout
        #expect(metrics.contains("\nheadroom_alerts_firing 1") && metrics.contains("\nheadroom_alerts_sent_total 0")
                && metrics.contains("\nheadroom_alerts_queue_length 0") && metrics.contains("\nheadroom_alerts_dropped_total 0"), "\(metrics.prefix(4_000))")
        server.signal(SIGTERM)
        #expect(await server.exit().status == 0)
        #expect(receiver.received.count == 1, "the restarted service re-notified nothing")
    }
}
