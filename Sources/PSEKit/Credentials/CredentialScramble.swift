import Crypto

/// The obfuscation SAP's library applies around the format-1 credential cipher, and the key
/// derivation built on it (see the PSE format notes, section 4).
enum CredentialScramble {
    /// The 62-byte constant embedded in SAP's library; the `%s` is literal for format 1 and
    /// replaced by the user name for format 0.
    static let keyString: [UInt8] = Array("240657rsga&/%srwthgrtawe45hhtrtrsr35467b2dx3456j67mv67f89656f75".utf8)

    /// The start value of the scramble applied to the plaintext of a format-1 credential.
    static let plaintextStart: UInt32 = 0x64FB_914E

    /// Scramble(bytes, start): x = start; for each byte x = x * 0x15a4e35 + 1 (wrapping) and the
    /// output byte is the input byte XOR (x & 0xff). Applying it twice with the same start restores
    /// the input.
    static func scramble<Bytes: Sequence>(_ bytes: Bytes, start: UInt32) -> [UInt8] where Bytes.Element == UInt8 {
        var state = start
        return bytes.map { byte in
            state = state &* 0x015A_4E35 &+ 1
            return byte ^ UInt8(truncatingIfNeeded: state)
        }
    }

    /// Key = Scramble(SHA-256(keyString || header || salt || Scramble(userName, salt[0])), salt[1]),
    /// where `header` is the first four bytes of the cipher blob. 32 bytes.
    static func formatOneKey(header: [UInt8], salt: [UInt8], user: String) -> [UInt8] {
        var hash = SHA256()
        hash.update(data: keyString)
        hash.update(data: header)
        hash.update(data: salt)
        hash.update(data: scramble(Array(user.utf8), start: UInt32(salt[0])))
        return scramble(Array(hash.finalize()), start: UInt32(salt[1]))
    }

    /// The format-0 key: the first 24 bytes of the key string with `%s` replaced by the user name.
    static func formatZeroKey(user: String) -> [UInt8] {
        let marker = Array("%s".utf8)
        var key: [UInt8] = []
        var index = 0
        while index < keyString.count {
            if index + 1 < keyString.count, keyString[index] == marker[0], keyString[index + 1] == marker[1] {
                key += Array(user.utf8)
                index += 2
            } else {
                key.append(keyString[index])
                index += 1
            }
        }
        return Array(key.prefix(24))
    }
}
