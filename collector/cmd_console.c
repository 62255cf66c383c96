/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_console.c - `ipmi-collector console`: the host's serial console over
 * Serial-over-LAN, like `ipmitool sol activate`.
 *
 * stdin goes to the console, the console's output to stdout, raw bytes.
 * On a terminal, stdin is put in raw mode once SOL is active and restored
 * on every way out: ~., the BMC ending SOL, an error, SIGINT/SIGTERM/SIGHUP
 * (a second signal restores the terminal from the handler at once).
 * Escapes, recognised only at the start or right after CR/LF: ~. leave,
 * ~B send a break, ~? help, ~~ one ~ (the character is --escape's).
 * With stdin at end of file (a pipe, for scripts and tests), the command
 * leaves once everything typed is acknowledged and the output has been
 * quiet for QUIET_MS.
 */
#include "cli.h"
#include "ic_err.h"
#include "term.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define QUIET_MS   1000u
#define TICK_MS    100u
#define READ_CHUNK 1024u

static const char console_usage[] =
    "ipmi-collector console -H HOST [-p PORT] -U USER [-E | -f FILE] [-C SUITE] [-L PRIV] "
    "[--escape C|none] [--force]\n"
    "       ipmi-collector console NAME --server URL --token-file FILE (through the daemon)";

struct con {
    struct cli_run *run;
    struct ipmi_session *s;
    struct poller_loop *pl;
    struct ipmi_sol *sol;
    struct poller_watch *in_w, *sig_w;
    struct poller_timer *tick;
    struct term_esc te;
    int steal;
    int active, sol_closed, eof, leaving, done, in_poll_failed;
    int sig_fd;
    uint64_t last_out;
};

static void
finish(struct con *x, int err, const char *msg)
{
    if (x->done)
        return;
    x->done = 1;
    poller_watch_free(x->in_w);
    poller_watch_free(x->sig_w);
    poller_timer_free(x->tick);
    x->in_w = x->sig_w = NULL;
    x->tick = NULL;
    term_restore();
    if (!x->sol_closed) {
        x->sol_closed = 1;
        ipmi_sol_close(x->sol);
    }
    x->sol = NULL;
    cli_finish(x->run, err, msg);
}

static void
leave(struct con *x)
{
    if (x->leaving || x->done)
        return;
    x->leaving = 1;
    poller_watch_free(x->in_w);
    x->in_w = NULL;
    x->sol_closed = 1;
    ipmi_sol_close(x->sol); /* on_state(0) follows, then finish() */
}

static void
send_chars(void *arg, const uint8_t *p, size_t n)
{
    struct con *x = arg;
    if (n && ipmi_sol_write(x->sol, p, n) != 0)
        term_say("[console input dropped: the SOL queue is full]\n");
}

static void
on_escape(void *arg, enum term_esc_event ev)
{
    struct con *x = arg;
    if (ev == TERM_LEAVE)
        leave(x);
    else
        ipmi_sol_send_break(x->sol);
}

/* Reads what stdin has, as much as the SOL queue takes. Returns 0, or -1 at end of file. */
static int
read_stdin(struct con *x)
{
    uint8_t buf[READ_CHUNK];
    size_t room = ipmi_sol_room(x->sol) / 2; /* an escape can turn 1 byte into 2 */
    if (room == 0)
        return 0;
    ssize_t n = read(STDIN_FILENO, buf, room < sizeof(buf) ? room : sizeof(buf));
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return 0;
    if (n <= 0)
        return -1;
    if (!x->leaving)
        term_esc_feed(&x->te, buf, (size_t)n, send_chars, on_escape, x);
    return 0;
}

static void
on_stdin(void *arg)
{
    struct con *x = arg;
    if (x->done || x->leaving)
        return;
    if (ipmi_sol_room(x->sol) < 2) {
        /* The BMC is slow: stop reading until the queue drains (the tick resumes). */
        poller_watch_free(x->in_w);
        x->in_w = NULL;
        return;
    }
    if (read_stdin(x) < 0) {
        x->eof = 1;
        poller_watch_free(x->in_w);
        x->in_w = NULL;
    }
}

static void
on_tick(void *arg)
{
    struct con *x = arg;
    if (x->done || x->leaving)
        return;
    if (!x->eof && !x->in_w && ipmi_sol_room(x->sol) >= 2) {
        if (x->in_poll_failed) {
            /* stdin is a regular file or /dev/null: reads never block. */
            if (read_stdin(x) < 0)
                x->eof = 1;
        } else if (poller_loop_watch(x->pl, STDIN_FILENO, on_stdin, x, &x->in_w) != 0) {
            x->in_poll_failed = 1;
        }
    }
    if (x->leaving)
        return;
    if (x->eof && !ipmi_sol_pending(x->sol) && poller_loop_now(x->pl) - x->last_out >= QUIET_MS) {
        leave(x);
        return;
    }
    poller_timer_start(x->tick, x->in_poll_failed && !x->eof ? 10 : TICK_MS);
}

static void
on_sig_pipe(void *arg)
{
    struct con *x = arg;
    term_signals_drain();
    if (term_got_signal())
        leave(x);
}

static void
on_data(void *arg, const uint8_t *p, size_t n)
{
    struct con *x = arg;
    x->last_out = poller_loop_now(x->pl);
    term_write_all(STDOUT_FILENO, p, n);
}

static void
on_state(void *arg, int err, const char *msg)
{
    struct con *x = arg;
    char m[640];
    if (err == 0 && !x->active && !x->sol_closed) {
        x->active = 1;
        x->last_out = poller_loop_now(x->pl);
        term_make_raw();
        term_say_active(&x->te, "SOL active");
        if (poller_loop_watch(x->pl, STDIN_FILENO, on_stdin, x, &x->in_w) != 0)
            x->in_poll_failed = 1;
        poller_timer_start(x->tick, TICK_MS);
        return;
    }
    if (err) {
        int busy = err == IC_EBUSY && strstr(msg, "already active") && !x->steal;
        snprintf(m, sizeof(m), "%s%s", msg, busy ? " (use --force)" : "");
        term_restore();
        finish(x, err, m);
        return;
    }
    term_restore();
    if (x->active && !term_got_signal())
        term_say("[SOL closed]\n");
    finish(x, 0, NULL);
}

static void
first_step(struct cli_run *run, struct ipmi_session *s, void *arg)
{
    struct con *x = arg;
    struct ipmi_sol_opts o = {.steal = x->steal};
    x->run = run;
    x->s = s;
    x->pl = ipmi_session_loop(s);
    x->tick = poller_timer_new(x->pl, on_tick, x);
    if (!x->tick) {
        cli_finish(run, IC_ENOMEM, "out of memory");
        return;
    }
    if (x->sig_fd >= 0 && poller_loop_watch(x->pl, x->sig_fd, on_sig_pipe, x, &x->sig_w) != 0)
        x->sig_w = NULL;
    int rc = ipmi_sol_open(s, &o, on_data, on_state, x, &x->sol);
    if (rc) {
        x->sol_closed = 1;
        finish(x, rc, "cannot start SOL");
    }
}

/* Takes --escape C and --force out of argv; the rest is connection options. */
static int
own_flags(int argc, char **argv, char **av, struct con *x)
{
    int n = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--force") == 0) {
            x->steal = 1;
        } else if (strcmp(argv[i], "--escape") == 0 || strcmp(argv[i], "-e") == 0) {
            if (i + 1 >= argc)
                return -1;
            const char *e = argv[++i];
            if (strcmp(e, "none") == 0)
                x->te.esc = -1;
            else if (strlen(e) == 1 && (unsigned char)e[0] >= 0x20 && e[0] != 0x7f)
                x->te.esc = (unsigned char)e[0];
            else
                return -1;
        } else {
            av[n++] = argv[i];
        }
    }
    return n;
}

