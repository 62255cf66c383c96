/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_act.c - the API's actions and its reads from the database
 * (docs/api.md):
 *
 *   POST /api/v1/targets/NAME/power    {"action": "on|off|cycle|reset|soft", "wait": 30}
 *   POST /api/v1/targets/NAME/bootdev  {"device": "pxe|disk|cdrom|bios|none",
 *                                       "persistent": false, "efi": false}
 *   POST /api/v1/power, /api/v1/bootdev   the same with "selector": {"label": "value", ...}
 *                                         and "confirm": the number of targets it matches
 *   POST   /api/v1/targets/NAME/media  {"image": "https://..." | "/srv/iso/x.iso",
 *                                       "boot_once": true, "power": "cycle"}
 *   GET    /api/v1/targets/NAME/media  (role read)   DELETE .../media (eject)
 *   power and bootdev take "via": "ipmi" (default) or "redfish"
 *   GET  /api/v1/targets/NAME/sel?after=ID&limit=N
 *   GET  /api/v1/audit?after=ID&limit=N&who=&target=&since=
 *
 * An action is checked here (strictly: an unknown key is a 400, a typo must
 * not turn into a default), handed to the daemon, and the connection is
 * suspended until the daemon answers; the HTTP thread never waits on a BMC.
 * The answer object is shared by the connection and the daemon (two
 * references): whichever lets go last frees it.
 */
#include <arpa/inet.h>
#include <json-c/json.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "exp_int.h"
#include "poller.h"
#include "storage.h"

#define SELECTOR_MAX 16
#define WAIT_MAX_S   600
#define ROWS_DEFAULT 1000
#define ROWS_MAX     10000

struct exp_api_conn {
    pthread_mutex_t mu;
    int refs;
    int waiting; /* handed to the daemon, not answered yet */
    int ready;
    unsigned status;
    char *json;
    struct MHD_Connection *c;
};

static void
conn_unref(struct exp_api_conn *k)
{
    pthread_mutex_lock(&k->mu);
    int left = --k->refs;
    pthread_mutex_unlock(&k->mu);
    if (left > 0)
        return;
    pthread_mutex_destroy(&k->mu);
    free(k->json);
    free(k);
}

void
exp_api_conn_free(struct exp_api_conn *k)
{
    if (k)
        conn_unref(k);
}

/* The daemon's answer, from any thread: store it and let the connection go on. */
static void
act_done(void *ctx, unsigned status, char *json)
{
    struct exp_api_conn *k = ctx;
    pthread_mutex_lock(&k->mu);
    k->status = status;
    k->json = json;
    k->ready = 1;
    k->waiting = 0;
    pthread_mutex_unlock(&k->mu);
    MHD_resume_connection(k->c);
    conn_unref(k);
}

int
api_action_answer(struct MHD_Connection *c, struct exp_api_conn *k, enum MHD_Result *ret)
{
    pthread_mutex_lock(&k->mu);
    int ready = k->ready;
    char *json = k->json;
    unsigned status = k->status;
    k->json = NULL;
    k->ready = 0;
    pthread_mutex_unlock(&k->mu);
    if (!ready)
        return 0;
    if (!json) {
        *ret = api_reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
        return 1;
    }
    *ret = api_reply_text(c, status, json, strlen(json));
    return 1;
}

/* ---- request parsing ---- */

struct act_parse {
    struct exp_act_req rq;
    struct snap_label sel[SELECTOR_MAX];
    char name[256];
    char source[INET6_ADDRSTRLEN + 8];
    struct json_object *params; /* canonical parameters, for the audit log */
    char bad[256];
};

static int bad(struct act_parse *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
bad(struct act_parse *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->bad, sizeof(p->bad), fmt, ap);
    va_end(ap);
    return -1;
}

static int
get_bool(struct act_parse *p, struct json_object *v, const char *key, int *out)
{
    if (!json_object_is_type(v, json_type_boolean))
        return bad(p, "%s: expected true or false", key);
    *out = json_object_get_boolean(v) ? 1 : 0;
    return 0;
}

