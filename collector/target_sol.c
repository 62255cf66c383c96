/* SPDX-License-Identifier: Apache-2.0 */
/*
 * target_sol.c - a target's serial console, on its poller thread: with
 * `console: capture` the target keeps the SOL payload active over its
 * kept-open session (poller's ipmi_sol_*), cuts the output into lines and
 * stores them (storage_put_console, batched every FLUSH_MS), and raises a
 * "console" alert for a line that contains a panic pattern. An interactive
 * client attached through the daemon (the API's upgraded connection) gets
 * the same output and types into the same payload: a BMC allows one SOL
 * session, so the daemon multiplexes it instead of stealing it.
 *
 * Lines: CR is dropped, ANSI escape sequences and other control characters
 * are removed, a line longer than LINE_MAX_LEN is cut; a partial line (a
 * login prompt) is stored once the console has been quiet for PARTIAL_MS.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "ic_err.h"
#include "storage.h"
#include "target_int.h"

#define FLUSH_MS      500
#define PARTIAL_MS    1000
#define RETRY_MS      30000 /* after SOL could not be activated or ended */
#define PENDING_MAX   4096  /* lines waiting for the database; older ones are dropped */
#define CLIENT_IN_MAX 4096
#define LINE_MAX_LEN  4095

static void
log_line(struct target *t, const char *why)
{
    log_limit_fail(&t->ll, poller_loop_now(t->pl), LOG_LVL_WARN, "%s: console capture: %s",
                   t->spec->name, why);
}

/* ---- lines and storage ---- */

static void
flush(struct target *t)
{
    struct target_sol *c = &t->con;
    if ((!c->npend && !c->held.n) || !t->ctx->st)
        return;
    int rc = c->npend ? storage_put_console(t->ctx->st, t->spec->name, c->pend, c->npend, c->held.v,
                                            c->held.n)
                      : storage_put_state_alerts(t->ctx->st, t->spec->name, clock_wall_ms(), NULL,
                                                 "", c->held.v, c->held.n);
    if (rc == IC_ETOOBIG)
        return; /* the writer's queue is full: keep everything for the next flush */
    if (rc == 0 && c->held.n)
        exp_deliver_kick(t->ctx->deliver);
    for (size_t i = 0; i < c->npend; i++)
        free((char *)(uintptr_t)c->pend[i].text);
    c->npend = 0;
    alert_buf_free(&c->held);
}

static void
end_line(struct target *t)
{
    struct target_sol *c = &t->con;
    c->line[c->len] = '\0';
    uint64_t now = clock_wall_ms();
    if (c->npend == PENDING_MAX) { /* the database is far behind: lose the oldest, say so */
        free((char *)(uintptr_t)c->pend[0].text);
        memmove(c->pend, c->pend + 1, (PENDING_MAX - 1) * sizeof(*c->pend));
        c->npend--;
        c->dropped++;
    }
    char *text = strdup(c->line);
    if (text)
        c->pend[c->npend++] = (struct storage_console_line){now, text};
    c->lines++;
    const char *pat = alert_rules_console_match(t->spec->rules, c->line);
    if (pat) {
        struct alert_who who = {.name = t->spec->name,
                                .host = t->spec->host,
                                .port = t->spec->port,
                                .labels = t->spec->labels,
                                .nlabels = t->spec->nlabels,
                                .labels_json = t->spec->labels_json};
        alert_console(t->spec->rules, &who, c->line, now, c->lines, &c->held);
        log_warn("%s: console: %s", t->spec->name, c->line);
    }
    c->len = 0;
}

static void
take(struct target *t, const uint8_t *p, size_t n)
{
    struct target_sol *c = &t->con;
    if (!c->line)
        return; /* capture ended while data was on its way */
    for (size_t i = 0; i < n; i++) {
        uint8_t b = p[i];
        if (c->esc) { /* ESC [ params final, or ESC + one character */
            if ((c->esc == 1 && b != '[') || (c->esc == 2 && b >= 0x40 && b <= 0x7e))
                c->esc = 0;
            else
                c->esc = 2;
            continue;
        }
        if (b == 0x1b)
            c->esc = 1;
        else if (b == '\n')
            end_line(t);
        else if ((b >= 0x20 && b != 0x7f) || b == '\t') {
            c->line[c->len++] = (char)b;
            if (c->len == LINE_MAX_LEN)
                end_line(t);
        }
    }
    c->last_rx_ms = poller_loop_now(t->pl);
}

/* ---- attached client ---- */

static void
detach(struct target *t, const char *why)
{
    struct target_sol *c = &t->con;
    if (c->client_fd < 0)
        return;
    poller_watch_free(c->client_watch);
    c->client_watch = NULL;
    log_info("%s: console client detached (%s)", t->spec->name, why);
    int fd = c->client_fd;
    c->client_fd = -1;
    c->client_closed(c->client_arg, fd);
}

static void
to_client(struct target *t, const uint8_t *p, size_t n)
{
    struct target_sol *c = &t->con;
    while (c->client_fd >= 0 && n) {
        ssize_t w = write(c->client_fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && errno == EAGAIN) {
            c->client_dropped += n; /* a client that does not read loses output, not us */
            return;
        }
        if (w <= 0) {
            detach(t, "write failed");
            return;
        }
        p += w;
        n -= (size_t)w;
    }
}

