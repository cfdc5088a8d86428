// zlib (https://zlib.net), the system's: inflate of zip entries and CRC-32 (PSEStore's
// CertificateArchive). On Linux from zlib1g-dev / zlib-devel; in Apple's SDKs.
#include <zlib.h>
