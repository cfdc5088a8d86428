// swift-tools-version:5.9
import PackageDescription

let package = Package(
    name: "psekit",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "PSEKit", targets: ["PSEKit"]),
        .library(name: "PSEStore", targets: ["PSEStore"]),
        .library(name: "PSENet", targets: ["PSENet"]),
        .executable(name: "psekit", targets: ["psekit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        // Documentation only (`swift package generate-documentation`, scripts/docs-check); no target uses it.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // DES-EDE3-CBC, RC2-CBC and the PKCS#12 key derivation: legacy algorithms that exist
        // only for compatibility with PSE and PKCS#12 files. Nothing else lives here.
        .target(
            name: "PSELegacyCrypto",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        // The formats: PSE, PKCS#12, PKCS#7 bundles, PEM, cred_v2, SAP names. No I/O.
        .target(
            name: "PSEKit",
            dependencies: [
                "PSELegacyCrypto",
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // The system's zlib (inflate and CRC-32 of zip entries): on every Linux, in Apple's SDKs.
        .systemLibrary(
            name: "CSystemZlib",
            path: "Sources/CSystemZlib",
            providers: [.apt(["zlib1g-dev"]), .yum(["zlib-devel"]), .brew(["zlib"])]
        ),
        // Files, $SECUDIR, PIN sources, atomic writes, locks, zip archives.
        .target(
            name: "PSEStore",
            dependencies: ["PSEKit", "CSystemZlib"]
        ),
        // TLS probing, chain completion, connection checks and their diagnoses.
        .target(
            name: "PSENet",
            dependencies: [
                "PSEKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        .executableTarget(
            name: "psekit",
            dependencies: [
                "PSEKit", "PSEStore", "PSENet",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // libFuzzer targets for every parser (scripts/fuzz); a plain replay tool in a normal build.
        .executableTarget(
            name: "PSEKitFuzz",
            dependencies: [
                "PSEKit", "PSEStore", "PSELegacyCrypto",
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/Fuzz/PSEKitFuzz"
        ),
        // For the tests: SAP's own files (pysap 0.2.1's test data, fetched by
        // scripts/fetch-sap-testdata) and certificates made on the spot.
        .target(
            name: "TestSupport",
            dependencies: [
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "PSELegacyCryptoTests", dependencies: ["PSELegacyCrypto", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "PSEKitTests", dependencies: ["PSEKit", "TestSupport"]),
        // ZIPFoundation writes the test archives only; psekit reads zips with its own directory
        // reader and zlib.
        .testTarget(name: "PSEStoreTests", dependencies: [
            "PSEKit", "PSEStore", "TestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .testTarget(name: "PSENetTests", dependencies: ["PSENet", "TestSupport"]),
        .testTarget(name: "InteropTests", dependencies: ["PSEKit", "PSEStore", "PSENet", "TestSupport"]),
    ]
)