static int
parse_selector(struct act_parse *p, struct json_object *v)
{
    if (!json_object_is_type(v, json_type_object))
        return bad(p, "selector: expected an object of label: value");
    json_object_object_foreach(v, k, val)
    {
        if (p->rq.nselector == SELECTOR_MAX)
            return bad(p, "selector: at most %d labels", SELECTOR_MAX);
        if (!json_object_is_type(val, json_type_string))
            return bad(p, "selector: the value of '%.64s' must be a string", k);
        p->sel[p->rq.nselector].name = k;
        p->sel[p->rq.nselector].value = (char *)(uintptr_t)json_object_get_string(val);
        p->rq.nselector++;
    }
    if (p->rq.nselector == 0)
        return bad(p, "selector: at least one label (an empty selector would match everything)");
    p->rq.selector = p->sel;
    return 0;
}

static int
parse_body(struct act_parse *p, struct json_object *o, int one)
{
    struct exp_act_req *rq = &p->rq;
    int have_action = 0, have_confirm = 0;
    int media = rq->kind == EXP_ACT_MEDIA_INSERT;
    if (!json_object_is_type(o, json_type_object))
        return bad(p, "the body must be a JSON object");
    json_object_object_foreach(o, key, v)
    {
        if ((rq->kind == EXP_ACT_POWER || rq->kind == EXP_ACT_BOOTDEV) && strcmp(key, "via") == 0) {
            const char *via =
                json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
            if (strcmp(via, "ipmi") != 0 && strcmp(via, "redfish") != 0)
                return bad(p, "via: expected ipmi or redfish");
            rq->via_redfish = via[0] == 'r';
        } else if (media && strcmp(key, "image") == 0) {
            const char *img =
                json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
            if (strncmp(img, "http://", 7) != 0 && strncmp(img, "https://", 8) != 0 &&
                img[0] != '/')
                return bad(p, "image: expected an http(s):// URL or an absolute local path");
            if (strlen(img) > 1024)
                return bad(p, "image: at most 1024 bytes");
            rq->image = img;
            have_action = 1;
        } else if (media && strcmp(key, "boot_once") == 0) {
            if (get_bool(p, v, key, &rq->boot_once))
                return -1;
        } else if (media && strcmp(key, "power") == 0) {
            int a = json_object_is_type(v, json_type_string)
                        ? ipmi_power_action_parse(json_object_get_string(v))
                        : -1;
            if (a != IPMI_POWER_ON && a != IPMI_POWER_CYCLE && a != IPMI_POWER_RESET)
                return bad(p, "power: expected on, cycle or reset (after the insert)");
            rq->then_power = a;
        } else if (rq->kind == EXP_ACT_POWER && strcmp(key, "action") == 0) {
            int a = json_object_is_type(v, json_type_string)
                        ? ipmi_power_action_parse(json_object_get_string(v))
                        : -1;
            if (a < 0 || a == IPMI_POWER_DIAG)
                return bad(p, "action: expected on, off, cycle, reset or soft");
            rq->power = a;
            have_action = 1;
        } else if (rq->kind == EXP_ACT_POWER && strcmp(key, "wait") == 0) {
            double w =
                json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)
                    ? json_object_get_double(v)
                    : -1;
            if (!(w >= 1 && w <= WAIT_MAX_S))
                return bad(p, "wait: expected seconds, 1 to %d", WAIT_MAX_S);
            rq->wait_ms = (unsigned)(w * 1000);
        } else if (rq->kind == EXP_ACT_BOOTDEV && strcmp(key, "device") == 0) {
            int d = json_object_is_type(v, json_type_string)
                        ? ipmi_bootdev_parse(json_object_get_string(v))
                        : -1;
            if (d < 0)
                return bad(p, "device: expected pxe, disk, cdrom, bios or none");
            rq->bootdev = d;
            have_action = 1;
        } else if (rq->kind == EXP_ACT_BOOTDEV && strcmp(key, "persistent") == 0) {
            if (get_bool(p, v, key, &rq->persistent))
                return -1;
        } else if (rq->kind == EXP_ACT_BOOTDEV && strcmp(key, "efi") == 0) {
            if (get_bool(p, v, key, &rq->efi))
                return -1;
        } else if (!one && strcmp(key, "selector") == 0) {
            if (parse_selector(p, v))
                return -1;
        } else if (!one && strcmp(key, "confirm") == 0) {
            if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0)
                return bad(p, "confirm: expected the number of targets the selector matches");
            rq->confirm = (long)json_object_get_int64(v);
            have_confirm = 1;
        } else {
            return bad(p, "unknown key '%.64s'", key);
        }
    }
    if (!have_action && media)
        return bad(p, "image is required (an http(s):// URL or a local path)");
    if (!have_action && (rq->kind == EXP_ACT_POWER || rq->kind == EXP_ACT_BOOTDEV))
        return bad(p, rq->kind == EXP_ACT_POWER ? "action is required (on, off, cycle, reset, soft)"
                                                : "device is required (pxe, disk, cdrom, bios, "
                                                  "none)");
    if (!one && !rq->selector)
        return bad(p, "selector is required (the labels of the targets to act on)");
    if (!one && !have_confirm)
        return bad(p, "confirm is required: the number of targets the selector matches "
                      "(GET /api/v1/targets?label=NAME:VALUE counts them)");
    return 0;
}

