/* fuzz.h -- shared by the libFuzzer harnesses: the input as a file, since the loaders read paths. */
#ifndef DSE_FUZZ_H
#define DSE_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Write data to a file named *.SUFFIX in $FUZZ_DIR (default /tmp: relative
 * references in the input resolve there); returns its path (static buffer). */
static const char *fuzz_file(const uint8_t *data, size_t size, const char *suffix)
{
    static char path[600];
    const char *dir = getenv("FUZZ_DIR");
    snprintf(path, sizeof path, "%s/.fuzz-input-%d.%s", dir && *dir ? dir : "/tmp", (int)getpid(), suffix);
    FILE *f = fopen(path, "wb");
    if (!f) abort();
    if (size && fwrite(data, 1, size, f) != size) abort();
    fclose(f);
    return path;
}

#endif
