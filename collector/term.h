/* SPDX-License-Identifier: Apache-2.0 */
/*
 * term.h - what an interactive console needs from the terminal, shared by
 * `ipmi-collector console` on a BMC (cmd_console.c) and through the daemon
 * (console_remote.c): raw mode restored on every way out, signals turned
 * into a readable pipe, and the escape sequences typed at a line's start.
 */
#ifndef IC_TERM_H
#define IC_TERM_H

#include <stddef.h>
#include <stdint.h>

/* SIGINT/SIGTERM/SIGHUP write to a pipe (its read end returned, -1 if none); a second signal
   restores the terminal from the handler at once. */
int term_signals_start(void);
void term_signals_stop(void);
/* The first signal caught (0: none). */
int term_got_signal(void);
/* Drains the signal pipe. */
void term_signals_drain(void);

/* stdin in raw mode if it is a terminal; restored by term_restore (idempotent). */
void term_make_raw(void);
void term_restore(void);
/* A message on stderr (CR LF in raw mode). */
void term_say(const char *text);
/* All of p to fd (stdout); a closed fd is ignored. */
void term_write_all(int fd, const uint8_t *p, size_t n);

/* The escape recogniser: ESC. leave, ESCB break, ESC? help, ESCESC one ESC, at a line's start. */
struct term_esc {
    int esc; /* the escape character, -1: none */
    int bol, pending;
};
enum term_esc_event { TERM_LEAVE = 1, TERM_BREAK };
/*
 * Feeds typed bytes: the ones for the console go to send (in pieces), events to event; help
 * is printed here. Returns 1 once TERM_LEAVE was seen (the rest of in is dropped), else 0.
 */
int term_esc_feed(struct term_esc *e, const uint8_t *in, size_t n,
                  void (*send)(void *arg, const uint8_t *p, size_t n),
                  void (*event)(void *arg, enum term_esc_event ev), void *arg);
/* "[... active; ~. to leave, ~? for help]" for what (e.g. "SOL active"). */
void term_say_active(const struct term_esc *e, const char *what);

#endif
