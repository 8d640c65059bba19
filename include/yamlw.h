/* yamlw.h -- strict walking of libyaml documents: located errors, typed scalars, key checks. */
#ifndef DSE_YAMLW_H
#define DSE_YAMLW_H

#include <yaml.h>
#include "util.h"

/* A loaded YAML document and the file it came from. */
typedef struct yamlw {
    yaml_document_t doc;
    char path[512];
    int loaded;
} yamlw;

/* Load path (or, when text != NULL, parse text and report errors as path).
 * Rejects: syntax errors, empty documents, aliases, more than one document.
 * Returns DSE_OK or DSE_EINPUT/DSE_EIO with "file:line:col: error: ...". */
int yamlw_load(yamlw *y, const char *path, const char *text, dse_err *e);
void yamlw_free(yamlw *y);

yaml_node_t *yamlw_root(yamlw *y);

/* Fill e with "path:line:col: error: <fmt>" at node n; returns DSE_EINPUT. */
int yamlw_errf(const yamlw *y, const yaml_node_t *n, dse_err *e, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Type predicates. */
int yamlw_is_map(const yaml_node_t *n);
int yamlw_is_seq(const yaml_node_t *n);
int yamlw_is_scalar(const yaml_node_t *n);
/* Scalar text (NUL-terminated, owned by the document) or NULL. */
const char *yamlw_text(const yaml_node_t *n);

/* Check that map n is a mapping whose keys are scalars, unique, and all in
 * allowed (NULL-terminated). An unknown key gets a did-you-mean suggestion
 * when one is close. `what` names the map in messages ("space", "layer"). */
int yamlw_check_keys(yamlw *y, yaml_node_t *n, const char *const *allowed, const char *what, dse_err *e);

/* Value node of key in mapping n, or NULL. */
yaml_node_t *yamlw_get(yamlw *y, yaml_node_t *n, const char *key);
/* Number of items of a sequence/mapping; item i of a sequence; pair i of a mapping. */
int yamlw_len(const yaml_node_t *n);
yaml_node_t *yamlw_item(yamlw *y, yaml_node_t *seq, int i);
void yamlw_pair(yamlw *y, yaml_node_t *map, int i, yaml_node_t **key, yaml_node_t **val);

/* Strict scalars: the whole text must parse, in range, finite. A NULL node
 * fails with "missing value" at the top of the file: callers check required
 * keys themselves and report them at the enclosing map. */
int yamlw_int(yamlw *y, yaml_node_t *n, long lo, long hi, long *out, dse_err *e);
int yamlw_real(yamlw *y, yaml_node_t *n, double lo, double hi, double *out, dse_err *e);
int yamlw_bool(yamlw *y, yaml_node_t *n, int *out, dse_err *e);  /* only true/false */
int yamlw_str(yamlw *y, yaml_node_t *n, char *buf, size_t size, dse_err *e);
/* Pick one of names[0..count-1]; error lists the choices. */
int yamlw_enum(yamlw *y, yaml_node_t *n, const char *const *names, int count, int *out, dse_err *e);

/* Closest candidate to word by edit distance (<= 2 and < strlen(word)), or NULL. */
const char *yamlw_suggest(const char *word, const char *const *cands, int count);

#endif
