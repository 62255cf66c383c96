/* SPDX-License-Identifier: Apache-2.0 */
/*
 * control.c - the simulator's runtime control endpoint: a small HTTP/JSON
 * API for tests and rehearsals (libmicrohttpd + json-c). It runs on the
 * fleet's own libuv loop: libmicrohttpd in external epoll mode hands us one
 * epoll descriptor, which a uv_poll watches, so handlers call the BMC
 * engine directly, with no thread and no lock.
 *
 * BMC = index (1-based) or name (bmc00001). Bodies and answers are JSON.
 *   GET  /bmcs                      every BMC: name, address, port, power, sessions, faults
 *   GET  /bmcs/BMC                  one of them
 *   POST /bmcs/BMC/sensor           {"name": "CPU1 Temp", "value": 92}  (discrete: state bits);
 *                                   threshold crossings log SEL events, as a BMC does
 *   POST /bmcs/BMC/sel              {"sensor": "Intrusion", "offset": 0, "deassert": false}
 *                                   or {"record": "<32 hex digits>"} (ID and time are assigned)
 *   POST /bmcs/BMC/power            {"state": "on"|"off"}
 *   POST /bmcs/BMC/pause|resume     stop / start answering (sessions time out on clients)
 *   POST /bmcs/BMC/reboot           drop every session
 *   POST /faults                    {"bmcs": "all"|[1, 2], "loss": 0.2, "latency_ms": 100,
 *                                    "jitter_ms": 50, "hostile": true}  (omitted keys unchanged)
 *   GET  /stats                     fleet counters
 * Errors: 400 (bad JSON or value), 404 (no such BMC, sensor or route), with {"error": "..."}.
 */
#include "fleet_int.h"
#include "ic_err.h"

#include <arpa/inet.h>
#include <json-c/json.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONTROL_MAX_BODY 4096

struct sim_control {
    struct MHD_Daemon *d;
    uv_poll_t poll;
    uv_timer_t timer;
};

/* A request body being received. */
struct body {
    size_t len;
    int too_big;
    char buf[CONTROL_MAX_BODY + 1];
};

static enum MHD_Result
reply(struct MHD_Connection *c, unsigned status, json_object *o)
{
    const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(s), (void *)(uintptr_t)s, MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(r, "Content-Type", "application/json");
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    json_object_put(o);
    return ret;
}

static enum MHD_Result
error(struct MHD_Connection *c, unsigned status, const char *msg)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "error", json_object_new_string(msg));
    return reply(c, status, o);
}

static enum MHD_Result
ok(struct MHD_Connection *c, json_object *extra)
{
    json_object *o = extra ? extra : json_object_new_object();
    json_object_object_add(o, "ok", json_object_new_boolean(1));
    return reply(c, MHD_HTTP_OK, o);
}

/* "7" or "bmc00007" -> slot index, or -1. */
static int
find_bmc(const struct sim_fleet *f, const char *s, size_t len)
{
    char tmp[32], *end;
    if (len == 0 || len >= sizeof(tmp))
        return -1;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    const char *num = strncmp(tmp, "bmc", 3) == 0 ? tmp + 3 : tmp;
    unsigned long k = strtoul(num, &end, 10);
    if (*end || k == 0 || k > f->bound)
        return -1;
    return (int)k - 1;
}

static json_object *
bmc_json(struct sim_fleet *f, unsigned i)
{
    struct sim_slot *s = &f->slots[i];
    struct sockaddr_storage ss;
    int len = sizeof(ss);
    char host[64] = "";
    unsigned port = 0;
    if (uv_udp_getsockname(&s->udp, (struct sockaddr *)&ss, &len) == 0 && ss.ss_family == AF_INET) {
        struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
        inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
        port = ntohs(sin->sin_port);
    }
    struct sim_bmc_stats st;
    sim_bmc_stats(s->bmc, &st);
    char name[16];
    snprintf(name, sizeof(name), "bmc%05u", i + 1);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "bmc", json_object_new_int((int)i + 1));
    json_object_object_add(o, "name", json_object_new_string(name));
    json_object_object_add(o, "address", json_object_new_string(host));
    json_object_object_add(o, "port", json_object_new_int((int)port));
    json_object_object_add(o, "power",
                           json_object_new_string(sim_bmc_power(s->bmc) ? "on" : "off"));
    json_object_object_add(o, "sessions", json_object_new_int((int)st.sessions_active));
    json_object_object_add(o, "requests", json_object_new_int64((int64_t)st.requests));
    json_object_object_add(o, "paused", json_object_new_boolean(s->faults.paused));
    json_object *fx = json_object_new_object();
    json_object_object_add(fx, "loss", json_object_new_double(s->faults.loss_permille / 1000.0));
    json_object_object_add(fx, "latency_ms", json_object_new_int(s->faults.latency_ms));
    json_object_object_add(fx, "jitter_ms", json_object_new_int(s->faults.jitter_ms));
    json_object_object_add(fx, "hostile", json_object_new_boolean(s->faults.hostile));
    json_object_object_add(o, "faults", fx);
    return o;
}

