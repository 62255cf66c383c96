/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_cfg.c - the daemon's configuration parser (config/cfg.c and friends).
 *
 * Input: the bytes of a configuration file, parsed from memory as a private
 * file (so inline passwords are accepted and their code runs). Invariants,
 * checked with __builtin_trap(): the result is 0, IC_ECONFIG or IC_ENOMEM;
 * on error the message is terminated and starts with the file name; on
 * success every target has a name, a host, a port and a profile, and the
 * canonical print parses again to a configuration that prints identically.
 * inventory/password_file paths name files that do not exist here.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "ic_err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *
print_to_string(const struct cfg *c)
{
    char *out = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&out, &len);
    if (!fp)
        return NULL;
    if (cfg_print(c, fp) != 0)
        __builtin_trap();
    fclose(fp);
    return out;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[4096];
    struct cfg *c = NULL, *c2 = NULL;

    int rc = cfg_parse((const char *)data, size, "/nonexistent/f.yml", 1, &c, err, sizeof(err));
    if (rc != 0) {
        if ((rc != IC_ECONFIG && rc != IC_ENOMEM) || c)
            __builtin_trap();
        if (!memchr(err, '\0', sizeof(err)) || strncmp(err, "/nonexistent/f.yml", 18) != 0)
            __builtin_trap();
        return 0;
    }
    for (size_t i = 0; i < cfg_ntargets(c); i++) {
        const struct cfg_target *t = cfg_target(c, i);
        if (!t->name[0] || !t->host[0] || !t->port || !t->profile || !t->collectors)
            __builtin_trap();
    }
    char *out = print_to_string(c);
    if (out) {
        if (cfg_parse(out, strlen(out), "/nonexistent/p.yml", 1, &c2, err, sizeof(err)) != 0)
            __builtin_trap();
        char *out2 = print_to_string(c2);
        if (out2 && strcmp(out, out2) != 0)
            __builtin_trap();
        free(out2);
        cfg_free(c2);
    }
    free(out);
    cfg_free(c);
    return 0;
}
