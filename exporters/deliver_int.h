/* SPDX-License-Identifier: Apache-2.0 */
/*
 * deliver_int.h - private to exporters/: the alert bodies (alert_json.c) that
 * the delivery thread (deliver.c) sends and the unit tests check, and the
 * delivery counters the hub keeps for /metrics (prom_alerts.c).
 */
#ifndef IC_DELIVER_INT_H
#define IC_DELIVER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "exp_int.h"
#include "exporters.h"

struct storage_outbox_item;

/* The version of the webhook body (docs/alerts.md); its "version" field. */
#define ALERT_SCHEMA_VERSION 1

/* Alertmanager's endsAt for a firing alert: this many resend periods ahead (as Prometheus). */
#define ALERT_AM_ENDS_RESENDS 4

/* "2024-05-01T12:00:00.123Z" (RFC 3339, UTC, milliseconds) into out (>= 32 bytes). */
void alert_rfc3339(uint64_t unix_ms, char *out, size_t outlen);

/*
 * The webhook body, schema v1 (docs/alerts.md), as compact JSON text.
 * Returns a malloc'ed string (caller frees) and its length in *len, or NULL
 * when out of memory.
 */
char *alert_webhook_body(const struct storage_outbox_item *it, size_t *len);

/*
 * An Alertmanager v2 POST /api/v2/alerts body: a JSON array of n alerts.
 * now_ms and resend_ms give a firing alert's endsAt (now + 4 x resend); a
 * resolved one ends at its ends_at; a one-shot event (empty identity) at
 * starts_at + 4 x resend. Returns a malloc'ed string, or NULL (out of memory).
 */
char *alert_am_body(const struct storage_outbox_item *const *v, size_t n, uint64_t now_ms,
                    uint64_t resend_ms, size_t *len);

/* Alertmanager's alertname for a kind: IPMISensorState, IPMISelEvent, IPMITargetUnreachable. */
const char *alert_am_name(const char *kind);

/*
 * HMAC-SHA256 of msg[0..len) with key, as 64 lowercase hex digits and a NUL
 * in out (65 bytes). 0, or IC_EIO when OpenSSL fails.
 */
int alert_hmac_hex(const uint8_t *key, size_t keylen, const void *msg, size_t len, char *out);

/* ---- delivery counters in the hub (snap.c) and their rendering (prom_alerts.c) ---- */

/*
 * A copy of the counters last given to snap_hub_set_delivery() into a
 * malloc'ed *out (caller frees); returns the count. *set = 0 when it was never
 * called (no delivery running: the families are left out).
 */
size_t snap_hub_get_delivery(struct snap_hub *h, struct exp_receiver_stats **out, int *set);

/*
 * The delivery families: ipmi_collector_alerts_{sent,failed,retried,dead}_total
 * {receiver}, ipmi_collector_alerts_pending and
 * ipmi_collector_alerts_oldest_pending_age_seconds (outbox-wide: the values of
 * v[0]). Nothing when n is 0. Returns b->err.
 */
int exp_prom_delivery(struct exp_buf *b, const struct exp_receiver_stats *v, size_t n);

#endif
