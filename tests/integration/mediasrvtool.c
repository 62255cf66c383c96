/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mediasrvtool.c - the media server (redfish/media_srv.c) as a process for
 * tests/integration/redfish.sh: serves FILE under a one-time URL and obeys
 * commands on stdin, one per line, answering one line on stdout each:
 *   url      -> the URL            stats  -> "fetches N heads N active 0|1"
 *   revoke   -> "revoked 0|1"      quit   -> exits
 * Usage: mediasrvtool HOST:PORT FILE TTL_MS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redfish.h"

int
main(int argc, char **argv)
{
    char err[512], url[1024], line[64];
    struct rf_media_srv *s = NULL;
    if (argc != 4) {
        fprintf(stderr, "usage: mediasrvtool HOST:PORT FILE TTL_MS\n");
        return 2;
    }
    struct rf_media_srv_opts o = {.listen = argv[1]};
    if (rf_media_srv_start(&o, &s, err, sizeof(err)) != 0 ||
        rf_media_srv_offer(s, argv[2], (unsigned)strtoul(argv[3], NULL, 10), url, sizeof(url), err,
                           sizeof(err)) != 0) {
        fprintf(stderr, "mediasrvtool: %s\n", err);
        rf_media_srv_stop(s);
        return 1;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    while (fgets(line, sizeof(line), stdin)) {
        line[strcspn(line, "\n")] = '\0';
        struct rf_media_srv_stats st;
        if (strcmp(line, "url") == 0) {
            printf("%s\n", url);
        } else if (strcmp(line, "stats") == 0) {
            rf_media_srv_stats(s, url, &st);
            printf("fetches %lu heads %lu active %d\n", st.fetches, st.heads, st.active);
        } else if (strcmp(line, "revoke") == 0) {
            printf("revoked %d\n", rf_media_srv_revoke(s, url));
        } else if (strcmp(line, "quit") == 0) {
            break;
        } else {
            printf("unknown command\n");
        }
    }
    rf_media_srv_stop(s);
    return 0;
}