/* The parameters as the audit log keeps them: what was parsed, not the raw body. */
static char *
params_json(const struct exp_act_req *rq)
{
    struct json_object *o = json_object_new_object();
    if (!o)
        return NULL;
    if (rq->kind == EXP_ACT_MEDIA_INSERT) {
        json_object_object_add(o, "image", json_object_new_string(rq->image));
        json_object_object_add(o, "boot_once", json_object_new_boolean(rq->boot_once));
        if (rq->then_power >= 0)
            json_object_object_add(o, "power",
                                   json_object_new_string(ipmi_power_action_str(rq->then_power)));
    } else if (rq->kind == EXP_ACT_MEDIA_EJECT || rq->kind == EXP_ACT_MEDIA_STATUS) {
        /* no parameters */
    } else if (rq->kind == EXP_ACT_POWER) {
        json_object_object_add(o, "action",
                               json_object_new_string(ipmi_power_action_str(rq->power)));
        if (rq->wait_ms)
            json_object_object_add(o, "wait", json_object_new_int64(rq->wait_ms / 1000));
    } else {
        json_object_object_add(o, "device", json_object_new_string(ipmi_bootdev_str(rq->bootdev)));
        json_object_object_add(o, "persistent", json_object_new_boolean(rq->persistent));
        json_object_object_add(o, "efi", json_object_new_boolean(rq->efi));
    }
    if (rq->via_redfish)
        json_object_object_add(o, "via", json_object_new_string("redfish"));
    if (rq->selector) {
        struct json_object *sel = json_object_new_object();
        for (size_t i = 0; sel && i < rq->nselector; i++)
            json_object_object_add(sel, rq->selector[i].name,
                                   json_object_new_string(rq->selector[i].value));
        json_object_object_add(o, "selector", sel);
        json_object_object_add(o, "confirm", json_object_new_int64(rq->confirm));
    }
    const char *s =
        json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    char *r = s ? strdup(s) : NULL;
    json_object_put(o);
    return r;
}

static void
client_address(struct MHD_Connection *c, char *out, size_t len)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, len, "unknown");
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)len);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)len);
}

