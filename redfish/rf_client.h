/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rf_client.h - private to redfish/: the client object and the HTTP
 * transport (rf_http.c) that the resource operations (rf_ops.c) use.
 */
#ifndef IC_RF_CLIENT_H
#define IC_RF_CLIENT_H

#include "redfish.h"

#include <curl/curl.h>

#define RF_TOKEN_MAX 512
#define RF_ETAG_MAX  128
/* Answers larger than this are refused (IC_ETOOBIG): no BMC resource is that big. */
#define RF_RESP_MAX (4u << 20)

struct rf_client {
    CURL *h;
    char base[256]; /* scheme://host:port, no trailing slash */
    char user[128];
    struct secret *pw;
    char ca_file[512];
    int insecure;
    unsigned timeout_ms, task_timeout_ms;
    /* Session: token (a credential: wiped on free, never logged) and its URI to DELETE. */
    char token[RF_TOKEN_MAX];
    char session_uri[RF_URI_MAX];
    int basic; /* 1 = the service has no SessionService: HTTP Basic on every request */
    int have_root;
    struct rf_root root;
    char system[RF_URI_MAX]; /* discovered ComputerSystem */
    char media[RF_URI_MAX];  /* discovered virtual media slot */
    char curl_err[CURL_ERROR_SIZE];
};

struct rf_resp {
    long status;
    char *body; /* NUL-terminated, len bytes */
    size_t len, cap;
    char etag[RF_ETAG_MAX];
    char location[RF_URI_MAX]; /* path part, "" if none or another host */
    char token[RF_TOKEN_MAX];
    unsigned retry_after; /* seconds, 0 = not given */
};

void rf_resp_free(struct rf_resp *r);

/*
 * One request: method GET/POST/PATCH/DELETE, path "/redfish/...", json body
 * or NULL, if_match or NULL. Logs in first when needed, logs in again once
 * on a 401 (expired session), retries 503 a bounded number of times
 * honouring Retry-After. Returns 0 for a 2xx answer (r->status tells which);
 * otherwise an IC_E* code with "<what> refused: MessageId: Message (HTTP N)"
 * or the transport's message in err; r->status is the last status (0 if
 * none). r is reset first and must be freed with rf_resp_free.
 */
int rf_http(struct rf_client *c, const char *method, const char *path, const char *json,
            const char *if_match, struct rf_resp *r, const char *what, char *err, size_t errlen);

/* Service root (unauthenticated GET, cached). */
int rf_get_root(struct rf_client *c, char *err, size_t errlen);

/*
 * Waits for the task behind monitor (a 202's Location) until it ends or the
 * task timeout passes. Returns 0 when it completed (or the monitor is gone:
 * the caller verifies by reading back), IC_ECC with its messages if it
 * failed, IC_ETIMEDOUT.
 */
int rf_wait_task(struct rf_client *c, const char *monitor, const char *what, char *err,
                 size_t errlen);

void rf_sleep_ms(unsigned ms);
/* A message into err (NULL or 0 length: nothing). rf_parse.c. */
void rf_seterr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
