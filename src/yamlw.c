/* yamlw.c -- strict walking of libyaml documents: located errors, typed scalars, key checks. */
#include "yamlw.h"

#include "memo.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- errors ---------------------------------------------------------- */

static int verr_at(const char *path, yaml_mark_t m, dse_err *e, const char *fmt, va_list ap)
{
    if (!e) return DSE_EINPUT;
    int k = snprintf(e->msg, sizeof e->msg, "%s:%lu:%lu: error: ", path,
                     (unsigned long)m.line + 1, (unsigned long)m.column + 1);
    if (k < 0) k = 0;
    if ((size_t)k < sizeof e->msg) vsnprintf(e->msg + k, sizeof e->msg - (size_t)k, fmt, ap);
    e->code = DSE_EINPUT;
    return DSE_EINPUT;
}

static int err_at(const char *path, yaml_mark_t m, dse_err *e, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int err_at(const char *path, yaml_mark_t m, dse_err *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verr_at(path, m, e, fmt, ap);
    va_end(ap);
    return DSE_EINPUT;
}

/* Error at node n, or at the top of the file when n is NULL. */
int yamlw_errf(const yamlw *y, const yaml_node_t *n, dse_err *e, const char *fmt, ...)
{
    yaml_mark_t m = {0, 0, 0};
    if (n) m = n->start_mark;
    va_list ap;
    va_start(ap, fmt);
    verr_at(y->path, m, e, fmt, ap);
    va_end(ap);
    return DSE_EINPUT;
}

/* ---- loading --------------------------------------------------------- */

/* The parser's error as "path:line:col: error: problem (context)". */
static int parser_err(const char *path, yaml_parser_t *p, dse_err *e)
{
    if (p->error == YAML_MEMORY_ERROR)
        return dse_errf(e, DSE_ENOMEM, "%s: error: out of memory while parsing", path);
    const char *prob = p->problem ? p->problem : "syntax error";
    if (p->context)
        return err_at(path, p->problem_mark, e, "%s %s", prob, p->context);
    return err_at(path, p->problem_mark, e, "%s", prob);
}

/* Event pass: syntax errors, aliases, document count. */
static int scan_events(const char *path, const char *text, size_t len, dse_err *e)
{
    yaml_parser_t p;
    yaml_event_t ev;
    int ndocs = 0, rc = DSE_OK, done = 0;
    if (!yaml_parser_initialize(&p)) return dse_errf(e, DSE_ENOMEM, "%s: error: out of memory", path);
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    while (!done && rc == DSE_OK) {
        if (!yaml_parser_parse(&p, &ev)) { rc = parser_err(path, &p, e); break; }
        switch (ev.type) {
        case YAML_ALIAS_EVENT:
            rc = err_at(path, ev.start_mark, e, "aliases are not allowed");
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++ndocs > 1) rc = err_at(path, ev.start_mark, e, "more than one document in the file");
            break;
        case YAML_STREAM_END_EVENT: done = 1; break;
        default: break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    if (rc == DSE_OK && ndocs == 0) {
        yaml_mark_t m = {0, 0, 0};
        rc = err_at(path, m, e, "empty document");
    }
    return rc;
}

/* Two passes over the text: events (syntax, aliases, document count), then
 * the document itself. On error y holds nothing to free. */
/* Before libyaml scans them (its scanner is quadratic in deeply nested
 * flow collections): the size bound, and the nesting depth of [ ] and { }
 * outside quoted scalars and comments. */
static int check_bounds(const char *path, const char *text, size_t len, dse_err *e)
{
    size_t max = dse_limit_bytes("SPARSEDSE_MAX_YAML_MB", DSE_MAX_YAML_MB);
    if (len > max)   /* text given by the caller; files are bounded as they are read */
        return dse_errf(e, DSE_EINPUT, "%s: error: larger than the %zu MiB a YAML file may have"
                        " (SPARSEDSE_MAX_YAML_MB raises it)", path, max >> 20);
    int depth = 0;
    char quote = 0;
    yaml_mark_t m = {0, 0, 0};
    for (size_t i = 0; i < len; i++, m.column++) {
        char c = text[i];
        if (c == '\n') { m.line++; m.column = (size_t)-1; continue; }
        if (quote) {
            if (c == '\\' && quote == '"' && i + 1 < len) { i++; m.column++; }
            else if (c == quote) quote = 0;
            continue;
        }
        if (c == '"' || c == '\'') quote = c;
        else if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\n'))
            while (i + 1 < len && text[i + 1] != '\n') i++, m.column++;
        else if ((c == '[' || c == '{') && ++depth > DSE_MAX_YAML_DEPTH)
            return err_at(path, m, e, "flow collections nested deeper than %d", DSE_MAX_YAML_DEPTH);
        else if ((c == ']' || c == '}') && depth > 0) depth--;
    }
    return DSE_OK;
}

int yamlw_load(yamlw *y, const char *path, const char *text, dse_err *e)
{
    memset(y, 0, sizeof *y);
    dse_strlcpy(y->path, path, sizeof y->path);
    char *owned = NULL;
    size_t len;
    if (!text) {
        owned = dse_read_file(path, &len, 1, e);
        if (!owned) return e ? e->code : DSE_EIO;
        text = owned;
    } else {
        len = strlen(text);
    }
    int rc = check_bounds(path, text, len, e);
    if (rc == DSE_OK) rc = scan_events(path, text, len, e);
    if (rc == DSE_OK) {
        yaml_parser_t p;
        if (!yaml_parser_initialize(&p)) {
            rc = dse_errf(e, DSE_ENOMEM, "%s: error: out of memory", path);
        } else {
            yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
            if (!yaml_parser_load(&p, &y->doc)) rc = parser_err(path, &p, e);
            else y->loaded = 1;
            yaml_parser_delete(&p);
        }
    }
    if (rc == DSE_OK && !yaml_document_get_root_node(&y->doc)) {
        yaml_mark_t m = {0, 0, 0};
        rc = err_at(path, m, e, "empty document");
    }
    if (rc != DSE_OK) yamlw_free(y);
    free(owned);
    return rc;
}

/* Free the document; safe to call twice. */
void yamlw_free(yamlw *y)
{
    if (y->loaded) yaml_document_delete(&y->doc);
    y->loaded = 0;
}

yaml_node_t *yamlw_root(yamlw *y)
{
    return y->loaded ? yaml_document_get_root_node(&y->doc) : NULL;
}

/* ---- navigation ------------------------------------------------------ */

int yamlw_is_map(const yaml_node_t *n) { return n && n->type == YAML_MAPPING_NODE; }
int yamlw_is_seq(const yaml_node_t *n) { return n && n->type == YAML_SEQUENCE_NODE; }
int yamlw_is_scalar(const yaml_node_t *n) { return n && n->type == YAML_SCALAR_NODE; }

const char *yamlw_text(const yaml_node_t *n)
{
    return yamlw_is_scalar(n) ? (const char *)n->data.scalar.value : NULL;
}

int yamlw_len(const yaml_node_t *n)
{
    if (yamlw_is_map(n)) return (int)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    if (yamlw_is_seq(n)) return (int)(n->data.sequence.items.top - n->data.sequence.items.start);
    return 0;
}

yaml_node_t *yamlw_item(yamlw *y, yaml_node_t *seq, int i)
{
    if (!yamlw_is_seq(seq) || i < 0 || i >= yamlw_len(seq)) return NULL;
    return yaml_document_get_node(&y->doc, seq->data.sequence.items.start[i]);
}

void yamlw_pair(yamlw *y, yaml_node_t *map, int i, yaml_node_t **key, yaml_node_t **val)
{
    *key = *val = NULL;
    if (!yamlw_is_map(map) || i < 0 || i >= yamlw_len(map)) return;
    yaml_node_pair_t *pr = &map->data.mapping.pairs.start[i];
    *key = yaml_document_get_node(&y->doc, pr->key);
    *val = yaml_document_get_node(&y->doc, pr->value);
}

yaml_node_t *yamlw_get(yamlw *y, yaml_node_t *n, const char *key)
{
    int len = yamlw_len(n);
    if (!yamlw_is_map(n)) return NULL;
    for (int i = 0; i < len; i++) {
        yaml_node_t *k, *v;
        yamlw_pair(y, n, i, &k, &v);
        const char *t = yamlw_text(k);
        if (t && strcmp(t, key) == 0) return v;
    }
    return NULL;
}

/* Name of the key whose value is n (for messages), or NULL. Documents are
 * small configuration files, so a linear scan is fine. */
static const char *key_of(yamlw *y, const yaml_node_t *n)
{
    if (!y->loaded || !n) return NULL;
    for (yaml_node_t *m = y->doc.nodes.start; m < y->doc.nodes.top; m++) {
        if (m->type != YAML_MAPPING_NODE) continue;
        for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++)
            if (yaml_document_get_node(&y->doc, p->value) == n)
                return yamlw_text(yaml_document_get_node(&y->doc, p->key));
    }
    return NULL;
}

/* Error at value node n, prefixed with "'key': " when n is the value of a
 * mapping key (looked up only on the error path). */
static int val_err(yamlw *y, const yaml_node_t *n, dse_err *e, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int val_err(yamlw *y, const yaml_node_t *n, dse_err *e, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *k = key_of(y, n);
    if (k) return yamlw_errf(y, n, e, "'%s': %s", k, msg);
    return yamlw_errf(y, n, e, "%s", msg);
}

/* ---- did-you-mean ---------------------------------------------------- */

/* Optimal string alignment distance (edits and adjacent transpositions),
 * capped: words longer than 63 characters just count as far apart. */
static int edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63) return INT_MAX;
    int d[64][64];
    for (size_t i = 0; i <= la; i++) d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++) d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int cost = a[i - 1] != b[j - 1];
            int v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v) v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[la][lb];
}

