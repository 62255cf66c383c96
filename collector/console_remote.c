/* SPDX-License-Identifier: Apache-2.0 */
/*
 * console_remote.c - `ipmi-collector console NAME --server URL`: a target's
 * console through the daemon that captures it (docs/api.md, "console
 * attach"), so an operator shares the BMC's one SOL session with the
 * capture instead of taking it away. libcurl makes the connection (TCP or
 * TLS, CONNECT_ONLY); the HTTP upgrade request and the raw stream after it
 * go over curl_easy_send/recv. The terminal behaves as in the direct
 * console (term.c): raw mode, the same escapes; a break travels as 0xFF 0x01.
 */
#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "cli.h"
#include "ic_err.h"
#include "term.h"

#define TOKEN_MAX  1024
#define QUIET_MS   1000
#define IO_TIMEOUT 10000

static const char remote_usage[] =
    "usage: ipmi-collector console NAME --server URL --token-file FILE [--ca-file FILE]\n"
    "                              [--insecure] [--escape C|none]\n"
    "\n"
    "The console of target NAME through the daemon at URL (http(s)://HOST:PORT), which\n"
    "captures it (console: capture): typing goes to the host, the output comes back,\n"
    "and the capture goes on. The token (role operate) is read from FILE, which only its\n"
    "owner may read. Escapes at a line's start: ~. leave, ~B break, ~? help, ~~ a ~.\n";

struct remote {
    CURL *curl;
    curl_socket_t sock;
    struct term_esc te;
    int leave, failed;
};

static int
wait_sock(struct remote *r, short events)
{
    struct pollfd p = {.fd = r->sock, .events = events};
    return poll(&p, 1, IO_TIMEOUT) > 0 ? 0 : -1;
}

static int
send_all(struct remote *r, const void *buf, size_t n)
{
    const char *p = buf;
    while (n) {
        size_t sent = 0;
        CURLcode rc = curl_easy_send(r->curl, p, n, &sent);
        if (rc == CURLE_AGAIN) {
            if (wait_sock(r, POLLOUT) != 0)
                return -1;
            continue;
        }
        if (rc != CURLE_OK)
            return -1;
        p += sent;
        n -= sent;
    }
    return 0;
}

/* Up to n bytes; 0 at the end of the stream, -1 on an error, -2 when nothing is there yet. */
static ssize_t
recv_some(struct remote *r, char *buf, size_t n)
{
    size_t got = 0;
    CURLcode rc = curl_easy_recv(r->curl, buf, n, &got);
    if (rc == CURLE_AGAIN)
        return -2;
    if (rc != CURLE_OK)
        return -1;
    return (ssize_t)got;
}

/* Reads until the buffer holds needle (the head of the answer). Returns its length or -1. */
static ssize_t
read_until(struct remote *r, char *buf, size_t cap, size_t *len, const char *needle)
{
    while (!memmem(buf, *len, needle, strlen(needle))) {
        if (*len + 1 >= cap)
            return -1;
        ssize_t n = recv_some(r, buf + *len, cap - 1 - *len);
        if (n == -2) {
            if (wait_sock(r, POLLIN) != 0)
                return -1;
            continue;
        }
        if (n <= 0)
            return -1;
        *len += (size_t)n;
        buf[*len] = '\0';
    }
    return (ssize_t)((char *)memmem(buf, *len, needle, strlen(needle)) - buf) +
           (ssize_t)strlen(needle);
}

static int
read_token(const char *path, char *tok, size_t cap)
{
    struct stat st;
    FILE *fp = fopen(path, "re");
    if (!fp || fstat(fileno(fp), &st) != 0) {
        fprintf(stderr, "ipmi-collector: token file %s: %s\n", path, strerror(errno));
        if (fp)
            fclose(fp);
        return -1;
    }
    if (st.st_mode & 077) {
        fprintf(stderr,
                "ipmi-collector: token file %s has mode %04o: others can read it (chmod 600 %s)\n",
                path, (unsigned)(st.st_mode & 07777), path);
        fclose(fp);
        return -1;
    }
    size_t n = fread(tok, 1, cap - 1, fp);
    fclose(fp);
    while (n && (tok[n - 1] == '\n' || tok[n - 1] == '\r'))
        n--;
    tok[n] = '\0';
    if (n == 0 || n >= cap - 1) {
        fprintf(stderr, "ipmi-collector: token file %s is empty or too long\n", path);
        return -1;
    }
    return 0;
}

