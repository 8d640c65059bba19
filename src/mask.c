/* mask.c -- binary nonzero masks: allocation and the numpy .npy reader/writer. */
#include "mask.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dse_mask_alloc(dse_mask *m, int d0, int d1, int d2, int d3)
{
    m->d[0] = d0; m->d[1] = d1; m->d[2] = d2; m->d[3] = d3;
    m->bits = dse_xcalloc((size_t)d0 * d1 * d2 * d3, 1);
    m->density = 0;
}

void dse_mask_free(dse_mask *m)
{
    if (!m) return;
    free(m->bits);
    m->bits = NULL;
    memset(m->d, 0, sizeof m->d);
    m->density = 0;
}

/* ---- synthetic sources ---- */

double dse_mask_beta_density(dse_rng *r, double mean, double sd)
{
    double v = sd * sd, lim = mean * (1 - mean);
    if (sd <= 0 || mean >= 1 || mean <= 0) return mean;
    if (v >= lim) v = lim * 0.999;          /* the widest Beta with this mean */
    double k = lim / v - 1;
    double x = dse_rng_gamma(r, mean * k), y = dse_rng_gamma(r, (1 - mean) * k);
    if (!(x + y > 0)) return dse_rng_uniform(r) < mean;  /* both underflowed: the k -> 0 limit */
    return x / (x + y);
}

static void gen_nm(uint8_t *dst, int n, int keep, int m, dse_rng *r)
{
    if (m < 1) m = 1;
    for (int s = 0; s < n; s += m) {
        int len = n - s < m ? n - s : m;
        int want = len == m ? keep : (int)(((long)keep * len + m / 2) / m);
        if (want > len) want = len;
        for (int k = 0; k < len; k++) dst[s + k] = k < want;
        for (int k = len - 1; k > 0; k--) {  /* Fisher-Yates shuffle of the chunk */
            int j = (int)dse_rng_below(r, (uint64_t)k + 1);
            uint8_t t = dst[s + k]; dst[s + k] = dst[s + j]; dst[s + j] = t;
        }
    }
}

static void gen_cluster(uint8_t *dst, int n, double d, double run, dse_rng *r)
{
    if (run < 1) run = 1;
    double p01 = 1 / run;                          /* zero -> nonzero */
    double p10 = d < 1 ? (1 - d) / (run * d) : 0;  /* nonzero -> zero */
    if (d <= 0) { memset(dst, 0, (size_t)n); return; }
    if (p10 > 1) p10 = 1;
    int st = dse_rng_uniform(r) < d;
    for (int i = 0; i < n; i++) {
        dst[i] = (uint8_t)st;
        st = st ? dse_rng_uniform(r) >= p10 : dse_rng_uniform(r) < p01;
    }
}

void dse_mask_gen(uint8_t *dst, int n, const dse_sparsity *sp, double density,
                  const double *pos_density, dse_rng *r)
{
    switch (sp->dist) {
    case DSE_DIST_NM: gen_nm(dst, n, sp->n, sp->m, r); break;
    case DSE_DIST_CLUSTER: gen_cluster(dst, n, density, sp->run, r); break;
    case DSE_DIST_NPY: break;
    default:
        for (int i = 0; i < n; i++)
            dst[i] = dse_rng_uniform(r) < (pos_density ? pos_density[i] : density);
    }
}

/* ---- header parsing ---- */

typedef struct npyhdr {
    char kind;        /* b i u f */
    int size;         /* bytes per element */
    int big;          /* 1 big endian */
    int fortran;      /* 1 first axis fastest */
    int rank;
    long shape[8];
} npyhdr;

static const char *skipws(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
    return s;
}

/* Find key 'k' or "k" in the dict text and return the text after its colon. */
static const char *dict_value(const char *h, const char *k)
{
    size_t n = strlen(k);
    for (const char *p = h; (p = strpbrk(p, "'\"")); p++) {
        char q = *p;
        if (!strncmp(p + 1, k, n) && p[1 + n] == q) {
            const char *s = skipws(p + 2 + n);
            return *s == ':' ? skipws(s + 1) : NULL;
        }
        const char *end = strchr(p + 1, q);  /* skip this string */
        if (!end) return NULL;
        p = end;
    }
    return NULL;
}

static int parse_descr(const char *v, npyhdr *h)
{
    if (*v != '\'' && *v != '"') return -1;
    char q = *v++;
    char buf[16];
    size_t n = 0;
    while (*v && *v != q && n < sizeof buf - 1) buf[n++] = *v++;
    buf[n] = '\0';
    if (*v != q || n < 3) return -1;
    if (buf[0] == '<' || buf[0] == '|' || buf[0] == '=') h->big = 0;
    else if (buf[0] == '>') h->big = 1;
    else return -1;
    h->kind = buf[1];
    char *end;
    errno = 0;
    long sz = strtol(buf + 2, &end, 10);
    if (*end || errno) return -1;
    h->size = (int)sz;
    switch (h->kind) {
    case 'b': return sz == 1 ? 0 : -1;
    case 'i': case 'u': return (sz == 1 || sz == 2 || sz == 4 || sz == 8) ? 0 : -1;
    case 'f': return (sz == 2 || sz == 4 || sz == 8) ? 0 : -1;
    default: return -1;
    }
}

