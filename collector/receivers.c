/* SPDX-License-Identifier: Apache-2.0 */
/*
 * receivers.c - the alerting section's receivers as exporters' delivery
 * wants them (struct exp_receiver), secrets resolved at (re)load.
 */
#include <stdlib.h>

#include "cfg.h"
#include "daemon.h"
#include "exporters.h"
#include "ic_err.h"
#include "secret.h"

/* The receivers of c's alerting section for exp_deliver_*; secrets resolved into *sec
   (free with receivers_free once exp_deliver_start / exp_deliver_set_receivers returned:
   exporters copies what it keeps). */
void
receivers_free(struct receivers *r)
{
    for (size_t i = 0; i < r->n; i++)
        secret_free(r->sec[i]);
    free(r->v);
    free(r->h);
    free(r->sec);
    *r = (struct receivers){0};
}

int
receivers_of(const struct cfg *c, struct receivers *out, char *err, size_t errlen)
{
    const struct cfg_alerting *a = cfg_alerting(c);
    *out = (struct receivers){0};
    if (!a || a->nreceivers == 0)
        return 0;
    size_t nh = 0;
    for (size_t i = 0; i < a->nreceivers; i++)
        nh += a->receivers[i].nheaders;
    out->v = calloc(a->nreceivers, sizeof(*out->v));
    out->h = calloc(nh + 1, sizeof(*out->h));
    out->sec = calloc(a->nreceivers, sizeof(*out->sec));
    if (!out->v || !out->h || !out->sec) {
        receivers_free(out);
        return IC_ENOMEM;
    }
    for (size_t i = 0, h = 0; i < a->nreceivers; i++) {
        const struct cfg_receiver *r = &a->receivers[i];
        int rc = cfg_receiver_secret(r, &out->sec[i], err, errlen);
        if (rc != 0) {
            receivers_free(out);
            return rc;
        }
        out->n = i + 1;
        out->v[i] = (struct exp_receiver){
            .name = r->name,
            .type = r->type == CFG_RCV_ALERTMANAGER ? EXP_RCV_ALERTMANAGER : EXP_RCV_WEBHOOK,
            .url = r->url,
            .secret = out->sec[i],
            .headers = &out->h[h],
            .nheaders = r->nheaders,
            .ca_file = r->ca_file,
            .tls_verify = r->tls_verify,
            .timeout_ms = r->timeout_ms,
            .max_concurrency = r->max_concurrency,
            .max_age_ms = r->max_age_ms,
            .resend_ms = r->resend_ms,
        };
        for (size_t k = 0; k < r->nheaders; k++, h++)
            out->h[h] = (struct exp_header){r->headers[k].name, r->headers[k].value};
    }
    return 0;
}
