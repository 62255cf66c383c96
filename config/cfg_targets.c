/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cfg_targets.c - the "targets" section: one entry per target or range of
 * targets (name, address, profile, labels, interval, timeout, collectors,
 * sensor filters). Entries are expanded by cfg_add_targets() (cfg_expand.c).
 */
#include <stdlib.h>
#include <string.h>

#include "cfg_int.h"

static const char *const coll_names[] = {"sensors", "sel", "fru", "chassis", "dcmi"};

int
cfg_walk_str_list(struct cfg_ctx *x, yaml_document_t *d, yaml_node_t *n, const char *what,
                  char ***out, size_t *nout)
{
    if (n->type != YAML_SEQUENCE_NODE) {
        cfg_errat(x, n, "%s: expected a list, got %s", what, cfg_kind(n));
        return -1;
    }
    size_t cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    *out = calloc(cnt ? cnt : 1, sizeof(**out));
    if (!*out) {
        x->oom = 1;
        return -1;
    }
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++) {
        yaml_node_t *e = cfg_node(d, *it);
        const char *s;
        if (!e || !(s = cfg_scalar(x, e, what)))
            continue;
        if (!*s || strlen(s) > 128) {
            cfg_errat(x, e, "%s: pattern must be 1 to 128 bytes", what);
            continue;
        }
        if (!((*out)[(*nout)++] = cfg_strdup(x, s)))
            return -1;
    }
    return 0;
}

static void
walk_labels(struct cfg_ctx *x, yaml_document_t *d, yaml_node_t *n, struct cfg_spec *sp)
{
    if (n->type != YAML_MAPPING_NODE) {
        cfg_errat(x, n, "labels: expected a mapping of name to value, got %s", cfg_kind(n));
        return;
    }
    size_t cnt = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    sp->labels = calloc(cnt ? cnt : 1, sizeof(*sp->labels));
    if (!sp->labels) {
        x->oom = 1;
        return;
    }
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = cfg_node(d, p->key), *v = cfg_node(d, p->value);
        const char *ks, *vs, *why;
        if (!k || !v || !(ks = cfg_scalar(x, k, "label name")))
            continue;
        if ((why = cfg_label_name_problem(ks)) != NULL) {
            cfg_errat(x, k, "label '%s': %s", ks, why);
            continue;
        }
        size_t i;
        for (i = 0; i < sp->nlabels && strcmp(sp->labels[i].name, ks) != 0; i++)
            ;
        if (i < sp->nlabels) {
            cfg_errat(x, k, "duplicate label '%s'", ks);
            continue;
        }
        if (!(vs = cfg_scalar(x, v, "label value")))
            continue;
        struct cfg_label *l = &sp->labels[sp->nlabels];
        l->name = cfg_strdup(x, ks);
        l->value = cfg_strdup(x, vs);
        sp->nlabels++;
        if (!l->name || !l->value)
            return;
    }
}

static void
walk_sensors(struct cfg_ctx *x, yaml_document_t *d, yaml_node_t *n, struct cfg_spec *sp)
{
    static const char *const keys[] = {"include", "exclude"};
    yaml_node_t *v[NKEYS(keys)];

    if (cfg_map_collect(x, d, n, "sensors", keys, NKEYS(keys), v) != 0)
        return;
    if (v[0])
        cfg_walk_str_list(x, d, v[0], "sensors.include", &sp->include, &sp->ninclude);
    if (v[1])
        cfg_walk_str_list(x, d, v[1], "sensors.exclude", &sp->exclude, &sp->nexclude);
}

static void
walk_collectors(struct cfg_ctx *x, yaml_document_t *d, yaml_node_t *n, unsigned *mask)
{
    if (n->type != YAML_SEQUENCE_NODE) {
        cfg_errat(x, n, "collectors: expected a list, got %s", cfg_kind(n));
        return;
    }
    *mask = 0;
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++) {
        yaml_node_t *e = cfg_node(d, *it);
        if (!e)
            continue;
        int i = cfg_get_enum(x, e, "collectors", coll_names, NKEYS(coll_names));
        if (i < 0)
            continue;
        if (*mask & (1u << i))
            cfg_errat(x, e, "collectors: '%s' listed twice", coll_names[i]);
        *mask |= 1u << i;
    }
    if (!*mask)
        cfg_errat(x, n, "collectors: the list is empty");
}