/* Client bytes: 0xFF 0x01 = a serial break, 0xFF 0xFF = one 0xFF, anything else as is. */
static void
on_client(void *arg)
{
    struct target *t = arg;
    struct target_sol *c = &t->con;
    uint8_t in[CLIENT_IN_MAX], out[CLIENT_IN_MAX];
    size_t room = c->sol ? ipmi_sol_room(c->sol) : 0;
    ssize_t r = read(c->client_fd, in, room < sizeof(in) ? (room ? room : 1) : sizeof(in));
    if (r < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (r <= 0) {
        detach(t, r == 0 ? "closed" : "read failed");
        return;
    }
    size_t n = 0;
    for (ssize_t i = 0; i < r; i++) {
        if (c->ff) {
            c->ff = 0;
            if (in[i] == 0x01 && c->sol)
                ipmi_sol_send_break(c->sol);
            else if (in[i] == 0xff)
                out[n++] = 0xff;
            continue;
        }
        if (in[i] == 0xff)
            c->ff = 1;
        else
            out[n++] = in[i];
    }
    if (n && (!c->sol || ipmi_sol_write(c->sol, out, n) != 0))
        c->client_lost += n;
}

int
target_attach(struct target *t, int fd, void (*closed)(void *arg, int fd), void *arg, char *err,
              size_t errlen)
{
    struct target_sol *c = &t->con;
    if (!t->spec->console_capture || !c->sol || !c->active) {
        snprintf(err, errlen, "%s: its console is not being captured now%s", t->spec->name,
                 t->spec->console_capture ? " (SOL is not active yet; try again)"
                                          : " (set console: capture)");
        return IC_EAGAIN;
    }
    if (c->client_fd >= 0) {
        snprintf(err, errlen, "%s: another client is attached to its console", t->spec->name);
        return IC_EBUSY;
    }
    if (poller_loop_watch(t->pl, fd, on_client, t, &c->client_watch) != 0) {
        snprintf(err, errlen, "out of memory");
        return IC_ENOMEM;
    }
    c->client_fd = fd;
    c->client_closed = closed;
    c->client_arg = arg;
    c->ff = 0;
    static const uint8_t ok[] = "OK\n";
    to_client(t, ok, sizeof(ok) - 1);
    log_info("%s: console client attached", t->spec->name);
    return 0;
}

/* ---- SOL ---- */

static void
on_data(void *arg, const uint8_t *p, size_t n)
{
    struct target *t = arg;
    take(t, p, n);
    to_client(t, p, n);
}

static void
on_state(void *arg, int err, const char *msg)
{
    struct target *t = arg;
    struct target_sol *c = &t->con;
    if (err == 0 && !c->active && !c->closing) {
        c->active = 1;
        log_info("%s: console capture active (SOL)", t->spec->name);
        return;
    }
    c->active = 0;
    if (c->closing) {
        if (c->closing_wait) { /* a removal waited for this */
            c->closing_wait = 0;
            target_removal_continue(t);
        }
        return;
    }
    /* Ended or never started: try again later (the BMC may have given it to someone else). */
    char why[300];
    snprintf(why, sizeof(why), "SOL %s: %s; trying again in %d s", err ? "ended" : "closed",
             msg && *msg ? msg : "no reason given", RETRY_MS / 1000);
    log_line(t, why);
    c->retry_at = poller_loop_now(t->pl) + RETRY_MS;
    c->ended = 1;
}

static void
on_tick(void *arg)
{
    struct target *t = arg;
    struct target_sol *c = &t->con;
    uint64_t now = poller_loop_now(t->pl);
    if (c->len && now - c->last_rx_ms >= PARTIAL_MS)
        end_line(t); /* a prompt that ends without a newline */
    flush(t);
    if (c->ended && c->sol) {
        ipmi_sol_close(c->sol); /* the handle of a SOL that ended must still be closed */
        c->sol = NULL;
        c->ended = 0;
    }
    poller_timer_start(c->tick, FLUSH_MS);
}

void
target_sol_check(struct target *t, int up)
{
    struct target_sol *c = &t->con;
    if (!t->spec->console_capture) {
        if (c->sol || c->tick)
            target_sol_end(t); /* a reload turned it off */
        return;
    }
    if (!c->tick) {
        c->client_fd = -1;
        if (!(c->tick = poller_timer_new(t->pl, on_tick, t)) ||
            !(c->pend = calloc(PENDING_MAX, sizeof(*c->pend))) ||
            !(c->line = malloc(LINE_MAX_LEN + 1))) {
            log_line(t, "out of memory");
            target_sol_end(t); /* frees what was made: the next poll tries again */
            return;
        }
        poller_timer_start(c->tick, FLUSH_MS);
    }
    if (c->sol || !up || !t->s || poller_loop_now(t->pl) < c->retry_at)
        return;
    struct ipmi_sol_opts o = {0};
    c->closing = 0;
    c->ended = 0;
    if (ipmi_sol_open(t->s, &o, on_data, on_state, t, &c->sol) != 0) {
        c->sol = NULL;
        c->retry_at = poller_loop_now(t->pl) + RETRY_MS;
        log_line(t, "cannot start SOL");
    }
}

void
target_sol_end(struct target *t)
{
    struct target_sol *c = &t->con;
    detach(t, "the target's console capture ended");
    if (c->sol) {
        c->closing = 1;
        c->closing_wait = c->active && !t->aborting; /* Deactivate Payload goes out first */
        ipmi_sol_close(c->sol);
        c->sol = NULL;
    }
    c->active = 0;
    if (c->len)
        end_line(t);
    flush(t);
    for (size_t i = 0; i < c->npend; i++)
        free((char *)(uintptr_t)c->pend[i].text);
    c->npend = 0;
    if (c->held.n)
        log_warn("%s: %zu console alerts not stored (stopping)", t->spec->name, c->held.n);
    alert_buf_free(&c->held);
    free(c->pend);
    c->pend = NULL;
    free(c->line);
    c->line = NULL;
    c->len = 0;
    poller_timer_free(c->tick);
    c->tick = NULL;
}