int
cmd_console(int argc, char **argv)
{
    struct con x = {.te = {.esc = '~', .bol = 1}, .sig_fd = -1};
    for (int i = 1; i < argc; i++) /* through the daemon: a different set of options */
        if (strcmp(argv[i], "--server") == 0 || strncmp(argv[i], "--server=", 9) == 0)
            return console_remote(argc, argv);
    struct cli_conn c;
    char **av = calloc((size_t)argc + 1, sizeof(*av));
    if (!av)
        return CLI_EXIT_ERROR;
    int n = own_flags(argc, argv, av, &x);
    if (n < 0) {
        fprintf(stderr,
                "ipmi-collector: --escape takes one printable character, or none\n"
                "usage: %s\n",
                console_usage);
        free(av);
        return CLI_EXIT_USAGE;
    }
    int rc = cli_parse_conn(n, av, console_usage, &c);
    free(av);
    if (rc) {
        if (rc < 0)
            printf("\n  --escape C           escape character (default ~; none: no escapes)\n"
                   "  --force              take over a SOL payload active on another session\n");
        return rc < 0 ? 0 : rc;
    }
    if (c.nargs) {
        fprintf(stderr, "ipmi-collector: unexpected argument '%s'\nusage: %s\n", c.args[0],
                console_usage);
        cli_conn_free(&c);
        return CLI_EXIT_USAGE;
    }
    x.sig_fd = term_signals_start();
    rc = cli_run_session(&c, first_step, &x);
    term_signals_stop();
    cli_conn_free(&c);
    if (term_got_signal() && rc == 0)
        return 128 + term_got_signal();
    return rc;
}
