// swift-tools-version:6.0
import PackageDescription

/// Every target: each module a file uses is imported by that file (MemberImportVisibility), and
/// Swift 6's strict concurrency checking (the package's language mode).
let strictness: [SwiftSetting] = [.enableUpcomingFeature("MemberImportVisibility")]

let swiftASN1 = Target.Dependency.product(name: "SwiftASN1", package: "swift-asn1")
let x509 = Target.Dependency.product(name: "X509", package: "swift-certificates")
let crypto = Target.Dependency.product(name: "Crypto", package: "swift-crypto")
let cryptoExtras = Target.Dependency.product(name: "CryptoExtras", package: "swift-crypto")

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
            dependencies: [crypto, "CPKCS12SHA1"],
            swiftSettings: strictness
        ),
        // The PKCS#12 derivation's iterated SHA-1 with the x86 SHA extensions, which Swift
        // cannot reach portably; PSELegacyCrypto falls back to its own compression without them.
        .target(name: "CPKCS12SHA1"),
        // The formats: PSE, PKCS#12, PKCS#7 bundles, PEM, cred_v2, SAP names. No I/O.
        .target(
            name: "PSEKit",
            dependencies: [
                "PSELegacyCrypto",
                swiftASN1,
                x509,
                crypto,
                cryptoExtras,
            ],
            swiftSettings: strictness
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
            dependencies: ["PSEKit", "CSystemZlib", x509],
            swiftSettings: strictness
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
                .product(name: "NIOTLS", package: "swift-nio"),
                swiftASN1,
                x509,
                crypto,
                cryptoExtras,
            ],
            swiftSettings: strictness
        ),
        .executableTarget(
            name: "psekit",
            dependencies: [
                "PSEKit", "PSEStore", "PSENet",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                swiftASN1,
                x509,
                crypto,
                cryptoExtras,
            ],
            swiftSettings: strictness
        ),
        // libFuzzer targets for every parser (scripts/fuzz); a plain replay tool in a normal build.
        .executableTarget(
            name: "PSEKitFuzz",
            dependencies: [
                "PSEKit", "PSEStore", "PSELegacyCrypto",
                swiftASN1,
                x509,
                crypto,
            ],
            path: "Sources/Fuzz/PSEKitFuzz",
            swiftSettings: strictness
        ),
        // For the tests: SAP's own files (pysap 0.2.1's test data, fetched by
        // scripts/fetch-sap-testdata) and certificates made on the spot.
        .target(
            name: "TestSupport",
            dependencies: [
                x509,
                crypto,
            ],
            path: "Tests/TestSupport",
            swiftSettings: strictness
        ),
        .testTarget(name: "PSELegacyCryptoTests", dependencies: ["PSELegacyCrypto", crypto],
                    swiftSettings: strictness),
        .testTarget(name: "PSEKitTests", dependencies: ["PSEKit", "TestSupport", swiftASN1, x509, crypto, cryptoExtras],
                    swiftSettings: strictness),
        // ZIPFoundation writes the test archives only; psekit reads zips with its own directory
        // reader and zlib.
        .testTarget(name: "PSEStoreTests", dependencies: [
            "PSEKit", "PSEStore", "TestSupport", swiftASN1, x509, crypto,
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ], swiftSettings: strictness),
        .testTarget(name: "PSENetTests", dependencies: ["PSENet", "TestSupport", swiftASN1, x509, crypto],
                    swiftSettings: strictness),
        .testTarget(name: "InteropTests", dependencies: [
            "PSEKit", "PSEStore", "PSENet", "PSELegacyCrypto", "TestSupport", swiftASN1, x509, crypto, cryptoExtras,
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ], swiftSettings: strictness),
    ],
    swiftLanguageModes: [.v6]
)
