// swift-tools-version: 6.1
import Foundation
import PackageDescription

let package = Package(
    name: "Headroom",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "headroom", targets: ["headroom"]),
        .library(name: "HeadroomCore", targets: ["HeadroomCore"]),
        .library(name: "HeadroomCollect", targets: ["HeadroomCollect"]),
        .library(name: "HeadroomHistory", targets: ["HeadroomHistory"]),
        .library(name: "HeadroomHistoryPostgres", targets: ["HeadroomHistoryPostgres"]),
        .library(name: "HeadroomTesting", targets: ["HeadroomTesting"]),
        .library(name: "HeadroomDemo", targets: ["HeadroomDemo"]),
        .library(name: "HeadroomHTTP", targets: ["HeadroomHTTP"]),
        .library(name: "HeadroomForecast", targets: ["HeadroomForecast"]),
        .library(name: "HeadroomRecommend", targets: ["HeadroomRecommend"]),
        .library(name: "HeadroomCost", targets: ["HeadroomCost"]),
        .library(name: "HeadroomConfig", targets: ["HeadroomConfig"]),
        .library(name: "HeadroomManifests", targets: ["HeadroomManifests"]),
        .library(name: "HeadroomEngine", targets: ["HeadroomEngine"]),
        .library(name: "HeadroomService", targets: ["HeadroomService"]),
        .library(name: "HeadroomAlerts", targets: ["HeadroomAlerts"]),
        .library(name: "HeadroomReports", targets: ["HeadroomReports"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // Property tests only (no dependencies of its own).
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        // The service only (HeadroomService): the NIO build costs minutes, so nothing else links it.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // The service's own metrics (no NIO; swift-atomics and swift-metrics, which the service already links).
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // HMAC-SHA256 signatures of alert webhooks (HeadroomAlerts only).
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"4.0.0"),
        // The shared PostgreSQL history store (HeadroomHistoryPostgres only): NIO, which the service already builds.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // The weekly report's templates (HeadroomReports only; no dependencies of its own).
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        .target(name: "HeadroomCore"),
        // libcurl through a system-library target: custom CA, client certificates, timeouts
        // (URLSession cannot trust a custom CA on Linux).
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "HeadroomHTTP", dependencies: ["CCurl"]),
        // BLAS/LAPACK (Debian's libblas/liblapack; OpenBLAS takes over at run time when installed).
        .systemLibrary(name: "CLapack", providers: [.apt(["liblapack-dev", "libblas-dev"])]),
        .target(name: "HeadroomForecast", dependencies: ["HeadroomCore", "CLapack"]),
        .target(name: "HeadroomRecommend", dependencies: ["HeadroomCore", "HeadroomForecast"]),
        .target(
            name: "HeadroomCollect",
            dependencies: ["HeadroomCore", "HeadroomHTTP", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "HeadroomHistory",
            dependencies: ["HeadroomCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The PostgreSQL backend of the history store (several replicas, fleets): its own target, so
        // the modules that only read the store through the protocol do not compile against NIO.
        .target(
            name: "HeadroomHistoryPostgres",
            dependencies: ["HeadroomCore", "HeadroomHistory", .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "HeadroomConfig",
            dependencies: ["HeadroomCore", "HeadroomRecommend", "HeadroomCost", .product(name: "Yams", package: "Yams")]
        ),
        .target(name: "HeadroomCost", dependencies: ["HeadroomCore", "HeadroomForecast", "HeadroomRecommend"]),
        // HPA/VPA manifests and strategic-merge patches built from advice (the service writes VPA status with them too).
        .target(name: "HeadroomManifests", dependencies: ["HeadroomCore", "HeadroomRecommend", "HeadroomCost"]),
        // Loaders from the store and the one entry point every output asks (CLI, assessment, service, report, alerts).
        .target(name: "HeadroomEngine", dependencies: ["HeadroomCore", "HeadroomHistory", "HeadroomForecast", "HeadroomRecommend", "HeadroomCost", "HeadroomManifests"]),
        // `headroom serve`: the HTTP API over the published Assessment and the cycle that refreshes it.
        .target(name: "HeadroomService", dependencies: [
            "HeadroomCore", "HeadroomCollect", "HeadroomHistory", "HeadroomCost", "HeadroomRecommend", "HeadroomEngine", "HeadroomManifests", "HeadroomAlerts",
            "HeadroomReports", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"), .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        // Budget alerts: rules over the Assessment, the state machine, severity routing and outbox delivery.
        .target(name: "HeadroomAlerts", dependencies: [
            "HeadroomCore", "HeadroomHTTP", "HeadroomHistory", "HeadroomCost", "HeadroomConfig", "HeadroomEngine",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The weekly cost report: its model (from the Assessment and the week's allocation) and renderers.
        .target(name: "HeadroomReports", dependencies: [
            "HeadroomCore", "HeadroomCost", "HeadroomEngine", "HeadroomHTTP", "HeadroomHistory", .product(name: "Mustache", package: "swift-mustache"),
        ]),
        // The TerraFusionProfessional demo cluster generator (`headroom fixtures generate`).
        .target(name: "HeadroomDemo", dependencies: ["HeadroomCore", "HeadroomRecommend"]),
        // Test support only (clocks, loopback servers, test CA, child processes): never linked into the binary.
        .target(name: "HeadroomTesting"),
        .executableTarget(
            name: "headroom",
            dependencies: [
                "HeadroomCore", "HeadroomCollect", "HeadroomHistory", "HeadroomHistoryPostgres", "HeadroomDemo", "HeadroomHTTP", "HeadroomForecast",
                "HeadroomRecommend", "HeadroomConfig", "HeadroomCost", "HeadroomManifests", "HeadroomEngine", "HeadroomService", "HeadroomAlerts", "HeadroomReports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(name: "HeadroomCoreTests", dependencies: ["HeadroomCore", "HeadroomTesting", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "HeadroomConfigTests", dependencies: ["HeadroomConfig", "HeadroomCost", "HeadroomRecommend", "HeadroomTesting"]),
        .testTarget(name: "HeadroomCostTests", dependencies: ["HeadroomCost", "HeadroomTesting", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "HeadroomHTTPTests", dependencies: ["HeadroomHTTP", "HeadroomTesting"]),
        .testTarget(name: "HeadroomForecastTests", dependencies: ["HeadroomForecast", "HeadroomTesting"]),
        .testTarget(name: "HeadroomRecommendTests", dependencies: ["HeadroomRecommend", "HeadroomTesting"]),
        .testTarget(name: "HeadroomServiceTests", dependencies: [
            "HeadroomService", "HeadroomEngine", "HeadroomHistory", "HeadroomCost", "HeadroomHTTP", "HeadroomTesting", "HeadroomCore",
            "HeadroomManifests", "HeadroomCollect", "HeadroomReports",
            .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .testTarget(name: "HeadroomAlertsTests", dependencies: ["HeadroomAlerts", "HeadroomConfig", "HeadroomHistory", "HeadroomHTTP", "HeadroomTesting"]),
        .testTarget(name: "HeadroomReportsTests", dependencies: ["HeadroomReports", "HeadroomCost", "HeadroomEngine", "HeadroomCore", "HeadroomHistory", "HeadroomHTTP", "HeadroomTesting"]),
        .testTarget(name: "HeadroomEngineTests", dependencies: ["HeadroomEngine", "HeadroomHistory", "HeadroomCost", "HeadroomRecommend", "HeadroomTesting"]),
        .testTarget(name: "HeadroomCollectTests", dependencies: ["HeadroomCollect", "HeadroomHistory", "HeadroomTesting",
                                                                .product(name: "PropertyBased", package: "swift-property-based")],
                    exclude: ["Fixtures"]),
        .testTarget(
            name: "HeadroomHistoryTests",
            dependencies: ["HeadroomHistory", "HeadroomCollect", "HeadroomTesting"]
        ),
        // The store suite that runs on both backends: SQLite files and the PostgreSQL that scripts/with-postgres starts.
        .testTarget(
            name: "HistoryBackendTests",
            dependencies: ["HeadroomHistory", "HeadroomHistoryPostgres", "HeadroomCore", "HeadroomTesting",
                           // The replicas test: several service replicas on one PostgreSQL.
                           "HeadroomEngine", "HeadroomService", "HeadroomCollect", "HeadroomCost", "HeadroomAlerts", "HeadroomConfig", "HeadroomHTTP",
                           .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["HeadroomCollect", "HeadroomHistory", "HeadroomHTTP", "HeadroomDemo", "HeadroomService", "HeadroomTesting"]
        ),
        .testTarget(
            name: "HeadroomCLITests",
            dependencies: ["HeadroomHistory", "HeadroomCollect", "HeadroomDemo", "HeadroomTesting", "HeadroomAlerts", "HeadroomCore", .product(name: "Yams", package: "Yams")],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// Benchmarks (ordo-one/benchmark) are added only for `make bench` (HEADROOM_BENCHMARKS=1), so
// that `swift build` and `make test` neither resolve nor build the benchmark toolchain.
if ProcessInfo.processInfo.environment["HEADROOM_BENCHMARKS"] == "1" {
    package.dependencies.append(
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]))
    package.targets.append(
        .executableTarget(
            name: "HeadroomBenchmarks",
            dependencies: [
                "HeadroomCore", "HeadroomCollect", "HeadroomForecast", "HeadroomHistory", "HeadroomHTTP", "HeadroomRecommend", "HeadroomCost",
                "HeadroomDemo", "HeadroomTesting", "HeadroomEngine", "HeadroomService", "HeadroomReports", "HeadroomHistoryPostgres",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/HeadroomBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ))
}

// Fuzz targets (libFuzzer) are added only for `make fuzz` (HEADROOM_FUZZ=1), built with
// `--sanitize=fuzzer --sanitize=address` into their own scratch path.
if ProcessInfo.processInfo.environment["HEADROOM_FUZZ"] == "1" {
    package.targets.append(
        .executableTarget(
            name: "HeadroomFuzz",
            dependencies: ["HeadroomCore", "HeadroomCollect", "HeadroomConfig", "HeadroomCost", .product(name: "Yams", package: "Yams")],
            path: "Fuzz/HeadroomFuzz",
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ))
}
