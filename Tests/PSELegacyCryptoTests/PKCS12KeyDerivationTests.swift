import PSELegacyCrypto
import XCTest

final class PKCS12KeyDerivationTests: XCTestCase {
    func testPasswordBytesAreUTF16BigEndianWithTerminator() {
        XCTAssertEqual(PKCS12KeyDerivation.passwordBytes(""), [0, 0])
        XCTAssertEqual(Hex.string(PKCS12KeyDerivation.passwordBytes("smeg")), "0073006d006500670000")
        XCTAssertEqual(Hex.string(PKCS12KeyDerivation.passwordBytes("ä€")), "00e420ac0000")
        XCTAssertEqual(Hex.string(PKCS12KeyDerivation.passwordBytes("😀")), "d83dde000000", "a surrogate pair")
    }

    /// The published vectors of Dr Stephen Henson's PKCS#12 test set (also in the OpenSSL,
    /// BouncyCastle and GnuTLS test suites), SHA-1.
    func testPublishedSHA1Vectors() {
        let vectors: [(password: String, salt: String, iterations: Int, purpose: PKCS12KeyDerivation.Purpose, result: String)] = [
            ("smeg", "0A58CF64530D823F", 1, .encryptionKey, "8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3"),
            ("smeg", "0A58CF64530D823F", 1, .iv, "79993DFE048D3B76"),
            ("smeg", "642B99AB44FB4B1F", 1, .encryptionKey, "F3A95FEC48D7711E985CFE67908C5AB79FA3D7C5CAA5D966"),
            ("smeg", "642B99AB44FB4B1F", 1, .iv, "C0A38D64A79BEA1D"),
            ("smeg", "3D83C0E4546AC140", 1, .macKey, "8D967D88F6CAA9D714800AB3D48051D63F73A312"),
            ("queeg", "05DEC959ACFF72F7", 1000, .encryptionKey, "ED2034E36328830FF09DF1E1A07DD357185DAC0D4F9EB3D4"),
            ("queeg", "05DEC959ACFF72F7", 1000, .iv, "11DEDAD7758D4860"),
            ("queeg", "1682C0FC5B3F7EC5", 1000, .encryptionKey, "483DD6E919D7DE2E8E648BA8F862F3FBFBDC2BCB2C02957F"),
            ("queeg", "1682C0FC5B3F7EC5", 1000, .iv, "9D461D1B00355C50"),
            ("queeg", "263216FCC2FAB31C", 1000, .macKey, "5EC4C7A80DF652294C3925B6489A7AB857C83476"),
        ]
        for vector in vectors {
            let derived = PKCS12KeyDerivation.derive(password: PKCS12KeyDerivation.passwordBytes(vector.password),
                                                     salt: Hex.bytes(vector.salt), iterations: vector.iterations,
                                                     purpose: vector.purpose, length: vector.result.count / 2)
            XCTAssertEqual(Hex.string(derived), vector.result.lowercased(), "\(vector.password) \(vector.salt) \(vector.purpose)")
        }
    }

    /// Longer outputs are the concatenation A1 || A2 ..., so a prefix of a longer output equals a shorter one.
    func testOutputLengthsAndPrefixes() {
        let password = PKCS12KeyDerivation.passwordBytes("queeg"), salt = Hex.bytes("05DEC959ACFF72F7")
        for hash in [PKCS12KeyDerivation.Hash.sha1, .sha256, .sha384, .sha512] {
            let long = PKCS12KeyDerivation.derive(password: password, salt: salt, iterations: 3, purpose: .encryptionKey,
                                                  length: 200, hash: hash)
            XCTAssertEqual(long.count, 200)
            for length in [1, 8, 20, 24, 32, 64, 65] {
                let short = PKCS12KeyDerivation.derive(password: password, salt: salt, iterations: 3, purpose: .encryptionKey,
                                                       length: length, hash: hash)
                XCTAssertEqual(short, Array(long.prefix(length)), "\(hash) \(length)")
            }
        }
        XCTAssertEqual(PKCS12KeyDerivation.derive(password: password, salt: salt, iterations: 1, purpose: .iv, length: 0), [])
    }