/* The closest of cands (NULL entries skipped), when close enough; first wins ties. */
const char *yamlw_suggest(const char *word, const char *const *cands, int count)
{
    const char *best = NULL;
    int bestd = INT_MAX, len = (int)strlen(word);
    for (int i = 0; i < count; i++) {
        if (!cands[i]) continue;
        int d = edit_distance(word, cands[i]);
        if (d < bestd) { bestd = d; best = cands[i]; }
    }
    return bestd <= 2 && bestd < len ? best : NULL;
}

/* ---- key checks ------------------------------------------------------ */

/* Mapping check (yamlw.h): errors point at the offending key. */
int yamlw_check_keys(yamlw *y, yaml_node_t *n, const char *const *allowed, const char *what, dse_err *e)
{
    if (!yamlw_is_map(n)) return yamlw_errf(y, n, e, "%s: expected a mapping", what);
    int count = 0;
    while (allowed[count]) count++;
    int len = yamlw_len(n), rc = DSE_OK;
    dse_memo *seen = len > 16 ? dse_memo_new(1) : NULL;   /* big maps: linear duplicate detection */
    for (int i = 0; i < len && rc == DSE_OK; i++) {
        yaml_node_t *k, *v;
        yamlw_pair(y, n, i, &k, &v);
        const char *t = yamlw_text(k);
        if (!t) {
            rc = yamlw_errf(y, k, e, "%s: keys must be plain scalars", what);
            break;
        }
        int dup = seen ? dse_memo_seen(seen, t, strlen(t)) : 0;
        for (int j = 0; j < i && !seen && !dup; j++) {
            yaml_node_t *k2, *v2;
            yamlw_pair(y, n, j, &k2, &v2);
            dup = yamlw_text(k2) && strcmp(t, yamlw_text(k2)) == 0;
        }
        if (dup) {
            rc = yamlw_errf(y, k, e, "duplicate key '%s'", t);
            break;
        }
        int ok = 0;
        for (int j = 0; j < count && !ok; j++) ok = strcmp(t, allowed[j]) == 0;
        if (ok) continue;
        const char *s = yamlw_suggest(t, allowed, count);
        if (s) rc = yamlw_errf(y, k, e, "unknown key '%s' in %s (did you mean '%s'?)", t, what, s);
        else rc = yamlw_errf(y, k, e, "unknown key '%s' in %s", t, what);
    }
    dse_memo_free(seen);
    return rc;
}