static int
hexbyte(const char *p, uint8_t *out)
{
    unsigned v;
    char t[3] = {p[0], p[1], 0};
    if (!p[0] || !p[1] || sscanf(t, "%2x", &v) != 1)
        return -1;
    *out = (uint8_t)v;
    return 0;
}

static enum MHD_Result
bmc_action(struct sim_fleet *f, struct MHD_Connection *c, unsigned i, const char *what,
           json_object *body)
{
    struct sim_slot *s = &f->slots[i];
    uint64_t now = uv_now(&f->loop);
    json_object *v;
    if (strcmp(what, "pause") == 0 || strcmp(what, "resume") == 0) {
        s->faults.paused = what[0] == 'p';
        return ok(c, NULL);
    }
    if (strcmp(what, "reboot") == 0) {
        sim_bmc_reboot(s->bmc);
        return ok(c, NULL);
    }
    if (!body)
        return error(c, MHD_HTTP_BAD_REQUEST, "a JSON object body is required");
    if (strcmp(what, "sensor") == 0) {
        json_object *name, *value;
        if (!json_object_object_get_ex(body, "name", &name) ||
            !json_object_object_get_ex(body, "value", &value))
            return error(c, MHD_HTTP_BAD_REQUEST, "sensor needs \"name\" and \"value\"");
        if (sim_bmc_set_sensor(s->bmc, json_object_get_string(name), json_object_get_double(value),
                               now) != 0)
            return error(c, MHD_HTTP_NOT_FOUND, "no such sensor");
        return ok(c, NULL);
    }
    if (strcmp(what, "sel") == 0) {
        int id;
        if (json_object_object_get_ex(body, "record", &v)) {
            const char *hex = json_object_get_string(v);
            uint8_t rec[16] = {0};
            if (!hex || strlen(hex) != 32)
                return error(c, MHD_HTTP_BAD_REQUEST, "record must be 32 hex digits");
            for (int k = 0; k < 16; k++)
                if (hexbyte(hex + 2 * k, &rec[k]) != 0)
                    return error(c, MHD_HTTP_BAD_REQUEST, "record must be 32 hex digits");
            id = sim_bmc_sel_add(s->bmc, rec, now);
        } else {
            json_object *sensor, *offset, *deassert = NULL;
            if (!json_object_object_get_ex(body, "sensor", &sensor) ||
                !json_object_object_get_ex(body, "offset", &offset))
                return error(c, MHD_HTTP_BAD_REQUEST,
                             "sel needs \"record\", or \"sensor\" and \"offset\"");
            json_object_object_get_ex(body, "deassert", &deassert);
            id = sim_bmc_sel_event(s->bmc, json_object_get_string(sensor),
                                   (unsigned)json_object_get_int(offset),
                                   deassert && json_object_get_boolean(deassert), now);
        }
        if (id < 0)
            return error(c, id == IC_EINVAL ? MHD_HTTP_NOT_FOUND : MHD_HTTP_CONFLICT,
                         id == IC_EINVAL ? "no such sensor, or offset out of 0-14" : "SEL full");
        json_object *o = json_object_new_object();
        json_object_object_add(o, "record_id", json_object_new_int(id));
        return ok(c, o);
    }
    if (strcmp(what, "power") == 0) {
        const char *st =
            json_object_object_get_ex(body, "state", &v) ? json_object_get_string(v) : NULL;
        if (!st || (strcmp(st, "on") != 0 && strcmp(st, "off") != 0))
            return error(c, MHD_HTTP_BAD_REQUEST, "power needs {\"state\": \"on\"|\"off\"}");
        sim_bmc_set_power(s->bmc, strcmp(st, "on") == 0);
        return ok(c, NULL);
    }
    return error(c, MHD_HTTP_NOT_FOUND, "unknown action");
}