    func testHashesAndPurposesGiveDifferentResults() {
        let password = PKCS12KeyDerivation.passwordBytes("x"), salt = [UInt8](repeating: 1, count: 8)
        let results = [PKCS12KeyDerivation.Hash.sha1, .sha256, .sha384, .sha512].flatMap { hash in
            [PKCS12KeyDerivation.Purpose.encryptionKey, .iv, .macKey].map { purpose in
                PKCS12KeyDerivation.derive(password: password, salt: salt, iterations: 2, purpose: purpose, length: 16, hash: hash)
            }
        }
        XCTAssertEqual(Set(results.map(Hex.string)).count, results.count)
    }

    /// The PIN check values of the PSE specification (§2.2): key = KDF ID 1 (24 bytes), IV = KDF ID 2
    /// (8 bytes), encryptedPIN = DES-EDE3-CBC(PIN in ASCII, PKCS#7 padding).
    func testPSEPinVectors() throws {
        let vectors: [(pin: String, salt: String, iterations: Int, encryptedPIN: String)] = [
            ("1234567980", "77CB6908BE860865", 10000, "24EE62740976ADA0E7A41ADE3552EE42"),
            ("1234", "0000000000000000", 2048, "826a5c4189e18b67"),
            ("12345678", "0000000000000000", 2048, "4e25e64000fa09dc32b2310a215d246e"),
            ("1234567890", "0000000000000000", 2048, "70172e6c0eb85edc6344852fb5fd24f3"),
            ("password", "0000000000000000", 10000, "4b23ac258610078d0ca66620010850b8"),
        ]
        for vector in vectors {
            let password = PKCS12KeyDerivation.passwordBytes(vector.pin), salt = Hex.bytes(vector.salt)
            let key = PKCS12KeyDerivation.derive(password: password, salt: salt, iterations: vector.iterations,
                                                 purpose: .encryptionKey, length: 24)
            let iv = PKCS12KeyDerivation.derive(password: password, salt: salt, iterations: vector.iterations,
                                                purpose: .iv, length: 8)
            let encrypted = try TripleDESCBC.encrypt(Array(vector.pin.utf8), key: key, iv: iv)
            XCTAssertEqual(Hex.string(encrypted), vector.encryptedPIN.lowercased(), "PIN \(vector.pin)")
            XCTAssertEqual(try TripleDESCBC.decrypt(encrypted, key: key, iv: iv), Array(vector.pin.utf8))
        }
    }

    /// `deriveKeyAndIV`, the call the PSE and PKCS#12 decryption use, against the published
    /// key/IV pairs of the same test set (the IV from the same password and salt as the key).
    func testKeyAndIVTogetherMatchPublishedVectors() {
        let vectors: [(password: String, salt: String, iterations: Int, key: String, iv: String)] = [
            ("smeg", "0A58CF64530D823F", 1, "8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3", "79993DFE048D3B76"),
            ("smeg", "642B99AB44FB4B1F", 1, "F3A95FEC48D7711E985CFE67908C5AB79FA3D7C5CAA5D966", "C0A38D64A79BEA1D"),
            ("queeg", "05DEC959ACFF72F7", 1000, "ED2034E36328830FF09DF1E1A07DD357185DAC0D4F9EB3D4", "11DEDAD7758D4860"),
            ("queeg", "1682C0FC5B3F7EC5", 1000, "483DD6E919D7DE2E8E648BA8F862F3FBFBDC2BCB2C02957F", "9D461D1B00355C50"),
        ]
        for vector in vectors {
            let derived = PKCS12KeyDerivation.deriveKeyAndIV(
                password: PKCS12KeyDerivation.passwordBytes(vector.password), salt: Hex.bytes(vector.salt),
                iterations: vector.iterations, keyLength: 24, ivLength: 8, hash: .sha1)
            XCTAssertEqual(Hex.string(derived.key), vector.key.lowercased(), "\(vector.password) \(vector.salt)")
            XCTAssertEqual(Hex.string(derived.iv), vector.iv.lowercased(), "\(vector.password) \(vector.salt)")
        }
    }
}
