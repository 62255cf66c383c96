/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_simctl.c - `ipmi-collector simctl`: the client of a running
 * simulator's control endpoint (sim/control.c), for tests and rehearsals.
 * One blocking HTTP request with libcurl; prints the JSON answer.
 */
#include "cli.h"

#include <curl/curl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char simctl_usage[] =
    "ipmi-collector simctl --control URL COMMAND ...\n"
    "  list | get BMC | stats\n"
    "  set BMC SENSOR VALUE               threshold: engineering units; discrete: state bits\n"
    "  sel-add BMC SENSOR OFFSET [deassert] | sel-add-raw BMC HEX32\n"
    "  power BMC on|off | pause BMC | resume BMC | reboot BMC\n"
    "  faults [--bmcs all|1,2,3] [--loss P] [--latency MS] [--jitter MS] [--hostile on|off]\n"
    "BMC is a number (7) or a name (bmc00007); URL like http://127.0.0.1:9100";

struct answer {
    char buf[1 << 20];
    size_t len;
};

static size_t
on_data(char *p, size_t size, size_t n, void *arg)
{
    struct answer *a = arg;
    size_t len = size * n;
    if (a->len + len >= sizeof(a->buf))
        return 0;
    memcpy(a->buf + a->len, p, len);
    a->len += len;
    a->buf[a->len] = '\0';
    return len;
}

static int
http(const char *base, const char *path, json_object *body)
{
    char url[512];
    static struct answer a;
    long status = 0;
    a.len = 0;
    a.buf[0] = '\0';
    snprintf(url, sizeof(url), "%s%s", base, path);
    CURL *c = curl_easy_init();
    if (!c)
        return CLI_EXIT_ERROR;
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &a);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    if (body) {
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, json_object_to_json_string(body));
    }
    CURLcode rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    json_object_put(body);
    if (rc != CURLE_OK) {
        fprintf(stderr, "ipmi-collector: simctl: %s: %s\n", url, curl_easy_strerror(rc));
        return CLI_EXIT_UNREACH;
    }
    printf("%s\n", a.buf);
    if (status >= 400) {
        fprintf(stderr, "ipmi-collector: simctl: HTTP %ld\n", status);
        return status == 404 ? CLI_EXIT_USAGE : CLI_EXIT_ERROR;
    }
    return 0;
}

static int
bmc_post(const char *base, const char *bmc, const char *action, json_object *body)
{
    char path[128];
    snprintf(path, sizeof(path), "/bmcs/%s/%s", bmc, action);
    return http(base, path, body ? body : json_object_new_object());
}

static int
faults(const char *base, int argc, char **argv)
{
    json_object *o = json_object_new_object();
    for (int i = 0; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];
        if (strcmp(k, "--bmcs") == 0) {
            if (strcmp(v, "all") == 0) {
                json_object_object_add(o, "bmcs", json_object_new_string("all"));
            } else {
                json_object *a = json_object_new_array();
                char *copy = strdup(v), *save = NULL;
                for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
                    json_object_array_add(a, json_object_new_int(atoi(t)));
                free(copy);
                json_object_object_add(o, "bmcs", a);
            }
        } else if (strcmp(k, "--loss") == 0) {
            json_object_object_add(o, "loss", json_object_new_double(atof(v)));
        } else if (strcmp(k, "--latency") == 0) {
            json_object_object_add(o, "latency_ms", json_object_new_int(atoi(v)));
        } else if (strcmp(k, "--jitter") == 0) {
            json_object_object_add(o, "jitter_ms", json_object_new_int(atoi(v)));
        } else if (strcmp(k, "--hostile") == 0) {
            json_object_object_add(o, "hostile", json_object_new_boolean(strcmp(v, "on") == 0));
        } else {
            json_object_put(o);
            fprintf(stderr, "ipmi-collector: simctl faults: unknown option %s\n", k);
            return CLI_EXIT_USAGE;
        }
    }
    if (argc % 2) {
        json_object_put(o);
        fprintf(stderr, "ipmi-collector: simctl faults: options take a value\n");
        return CLI_EXIT_USAGE;
    }
    return http(base, "/faults", o);
}

int
cmd_simctl(int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("usage: %s\n", simctl_usage);
        return 0;
    }
    if (argc < 4 || strcmp(argv[1], "--control") != 0) {
        fprintf(stderr, "usage: %s\n", simctl_usage);
        return CLI_EXIT_USAGE;
    }
    const char *base = argv[2], *cmd = argv[3];
    char **a = argv + 4;
    int n = argc - 4, rc = CLI_EXIT_USAGE;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (strcmp(cmd, "list") == 0 && n == 0) {
        rc = http(base, "/bmcs", NULL);
    } else if (strcmp(cmd, "stats") == 0 && n == 0) {
        rc = http(base, "/stats", NULL);
    } else if (strcmp(cmd, "get") == 0 && n == 1) {
        char path[96];
        snprintf(path, sizeof(path), "/bmcs/%s", a[0]);
        rc = http(base, path, NULL);
    } else if (strcmp(cmd, "set") == 0 && n == 3) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "name", json_object_new_string(a[1]));
        json_object_object_add(o, "value", json_object_new_double(strtod(a[2], NULL)));
        rc = bmc_post(base, a[0], "sensor", o);
    } else if (strcmp(cmd, "sel-add") == 0 && (n == 3 || n == 4)) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "sensor", json_object_new_string(a[1]));
        json_object_object_add(o, "offset", json_object_new_int(atoi(a[2])));
        json_object_object_add(o, "deassert",
                               json_object_new_boolean(n == 4 && strcmp(a[3], "deassert") == 0));
        rc = bmc_post(base, a[0], "sel", o);
    } else if (strcmp(cmd, "sel-add-raw") == 0 && n == 2) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "record", json_object_new_string(a[1]));
        rc = bmc_post(base, a[0], "sel", o);
    } else if (strcmp(cmd, "power") == 0 && n == 2) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "state", json_object_new_string(a[1]));
        rc = bmc_post(base, a[0], "power", o);
    } else if ((strcmp(cmd, "pause") == 0 || strcmp(cmd, "resume") == 0 ||
                strcmp(cmd, "reboot") == 0) &&
               n == 1) {
        rc = bmc_post(base, a[0], cmd, NULL);
    } else if (strcmp(cmd, "faults") == 0) {
        rc = faults(base, n, a);
    } else {
        fprintf(stderr, "usage: %s\n", simctl_usage);
    }
    curl_global_cleanup();
    return rc;
}