/* ---- strict scalars -------------------------------------------------- */

/* Numbers go through strtol/strtod, which follow LC_NUMERIC: the CLI keeps
 * it "C" (src/main.c). */

/* Text of scalar n, or an error: missing (NULL) or not a scalar. */
static int scalar_text(yamlw *y, yaml_node_t *n, const char *expect, const char **out, dse_err *e)
{
    if (!n) return yamlw_errf(y, NULL, e, "missing value (expected %s)", expect);
    if (!yamlw_is_scalar(n)) return val_err(y, n, e, "expected %s, got a %s", expect,
                                            yamlw_is_map(n) ? "mapping" : "list");
    *out = yamlw_text(n);
    if (strlen(*out) != n->data.scalar.length)   /* a \0 escape would cut the text short */
        return val_err(y, n, e, "expected %s without NUL characters", expect);
    return DSE_OK;
}

int yamlw_int(yamlw *y, yaml_node_t *n, long lo, long hi, long *out, dse_err *e)
{
    char sb[96];
    const char *t = NULL;
    if (scalar_text(y, n, "an integer", &t, e)) return DSE_EINPUT;
    char *end;
    errno = 0;
    long v = strtol(t, &end, 10);
    if (end == t || *end || isspace((unsigned char)t[0]))
        return val_err(y, n, e, "expected an integer, got '%s'", dse_shown(t, sb, sizeof sb));
    if (errno == ERANGE || v < lo || v > hi)
        return val_err(y, n, e, "%s is out of range [%ld, %ld]", dse_shown(t, sb, sizeof sb), lo, hi);
    *out = v;
    return DSE_OK;
}

