/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cfg_int.h - private to config/: the struct cfg itself, the parse context
 * that collects errors, and the helpers shared by cfg.c (YAML walking),
 * cfg_expand.c (values, ranges, addresses, inventory) and cfg_print.c.
 */
#ifndef IC_CFG_INT_H
#define IC_CFG_INT_H

#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

#include "cfg.h"

#define NKEYS(a) (sizeof(a) / sizeof((a)[0]))
#define MS_S     1000ull
#define MS_D     (86400ull * MS_S)
#define LINE(n)  ((size_t)(n)->start_mark.line + 1)
#define COL(n)   ((size_t)(n)->start_mark.column + 1)

/* What the targets of one entry (or one inventory line) share. */
struct cfg_spec {
    struct cfg_label *labels;
    size_t nlabels;
    char **include;
    size_t ninclude;
    char **exclude;
    size_t nexclude;
    int console_capture;
    struct cfg_redfish *redfish;
};

struct cfg {
    struct cfg_global g;
    struct cfg_profile *profiles;
    size_t nprofiles;
    struct cfg_target *targets;
    size_t ntargets, targets_cap;
    struct cfg_spec **specs;
    size_t nspecs, specs_cap;
    struct cfg_alerting *alerting; /* NULL without an alerting section */
    struct cfg_api *api;           /* NULL without an api section */
};

/* Where a target was defined, for duplicate-name errors. */
struct cfg_pos {
    const char *file; /* the config name or the inventory path (owned by ctx) */
    size_t line, col;
};

struct cfg_err {
    size_t file; /* 0 = the config, i + 1 = files[i] */
    size_t line, col, seq;
    char *text; /* "file:line:col: message" */
};

struct cfg_ctx {
    const char *name;
    char *dir; /* directory of name, "" if none; for relative paths */
    int file_private;
    struct cfg *c;
    struct cfg_err *errs; /* recorded messages, sorted by position at the end */
    int nerr;             /* all errors, recorded or not */
    int oom;
    struct cfg_pos *pos; /* one per target */
    char **files;        /* inventory names kept for cfg_pos */
    size_t nfiles;
};

/* Records "file:line:col: message" (line and col are 1-based). */
void cfg_error(struct cfg_ctx *x, const char *file, size_t line, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* True once CFG_MAX_ERRORS are recorded or memory ran out: stop walking. */
int cfg_full(const struct cfg_ctx *x);

/* Values. Each returns 0, or -1 when s is not of the form. */
int cfg_parse_uint(const char *s, uint64_t max, uint64_t *out);
int cfg_parse_duration(const char *s, uint64_t *ms);
int cfg_parse_size(const char *s, uint64_t *bytes);
/* Formats the largest exact unit: "7d", "90s", "250ms". */
void cfg_fmt_duration(uint64_t ms, char *buf, size_t len);
void cfg_fmt_size(uint64_t bytes, char *buf, size_t len);

/*
 * host:port, [v6]:port, host, [v6]. The port defaults to defport (0 = the
 * port is required). Returns 0 and a new *host, or -1 with a message.
 */
int cfg_parse_address(const char *s, uint16_t defport, char **host, uint16_t *port, char *msg,
                      size_t msglen);

/* Label name rule; NULL if fine, else why not. */
const char *cfg_label_name_problem(const char *name);

/* Resolves a relative path against the config's directory (new string). */
char *cfg_path(const struct cfg_ctx *x, const char *p);

/* Takes ownership of spec (freed with the cfg, or now on failure). */
int cfg_add_spec(struct cfg_ctx *x, struct cfg_spec *spec);
void cfg_spec_free(struct cfg_spec *s);

/* Settings a YAML target entry or inventory line gives all its targets. */
struct cfg_tmpl {
    const struct cfg_profile *profile;
    const struct cfg_spec *spec;
    uint64_t interval_ms, timeout_ms; /* 0 = inherit */
    unsigned collectors;
};

/*
 * Expands the [a-b] ranges of name and address and appends the targets.
 * Errors are positioned at (file, nline, ncol) for the name and (aline,
 * acol) for the address.
 */
void cfg_add_targets(struct cfg_ctx *x, const char *file, const char *name, size_t nline,
                     size_t ncol, const char *addr, size_t aline, size_t acol,
                     const struct cfg_tmpl *t);

/* Reads an inventory file (see example.yml) and appends its targets. */
void cfg_read_inventory(struct cfg_ctx *x, const char *path, size_t line, size_t col);

/* The profile a target without "profile:" gets: the only one, else NULL. */
const struct cfg_profile *cfg_default_profile(const struct cfg *c);

/* ---- YAML walking helpers (cfg.c); each records its own errors ---- */

struct cfg_ctx;
yaml_node_t *cfg_node(yaml_document_t *d, int id);
void cfg_errat(struct cfg_ctx *x, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
const char *cfg_kind(const yaml_node_t *n);
/* The text of a scalar node, or NULL (error recorded) for anything else. */
const char *cfg_scalar(struct cfg_ctx *x, const yaml_node_t *n, const char *what);
/* A non-empty string value, duplicated into *out (replacing it): 0, or -1 with an error. */
int cfg_get_str(struct cfg_ctx *x, yaml_node_t *n, const char *what, char **out);
/* An environment variable name: [A-Za-z_][A-Za-z0-9_]*. */
int cfg_env_name_ok(const char *s);
/* A name of a profile, receiver or token: 1-64 of [A-Za-z0-9_.-]. */
int cfg_name_ok(const char *s);
/* A file read later must exist now as a regular file; private: mode 0600 or stricter. */
void cfg_check_file(struct cfg_ctx *x, yaml_node_t *n, const char *what, const char *path,
                    int private);
char *cfg_strdup(struct cfg_ctx *x, const char *s);
/* A list of strings of 1 to 128 bytes (cfg_targets.c) into a new *out, *nout. 0 or -1. */
int cfg_walk_str_list(struct cfg_ctx *x, yaml_document_t *d, yaml_node_t *n, const char *what,
                      char ***out, size_t *nout);
/* Matches map's keys against keys[]: vals[i] = value of keys[i] or NULL. -1 if not a map. */
int cfg_map_collect(struct cfg_ctx *x, yaml_document_t *d, yaml_node_t *map, const char *where,
                    const char *const *keys, size_t nkeys, yaml_node_t **vals);
int cfg_get_duration(struct cfg_ctx *x, yaml_node_t *n, const char *what, uint64_t min,
                     uint64_t max, uint64_t *out);
/* Index of the value in names[], or -1 (error recorded). */
int cfg_get_enum(struct cfg_ctx *x, yaml_node_t *n, const char *what, const char *const *names,
                 size_t nn);
/* The "targets" list (cfg_targets.c). */
void cfg_walk_targets(struct cfg_ctx *x, yaml_document_t *d, yaml_node_t *n);
/* The "alerting" section (cfg_alerting.c): sets x->c->alerting. */
void cfg_walk_alerting(struct cfg_ctx *x, yaml_document_t *d, yaml_node_t *n);
/* NULL is a no-op. Wipes inline secrets. */
void cfg_alerting_free(struct cfg_alerting *a);
/* The "api" section (cfg_api.c): sets x->c->api. */
void cfg_walk_api(struct cfg_ctx *x, yaml_document_t *d, yaml_node_t *n);
/* NULL is a no-op. */
void cfg_api_free(struct cfg_api *a);

#endif
