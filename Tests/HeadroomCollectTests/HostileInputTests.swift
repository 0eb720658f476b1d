import HeadroomCollect
import HeadroomCore
import Testing

/// Values no real cluster sends are refused at their line, with the reason, instead of trapping
/// later or being stored.
@Suite struct HostileInputTests {
    static func exposition(_ line: String, format: ExpositionImporter.Format = .openMetrics) -> String? {
        let text = format == .openMetrics ? "# TYPE x gauge\n\(line)\n# EOF\n" : "\(line)\n"
        do {
            _ = try ExpositionImporter().parse(text, file: "k.om", format: format)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("node, volume, quota, request and replica lines with NaN, ±Inf, negative or huge values fail at their line", arguments: [
        ("kube_node_status_capacity{node=\"n1\",resource=\"cpu\",unit=\"core\"} NaN 1795300000",
         "k.om:2: kube_node_status_capacity value nan is not a finite number"),
        ("kube_node_status_allocatable{node=\"n1\",resource=\"memory\",unit=\"byte\"} 1e30 1795300000",
         "k.om:2: kube_node_status_allocatable value 1e+30 bytes is more than 1 PiB"),
        ("kube_node_status_capacity{node=\"n1\",resource=\"cpu\",unit=\"core\"} -4 1795300000",
         "k.om:2: kube_node_status_capacity value -4.0 is negative"),
        ("kube_persistentvolume_capacity_bytes{persistentvolume=\"pv1\"} +Inf 1795300000",
         "k.om:2: kube_persistentvolume_capacity_bytes value inf is not a finite number"),
        ("kube_resourcequota{namespace=\"a\",resourcequota=\"q\",resource=\"requests.cpu\",type=\"hard\"} 1e12 1795300000",
         "k.om:2: kube_resourcequota value 1000000000000.0 cores is more than 1,000,000 cores"),
        ("kube_resourcequota{namespace=\"a\",resourcequota=\"q\",resource=\"requests.memory\",type=\"hard\"} NaN 1795300000",
         "k.om:2: kube_resourcequota value nan is not a finite number"),
        ("kube_pod_container_resource_requests{namespace=\"a\",pod=\"p-0\",container=\"c\",resource=\"cpu\"} 5e9 1795300000",
         "k.om:2: kube_pod_container_resource_requests value 5000000000.0 cores is more than 1,000,000 cores"),
        ("kube_deployment_spec_replicas{namespace=\"a\",deployment=\"web\"} 99999999999999999 1795300000",
         "k.om:2: kube_deployment_spec_replicas value 1e+17 replicas is more than 100000"),
        ("kube_statefulset_replicas{namespace=\"a\",statefulset=\"db\"} 2.5 1795300000",
         "k.om:2: kube_statefulset_replicas value 2.5 is not a whole number of replicas"),
        ("container_memory_working_set_bytes{namespace=\"a\",pod=\"p-0\",container=\"c\"} 1e300 1795300000",
         "k.om:2: container_memory_working_set_bytes value 1e+300 bytes is more than 1 PiB"),
    ])
    func exposition(line: String, message: String) {
        #expect(Self.exposition(line) == message)
    }

    @Test("timestamps in the wrong unit fail: seconds in Prometheus text (milliseconds), milliseconds or years past 2100 in OpenMetrics", arguments: [
        ("up{job=\"a\"} 1 1795300000", ExpositionImporter.Format.prometheusText,
         "k.om:1: timestamp 1795300000.0 read as milliseconds (Prometheus text) is before 2000: seconds? end the file with \"# EOF\" to read it as OpenMetrics, whose timestamps are seconds"),
        ("up{job=\"a\"} 1 9999999999999999", .prometheusText, "k.om:1: timestamp 1e+16 milliseconds is after 2100"),
        ("up{job=\"a\"} 1 5000000000", .openMetrics, "k.om:2: timestamp 5000000000.0 is after 2100; OpenMetrics timestamps are seconds"),
        ("up{job=\"a\"} 1 -5", .openMetrics, "k.om:2: timestamp -5.0 is negative"),
    ])
    func timestamps(line: String, format: ExpositionImporter.Format, message: String) {
        #expect(Self.exposition(line, format: format) == message)
    }

    static let header = "timestamp,namespace,kind,workload,container,cpu_cores,memory_bytes,cpu_request_cores,memory_request_bytes,replicas,hpa_min_replicas,hpa_max_replicas,hpa_target_cpu_percent"

    @Test("CSV numbers past any cluster fail at their line", arguments: [
        ("1795300000,a,Deployment,w,c,0.1,100,0.5,1000,99999999999999999,,,", "u.csv:2: column replicas: 99999999999999999 is more than 100000"),
        ("1795300000,a,Deployment,w,c,1e300,100,,,,,,", "u.csv:2: column cpu_cores: 1e+300 cores is more than 1,000,000 cores"),
        ("1795300000,a,Deployment,w,c,0.1,1e30,,,,,,", "u.csv:2: column memory_bytes: 1e+30 bytes is more than 1 PiB"),
        ("1795300000,a,Deployment,w,c,0.1,100,2000000,,,,,", "u.csv:2: column cpu_request_cores: 2000000.0 cores is more than 1,000,000 cores"),
        ("1795300000,a,Deployment,w,c,0.1,100,,,3,1,5,20000", "u.csv:2: column hpa_target_cpu_percent: 20000 is more than 10000"),
        ("5000000000,a,Deployment,w,c,0.1,100,,,,,,", "u.csv:2: column timestamp: 5000000000 is after 2100; expected unix seconds"),
    ])
    func csv(row: String, message: String) {
        do {
            _ = try CSVUsageImporter().parse("\(Self.header)\n\(row)\n", file: "u.csv")
            Issue.record("accepted \(row)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("forecast series: negative, after-2100 and years-apart timestamps fail before a grid is built", arguments: [
        ("timestamp,value\n-300,1\n0,2\n", "s.csv:2: timestamp -300 is negative"),
        ("timestamp,value\n1795300000000,1\n", "s.csv:2: timestamp 1795300000000 is after 2100: milliseconds? expected unix seconds"),
        ("timestamp,value\n1000,1\n1300,2\n1795300000,3\n",
         "s.csv:4: rows from 1000 to 1795300000 at a 300 s step make 5984331 points, more than 1000000: is a timestamp years off?"),
        ("timestamp,value\n1795300000,1e300\n", "s.csv:2: value 1e300 is beyond 10^15"),
    ])
    func series(text: String, message: String) {
        do {
            _ = try TimeValueCSV.parse(text, file: "s.csv")
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("durations past 100 years, or past 64 bits, are refused, not wrapped", arguments: [
        "999999999999y", "101y", "9223372036854775807s", "3153600001s", "100y1s",
    ])
    func durations(text: String) {
        do {
            _ = try DurationParser.seconds(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.description == "invalid duration \"\(text)\": longer than 100 years")
        }
    }

    @Test("the longest duration accepted is 100 years")
    func hundredYears() throws {
        #expect(try DurationParser.seconds("100y") == 3_153_600_000)
    }
}