/* Typed bytes for the stream: 0xFF doubled (0xFF 0x01 is the break). */
static void
send_typed(void *arg, const uint8_t *p, size_t n)
{
    struct remote *r = arg;
    uint8_t out[2048];
    size_t o = 0;
    for (size_t i = 0; i < n && !r->failed; i++) {
        if (o + 2 > sizeof(out)) {
            r->failed = send_all(r, out, o) != 0;
            o = 0;
        }
        out[o++] = p[i];
        if (p[i] == 0xff)
            out[o++] = 0xff;
    }
    if (o && !r->failed)
        r->failed = send_all(r, out, o) != 0;
}

static void
on_escape(void *arg, enum term_esc_event ev)
{
    struct remote *r = arg;
    static const uint8_t brk[2] = {0xff, 0x01};
    if (ev == TERM_LEAVE)
        r->leave = 1;
    else
        r->failed = send_all(r, brk, 2) != 0;
}

/* After the 101: the stream until ~., the server's end, a signal, or stdin's end and quiet. */
static int
relay(struct remote *r, int sig_fd, const char *rest, size_t nrest)
{
    uint8_t buf[4096];
    int eof = 0;
    uint64_t last_out = clock_mono_ms();
    if (nrest)
        term_write_all(STDOUT_FILENO, (const uint8_t *)rest, nrest);
    while (!r->leave && !r->failed && !term_got_signal()) {
        struct pollfd p[3] = {{.fd = r->sock, .events = POLLIN},
                              {.fd = eof ? -1 : STDIN_FILENO, .events = POLLIN},
                              {.fd = sig_fd, .events = POLLIN}};
        if (poll(p, 3, 100) < 0 && errno != EINTR)
            return CLI_EXIT_ERROR;
        if (p[2].revents)
            term_signals_drain();
        for (;;) { /* TLS may hold decrypted bytes the socket does not show */
            ssize_t n = recv_some(r, (char *)buf, sizeof(buf));
            if (n == -2)
                break;
            if (n <= 0) {
                term_restore();
                term_say("\n[the daemon closed the console]\n");
                return n == 0 ? CLI_EXIT_SESSION : CLI_EXIT_ERROR;
            }
            term_write_all(STDOUT_FILENO, buf, (size_t)n);
            last_out = clock_mono_ms();
        }
        if (p[1].revents & (POLLIN | POLLHUP)) {
            ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
            if (n > 0)
                term_esc_feed(&r->te, buf, (size_t)n, send_typed, on_escape, r);
            else if (n == 0 || errno != EINTR)
                eof = 1;
        }
        if (eof && clock_mono_ms() - last_out >= QUIET_MS)
            break;
    }
    return r->failed ? CLI_EXIT_ERROR : CLI_EXIT_OK;
}

/* The answer to the upgrade request: 101 then "OK", or the reason it was refused. */
static int
handshake(struct remote *r, const char *target, const char *token, const char **rest, size_t *nrest,
          char *buf, size_t cap)
{
    char req[TOKEN_MAX + 512];
    int n = snprintf(req, sizeof(req),
                     "POST /api/v1/targets/%s/console/attach HTTP/1.1\r\nHost: ipmi-collector\r\n"
                     "Authorization: Bearer %s\r\nConnection: Upgrade\r\n"
                     "Upgrade: ipmi-collector-console\r\nContent-Length: 0\r\n\r\n",
                     target, token);
    int sent = send_all(r, req, (size_t)n);
    memset(req, 0, sizeof(req)); /* the token */
    if (sent != 0) {
        fprintf(stderr, "ipmi-collector: the daemon closed the connection\n");
        return CLI_EXIT_ERROR;
    }
    size_t len = 0;
    ssize_t head = read_until(r, buf, cap, &len, "\r\n\r\n");
    int status = 0;
    if (head < 0 || sscanf(buf, "HTTP/1.%*c %d", &status) != 1) {
        fprintf(stderr, "ipmi-collector: no HTTP answer from the daemon\n");
        return CLI_EXIT_PROTO;
    }
    if (status != 101) {
        const char *body = buf + head;
        /* The API's errors are {"error":"..."}: show the message. */
        const char *e = strstr(body, "\"error\":\"");
        char msg[400] = "";
        if (e)
            sscanf(e + 9, "%399[^\"]", msg);
        fprintf(stderr, "ipmi-collector: the daemon answered %d%s%s\n", status, msg[0] ? ": " : "",
                msg);
        return status == 401 ? CLI_EXIT_AUTH : status == 403 ? CLI_EXIT_PRIV : CLI_EXIT_ERROR;
    }
    size_t off = (size_t)head;
    memmove(buf, buf + off, len - off);
    len -= off;
    buf[len] = '\0';
    ssize_t line = read_until(r, buf, cap, &len, "\n");
    if (line < 0) {
        fprintf(stderr, "ipmi-collector: the daemon closed the console at once\n");
        return CLI_EXIT_PROTO;
    }
    if (strncmp(buf, "OK\n", 3) != 0) {
        buf[line - 1] = '\0';
        fprintf(stderr, "ipmi-collector: %s\n", strncmp(buf, "ERR ", 4) == 0 ? buf + 4 : buf);
        return strstr(buf, "another client") ? CLI_EXIT_BUSY : CLI_EXIT_ERROR;
    }
    *rest = buf + line;
    *nrest = len - (size_t)line;
    return 0;
}