enum MHD_Result
api_action(struct MHD_Connection *c, exp_act_fn act, void *act_arg, enum exp_act_kind kind,
           const char *name, size_t nlen, const char *who, const char *body, size_t body_len,
           struct exp_api_conn **conn)
{
    if (!act)
        return api_reply_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, NULL,
                               "actions are not available on this server");
    if (*conn)
        return api_reply_error(c, MHD_HTTP_CONFLICT, NULL, "an action is already running");
    struct act_parse *p = calloc(1, sizeof(*p));
    if (!p)
        return api_reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
    p->rq.kind = kind;
    p->rq.power = p->rq.bootdev = p->rq.then_power = -1;
    p->rq.confirm = -1;
    if (name) {
        snprintf(p->name, sizeof(p->name), "%.*s", (int)(nlen < 255 ? nlen : 255), name);
        p->rq.target = p->name;
    }
    struct json_tokener *tok = json_tokener_new();
    struct json_object *o =
        tok && body && body_len ? json_tokener_parse_ex(tok, body, (int)body_len) : NULL;
    enum MHD_Result ret;
    int bodyless = kind == EXP_ACT_MEDIA_EJECT || kind == EXP_ACT_MEDIA_STATUS;
    if (bodyless && body && body_len) {
        ret = api_reply_error(c, MHD_HTTP_BAD_REQUEST, NULL, "this request takes no body");
    } else if (!bodyless && (!body || !body_len)) {
        ret = api_reply_error(c, MHD_HTTP_BAD_REQUEST, NULL, "a JSON body is required");
    } else if (!bodyless && (!o || json_tokener_get_error(tok) != json_tokener_success)) {
        ret = api_reply_error(c, MHD_HTTP_BAD_REQUEST, NULL, "the body is not valid JSON: %s",
                              tok ? json_tokener_error_desc(json_tokener_get_error(tok))
                                  : "out of memory");
    } else if (!bodyless && parse_body(p, o, name != NULL) != 0) {
        ret = api_reply_error(c, MHD_HTTP_BAD_REQUEST, NULL, "%s", p->bad);
    } else {
        client_address(c, p->source, sizeof(p->source));
        char *params = params_json(&p->rq);
        struct exp_api_conn *k = calloc(1, sizeof(*k));
        if (!params || !k) {
            free(k);
            ret = api_reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
        } else {
            pthread_mutex_init(&k->mu, NULL);
            k->refs = 2; /* the connection's and the daemon's */
            k->waiting = 1;
            k->c = c;
            *conn = k;
            p->rq.who = who;
            p->rq.source = p->source;
            p->rq.params = params;
            /* Suspended first: the answer may come before act() returns. */
            MHD_suspend_connection(c);
            if (act(act_arg, &p->rq, act_done, k) != 0)
                act_done(
                    k, MHD_HTTP_SERVICE_UNAVAILABLE,
                    strdup("{\"error\":\"the daemon cannot take actions now (stopping?)\"}\n"));
            ret = MHD_YES;
        }
        free(params);
    }
    json_object_put(o);
    if (tok)
        json_tokener_free(tok);
    free(p);
    return ret;
}

/* ---- reads from the database ---- */

struct db_args {
    struct storage_filter f;
    char bad[160];
};

static enum MHD_Result
db_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    struct db_args *a = cls;
    const char *v = value ? value : "";
    char *end;
    if (strcmp(key, "after") == 0 || strcmp(key, "limit") == 0 || strcmp(key, "since") == 0) {
        long long n = strtoll(v, &end, 10);
        if (!*v || *end || n < 0)
            snprintf(a->bad, sizeof(a->bad), "%s: expected a non-negative integer", key);
        else if (key[0] == 'a')
            a->f.after_id = n;
        else if (key[0] == 'l')
            a->f.limit = n == 0 || n > ROWS_MAX ? ROWS_MAX : (size_t)n;
        else
            a->f.since_unix_ms = (uint64_t)n * 1000; /* unix seconds */
    } else if (strcmp(key, "grep") == 0 && a->f.grep == NULL) {
        a->f.grep = v;
    } else if (strcmp(key, "who") == 0 && a->f.who == NULL) {
        a->f.who = v;
    } else if (strcmp(key, "target") == 0 && a->f.target == NULL) {
        a->f.target = v;
    } else {
        snprintf(a->bad, sizeof(a->bad), "unknown parameter '%.64s'", key);
    }
    return a->bad[0] ? MHD_NO : MHD_YES;
}

typedef int (*query_fn)(struct storage *, const struct storage_filter *, enum storage_format,
                        FILE *);

static enum MHD_Result
db_reply(struct MHD_Connection *c, struct storage *st, struct db_args *a, query_fn q)
{
    if (a->bad[0])
        return api_reply_error(c, MHD_HTTP_BAD_REQUEST, NULL, "%s", a->bad);
    if (!st)
        return api_reply_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, NULL,
                               "this server has no database");
    if (!a->f.limit)
        a->f.limit = ROWS_DEFAULT;
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    if (!fp)
        return api_reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
    int rc = q(st, &a->f, STORAGE_JSON, fp);
    fclose(fp);
    if (rc != 0) {
        free(buf);
        return api_reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "%s", storage_errmsg(st));
    }
    return api_reply_text(c, MHD_HTTP_OK, buf, len);
}

