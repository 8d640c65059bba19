/* util.c -- error reporting, allocation, hashing, files and paths. */
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int dse_errf(dse_err *e, int code, const char *fmt, ...)
{
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
        e->code = code;
    }
    return code;
}

static void oom(void)
{
    fputs("sparsedse: out of memory\n", stderr);
    abort();
}

void *dse_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) oom();
    return p;
}

void *dse_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) oom();
    return p;
}

void *dse_xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) oom();
    return p;
}

char *dse_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(dse_xmalloc(n), s, n);
}

size_t dse_strlcpy(char *dst, const char *src, size_t n)
{
    size_t len = strlen(src);
    if (n) {
        size_t c = len < n - 1 ? len : n - 1;
        memcpy(dst, src, c);
        dst[c] = '\0';
    }
    return len;
}

uint64_t dse_fnv1a(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

uint64_t dse_hash(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    uint64_t w;
    for (; n >= 8; n -= 8, p += 8) {      /* each step a bijection of h for a given word */
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    }
    w = (uint64_t)n << 56;
    memcpy(&w, p, n);                     /* n < 8: the top byte keeps the length */
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 29);
}

size_t dse_limit_bytes(const char *env, size_t def_mb)
{
    const char *v = getenv(env);
    char *end;
    unsigned long long mb = def_mb;
    if (v && *v) {
        errno = 0;
        unsigned long long x = strtoull(v, &end, 10);
        if (!*end && errno == 0 && x >= 1 && x <= (1ULL << 20)) mb = x;
    }
    return (size_t)mb << 20;
}

char *dse_read_file(const char *path, size_t *len, int yaml, dse_err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        dse_errf(e, DSE_EIO, "%s: error: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    const char *env = yaml ? "SPARSEDSE_MAX_YAML_MB" : "SPARSEDSE_MAX_FILE_MB";
    size_t cap = 4096, n = 0, max = dse_limit_bytes(env, yaml ? DSE_MAX_YAML_MB : DSE_MAX_FILE_MB);
    char *buf = dse_xmalloc(cap);
    for (;;) {
        size_t want = cap - n - 1;
        if (want > max + 1 - n) want = max + 1 - n;   /* never read more than max + 1 bytes */
        size_t got = fread(buf + n, 1, want, f);
        n += got;
        if (n > max) {
            dse_errf(e, DSE_EINPUT, "%s: error: larger than the %zu MiB %s may have (%s raises it)", path,
                     max >> 20, yaml ? "a YAML file" : "a file", env);
            free(buf);
            fclose(f);
            return NULL;
        }
        if (got < want) {
            if (ferror(f)) {
                dse_errf(e, DSE_EIO, "%s: error: read failed: %s", path, strerror(errno));
                free(buf);
                fclose(f);
                return NULL;
            }
            break;
        }
        if (n + 1 == cap) {
            cap *= 2;
            buf = dse_xrealloc(buf, cap);
        }
    }
    fclose(f);
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

int dse_path_join(char *out, size_t n, const char *base, const char *rel, dse_err *e)
{
    size_t dirlen = 0;
    if (rel[0] != '/') {
        const char *slash = strrchr(base, '/');
        if (slash) dirlen = (size_t)(slash - base) + 1;
    }
    if (dirlen + strlen(rel) + 1 > n)
        return dse_errf(e, DSE_EINPUT, "%s: error: path too long: %s", base, rel);
    memcpy(out, base, dirlen);
    strcpy(out + dirlen, rel);
    return DSE_OK;
}

double dse_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

const char *dse_shown(const char *t, char *buf, size_t n)
{
    size_t len = strlen(t);
    if (len <= 40) return t;
    snprintf(buf, n, "%.32s... (%zu characters)", t, len);
    return buf;
}
