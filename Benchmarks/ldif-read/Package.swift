// swift-tools-version:6.1

import PackageDescription

// A separate package so that the main build stays light; run it in release mode:
//   python3 Benchmarks/ldif-read/generate.py /tmp/groups.ldif 10000 1000000
//   swift run -c release --package-path Benchmarks/ldif-read ldif-read /tmp/groups.ldif
//   python3 Benchmarks/ldif-read/python_ldif.py /tmp/groups.ldif   (needs `pip install ldif`, the baseline)
let package = Package(
    name: "ldif-read",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "seat-sync", path: "../..")],
    targets: [
        .executableTarget(
            name: "ldif-read",
            dependencies: [.product(name: "SeatSources", package: "seat-sync")]
        )
    ]
)
