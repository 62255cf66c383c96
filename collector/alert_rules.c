/* SPDX-License-Identifier: Apache-2.0 */
/*
 * alert_rules.c - the alerting section's routes as an immutable object the
 * poller threads share: which receivers an alert goes to.
 *
 * Every route whose conditions all hold delivers (no first-match-wins); a
 * route without conditions takes everything. Conditions: severity, kind,
 * sensor type (case-blind), target labels, target name globs.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alerts.h"
#include "cfg.h"
#include "exporters.h"
#include "ic_err.h"

struct list {
    char **v;
    size_t n;
};

struct route {
    char *receiver;
    struct list severities, kinds, sensor_types, targets;
    struct snap_label *labels;
    size_t nlabels;
};

struct alert_rules {
    int refs;
    struct route *routes;
    size_t nroutes;
    uint64_t unreachable_after_ms;
    struct list console_patterns;
};

static void
list_free(struct list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

static int
list_copy(struct list *l, char *const *v, size_t n)
{
    l->n = 0;
    l->v = n ? calloc(n, sizeof(*l->v)) : NULL;
    if (n && !l->v)
        return IC_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        if (!(l->v[i] = strdup(v[i])))
            return IC_ENOMEM;
        l->n = i + 1;
    }
    return 0;
}

static void
rules_free(struct alert_rules *r)
{
    for (size_t i = 0; i < r->nroutes; i++) {
        struct route *rt = &r->routes[i];
        free(rt->receiver);
        list_free(&rt->severities);
        list_free(&rt->kinds);
        list_free(&rt->sensor_types);
        list_free(&rt->targets);
        for (size_t k = 0; k < rt->nlabels; k++) {
            free(rt->labels[k].name);
            free(rt->labels[k].value);
        }
        free(rt->labels);
    }
    free(r->routes);
    list_free(&r->console_patterns);
    free(r);
}

int
alert_rules_new(const struct cfg *c, struct alert_rules **out)
{
    const struct cfg_alerting *a = cfg_alerting(c);
    *out = NULL;
    if (!a)
        return 0;
    struct alert_rules *r = calloc(1, sizeof(*r));
    if (!r)
        return IC_ENOMEM;
    r->refs = 1;
    r->unreachable_after_ms = a->unreachable_after_ms;
    if (list_copy(&r->console_patterns, a->console_patterns, a->nconsole_patterns))
        goto fail;
    r->routes = a->nroutes ? calloc(a->nroutes, sizeof(*r->routes)) : NULL;
    if (a->nroutes && !r->routes)
        goto fail;
    for (size_t i = 0; i < a->nroutes; i++) {
        const struct cfg_route *cr = &a->routes[i];
        struct route *rt = &r->routes[i];
        r->nroutes = i + 1;
        if (!(rt->receiver = strdup(cr->receiver->name)) ||
            list_copy(&rt->severities, cr->severities, cr->nseverities) ||
            list_copy(&rt->kinds, cr->kinds, cr->nkinds) ||
            list_copy(&rt->sensor_types, cr->sensor_types, cr->nsensor_types) ||
            list_copy(&rt->targets, cr->targets, cr->ntargets))
            goto fail;
        if (cr->nlabels) {
            if (!(rt->labels = calloc(cr->nlabels, sizeof(*rt->labels))))
                goto fail;
            for (size_t k = 0; k < cr->nlabels; k++) {
                rt->nlabels = k + 1;
                rt->labels[k].name = strdup(cr->labels[k].name);
                rt->labels[k].value = strdup(cr->labels[k].value);
                if (!rt->labels[k].name || !rt->labels[k].value)
                    goto fail;
            }
        }
    }
    *out = r;
    return 0;
fail:
    rules_free(r);
    return IC_ENOMEM;
}

void
alert_rules_ref(struct alert_rules *r)
{
    if (r)
        __atomic_add_fetch(&r->refs, 1, __ATOMIC_RELAXED);
}

void
alert_rules_unref(struct alert_rules *r)
{
    if (r && __atomic_sub_fetch(&r->refs, 1, __ATOMIC_ACQ_REL) == 0)
        rules_free(r);
}

uint64_t
alert_rules_unreachable_after(const struct alert_rules *r)
{
    return r ? r->unreachable_after_ms : 0;
}

static int
list_same(const struct list *a, const struct list *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i], b->v[i]) != 0)
            return 0;
    return 1;
}

int
alert_rules_same(const struct alert_rules *a, const struct alert_rules *b)
{
    if (!a || !b)
        return a == b;
    if (a->nroutes != b->nroutes || a->unreachable_after_ms != b->unreachable_after_ms ||
        !list_same(&a->console_patterns, &b->console_patterns))
        return 0;
    for (size_t i = 0; i < a->nroutes; i++) {
        const struct route *x = &a->routes[i], *y = &b->routes[i];
        if (strcmp(x->receiver, y->receiver) != 0 || !list_same(&x->severities, &y->severities) ||
            !list_same(&x->kinds, &y->kinds) || !list_same(&x->sensor_types, &y->sensor_types) ||
            !list_same(&x->targets, &y->targets) || x->nlabels != y->nlabels)
            return 0;
        for (size_t k = 0; k < x->nlabels; k++)
            if (strcmp(x->labels[k].name, y->labels[k].name) != 0 ||
                strcmp(x->labels[k].value, y->labels[k].value) != 0)
                return 0;
    }
    return 1;
}

const char *
alert_rules_console_match(const struct alert_rules *r, const char *line)
{
    for (size_t i = 0; r && i < r->console_patterns.n; i++)
        if (strstr(line, r->console_patterns.v[i]))
            return r->console_patterns.v[i];
    return NULL;
}

static int
in_list(const struct list *l, const char *v, int caseless)
{
    if (l->n == 0)
        return 1;
    for (size_t i = 0; i < l->n; i++)
        if ((caseless ? strcasecmp(l->v[i], v) : strcmp(l->v[i], v)) == 0)
            return 1;
    return 0;
}

static int
route_matches(const struct route *rt, const char *kind, const char *severity,
              const char *sensor_type, const struct alert_who *who)
{
    if (!in_list(&rt->severities, severity, 0) || !in_list(&rt->kinds, kind, 0) ||
        !in_list(&rt->sensor_types, sensor_type ? sensor_type : "", 1))
        return 0;
    if (rt->targets.n) {
        int any = 0;
        for (size_t i = 0; i < rt->targets.n && !any; i++)
            any = fnmatch(rt->targets.v[i], who->name, 0) == 0;
        if (!any)
            return 0;
    }
    for (size_t k = 0; k < rt->nlabels; k++) {
        int found = 0;
        for (size_t j = 0; j < who->nlabels && !found; j++)
            found = strcmp(who->labels[j].name, rt->labels[k].name) == 0 &&
                    strcmp(who->labels[j].value, rt->labels[k].value) == 0;
        if (!found)
            return 0;
    }
    return 1;
}

/* The receivers (borrowed names, each once) of an alert; returns how many, at most max. */
size_t
alert_rules_route(const struct alert_rules *r, const char *kind, const char *severity,
                  const char *sensor_type, const struct alert_who *who, const char **out,
                  size_t max)
{
    size_t n = 0;
    for (size_t i = 0; r && i < r->nroutes && n < max; i++) {
        const struct route *rt = &r->routes[i];
        if (!route_matches(rt, kind, severity, sensor_type, who))
            continue;
        int dup = 0;
        for (size_t k = 0; k < n && !dup; k++)
            dup = strcmp(out[k], rt->receiver) == 0;
        if (!dup)
            out[n++] = rt->receiver;
    }
    return n;
}
