import Foundation
import HeadroomCore
import HeadroomCost
import HeadroomEngine
import Hummingbird
import NIOCore

/// The service's HTTP API over the published Assessment. Every `/v1` answer is a part of the same
/// document `headroom assess -o json` prints, carries the ETag and Last-Modified of what it
/// renders, and answers 304 to an If-None-Match naming it.
public enum ServeRouter {
    public struct Options: Sendable {
        /// Bearer token for `/v1`; nil leaves `/v1` reads open. `POST /v1/cycles` always needs one.
        public var token: String?
        /// Seconds after the last good cycle at which `/readyz` turns unready.
        public var stalenessSeconds: Int64
        /// Unix seconds now.
        public var now: @Sendable () -> Int64
        /// The service's own series, served by `/metrics` before the Assessment's.
        public var metrics: ServiceMetrics
        /// Whether `/metrics` needs the bearer token too (it is open by default, as scrapers expect).
        public var metricsNeedToken: Bool
        /// Request target and body limits (header limits are the server's: `RequestLimits.server`).
        public var limits = RequestLimits()

        public init(token: String?, stalenessSeconds: Int64, now: @escaping @Sendable () -> Int64, metrics: ServiceMetrics = ServiceMetrics(),
                    metricsNeedToken: Bool = false) {
            self.token = token
            self.stalenessSeconds = stalenessSeconds
            self.now = now
            self.metrics = metrics
            self.metricsNeedToken = metricsNeedToken
        }
    }