/* redfish: {url, profile, ca_file, insecure_skip_verify} */
static void
walk_redfish(struct cfg_ctx *x, yaml_document_t *d, yaml_node_t *n, struct cfg_spec *sp,
             const struct cfg_profile *def)
{
    static const char *const keys[] = {"url", "profile", "ca_file", "insecure_skip_verify"};
    static const char *const bools[] = {"false", "true"};
    yaml_node_t *v[NKEYS(keys)];
    struct cfg_redfish *r = calloc(1, sizeof(*r));
    if (!r) {
        x->oom = 1;
        return;
    }
    sp->redfish = r;
    r->profile = def;
    if (cfg_map_collect(x, d, n, "redfish", keys, NKEYS(keys), v) != 0)
        return;
    if (!v[0])
        cfg_errat(x, n, "redfish: missing key 'url' (https://HOST[:PORT])");
    else if (cfg_get_str(x, v[0], "url", &r->url) == 0 && strncmp(r->url, "https://", 8) != 0 &&
             strncmp(r->url, "http://", 7) != 0)
        cfg_errat(x, v[0], "redfish url '%s': expected https://HOST[:PORT] (or http://)", r->url);
    if (v[1]) {
        const char *ps = cfg_scalar(x, v[1], "profile");
        if (ps && !(r->profile = cfg_profile_find(x->c, ps)))
            cfg_errat(x, v[1], "redfish profile: no profile named '%s'", ps);
    }
    if (v[2] && cfg_get_str(x, v[2], "ca_file", &r->ca_file) == 0)
        cfg_check_file(x, v[2], "ca_file", r->ca_file, 0);
    if (v[3]) {
        int b = cfg_get_enum(x, v[3], "insecure_skip_verify", bools, 2);
        if (b >= 0)
            r->insecure = b;
    }
}

static void
walk_target(struct cfg_ctx *x, yaml_document_t *d, yaml_node_t *n)
{
    static const char *const keys[] = {"name",    "address",    "profile", "labels",  "interval",
                                       "timeout", "collectors", "sensors", "console", "redfish"};
    static const char *const console_modes[] = {"off", "capture"};
    yaml_node_t *v[NKEYS(keys)];
    struct cfg_tmpl t = {.collectors = CFG_COLL_DEFAULT};
    const char *name = NULL, *addr = NULL;

    if (cfg_map_collect(x, d, n, "target", keys, NKEYS(keys), v) != 0)
        return;
    if (!v[0])
        cfg_errat(x, n, "target: missing key 'name'");
    else if ((name = cfg_scalar(x, v[0], "name")) && !*name) {
        cfg_errat(x, v[0], "name: empty value");
        name = NULL;
    }
    if (!v[1])
        cfg_errat(x, n, "target: missing key 'address'");
    else
        addr = cfg_scalar(x, v[1], "address");
    if (v[2]) {
        const char *ps = cfg_scalar(x, v[2], "profile");
        if (ps && !(t.profile = cfg_profile_find(x->c, ps)))
            cfg_errat(x, v[2], "profile: no profile named '%s'", ps);
        if (!t.profile)
            name = NULL; /* already reported */
    } else if (!(t.profile = cfg_default_profile(x->c))) {
        cfg_errat(x, n,
                  "target: missing key 'profile' (needed when there is not exactly one profile)");
        name = NULL;
    }
    struct cfg_spec *sp = calloc(1, sizeof(*sp));
    if (!sp) {
        x->oom = 1;
        return;
    }
    if (v[3])
        walk_labels(x, d, v[3], sp);
    if (v[4])
        cfg_get_duration(x, v[4], "interval", MS_S, MS_D, &t.interval_ms);
    if (v[5])
        cfg_get_duration(x, v[5], "timeout", 10, 60 * MS_S, &t.timeout_ms);
    if (v[6])
        walk_collectors(x, d, v[6], &t.collectors);
    if (v[7])
        walk_sensors(x, d, v[7], sp);
    if (v[8]) {
        int m = cfg_get_enum(x, v[8], "console", console_modes, NKEYS(console_modes));
        if (m >= 0)
            sp->console_capture = m;
    }
    if (v[9])
        walk_redfish(x, d, v[9], sp, t.profile);
    if (cfg_add_spec(x, sp) != 0)
        return;
    t.spec = sp;
    if (name && addr)
        cfg_add_targets(x, x->name, name, LINE(v[0]), COL(v[0]), addr, LINE(v[1]), COL(v[1]), &t);
}

void
cfg_walk_targets(struct cfg_ctx *x, yaml_document_t *d, yaml_node_t *n)
{
    if (n->type != YAML_SEQUENCE_NODE) {
        cfg_errat(x, n, "targets: expected a list of targets, got %s", cfg_kind(n));
        return;
    }
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++) {
        yaml_node_t *e = cfg_node(d, *it);
        if (e)
            walk_target(x, d, e);
        if (cfg_full(x))
            return;
    }
}
