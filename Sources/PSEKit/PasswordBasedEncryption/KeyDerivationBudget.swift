/// The key-derivation work one PKCS#12 file may ask for, in iterations summed over its MAC and
/// every encrypted bag and content (issue 20: 64 encrypted bags of 10,000,000 iterations each in
/// a 62 KB file kept the CPU busy for 79 s). Each derivation is charged before it runs; the one
/// that would go beyond the budget is refused with `PSEKitError.workLimitExceeded`.
final class KeyDerivationBudget {
    /// What one file may spend: two derivations at the largest plausible count (say a MAC and a
    /// key of 10,000,000 iterations), a few seconds of CPU. Real files use 2,048 (OpenSSL) to
    /// 600,000 (some Windows exports) per derivation.
    static let maximumIterations = 2 * PasswordBasedEncryption.plausibleIterations.upperBound

    let limit: Int
    private(set) var spent = 0

    init(limit: Int = KeyDerivationBudget.maximumIterations) {
        self.limit = limit
    }

    /// Accounts for one derivation of `iterations` rounds, or refuses it.
    func charge(_ iterations: Int) throws {
        guard iterations <= limit - spent else {
            throw PSEKitError.workLimitExceeded(requested: spent + iterations, limit: limit)
        }
        spent += iterations
    }
}
