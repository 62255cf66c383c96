/* SPDX-License-Identifier: Apache-2.0 */
/*
 * term.c - the terminal side of an interactive console (term.h). The signal
 * handler touches nothing but termios and a self-pipe, so the loop learns of
 * a signal by reading the pipe.
 */
#include "term.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define FEED_CHUNK 1024u

static int sig_pipe[2] = {-1, -1};
static volatile sig_atomic_t got_sig;
static volatile sig_atomic_t term_raw;
static struct termios term_saved;

void
term_restore(void)
{
    if (term_raw) {
        tcsetattr(STDIN_FILENO, TCSADRAIN, &term_saved);
        term_raw = 0;
    }
}

void
term_make_raw(void)
{
    struct termios t;
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &term_saved) != 0)
        return;
    t = term_saved;
    cfmakeraw(&t);
    if (tcsetattr(STDIN_FILENO, TCSADRAIN, &t) == 0)
        term_raw = 1;
}

static void
on_signal(int sig)
{
    int e = errno;
    if (got_sig) {
        /* Second signal: the terminal is given back now, whatever the loop is doing. */
        if (term_raw)
            tcsetattr(STDIN_FILENO, TCSANOW, &term_saved);
        term_raw = 0;
    } else {
        got_sig = sig;
    }
    if (sig_pipe[1] >= 0) {
        ssize_t w = write(sig_pipe[1], "s", 1);
        (void)w;
    }
    errno = e;
}

static void
signals_set(int on)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on ? on_signal : SIG_DFL;
    sa.sa_flags = SA_RESTART;
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        sigaction(sigs[i], &sa, NULL);
}

int
term_signals_start(void)
{
    if (pipe(sig_pipe) != 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(sig_pipe[i], F_SETFL, fcntl(sig_pipe[i], F_GETFL) | O_NONBLOCK);
        fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
    }
    signals_set(1);
    return sig_pipe[0];
}

void
term_signals_stop(void)
{
    term_restore();
    signals_set(0);
    for (int i = 0; i < 2; i++) {
        if (sig_pipe[i] >= 0)
            close(sig_pipe[i]);
        sig_pipe[i] = -1;
    }
}

int
term_got_signal(void)
{
    return got_sig;
}

void
term_signals_drain(void)
{
    char b[16];
    while (sig_pipe[0] >= 0 && read(sig_pipe[0], b, sizeof(b)) > 0)
        ;
}

void
term_say(const char *text)
{
    for (const char *p = text; *p; p++) {
        if (*p == '\n' && term_raw)
            fputc('\r', stderr);
        fputc(*p, stderr);
    }
    fflush(stderr);
}

void
term_write_all(int fd, const uint8_t *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return; /* stdout gone: keep the console running until told to leave */
        p += w;
        n -= (size_t)w;
    }
}

static void
help(const struct term_esc *x)
{
    char t[512];
    char e = (char)x->esc;
    snprintf(t, sizeof(t),
             "\n[Supported escape sequences, only at the start of a line:]\n"
             "  %c.  leave the console\n"
             "  %cB  send a break\n"
             "  %c?  this message\n"
             "  %c%c  send the escape character itself\n",
             e, e, e, e, e);
    term_say(t);
}

void
term_say_active(const struct term_esc *e, const char *what)
{
    char b[160];
    if (e->esc >= 0)
        snprintf(b, sizeof(b), "[%s; %c. to leave, %c? for help]\n", what, e->esc, e->esc);
    else
        snprintf(b, sizeof(b), "[%s]\n", what);
    term_say(b);
}

int
term_esc_feed(struct term_esc *x, const uint8_t *in, size_t n,
              void (*send)(void *arg, const uint8_t *p, size_t n),
              void (*event)(void *arg, enum term_esc_event ev), void *arg)
{
    uint8_t out[2 * FEED_CHUNK];
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = in[i];
        if (o + 2 > sizeof(out)) {
            send(arg, out, o);
            o = 0;
        }
        if (x->pending) {
            x->pending = 0;
            if (c == '.') {
                if (o)
                    send(arg, out, o);
                event(arg, TERM_LEAVE);
                return 1;
            }
            if (c == 'B') {
                if (o)
                    send(arg, out, o);
                o = 0;
                event(arg, TERM_BREAK);
                term_say("[sending break]\n");
                continue;
            }
            if (c == '?') {
                help(x);
                continue;
            }
            out[o++] = (uint8_t)x->esc;
            if (c == x->esc) {
                x->bol = 0;
                continue;
            }
        } else if (x->bol && x->esc >= 0 && c == x->esc) {
            x->pending = 1;
            continue;
        }
        out[o++] = c;
        x->bol = c == '\r' || c == '\n';
    }
    if (o)
        send(arg, out, o);
    return 0;
}
