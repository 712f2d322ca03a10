// swift-tools-version:6.1

import PackageDescription

// libFuzzer harnesses for the three source readers and the config loader. A separate package so that the main
// build stays light and un-instrumented. Build and run them with scripts/fuzz; by hand:
//   swift build -c release --package-path Fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library \
//       -Xswiftc -enable-testing -Xcc -fsanitize=fuzzer-no-link,address
//   mkdir -p /tmp/new && Fuzz/.build/release/fuzz-csv -dict=Fuzz/Dictionaries/csv.dict /tmp/new Fuzz/Corpus/fuzz-csv
// The harnesses define their own `main` (see FuzzDriver), so they link under SwiftPM's renamed entry point.
let package = Package(
    name: "seat-sync-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "seat-sync", path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "SeatSources", package: "seat-sync")]),
        .executableTarget(
            name: "fuzz-csv",
            dependencies: ["FuzzSupport", .product(name: "SeatSources", package: "seat-sync")]
        ),
        .executableTarget(
            name: "fuzz-ldif",
            dependencies: ["FuzzSupport", .product(name: "SeatSources", package: "seat-sync")]
        ),
        .executableTarget(
            name: "fuzz-snapshot",
            dependencies: ["FuzzSupport", .product(name: "SeatSources", package: "seat-sync")]
        ),
        .executableTarget(
            name: "fuzz-config",
            dependencies: [
                "FuzzSupport",
                .product(name: "SeatSources", package: "seat-sync"),
                .product(name: "SeatSync", package: "seat-sync"),
            ]
        ),
    ]
)

// One standard for every module, as in the main package.
for target in package.targets where [.executable, .test, .regular].contains(target.type) {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    target.swiftSettings = settings
}