int yamlw_real(yamlw *y, yaml_node_t *n, double lo, double hi, double *out, dse_err *e)
{
    char sb[96];
    const char *t = NULL;
    if (scalar_text(y, n, "a number", &t, e)) return DSE_EINPUT;
    char *end;
    errno = 0;
    double v = strtod(t, &end);
    if (end == t || *end || isspace((unsigned char)t[0]) || !isfinite(v))
        return val_err(y, n, e, "expected a number, got '%s'", dse_shown(t, sb, sizeof sb));
    if (errno == ERANGE || v < lo || v > hi)
        return val_err(y, n, e, "%s is out of range [%.10g, %.10g]", dse_shown(t, sb, sizeof sb), lo, hi);
    *out = v;
    return DSE_OK;
}

int yamlw_bool(yamlw *y, yaml_node_t *n, int *out, dse_err *e)
{
    char sb[96];
    const char *t = NULL;
    if (scalar_text(y, n, "true or false", &t, e)) return DSE_EINPUT;
    if (strcmp(t, "true") == 0) *out = 1;
    else if (strcmp(t, "false") == 0) *out = 0;
    else return val_err(y, n, e, "expected true or false, got '%s'", dse_shown(t, sb, sizeof sb));
    return DSE_OK;
}

int yamlw_str(yamlw *y, yaml_node_t *n, char *buf, size_t size, dse_err *e)
{
    const char *t = NULL;
    if (scalar_text(y, n, "a string", &t, e)) return DSE_EINPUT;
    if (!t[0]) return val_err(y, n, e, "expected a non-empty string");
    if (strlen(t) >= size)
        return val_err(y, n, e, "string too long (at most %zu characters)", size - 1);
    dse_strlcpy(buf, t, size);
    return DSE_OK;
}

int yamlw_enum(yamlw *y, yaml_node_t *n, const char *const *names, int count, int *out, dse_err *e)
{
    char sb[96];
    const char *t = NULL;
    char list[512];
    if (scalar_text(y, n, "a name", &t, e)) return DSE_EINPUT;
    for (int i = 0; i < count; i++)
        if (strcmp(t, names[i]) == 0) { *out = i; return DSE_OK; }
    size_t k = 0;
    list[0] = '\0';
    for (int i = 0; i < count && k < sizeof list; i++)
        k += (size_t)snprintf(list + k, sizeof list - k, "%s%s", i ? ", " : "", names[i]);
    const char *s = yamlw_suggest(t, names, count);
    if (s) return val_err(y, n, e, "unknown value '%s' (did you mean '%s'?; expected one of %s)", dse_shown(t, sb, sizeof sb), s, list);
    return val_err(y, n, e, "unknown value '%s' (expected one of %s)", dse_shown(t, sb, sizeof sb), list);
}
