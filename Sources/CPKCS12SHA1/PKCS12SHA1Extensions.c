// The PKCS#12 key derivation's iterated SHA-1 with the x86 SHA extensions (SHA1RNDS4,
// SHA1NEXTE, SHA1MSG1, SHA1MSG2), the legacy hash the derivation of every PSE uses.
// PSELegacyCrypto's PKCS12SHA1 calls it when the CPU has the extensions and uses its own
// portable compression otherwise; both are tested against swift-crypto's SHA-1
// (Tests/PSELegacyCryptoTests/PKCS12SHA1Tests.swift). Nothing else uses it.
#include "CPKCS12SHA1.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

int cpkcs12sha1_has_sha_extensions(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    const unsigned int ssse3 = 1u << 9, sse41 = 1u << 19;
    if ((ecx & ssse3) == 0 || (ecx & sse41) == 0) return 0;
    if (__get_cpuid_max(0, 0) < 7) return 0;
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    const unsigned int sha = 1u << 29;
    return (ebx & sha) != 0;
}

// Rounds 4g...4g+3 with round function f. The message words of group g are W[4g...4g+3], kept
// in a ring of four vectors (W[4g] in the highest lane); from group 4 on they are computed in
// place: W[t] = rotl(W[t-3] ^ W[t-8] ^ W[t-14] ^ W[t-16], 1). E for group g comes from A as it
// was before group g-1 (SHA1NEXTE rotates it by 30 and adds the words).
#define SHA1_GROUP(g, f)                                                                              \
    do {                                                                                              \
        if ((g) >= 4)                                                                                 \
            w[(g) & 3] = _mm_sha1msg2_epu32(                                                          \
                _mm_xor_si128(_mm_sha1msg1_epu32(w[(g) & 3], w[((g) + 1) & 3]), w[((g) + 2) & 3]),    \
                w[((g) + 3) & 3]);                                                                    \
        e = (g) == 0 ? _mm_add_epi32(e, w[0]) : _mm_sha1nexte_epu32(previous, w[(g) & 3]);            \
        previous = abcd;                                                                              \
        abcd = _mm_sha1rnds4_epu32(abcd, e, f);                                                       \
    } while (0)

__attribute__((target("sha,sse4.1,ssse3")))
void cpkcs12sha1_rehash(uint32_t state[5], size_t count) {
    // A...D with A in the highest lane; E in the highest lane of its own vector.
    const __m128i initial_abcd = _mm_set_epi32(0x67452301, (int)0xEFCDAB89, (int)0x98BADCFE, 0x10325476);
    const __m128i initial_e = _mm_set_epi32((int)0xC3D2E1F0, 0, 0, 0);
    __m128i digest_abcd = _mm_set_epi32((int)state[0], (int)state[1], (int)state[2], (int)state[3]);
    uint32_t digest_e = state[4];
    for (; count > 0; count--) {
        // The message: the 20-byte digest, 0x80, zeros, and the length (160 bits) in W15.
        __m128i w[4];
        w[0] = digest_abcd;
        w[1] = _mm_set_epi32((int)digest_e, (int)0x80000000, 0, 0);
        w[2] = _mm_setzero_si128();
        w[3] = _mm_set_epi32(0, 0, 0, 160);
        __m128i abcd = initial_abcd, e = initial_e, previous = initial_abcd;
        SHA1_GROUP(0, 0); SHA1_GROUP(1, 0); SHA1_GROUP(2, 0); SHA1_GROUP(3, 0); SHA1_GROUP(4, 0);
        SHA1_GROUP(5, 1); SHA1_GROUP(6, 1); SHA1_GROUP(7, 1); SHA1_GROUP(8, 1); SHA1_GROUP(9, 1);
        SHA1_GROUP(10, 2); SHA1_GROUP(11, 2); SHA1_GROUP(12, 2); SHA1_GROUP(13, 2); SHA1_GROUP(14, 2);
        SHA1_GROUP(15, 3); SHA1_GROUP(16, 3); SHA1_GROUP(17, 3); SHA1_GROUP(18, 3); SHA1_GROUP(19, 3);
        e = _mm_sha1nexte_epu32(previous, initial_e);
        digest_abcd = _mm_add_epi32(abcd, initial_abcd);
        digest_e = (uint32_t)_mm_extract_epi32(e, 3);
    }
    state[0] = (uint32_t)_mm_extract_epi32(digest_abcd, 3);
    state[1] = (uint32_t)_mm_extract_epi32(digest_abcd, 2);
    state[2] = (uint32_t)_mm_extract_epi32(digest_abcd, 1);
    state[3] = (uint32_t)_mm_extract_epi32(digest_abcd, 0);
    state[4] = digest_e;
}

#else

int cpkcs12sha1_has_sha_extensions(void) { return 0; }

void cpkcs12sha1_rehash(uint32_t state[5], size_t count) {
    (void)state;
    (void)count;
}

#endif