static int parse_shape(const char *v, npyhdr *h)
{
    if (*v != '(') return -1;
    v = skipws(v + 1);
    h->rank = 0;
    while (*v != ')') {
        if (h->rank == 8) return -1;
        char *end;
        errno = 0;
        long x = strtol(v, &end, 10);
        if (end == v || errno || x < 0 || x > 0x7fffffffL) return -1;
        h->shape[h->rank++] = x;
        v = skipws(end);
        if (*v == ',') v = skipws(v + 1);
        else if (*v != ')') return -1;
    }
    return 0;
}

static int parse_header(const char *txt, npyhdr *h, char *why, size_t n)
{
    const char *s = skipws(txt);
    if (*s != '{') { snprintf(why, n, "header is not a dict"); return -1; }
    const char *v = dict_value(s, "descr");
    if (!v) { snprintf(why, n, "header has no 'descr'"); return -1; }
    if (parse_descr(v, h)) {
        /* the descr string itself, not the header around it */
        char q = *v == '\'' || *v == '"' ? *v : 0;
        const char *end = q ? strchr(v + 1, q) : NULL;
        int len = end ? (int)(end - v - 1) : 0;
        if (q && end && len <= 24)
            snprintf(why, n, "unsupported dtype '%.*s' (want b1 i1 u1 i2 u2 i4 u4 i8 u8 f2 f4 f8)", len, v + 1);
        else
            snprintf(why, n, "unsupported dtype: 'descr' is not a short string (want b1 i1 u1 i2 u2 i4 u4 i8 u8 f2 f4 f8)");
        return -1;
    }
    v = dict_value(s, "fortran_order");
    if (!v) { snprintf(why, n, "header has no 'fortran_order'"); return -1; }
    if (!strncmp(v, "True", 4)) h->fortran = 1;
    else if (!strncmp(v, "False", 5)) h->fortran = 0;
    else { snprintf(why, n, "bad fortran_order value"); return -1; }
    v = dict_value(s, "shape");
    if (!v || parse_shape(v, h)) { snprintf(why, n, "bad or missing 'shape'"); return -1; }
    return 0;
}

/* 1 if the element at p (h->size bytes) is nonzero. Floats: every bit but
 * the sign bit (so -0.0 is zero, NaN nonzero); integers: any bit. */
static int nonzero(const unsigned char *p, const npyhdr *h)
{
    int any = 0;
    for (int i = 0; i < h->size; i++) {
        unsigned char b = p[i];
        if (h->kind == 'f' && i == (h->big ? 0 : h->size - 1)) b &= 0x7f;
        any |= b;
    }
    return any != 0;
}

/* Map the file's shape onto the mask's four extents; -1 on a bad rank. */
static int to_extents(const npyhdr *h, int is_weight, int d[4])
{
    const long *s = h->shape;
    if (h->rank == 4) { d[0] = (int)s[0]; d[1] = (int)s[1]; d[2] = (int)s[2]; d[3] = (int)s[3]; }
    else if (is_weight && h->rank == 2) { d[0] = (int)s[0]; d[1] = (int)s[1]; d[2] = d[3] = 1; }
    else if (!is_weight && h->rank == 3) { d[0] = 1; d[1] = (int)s[0]; d[2] = (int)s[1]; d[3] = (int)s[2]; }
    else return -1;
    return 0;
}

/* Decode the data section (buf, n bytes) into m->bits and m->density. */
static int decode(dse_mask *m, const npyhdr *h, const unsigned char *buf, size_t n,
                  const char *path, dse_err *e)
{
    size_t count = 1;
    for (int i = 0; i < h->rank; i++) {
        if (h->shape[i] == 0) return dse_errf(e, DSE_EINPUT, "%s: error: empty array (a zero extent)", path);
        if (count > ((size_t)1 << 40) / (size_t)h->shape[i])
            return dse_errf(e, DSE_EINPUT, "%s: error: array too large", path);
        count *= (size_t)h->shape[i];
    }
    size_t want = count * (size_t)h->size;
    if (n < want)
        return dse_errf(e, DSE_EINPUT, "%s: error: truncated data (%zu bytes, want %zu)", path, n, want);
    if (n > want)
        return dse_errf(e, DSE_EINPUT, "%s: error: %zu trailing bytes after the data", path, n - want);
    m->bits = dse_xmalloc(count);
    size_t cstride[8], acc = 1;          /* C-order strides of the file's shape */
    for (int i = h->rank - 1; i >= 0; i--) { cstride[i] = acc; acc *= (size_t)h->shape[i]; }
    long idx[8] = {0};
    size_t ones = 0;
    for (size_t f = 0; f < count; f++) {
        size_t pos = f;
        if (h->fortran) { /* file index f enumerates idx with the first axis fastest */
            pos = 0;
            for (int i = 0; i < h->rank; i++) pos += (size_t)idx[i] * cstride[i];
            for (int i = 0; i < h->rank && ++idx[i] == h->shape[i]; i++) idx[i] = 0;
        }
        uint8_t b = (uint8_t)nonzero(buf + f * (size_t)h->size, h);
        m->bits[pos] = b;
        ones += b;
    }
    m->density = (double)ones / (double)count;
    return DSE_OK;
}