    public static func router(state: ServeState, trigger: CycleTrigger, options: Options) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: RequestLimitMiddleware(limits: options.limits))
        router.get("healthz") { _, _ in Answer.text(.ok, "ok\n") }
        router.get("readyz") { _, _ in
            let readiness = await state.readiness(now: options.now(), staleness: options.stalenessSeconds)
            return Answer.text(readiness.isReady ? .ok : .serviceUnavailable, readiness.description + "\n")
        }

        let scrape = options.metricsNeedToken ? router.group().add(middleware: BearerTokenMiddleware(token: options.token)) : router.group()
        scrape.get("metrics") { _, _ in
            let (published, lastGood) = await state.scrape
            var body = options.metrics.render()
            var age = ExpositionWriter()
            age.family("headroom_assessment_age_seconds", type: "gauge", help: "Seconds since the last good cycle published the assessment served (absent before the first).")
            if let lastGood { age.sample("headroom_assessment_age_seconds", [:], Double(options.now() - lastGood)) }
            body += age.bytes
            if let published { body += published.metrics }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }

        let reads = router.group("v1").add(middleware: BearerTokenMiddleware(token: options.token))
        reads.get("assessment") { request, _ in
            try await answer(state, request, now: options.now()) { published in (published.json, published.etag) }
        }
        reads.get("recommendations") { request, _ in
            let query = request.uri.queryParameters
            let namespace = query.get("namespace"), kind = query.get("kind"), workload = query.get("workload")
            return try await answer(state, request, now: options.now()) { published in
                // An absent filter and an empty one differ (all rows against none): "-" is absent, "=…" given.
                let key = ["recommendations", namespace.map { "=" + $0 } ?? "-", kind.map { "=" + $0.lowercased() } ?? "-",
                           workload.map { "=" + $0 } ?? "-"].joined(separator: "\u{0}")
                let (data, etag) = try published.answers.answer(key) {
                    let containers = published.assessment.containers.filter { row in
                        let id = row.container.workload
                        return (namespace.map { $0 == id.namespace } ?? true) && (kind.map { $0.caseInsensitiveCompare(id.kind.rawValue) == .orderedSame } ?? true)
                            && (workload.map { $0 == id.name } ?? true)
                    }
                    return try PublishedAssessment.encode(Part(published, kind: "RecommendationList", containers: containers))
                }
                return (data, etag)
            }
        }
        reads.get("workloads/:namespace/:kind/:name") { request, context in
            let namespace = try context.parameters.require("namespace"), kind = try context.parameters.require("kind")
            let name = try context.parameters.require("name")
            func isIt(_ id: WorkloadID) -> Bool {
                id.namespace == namespace && id.name == name && id.kind.rawValue.caseInsensitiveCompare(kind) == .orderedSame
            }
            guard let published = await state.published else { return notYet }
            let containers = published.assessment.containers.filter { isIt($0.container.workload) }
            guard !containers.isEmpty else { return Answer.text(.notFound, "no workload \(namespace)/\(kind)/\(name) in the assessment\n") }
            var part = Part(published, kind: "Workload", containers: containers)
            part.hpa = published.assessment.workloads.first { isIt($0.workload) }
            return Answer.json(try PublishedAssessment.encode(part), lastModified: published.lastModified, ageSeconds: options.now() - published.publishedAt, request: request)
        }
        reads.get("keda/:namespace/:workload") { request, context in
            let namespace = try context.parameters.require("namespace"), name = try context.parameters.require("workload")
            let query = request.uri.queryParameters
            var percent = 70.0
            if let raw = query.get("target") {
                guard let value = Double(raw), value >= 1, value <= 1_000 else {
                    return Answer.text(.badRequest, "target must be a percentage from 1 to 1000\n")
                }
                percent = value
            }
            guard let published = await state.published else { return notYet }
            switch KEDAPrediction.make(published.assessment, namespace: namespace, name: name, kind: query.get("kind"), defaultTargetPercent: percent) {
            case .success(let prediction):
                return Answer.json(try PublishedAssessment.encode(prediction), lastModified: published.lastModified, ageSeconds: options.now() - published.publishedAt, request: request)
            case .failure(.unknownWorkload):
                return Answer.text(.notFound, "no workload \(namespace)/\(name) in the assessment\n")
            case .failure(.ambiguous(let kinds)):
                return Answer.text(.conflict, "\(namespace)/\(name) names a \(kinds.joined(separator: " and a ")): add ?kind=\n")
            case .failure(.noForecast):
                return Answer.text(.unprocessableContent, "\(namespace)/\(name) has no forecast (strategy without forecast bands)\n")
            case .failure(.noCPURequest):
                return Answer.text(.unprocessableContent, "\(namespace)/\(name) has no CPU request to size replicas by\n")
            }
        }
        reads.get("budgets") { request, _ in
            try await answer(state, request, now: options.now()) { published in
                var part = Part(published, kind: "BudgetReport")
                part.budgets = published.assessment.budgets
                return (try PublishedAssessment.encode(part), nil)
            }
        }
        reads.get("reclaim") { request, _ in
            try await answer(state, request, now: options.now()) { published in
                var part = Part(published, kind: "ReclaimPlan")
                part.reclamation = published.assessment.reclamation
                return (try PublishedAssessment.encode(part), nil)
            }
        }
        reads.get("reports/weekly") { request, _ in
            guard let report = await state.weeklyReport else {
                return Answer.text(.notFound, "no weekly report: the service builds it with --weekly-report, after its first cycle\n")
            }
            let format = request.uri.queryParameters.get("format") ?? "html"
            let body: Data, type: String
            switch format {
            case "html": (body, type) = (report.html, "text/html; charset=utf-8")
            case "md": (body, type) = (report.markdown, "text/markdown; charset=utf-8")
            case "json": (body, type) = (report.json, "application/json")
            default: return Answer.text(.badRequest, "format must be html, md or json\n")
            }
            let tag = "\"\(report.etag.trimmingCharacters(in: CharacterSet(charactersIn: "\"")))-\(format)\""
            var fields: HTTPFields = [.eTag: tag, .lastModified: HTTPDate.format(report.generatedAt), .cacheControl: "no-cache",
                                      .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; img-src data:"]
            if let match = request.headers[.ifNoneMatch], Answer.matches(match, tag) { return Response(status: .notModified, headers: fields) }
            fields[.contentType] = type
            return Response(status: .ok, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
        // Triggering work always needs the token, whether or not reads do.
        router.group("v1").add(middleware: BearerTokenMiddleware(token: options.token ?? "")).post("cycles") { _, _ in
            guard options.token != nil else { return Answer.text(.forbidden, "POST /v1/cycles needs a token file (--token-file)\n") }
            guard trigger.request() else { return Answer.text(.serviceUnavailable, "shutting down\n") }
            return Answer.text(.accepted, "cycle requested\n")
        }
        return router
    }

    static let notYet = Answer.text(.serviceUnavailable, "no assessment yet: the first cycle has not finished\n", headers: [.retryAfter: "30"])

    /// 503 until the first good cycle; else the part `render` makes of the published Assessment.
    private static func answer(_ state: ServeState, _ request: Request, now: Int64,
                               _ render: (PublishedAssessment) throws -> (Data, String?)) async throws -> Response {
        guard let published = await state.published else { return notYet }
        let (data, etag) = try render(published)
        return Answer.json(data, etag: etag, lastModified: published.lastModified, ageSeconds: now - published.publishedAt, request: request)
    }

    /// A part of the Assessment, with the metadata that says which one.
    struct Part: Encodable {
        var apiVersion = Assessment.apiVersion
        var kind: String
        var cycle: Int
        var metadata: Assessment.Metadata
        var containers: [ContainerAssessment]?
        var hpa: WorkloadAssessment?
        var budgets: BudgetReport?
        var reclamation: ReclaimPlan?

        init(_ published: PublishedAssessment, kind: String, containers: [ContainerAssessment]? = nil) {
            self.kind = kind
            cycle = published.cycle
            metadata = published.assessment.metadata
            self.containers = containers
        }
    }
}