enum MHD_Result
api_sel(struct MHD_Connection *c, struct storage *st, const char *name, size_t nlen)
{
    struct db_args a = {0};
    char target[256];
    snprintf(target, sizeof(target), "%.*s", (int)(nlen < 255 ? nlen : 255), name);
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, db_arg, &a);
    if (!a.bad[0] && (a.f.who || a.f.target))
        snprintf(a.bad, sizeof(a.bad), "parameters: after, limit, since");
    a.f.target = target;
    return db_reply(c, st, &a, storage_query_sel);
}

enum MHD_Result
api_audit(struct MHD_Connection *c, struct storage *st)
{
    struct db_args a = {0};
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, db_arg, &a);
    return db_reply(c, st, &a, storage_query_audit);
}

enum MHD_Result
api_console(struct MHD_Connection *c, struct storage *st, const char *name, size_t nlen)
{
    struct db_args a = {0};
    char target[256];
    snprintf(target, sizeof(target), "%.*s", (int)(nlen < 255 ? nlen : 255), name);
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, db_arg, &a);
    if (!a.bad[0] && (a.f.who || a.f.target))
        snprintf(a.bad, sizeof(a.bad), "parameters: after, limit, since, grep");
    a.f.target = target;
    return db_reply(c, st, &a, storage_query_console);
}

/* ---- an interactive console: the upgraded connection ---- */

#define ATTACH_PROTO "ipmi-collector-console"

struct exp_attach {
    struct MHD_UpgradeResponseHandle *urh;
    int fd;
    exp_attach_fn fn;
    void *arg;
    char target[256], who[80], source[INET6_ADDRSTRLEN + 8];
};

void
exp_attach_close(struct exp_attach *h, const char *why)
{
    if (!h)
        return;
    if (why) {
        char line[400];
        int n = snprintf(line, sizeof(line), "ERR %.380s\n", why);
        if (write(h->fd, line, (size_t)n) < 0) {
            /* the client is gone already */
        }
    }
    MHD_upgrade_action(h->urh, MHD_UPGRADE_ACTION_CLOSE);
    free(h);
}

static void
on_upgraded(void *cls, struct MHD_Connection *c, void *con_cls, const char *extra_in,
            size_t extra_in_size, MHD_socket sock, struct MHD_UpgradeResponseHandle *urh)
{
    (void)c;
    (void)con_cls;
    (void)extra_in; /* the client waits for "OK" before it types */
    (void)extra_in_size;
    struct exp_attach *h = cls;
    h->urh = urh;
    h->fd = sock;
    h->fn(h->arg, h->target, h->who, h->source, sock, h);
}

enum MHD_Result
api_attach(struct MHD_Connection *c, exp_attach_fn fn, void *arg, const char *name, size_t nlen,
           const char *who)
{
    const char *up = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_UPGRADE);
    if (!fn)
        return api_reply_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, NULL,
                               "console attach is not available on this server");
    if (!up || strcasecmp(up, ATTACH_PROTO) != 0)
        return api_reply_error(c, MHD_HTTP_UPGRADE_REQUIRED, NULL,
                               "send 'Connection: Upgrade' and 'Upgrade: " ATTACH_PROTO
                               "' (ipmi-collector console NAME --server URL does)");
    struct exp_attach *h = calloc(1, sizeof(*h));
    if (!h)
        return api_reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
    h->fn = fn;
    h->arg = arg;
    snprintf(h->target, sizeof(h->target), "%.*s", (int)(nlen < 255 ? nlen : 255), name);
    snprintf(h->who, sizeof(h->who), "%s", who ? who : "");
    client_address(c, h->source, sizeof(h->source));
    struct MHD_Response *r = MHD_create_response_for_upgrade(on_upgraded, h);
    if (!r) {
        free(h);
        return api_reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "out of memory");
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_UPGRADE, ATTACH_PROTO);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "Upgrade");
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_SWITCHING_PROTOCOLS, r);
    MHD_destroy_response(r);
    return ret;
}
