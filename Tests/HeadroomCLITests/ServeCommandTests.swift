import Foundation
import HeadroomHistory
import HeadroomTesting
import Testing

/// `headroom serve` as a user runs it: one cycle with --once, and its usage errors.
@Suite struct ServeCommandTests {
    @Test("serve --once publishes the same assessment assess prints and exits 0; served, SIGTERM ends it with 0")
    func once() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let demo = try DemoStore(in: directory)
        #expect(try await demo.run(["import"] + demo.files).status == 0)
        let served = try await demo.run(["serve", "--once"])
        #expect(served.status == 0, "\(served.stderr)")
        let assessed = try await demo.run(["assess", "-o", "json"])
        let document = try JSONSerialization.jsonObject(with: Data(assessed.stdout.utf8)) as? [String: Any]
        let containers = try #require((document?["totals"] as? [String: Any])?["containers"] as? Int)
        #expect(served.stdout.hasPrefix("cycle 1: published the assessment of \(containers) containers"), "\(served.stdout)")

        // Serving, then SIGTERM during the first cycle: the cycle finishes, the process exits 0
        // and the store is intact.
        let server = try SpawnedProcess(demo.binary, ["serve", "--db", demo.store, "--listen", "127.0.0.1:0"],
                                        environment: ["HEADROOM_MODELS": DemoStore.models])
        let log = await server.standardError { $0.contains("listening on 127.0.0.1:") }
        #expect(log.contains("listening on 127.0.0.1:"), "\(log)")
        server.signal(SIGTERM)
        let ended = await server.exit()
        let rest = await server.standardError { _ in false }
        #expect(ended.status == 0 && !ended.signalled, "\(rest)")
        let check = try await demo.run(["db", "stats", "-o", "json"])
        #expect(check.status == 0 && check.stdout.contains("\"integrity\" : \"ok\""), "\(check.stdout)")
    }

    @Test("serve --once on a store it cannot assess says why and exits 1")
    func onceFails() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let demo = try DemoStore(in: directory)
        #expect(try await demo.run(["import", demo.files[0]]).status == 0)  // usage only: no nodes
        let served = try await demo.run(["serve", "--once"])
        #expect(served.status == 1)
        #expect(served.stderr.contains("the cycle failed") && served.stderr.contains("no nodes"), "\(served.stderr)")
    }

    @Test("serve rejects a malformed --listen and an unreadable --token-file with exit 2, naming them")
    func usageErrors() async throws {
        let binary = try ChildProcess.headroomBinary()
        let listen = try await ChildProcess.run(binary, ["serve", "--listen", "8080"])
        #expect(listen.status == 2 && listen.stderr.contains("--listen \"8080\" is not HOST:PORT"), "\(listen.stderr)")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let missing = directory.file("no-such-token")
        let token = try await ChildProcess.run(binary, ["serve", "--token-file", missing])
        #expect(token.status == 2 && token.stderr.contains("--token-file \(missing): cannot be read"), "\(token.stderr)")
        let interval = try await ChildProcess.run(binary, ["serve", "--assess-interval", "soon"])
        #expect(interval.status == 2 && interval.stderr.contains("--assess-interval"), "\(interval.stderr)")
        let collect = try await ChildProcess.run(binary, ["serve", "--collect-interval", "0s"])
        #expect(collect.status == 2 && collect.stderr.contains("--collect-interval: invalid duration \"0s\""), "\(collect.stderr)")
    }

    @Test("serve --replicas-shard needs a PostgreSQL store and the Kubernetes API (exit 2, before opening anything)")
    func shardingNeeds() async throws {
        let binary = try ChildProcess.headroomBinary()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.file("h.sqlite")
        let sqlite = try await ChildProcess.run(binary, ["serve", "--once", "--replicas-shard", "--db", file])
        #expect(sqlite.status == 2 && sqlite.stderr.contains("--replicas-shard needs a PostgreSQL --db"), "\(sqlite.stderr)")
        #expect(!FileManager.default.fileExists(atPath: file), "no store was created")
        let noKubernetes = try await ChildProcess.run(binary, ["serve", "--once", "--replicas-shard", "--db", "postgres://headroom@127.0.0.1:1/x"])
        #expect(noKubernetes.status == 2 && noKubernetes.stderr.contains("needs --kubeconfig or --in-cluster"), "\(noKubernetes.stderr)")
    }

    @Test("--log-format json: every line of the log is a JSON object, a cycle is one line with its figures, and no token appears")
    func jsonLogsKeepTokensOut() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let demo = try DemoStore(in: directory)
        #expect(try await demo.run(["import"] + demo.files).status == 0)
        let token = "tok-\(UUID().uuidString)", wrong = "wrong-\(UUID().uuidString)"
        let tokenFile = try directory.write("token", token + "\n")
        let server = try SpawnedProcess(demo.binary, ["serve", "--db", demo.store, "--listen", "127.0.0.1:0", "--token-file", tokenFile,
                                                      "--log-format", "json"], environment: ["HEADROOM_MODELS": DemoStore.models])
        let started = await server.standardError { $0.contains("listening on 127.0.0.1:") }
        let port = try #require(started.firstMatch(of: /listening on 127\.0\.0\.1:([0-9]+)/).map { String($0.1) })
        func curl(_ path: String, _ bearer: String?) async throws -> String {
            let header = bearer.map { ["-H", "Authorization: Bearer \($0)"] } ?? []
            return try await ChildProcess.run("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}"] + header + ["http://127.0.0.1:\(port)\(path)"]).stdout
        }
        #expect(try await curl("/v1/recommendations", wrong) == "403")
        #expect(try await curl("/v1/cycles?token=\(wrong)", nil) == "404")
        let log = await server.standardError { $0.contains("\"msg\":\"cycle\"") }
        #expect(try await curl("/v1/recommendations", token) == "200")
        #expect(try await curl("/metrics", nil) == "200")
        server.signal(SIGTERM)
        let ended = await server.exit()
        let all = await server.standardError { _ in false }
        #expect(ended.status == 0 && !ended.signalled, "\(all)")
        let lines = all.split(separator: "\n")
        #expect(lines.count >= 2, "\(all)")
        for line in lines {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any], "not a JSON object: \(line)")
        }
        let cycle = try #require(lines.first { $0.contains("\"msg\":\"cycle\"") })
        let figures = try #require(try JSONSerialization.jsonObject(with: Data(cycle.utf8)) as? [String: String])
        #expect(figures["outcome"] == "ok" && Int(figures["containers"] ?? "") ?? 0 > 0 && figures["seconds"] != nil, "\(cycle)")
        #expect(log.contains("listening on"))
        #expect(!all.contains(token) && !all.contains(wrong), "a token reached the log")
    }

    @Test("settings: a flag wins over its HEADROOM_SERVE_/HEADROOM_DB variable, which wins over the --config file; file mistakes name FILE:LINE")
    func precedence() async throws {
        let binary = try ChildProcess.headroomBinary()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = try directory.write("serve.yaml", "db: \(directory.file("from-file.sqlite"))\nlisten: 127.0.0.1:0\n")
        // --once on a store that does not exist names the store it looked for.
        let fromFile = try await ChildProcess.run(binary, ["serve", "--once", "--config", config])
        #expect(fromFile.status == 2 && fromFile.stderr.contains("from-file.sqlite"), "\(fromFile.stderr)")
        let environment = ["HEADROOM_DB": directory.file("from-env.sqlite")]
        let fromEnv = try await ChildProcess.run(binary, ["serve", "--once", "--config", config], environment: environment)
        #expect(fromEnv.stderr.contains("from-env.sqlite") && !fromEnv.stderr.contains("from-file"), "\(fromEnv.stderr)")
        let fromFlag = try await ChildProcess.run(binary, ["serve", "--once", "--config", config, "--db", directory.file("from-flag.sqlite")],
                                                  environment: environment)
        #expect(fromFlag.stderr.contains("from-flag.sqlite") && !fromFlag.stderr.contains("from-env"), "\(fromFlag.stderr)")

        let badListen = ["HEADROOM_SERVE_LISTEN": "nowhere"]
        let envWrong = try await ChildProcess.run(binary, ["serve", "--once", "--config", config], environment: badListen)
        #expect(envWrong.status == 2 && envWrong.stderr.contains("HEADROOM_SERVE_LISTEN \"nowhere\" is not HOST:PORT"), "\(envWrong.stderr)")
        let flagWins = try await ChildProcess.run(binary, ["serve", "--once", "--config", config, "--listen", "127.0.0.1:0"], environment: badListen)
        #expect(!flagWins.stderr.contains("HEADROOM_SERVE_LISTEN"), "\(flagWins.stderr)")

        let broken = try directory.write("broken.yaml", "listen: 127.0.0.1:0\nassessInterval: often\n")
        let wrong = try await ChildProcess.run(binary, ["serve", "--once", "--config", broken])
        #expect(wrong.status == 1 && wrong.stderr.contains("broken.yaml:2: assessInterval:"), "\(wrong.stderr)")
    }

    @Test("--write-vpa-status: after the cycle, the VPA that names headroom gets its status patched; the one that does not is untouched")
    func vpaWriteBack() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let demo = try DemoStore(in: directory)
        #expect(try await demo.run(["import"] + demo.files).status == 0)
        func vpa(_ name: String, recommender: String) -> String {
            #"{"metadata":{"name":"\#(name)","namespace":"production"},"spec":{"targetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"api-gateway"},"recommenders":[{"name":"\#(recommender)"}]}}"#
        }
        // The cycle snapshots the cluster first (the fixture's objects), then writes the VPAs' status.
        var lists = KubernetesFixture.lists
        lists["/apis/autoscaling.k8s.io/v1/verticalpodautoscalers"] = [vpa("gateway", recommender: "headroom"), vpa("gateway-upstream", recommender: "default")]
        let replay = try ReplayingKubernetesAPI(lists: lists, token: "t0ken")
        defer { replay.server.stop() }
        let kubeconfig = try replay.kubeconfig(token: "t0ken", in: directory)
        let served = try await demo.run(["serve", "--once", "--write-vpa-status", "--kubeconfig", kubeconfig, "--cluster", "terrafusion"])
        #expect(served.status == 0, "\(served.stderr)")
        #expect(replay.patches.map(\.path) == ["/apis/autoscaling.k8s.io/v1/namespaces/production/verticalpodautoscalers/gateway/status"])
        let body = String(decoding: try #require(replay.patches.first?.body), as: UTF8.self)
        #expect(body.contains(#""containerName":"gateway""#) && body.contains(#""type":"RecommendationProvided""#), "\(body)")
        let missing = try await ChildProcess.run(demo.binary, ["serve", "--once", "--write-vpa-status", "--db", demo.store])
        #expect(missing.status == 2 && missing.stderr.contains("--write-vpa-status needs --kubeconfig PATH or --in-cluster"), "\(missing.stderr)")
    }

    @Test("--kubeconfig: each cycle starts with a Kubernetes snapshot into the store (the store is created)")
    func kubernetesSnapshot() async throws {
        let replay = try ReplayingKubernetesAPI(lists: KubernetesFixture.lists, token: "t0ken")
        defer { replay.server.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let kubeconfig = try replay.kubeconfig(token: "t0ken", in: directory)
        let store = directory.file("snapshots.sqlite")
        let served = try await ChildProcess.run(try ChildProcess.headroomBinary(), ["serve", "--once", "--db", store, "--kubeconfig", kubeconfig],
                                                environment: ["HEADROOM_MODELS": DemoStore.models])
        #expect(replay.requestTargets.contains { $0.hasPrefix("/api/v1/pods") }, "the cycle listed the pods")
        let history = try HistoryStore(path: store)
        #expect(try history.latestInventory().map(\.container.workload.name).sorted() == ["db", "node-exporter", "web"], "\(served.stderr)")
        #expect(try history.latestNodes(cluster: "default").count == 2)
        #expect(served.status == 0, "\(served.stdout)\(served.stderr)")
    }
}
