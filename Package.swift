// swift-tools-version: 6.1
import PackageDescription

let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let documented = ["README.md"]

let package = Package(
    name: "Kennel",
    // Kennel runs on Linux (Debian 12, libvirt 9, Swift 6.1+): that is where it is built
    // and tested. SwiftPM lists only Apple platforms here; macOS 14 is the floor of the
    // server packages, named so that the package resolves when opened on a Mac.
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kennel", targets: ["kennel"]),
        .executable(name: "kennel-bench", targets: ["KennelBenchmarks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        // C API of libvirt; only KennelLibvirt may import it.
        .systemLibrary(name: "CLibvirt", pkgConfig: "libvirt", providers: [.apt(["libvirt-dev"])]),
        // Domain: value types, errors, entities. Pure, no I/O.
        .target(name: "KennelModel", exclude: documented),
        // Address management decisions. Pure.
        .target(name: "KennelIPAM", dependencies: ["KennelModel"], exclude: documented),
        // Host selection decisions. Pure.
        .target(name: "KennelPlacement", dependencies: ["KennelModel"], exclude: documented),
        // Inventory exports (RVTools, NetBox, OpenStack, CSV) read into source machines. Pure:
        // no I/O beyond the bytes it is handed.
        .target(
            name: "KennelImport",
            dependencies: ["KennelModel", .product(name: "Yams", package: "Yams"), .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            exclude: documented),
        // Files that make a machine itself inside its root filesystem. Pure.
        .target(name: "KennelGuest", dependencies: ["KennelModel"], exclude: documented),
        // Services and the ports (protocols) they need from the outside world.
        .target(
            name: "KennelControl",
            dependencies: [
                "KennelModel", "KennelIPAM", "KennelPlacement", "KennelImport", logging, .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            exclude: documented
        ),
        // Adapter: SQLite store through GRDB.
        .target(
            name: "KennelStore",
            dependencies: ["KennelModel", "KennelIPAM", "KennelControl", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: documented
        ),
        // Adapter: libvirt connections, domains and domain XML.
        .target(
            name: "KennelLibvirt",
            dependencies: ["CLibvirt", "KennelModel", "KennelGuest", "KennelControl", logging],
            exclude: documented
        ),
        // Adapter: host-side steps libvirt cannot do (commands, root filesystems).
        .target(
            name: "KennelHost",
            dependencies: [
                "KennelModel", "KennelGuest", "KennelControl", logging,
                .product(name: "Subprocess", package: "swift-subprocess"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            exclude: documented
        ),
        // Wire: the API's JSON types, written by the server and read by the CLI.
        .target(name: "KennelWire", dependencies: ["KennelModel", "KennelPlacement", "KennelControl", "KennelImport"], exclude: documented),
        // Edge: HTTP API.
        .target(
            name: "KennelServer",
            dependencies: [
                "KennelModel", "KennelPlacement", "KennelControl", "KennelWire", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"), .product(name: "Prometheus", package: "swift-prometheus"), logging,
                .product(name: "Yams", package: "Yams"), "KennelImport",
            ],
            exclude: documented,
            // The OpenAPI document, written by hand and served as JSON.
            resources: [.copy("OpenAPI/openapi.yaml")]
        ),
        // Edge: the web console (server-rendered pages on the services, under /ui).
        .target(
            name: "KennelConsole",
            dependencies: [
                "KennelModel", "KennelControl", "KennelPlacement", "KennelImport", "KennelWire", "KennelServer",
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Mustache", package: "swift-mustache"),
            ],
            exclude: documented,
            resources: [.copy("Templates"), .copy("Static")]
        ),
        // Edge: command line (API client, and `serve` as the composition root).
        .target(
            name: "KennelCLI",
            dependencies: [
                "KennelModel", "KennelControl", "KennelStore", "KennelLibvirt", "KennelHost", "KennelServer", "KennelWire", "KennelConsole",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                logging,
            ],
            exclude: documented
        ),
        .executableTarget(name: "kennel", dependencies: ["KennelCLI"]),
        // Benchmarks: prints figures (`swift run -c release kennel-bench`), never timed tests.
        .executableTarget(
            name: "KennelBenchmarks",
            dependencies: [
                "KennelModel", "KennelIPAM", "KennelPlacement", "KennelControl", "KennelStore", "KennelServer", "KennelTesting",
                "KennelLibvirt", "KennelImport", "KennelConsole", logging, .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            path: "Benchmarks/KennelBenchmarks"
        ),
        // Test kit: fakes and fixtures shared by the test targets.
        .target(
            name: "KennelTesting",
            dependencies: [
                "KennelModel", "KennelControl", "KennelStore", logging, .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            path: "Tests/KennelTesting"
        ),
        .testTarget(name: "KennelModelTests", dependencies: ["KennelModel", "KennelTesting"]),
        .testTarget(name: "KennelIPAMTests", dependencies: ["KennelIPAM"]),
        .testTarget(name: "KennelPlacementTests", dependencies: ["KennelPlacement"]),
        .testTarget(
            name: "KennelImportTests",
            dependencies: ["KennelImport", "KennelTesting", .product(name: "ZIPFoundation", package: "ZIPFoundation")], exclude: ["Fixtures"]),
        .testTarget(name: "KennelGuestTests", dependencies: ["KennelGuest", "KennelTesting"]),
        .testTarget(name: "KennelHostTests", dependencies: ["KennelHost", "KennelGuest", "KennelTesting"]),
        .testTarget(name: "KennelStoreTests", dependencies: ["KennelStore", "KennelTesting"]),
        .testTarget(name: "KennelLibvirtTests", dependencies: ["KennelLibvirt", "KennelTesting"]),
        .testTarget(name: "KennelControlTests", dependencies: ["KennelControl", "KennelTesting", "KennelLibvirt", "KennelImport"]),
        .testTarget(
            name: "KennelServerTests",
            dependencies: [
                "KennelServer", "KennelWire", "KennelTesting", "KennelHost", "KennelImport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "KennelConsoleTests",
            dependencies: [
                "KennelConsole", "KennelServer", "KennelTesting", .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "KennelCLITests",
            dependencies: ["KennelCLI", "KennelServer", "KennelWire", "KennelTesting", .product(name: "HummingbirdTesting", package: "hummingbird")]
        ),
    ]
)
