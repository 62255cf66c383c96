/* SPDX-License-Identifier: Apache-2.0 */
/*
 * udpfloor.c - what one UDP request/response costs the asking side on this
 * machine, with no IPMI, crypto, storage or event loop: the floor under any
 * poller's CPU per sensor reading (bench/README.md, "The floor").
 *
 *   udpfloor [ROUNDS]   forks an echo server on 127.0.0.1, then for windows
 *                       1, 4 and 16 (requests out at once) and pauses of 0
 *                       and 2 ms between windows prints the client's CPU
 *                       (getrusage: user + system) per request/response.
 *
 * A pause lets the CPU go idle, as a poller does between sweeps; waking
 * from it is part of what a reading costs.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
cpu_seconds(void)
{
    struct rusage r;
    getrusage(RUSAGE_SELF, &r);
    return (double)(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
           (double)(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
}

static void
echo_server(int fd)
{
    char buf[512];
    for (;;) {
        struct sockaddr_in from;
        socklen_t fl = sizeof(from);
        ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
        if (n > 0)
            sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, fl);
    }
}

/* rounds request/response pairs, window at a time; returns CPU s per pair. */
static double
run(int fd, long rounds, int window, int pause_us)
{
    char buf[512];
    memset(buf, 0x5a, 64); /* about an IPMI request's size */
    double c0 = cpu_seconds();
    long sent = 0, got = 0;
    struct timespec pause = {0, (long)pause_us * 1000};
    while (got < rounds) {
        for (int i = 0; i < window && sent < rounds; i++, sent++)
            if (send(fd, buf, 64, 0) < 0)
                return -1;
        while (got < sent) {
            if (recv(fd, buf, sizeof(buf), 0) < 0)
                return -1;
            got++;
        }
        if (pause_us)
            nanosleep(&pause, NULL);
    }
    return (cpu_seconds() - c0) / (double)rounds;
}

int
main(int argc, char **argv)
{
    long rounds = argc > 1 ? atol(argv[1]) : 20000;
    if (rounds < 100) {
        fprintf(stderr, "usage: udpfloor [ROUNDS >= 100]\n");
        return 2;
    }
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int srv = socket(AF_INET, SOCK_DGRAM, 0);
    socklen_t al = sizeof(a);
    if (srv < 0 || bind(srv, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        getsockname(srv, (struct sockaddr *)&a, &al) != 0) {
        perror("udpfloor: server socket");
        return 1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("udpfloor: fork");
        return 1;
    }
    if (pid == 0)
        echo_server(srv);
    close(srv);
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct timeval tmo = {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tmo, sizeof(tmo));
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        perror("udpfloor: client socket");
        kill(pid, SIGTERM);
        return 1;
    }
    int rc = 0;
    printf("| window | pause between windows | client CPU per request/response |\n");
    printf("|---|---|---|\n");
    const int windows[] = {1, 4, 16};
    const int pauses[] = {0, 2000};
    for (size_t p = 0; p < 2; p++)
        for (size_t w = 0; w < 3; w++) {
            long n = pauses[p] ? rounds / 4 : rounds; /* the pauses make it slow */
            double s = run(fd, n, windows[w], pauses[p]);
            if (s < 0) {
                fprintf(stderr, "udpfloor: the echo server stopped answering\n");
                rc = 1;
                break;
            }
            printf("| %d | %d ms | %.1f us |\n", windows[w], pauses[p] / 1000, s * 1e6);
        }
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    return rc;
}
