// swift-tools-version:6.1

import PackageDescription

// Kept apart from the main package so that its release build stays out of the main build and tests.
let package = Package(
    name: "ldif-bench",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "seat-sync", path: "../..")],
    targets: [
        .executableTarget(
            name: "ldif-bench",
            dependencies: [.product(name: "SeatSources", package: "seat-sync")],
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
                .enableUpcomingFeature("InternalImportsByDefault"),
            ]
        )
    ]
)
