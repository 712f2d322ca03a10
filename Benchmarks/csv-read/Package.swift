// swift-tools-version:6.1

import PackageDescription

// A separate package so that the main build stays light; run it in release mode:
//   swift run -c release --package-path Benchmarks/csv-read csv-read [rows] [distinct-users]
let package = Package(
    name: "csv-read",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "seat-sync", path: "../..")],
    targets: [
        .executableTarget(
            name: "csv-read",
            dependencies: [.product(name: "SeatSources", package: "seat-sync")]
        )
    ]
)