int
console_remote(int argc, char **argv)
{
    static const struct option opts[] = {{"server", required_argument, NULL, 's'},
                                         {"token-file", required_argument, NULL, 't'},
                                         {"ca-file", required_argument, NULL, 'a'},
                                         {"insecure", no_argument, NULL, 'k'},
                                         {"escape", required_argument, NULL, 'e'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *server = NULL, *token_file = NULL, *ca = NULL;
    struct remote r = {.te = {.esc = '~', .bol = 1}, .sock = CURL_SOCKET_BAD};
    int insecure = 0, ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "s:t:a:ke:h", opts, NULL)) != -1) {
        if (ch == 's')
            server = optarg;
        else if (ch == 't')
            token_file = optarg;
        else if (ch == 'a')
            ca = optarg;
        else if (ch == 'k')
            insecure = 1;
        else if (ch == 'e' && strcmp(optarg, "none") == 0)
            r.te.esc = -1;
        else if (ch == 'e' && strlen(optarg) == 1 && (unsigned char)optarg[0] > 0x20)
            r.te.esc = (unsigned char)optarg[0];
        else {
            fputs(remote_usage, ch == 'h' ? stdout : stderr);
            return ch == 'h' ? CLI_EXIT_OK : CLI_EXIT_USAGE;
        }
    }
    if (!server || !token_file || optind != argc - 1 ||
        strspn(argv[optind], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
            strlen(argv[optind])) {
        fputs(remote_usage, stderr);
        return CLI_EXIT_USAGE;
    }
    const char *target = argv[optind];
    char token[TOKEN_MAX];
    if (read_token(token_file, token, sizeof(token)) != 0)
        return CLI_EXIT_USAGE;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int rc = CLI_EXIT_ERROR;
    r.curl = curl_easy_init();
    char *buf = malloc(65536);
    if (!r.curl || !buf)
        goto out;
    curl_easy_setopt(r.curl, CURLOPT_URL, server);
    curl_easy_setopt(r.curl, CURLOPT_CONNECT_ONLY, 1L);
    curl_easy_setopt(r.curl, CURLOPT_CONNECTTIMEOUT_MS, (long)IO_TIMEOUT);
    if (ca)
        curl_easy_setopt(r.curl, CURLOPT_CAINFO, ca);
    if (insecure) {
        curl_easy_setopt(r.curl, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(r.curl, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    CURLcode cc = curl_easy_perform(r.curl);
    if (cc != CURLE_OK) {
        fprintf(stderr, "ipmi-collector: cannot connect to %s: %s\n", server,
                curl_easy_strerror(cc));
        rc = CLI_EXIT_UNREACH;
        goto out;
    }
    curl_easy_getinfo(r.curl, CURLINFO_ACTIVESOCKET, &r.sock);
    const char *rest = NULL;
    size_t nrest = 0;
    rc = handshake(&r, target, token, &rest, &nrest, buf, 65536);
    memset(token, 0, sizeof(token));
    if (rc != 0)
        goto out;
    int sig_fd = term_signals_start();
    term_make_raw();
    char what[300];
    snprintf(what, sizeof(what), "console of %s through %s", target, server);
    term_say_active(&r.te, what);
    rc = relay(&r, sig_fd, rest, nrest);
    term_signals_stop();
    if (term_got_signal() && rc == 0)
        rc = 128 + term_got_signal();
out:
    memset(token, 0, sizeof(token));
    free(buf);
    if (r.curl)
        curl_easy_cleanup(r.curl);
    curl_global_cleanup();
    return rc;
}
