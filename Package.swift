// swift-tools-version:6.1

import PackageDescription

let package = Package(
    name: "seat-sync",
    platforms: [.macOS(.v15)],
    products: [
        // The one library for users: the Commet seats client. Everything else is `package` access.
        .library(name: "CommetSeats", targets: ["CommetSeats"]),
        // Only for the fuzzing package (Fuzz/), a package of its own that reaches them with `@testable import`.
        .library(name: "SeatSources", targets: ["SeatSources"]),
        .library(name: "SeatSync", targets: ["SeatSync"]),
        .executable(name: "commet-fake", targets: ["commet-fake"]),
        .executable(name: "seat-sync", targets: ["seat-sync"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // The rules for text from outside that every layer must apply alike: redaction and trimming.
        .target(name: "TextRules"),
        .testTarget(name: "TextRulesTests", dependencies: ["TextRules"]),
        // Swift cannot ask for a cache line ahead of use; the readers' second thread does (``CSVUserBatch``).
        .target(name: "CPrefetch"),
        // A snapshot is mapped, not copied; a SIGBUS handler, which must not run Swift, keeps a file cut short
        // under its mapping from killing the process (``FileMapping``).
        .target(name: "CFileMapping"),
        .target(name: "SeatSources", dependencies: ["TextRules", "CPrefetch", "CFileMapping"]),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "SeatSourcesTests",
            dependencies: ["SeatSources", "TestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .target(
            name: "SeatSync",
            dependencies: [
                "SeatSources",
                "CommetSeats",
                "TextRules",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SeatSyncTests",
            dependencies: [
                "SeatSync", "CommetFake", "TestSupport", .product(name: "InMemoryLogging", package: "swift-log"),
            ]
        ),
        // libcurl's headers; the library itself is opened on first use by CCurlLoader, so the binary does not
        // link it (no pkgConfig, whose flags would).
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "CCurlLoader"),
        .target(
            name: "CommetSeats",
            dependencies: ["CCurl", "CCurlLoader", "TextRules", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "CommetSeatsTests",
            dependencies: [
                "CommetSeats", "CommetFake", "TestSupport", .product(name: "InMemoryLogging", package: "swift-log"),
            ]
        ),
        .target(name: "CommetFake", dependencies: ["TextRules"]),
        .executableTarget(
            name: "commet-fake",
            dependencies: [
                "CommetFake", "TextRules", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "CommetFakeTests", dependencies: ["CommetFake", "TestSupport"]),
        .executableTarget(
            name: "seat-sync",
            dependencies: [
                "SeatSync",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "EndToEndTests", dependencies: ["CommetFake", "TestSupport"]),
    ]
)

// One standard for every module, as swift-log does it.
for target in package.targets where [.executable, .test, .regular].contains(target.type) {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    target.swiftSettings = settings
}
