import Foundation
import HeadroomEngine
import HeadroomHTTP
import HeadroomHistory
import HeadroomReports
import Logging

/// The weekly report as the service keeps it: the last complete week's report, rendered, for
/// `/v1/reports/weekly`.
public struct PublishedReport: Sendable {
    public var report: WeeklyReport
    public var week: String
    public var generatedAt: Int64
    public var html: Data
    public var markdown: Data
    public var json: Data
    public var etag: String
}

/// After each published Assessment: when the last complete week changed (or nothing is kept yet)
/// its report is built and kept for `/v1/reports/weekly`; once the schedule's sending time has
/// passed it is delivered on every channel the store has not recorded for that week. A failed
/// channel is logged and tried again after the next cycle; delivered ones are not sent again,
/// after a restart either.
public struct WeeklyReportCycle: Sendable {
    let store: any HistoryBackend
    let cluster: String?
    let configuration: AssessmentConfiguration
    let schedule: WeeklyReportSchedule
    let renderer: ReportRenderer
    let delivery: ReportDeliverySettings
    let state: ServeState
    let logger: Logger
    let http: any HTTPClient

    public init(store: any HistoryBackend, cluster: String?, configuration: AssessmentConfiguration, schedule: WeeklyReportSchedule, renderer: ReportRenderer,
                delivery: ReportDeliverySettings, state: ServeState, logger: Logger, http: any HTTPClient) {
        self.store = store
        self.cluster = cluster
        self.configuration = configuration
        self.schedule = schedule
        self.renderer = renderer
        self.delivery = delivery
        self.state = state
        self.logger = logger
        self.http = http
    }

    public func runLogged(_ assessment: Assessment, now: Int64) async {
        let (week, _, due) = schedule.at(now)
        do {
            var kept = await state.weeklyReport
            if kept?.week != week.description {
                let engine = try await Engine(store: store, selecting: cluster)
                let costs = try await engine.periodCosts(from: week.previous.start, to: week.end, dayStarts: week.previous.dayStarts + week.dayStarts,
                                                   catalog: configuration.catalog, cache: configuration.usageHours)
                let recorded = try await store.reportAdvice(cluster: assessment.metadata.cluster, week: week.previous.description)
                let built = WeeklyReport.build(week: week, costs: costs, assessment: assessment, generatedAt: now,
                                               options: WeeklyReport.Options(costReport: configuration.costReport), recordedAdvice: recorded.isEmpty ? nil : recorded)
                try await store.recordReportAdvice(cluster: assessment.metadata.cluster, week: week.description, built.adviceToRecord)
                let published = try Self.publish(built, renderer: renderer)
                await state.keepWeeklyReport(published)
                kept = published
                logger.info("weekly report", metadata: ["week": "\(week)", "total": "\(ReportFormat.dollars(built.spend.totalMicrodollars))"])
            }
            guard due, !delivery.isEmpty, let kept else { return }
            let done = try await store.reportDeliveries(cluster: assessment.metadata.cluster, week: kept.week)
            let missing = delivery.channels.subtracting(done)
            guard !missing.isEmpty else { return }
            let toSend = kept.report
            let outcome = await delivery.delivery(for: toSend, html: String(decoding: kept.html, as: UTF8.self), markdown: String(decoding: kept.markdown, as: UTF8.self))
                .deliver(toSend, skipping: done, http: http)
            for channel in outcome.deliveredChannels {
                try await store.recordReportDelivery(cluster: assessment.metadata.cluster, week: kept.week, channel: channel, at: now)
            }
            for line in outcome.delivered { logger.info("weekly report delivered", metadata: ["week": "\(kept.week)", "to": "\(line)"]) }
            for failure in outcome.failures { logger.warning("weekly report not delivered, will retry", metadata: ["week": "\(kept.week)", "failure": "\(failure)"]) }
        } catch {
            logger.error("weekly report", metadata: ["week": "\(week)", "error": "\(error)"])
        }
    }

    static func publish(_ report: WeeklyReport, renderer: ReportRenderer) throws -> PublishedReport {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(report)
        return PublishedReport(report: report, week: report.metadata.week, generatedAt: report.metadata.generatedAt, html: Data(renderer.html(report).utf8),
                               markdown: Data(renderer.markdown(report).utf8), json: json, etag: PublishedAssessment.etag(of: json))
    }
}