int dse_mask_load_npy(dse_mask *m, const char *path, int is_weight, dse_err *e)
{
    memset(m, 0, sizeof *m);
    size_t len;
    dse_err fe;
    unsigned char *buf = (unsigned char *)dse_read_file(path, &len, 0, &fe);
    if (!buf) { *e = fe; return fe.code; }          /* "PATH: error: cannot open: ..." */
    uint64_t hash = dse_fnv1a(DSE_FNV_INIT, buf, len);
    int rc = DSE_EINPUT;
    size_t hlen, off;
    if (len < 10 || memcmp(buf, "\x93NUMPY", 6)) {
        dse_errf(e, rc, "%s: error: not a .npy file (bad magic)", path);
        goto out;
    }
    if (buf[6] == 1) { hlen = buf[8] | (size_t)buf[9] << 8; off = 10; }
    else if (buf[6] == 2 || buf[6] == 3) {
        if (len < 12) { dse_errf(e, rc, "%s: error: truncated header", path); goto out; }
        hlen = buf[8] | (size_t)buf[9] << 8 | (size_t)buf[10] << 16 | (size_t)buf[11] << 24;
        off = 12;
    } else {
        dse_errf(e, rc, "%s: error: unsupported .npy format version %d.%d", path, buf[6], buf[7]);
        goto out;
    }
    if (hlen > len - off) { dse_errf(e, rc, "%s: error: truncated header", path); goto out; }
    char *txt = dse_xmalloc(hlen + 1);
    memcpy(txt, buf + off, hlen);
    txt[hlen] = '\0';
    npyhdr h;
    char why[160];
    memset(&h, 0, sizeof h);
    int bad = 1;
    if (strlen(txt) != hlen) snprintf(why, sizeof why, "NUL byte in header");
    else bad = parse_header(txt, &h, why, sizeof why);
    free(txt);
    if (bad) { dse_errf(e, rc, "%s: error: %s", path, why); goto out; }
    int d[4];
    if (to_extents(&h, is_weight, d)) {
        dse_errf(e, rc, "%s: error: %s mask has rank %d (want %s)", path,
                 is_weight ? "weight" : "activation", h.rank,
                 is_weight ? "(M,C,K2,K3) or (M,C)" : "(C,H,W) or (N,C,H,W)");
        goto out;
    }
    rc = decode(m, &h, buf + off + hlen, len - off - hlen, path, e);
    if (rc == DSE_OK) {
        memcpy(m->d, d, sizeof d);
        m->hash = hash;
        m->bytes = len;
    } else {
        dse_mask_free(m);
    }
out:
    free(buf);
    return rc;
}

int dse_mask_save_npy(const dse_mask *m, const char *path, dse_err *e)
{
    char hdr[256];
    int n = snprintf(hdr, sizeof hdr, "{'descr': '|u1', 'fortran_order': False, 'shape': (%d, %d, %d, %d), }",
                     m->d[0], m->d[1], m->d[2], m->d[3]);
    int pad = (64 - (10 + n + 1) % 64) % 64;   /* numpy aligns the data to 64 bytes */
    memset(hdr + n, ' ', (size_t)pad);
    n += pad;
    hdr[n++] = '\n';
    unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (unsigned char)(n & 0xff),
                             (unsigned char)(n >> 8)};
    FILE *f = fopen(path, "wb");
    if (!f) return dse_errf(e, DSE_EIO, "%s: error: cannot write: %s", path, strerror(errno));
    size_t cnt = (size_t)m->d[0] * m->d[1] * m->d[2] * m->d[3];
    int ok = fwrite(pre, 1, 10, f) == 10 && fwrite(hdr, 1, (size_t)n, f) == (size_t)n &&
             fwrite(m->bits, 1, cnt, f) == cnt;
    if (fclose(f) != 0) ok = 0;
    if (!ok) return dse_errf(e, DSE_EIO, "%s: error: write failed: %s", path, strerror(errno));
    return DSE_OK;
}
