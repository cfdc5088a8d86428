#ifndef CPKCS12SHA1_H
#define CPKCS12SHA1_H

#include <stddef.h>
#include <stdint.h>

/// Whether this CPU has the x86 SHA extensions (and the SSSE3/SSE4.1 they are used with).
/// 0 on other architectures.
int cpkcs12sha1_has_sha_extensions(void);

/// The inner loop of the PKCS#12 key derivation: replaces the 20-byte SHA-1 digest
/// `state` (five big-endian words, as H0...H4) by SHA-1(digest), `count` times, with the
/// SHA extensions. Call only when cpkcs12sha1_has_sha_extensions() returned 1.
void cpkcs12sha1_rehash(uint32_t state[5], size_t count);

#endif
