/*
 * bin/psekit of the release archive: starts libexec/psekit through the dynamic loader and the
 * C libraries the archive carries in lib/psekit/ (the exact glibc psekit was built with), so
 * psekit runs whatever the host's glibc is (x86_64 Linux, kernel 3.2 or later).
 *
 *   lib/psekit/ld-linux-x86-64.so.2 --library-path lib/psekit --argv0 ARGV0 libexec/psekit ARGS...
 *
 * It is linked statically (scripts/release: cc -static), so it needs nothing from the host, not
 * even /bin/sh. The archive's folder is found from /proc/self/exe, which the kernel gives with
 * every symbolic link resolved: a link `sapgenpse -> .../bin/psekit` anywhere works, and argv[0]
 * (the name it was called by, which selects sapgenpse's behaviour) is passed on unchanged.
 * Without /proc it resolves argv[0] itself (a path, or a name looked up in PATH).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LOADER "lib/psekit/ld-linux-x86-64.so.2"
#define LIBRARIES "lib/psekit"
#define BINARY "libexec/psekit"

/* The launcher's own path with every link resolved, into `out` (PATH_MAX bytes). */
static int self_path(const char *argv0, char *out) {
    ssize_t length = readlink("/proc/self/exe", out, PATH_MAX - 1);
    if (length > 0) {
        out[length] = '\0';
        return 0;
    }
    if (strchr(argv0, '/') != NULL) return realpath(argv0, out) != NULL ? 0 : -1;
    const char *path = getenv("PATH");
    if (path == NULL) return -1;
    char candidate[PATH_MAX];
    while (*path != '\0') {
        size_t length = strcspn(path, ":");
        if (length > 0 && length + strlen(argv0) + 2 <= sizeof candidate) {
            memcpy(candidate, path, length);
            candidate[length] = '/';
            strcpy(candidate + length + 1, argv0);
            if (access(candidate, X_OK) == 0 && realpath(candidate, out) != NULL) return 0;
        }
        path += length;
        if (*path == ':') path++;
    }
    return -1;
}

int main(int argc, char **argv) {
    const char *argv0 = argc > 0 && argv[0] != NULL ? argv[0] : "psekit";
    char self[PATH_MAX];
    if (self_path(argv0, self) != 0) {
        fprintf(stderr, "%s: cannot find its own location (no /proc/self/exe, and %s not found through PATH): "
                        "mount /proc or call it by its full path\n", argv0, argv0);
        return 127;
    }
    /* self = ROOT/bin/psekit -> ROOT */
    char *slash = strrchr(self, '/');
    if (slash != NULL) *slash = '\0';
    slash = strrchr(self, '/');
    if (slash != NULL) *slash = '\0'; else strcpy(self, ".");
    if (self[0] == '\0') strcpy(self, "/");

    char loader[PATH_MAX], libraries[PATH_MAX], binary[PATH_MAX];
    if (snprintf(loader, sizeof loader, "%s/%s", self, LOADER) >= (int)sizeof loader
        || snprintf(libraries, sizeof libraries, "%s/%s", self, LIBRARIES) >= (int)sizeof libraries
        || snprintf(binary, sizeof binary, "%s/%s", self, BINARY) >= (int)sizeof binary) {
        fprintf(stderr, "%s: the installation folder %s has too long a path\n", argv0, self);
        return 127;
    }

    char **arguments = calloc((size_t)argc + 7, sizeof *arguments);
    if (arguments == NULL) {
        fprintf(stderr, "%s: out of memory\n", argv0);
        return 127;
    }
    int count = 0;
    arguments[count++] = loader;
    arguments[count++] = "--library-path";
    arguments[count++] = libraries;
    arguments[count++] = "--argv0";
    arguments[count++] = (char *)argv0;
    arguments[count++] = binary;
    for (int index = 1; index < argc; index++) arguments[count++] = argv[index];
    arguments[count] = NULL;
    execv(loader, arguments);
    fprintf(stderr, "%s: cannot start %s: %s; the archive's folder must hold %s, %s/ and %s (unpack it whole)\n",
            argv0, loader, strerror(errno), BINARY, LIBRARIES, LOADER);
    return 127;
}