static void
apply_faults(struct sim_faults *fx, json_object *body)
{
    json_object *v;
    if (json_object_object_get_ex(body, "loss", &v)) {
        double p = json_object_get_double(v);
        fx->loss_permille = (uint16_t)(p <= 0 ? 0 : p >= 1 ? 1000 : p * 1000 + 0.5);
    }
    if (json_object_object_get_ex(body, "latency_ms", &v))
        fx->latency_ms = (uint16_t)(json_object_get_int(v) < 0       ? 0
                                    : json_object_get_int(v) > 60000 ? 60000
                                                                     : json_object_get_int(v));
    if (json_object_object_get_ex(body, "jitter_ms", &v))
        fx->jitter_ms = (uint16_t)(json_object_get_int(v) < 0       ? 0
                                   : json_object_get_int(v) > 60000 ? 60000
                                                                    : json_object_get_int(v));
    if (json_object_object_get_ex(body, "hostile", &v))
        fx->hostile = json_object_get_boolean(v) != 0;
}

static enum MHD_Result
faults(struct sim_fleet *f, struct MHD_Connection *c, json_object *body)
{
    json_object *bmcs;
    if (!body)
        return error(c, MHD_HTTP_BAD_REQUEST, "a JSON object body is required");
    if (!json_object_object_get_ex(body, "bmcs", &bmcs) ||
        json_object_is_type(bmcs, json_type_string)) {
        if (bmcs && strcmp(json_object_get_string(bmcs), "all") != 0)
            return error(c, MHD_HTTP_BAD_REQUEST, "\"bmcs\" is \"all\" or a list of numbers");
        for (unsigned i = 0; i < f->bound; i++)
            apply_faults(&f->slots[i].faults, body);
        return ok(c, NULL);
    }
    if (!json_object_is_type(bmcs, json_type_array))
        return error(c, MHD_HTTP_BAD_REQUEST, "\"bmcs\" is \"all\" or a list of numbers");
    size_t n = json_object_array_length(bmcs);
    for (size_t j = 0; j < n; j++) {
        int k = json_object_get_int(json_object_array_get_idx(bmcs, j));
        if (k < 1 || (unsigned)k > f->bound)
            return error(c, MHD_HTTP_NOT_FOUND, "no such BMC in \"bmcs\"");
    }
    for (size_t j = 0; j < n; j++)
        apply_faults(&f->slots[json_object_get_int(json_object_array_get_idx(bmcs, j)) - 1].faults,
                     body);
    return ok(c, NULL);
}

