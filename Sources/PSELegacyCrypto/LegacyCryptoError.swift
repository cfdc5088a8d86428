/// Why a legacy cipher refused its input.
package enum LegacyCryptoError: Error, Equatable, CustomStringConvertible {
    /// The key has a length the cipher does not accept.
    case invalidKeyLength
    /// The initialisation vector is not one block (8 bytes) long.
    case invalidIVLength
    /// The data is not a whole number of 8-byte blocks (or is empty where a padded message is expected).
    case invalidDataLength
    /// After decryption the PKCS#7 padding is not valid: usually a wrong key or password.
    case badPadding

    package var description: String {
        switch self {
        case .invalidKeyLength: return "invalid key length for the cipher"
        case .invalidIVLength: return "invalid IV length: the cipher needs an 8-byte IV"
        case .invalidDataLength: return "invalid data length: not a whole number of 8-byte blocks"
        case .badPadding: return "bad padding after decryption (wrong key or password, or damaged data)"
        }
    }
}