static enum MHD_Result
route(struct sim_fleet *f, struct MHD_Connection *c, const char *method, const char *url,
      json_object *body)
{
    int get = strcmp(method, "GET") == 0, post = strcmp(method, "POST") == 0;
    if (get && strcmp(url, "/bmcs") == 0) {
        json_object *a = json_object_new_array();
        for (unsigned i = 0; i < f->bound; i++)
            json_object_array_add(a, bmc_json(f, i));
        return reply(c, MHD_HTTP_OK, a);
    }
    if (get && strcmp(url, "/stats") == 0) {
        struct sim_fleet_stats st;
        sim_fleet_stats(f, &st);
        json_object *o = json_object_new_object();
        json_object_object_add(o, "bmcs", json_object_new_int((int)f->bound));
        json_object_object_add(o, "datagrams", json_object_new_int64((int64_t)st.datagrams));
        json_object_object_add(o, "requests", json_object_new_int64((int64_t)st.requests));
        json_object_object_add(o, "sessions_opened",
                               json_object_new_int64((int64_t)st.sessions_opened));
        json_object_object_add(o, "sessions_active", json_object_new_int64(st.sessions_active));
        json_object_object_add(o, "auth_failures",
                               json_object_new_int64((int64_t)st.auth_failures));
        json_object_object_add(o, "dropped_by_fault",
                               json_object_new_int64((int64_t)st.dropped_by_fault));
        json_object_object_add(o, "hostile_sent", json_object_new_int64((int64_t)st.hostile_sent));
        return reply(c, MHD_HTTP_OK, o);
    }
    if (post && strcmp(url, "/faults") == 0)
        return faults(f, c, body);
    if (strncmp(url, "/bmcs/", 6) == 0) {
        const char *id = url + 6, *slash = strchr(id, '/');
        int i = find_bmc(f, id, slash ? (size_t)(slash - id) : strlen(id));
        if (i < 0)
            return error(c, MHD_HTTP_NOT_FOUND, "no such BMC");
        if (get && !slash)
            return reply(c, MHD_HTTP_OK, bmc_json(f, (unsigned)i));
        if (post && slash)
            return bmc_action(f, c, (unsigned)i, slash + 1, body);
    }
    return error(c, MHD_HTTP_NOT_FOUND, "no such route (see GET /bmcs, POST /faults)");
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
           const char *version, const char *upload, size_t *upload_len, void **con_cls)
{
    struct sim_fleet *f = cls;
    (void)version;
    struct body *b = *con_cls;
    if (!b) {
        b = calloc(1, sizeof(*b));
        if (!b)
            return MHD_NO;
        *con_cls = b;
        return MHD_YES;
    }
    if (*upload_len) {
        if (b->len + *upload_len > CONTROL_MAX_BODY)
            b->too_big = 1;
        else {
            memcpy(b->buf + b->len, upload, *upload_len);
            b->len += *upload_len;
        }
        *upload_len = 0;
        return MHD_YES;
    }
    if (b->too_big)
        return error(c, MHD_HTTP_CONTENT_TOO_LARGE, "body larger than 4096 bytes");
    json_object *body = NULL;
    if (b->len) {
        b->buf[b->len] = '\0';
        body = json_tokener_parse(b->buf);
        if (!body || !json_object_is_type(body, json_type_object)) {
            json_object_put(body);
            return error(c, MHD_HTTP_BAD_REQUEST, "the body is not a JSON object");
        }
    }
    enum MHD_Result r = route(f, c, method, url, body);
    json_object_put(body);
    return r;
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
             enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    free(*con_cls);
    *con_cls = NULL;
}

static void
on_poll(uv_poll_t *p, int status, int events)
{
    struct sim_control *ctl = p->data;
    (void)status;
    (void)events;
    MHD_run(ctl->d);
}

static void
on_tick(uv_timer_t *t)
{
    struct sim_control *ctl = t->data;
    MHD_run(ctl->d); /* connection timeouts */
}

int
sim_fleet_control(struct sim_fleet *f, const char *host, uint16_t port, char *err, size_t errlen)
{
    struct sockaddr_in sa;
    if (uv_ip4_addr(host, port, &sa) != 0) {
        snprintf(err, errlen, "control address %s:%u is not an IPv4 address", host, port);
        return IC_ECONFIG;
    }
    struct sim_control *ctl = calloc(1, sizeof(*ctl));
    if (!ctl)
        return IC_ENOMEM;
    ctl->d = MHD_start_daemon(MHD_USE_EPOLL, port, NULL, NULL, on_request, f, MHD_OPTION_SOCK_ADDR,
                              (struct sockaddr *)&sa, MHD_OPTION_NOTIFY_COMPLETED, on_completed,
                              NULL, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10, MHD_OPTION_END);
    const union MHD_DaemonInfo *info =
        ctl->d ? MHD_get_daemon_info(ctl->d, MHD_DAEMON_INFO_EPOLL_FD) : NULL;
    if (!info) {
        snprintf(err, errlen, "cannot listen on %s:%u for the control endpoint (port taken?)", host,
                 port);
        if (ctl->d)
            MHD_stop_daemon(ctl->d);
        free(ctl);
        return IC_EIO;
    }
    uv_poll_init(&f->loop, &ctl->poll, info->epoll_fd);
    ctl->poll.data = ctl;
    uv_poll_start(&ctl->poll, UV_READABLE, on_poll);
    uv_timer_init(&f->loop, &ctl->timer);
    ctl->timer.data = ctl;
    uv_timer_start(&ctl->timer, on_tick, 1000, 1000);
    f->control = ctl;
    return 0;
}

void
sim_control_stop(struct sim_fleet *f)
{
    struct sim_control *ctl = f->control;
    if (!ctl)
        return;
    /* The uv handles are closed with every other handle of the loop. */
    MHD_stop_daemon(ctl->d);
    ctl->d = NULL;
}
