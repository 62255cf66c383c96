/* SPDX-License-Identifier: Apache-2.0 */
/*
 * prom_alerts.c - the alert delivery families of /metrics, from the counters
 * the daemon copies into the hub once a second (snap_hub_set_delivery).
 *
 * The per-receiver counters count since the daemon started. The outbox depth
 * and the age of its oldest pending row are outbox-wide (storage keeps no
 * per-receiver figure cheaply), so they carry no receiver label.
 */
#include "deliver_int.h"

#include <stddef.h>

static void
counter(struct exp_buf *b, const char *name, const char *help, const struct exp_receiver_stats *v,
        size_t n, size_t off)
{
    exp_family(b, name, "counter", help);
    for (size_t i = 0; i < n; i++) {
        exp_buf_puts(b, name);
        exp_buf_putc(b, '{');
        exp_buf_label(b, 1, "receiver", v[i].name);
        exp_buf_puts(b, "} ");
        exp_buf_float(b, (double)*(const uint64_t *)(const void *)((const char *)&v[i] + off));
        exp_buf_putc(b, '\n');
    }
}

static void
gauge(struct exp_buf *b, const char *name, const char *help, double value)
{
    exp_family(b, name, "gauge", help);
    exp_buf_puts(b, name);
    exp_buf_putc(b, ' ');
    exp_buf_float(b, value);
    exp_buf_putc(b, '\n');
}

int
exp_prom_delivery(struct exp_buf *b, const struct exp_receiver_stats *v, size_t n)
{
    if (n == 0)
        return b->err;
    counter(b, "ipmi_collector_alerts_sent_total", "Alerts a receiver accepted (2xx), since start.",
            v, n, offsetof(struct exp_receiver_stats, sent));
    counter(
        b, "ipmi_collector_alerts_failed_total",
        "Failed delivery attempts (transport error or non-2xx; Alertmanager re-sends included).", v,
        n, offsetof(struct exp_receiver_stats, failed));
    counter(b, "ipmi_collector_alerts_retried_total",
            "Failed deliveries scheduled for another try.", v, n,
            offsetof(struct exp_receiver_stats, retried));
    counter(b, "ipmi_collector_alerts_dead_total",
            "Alerts given up after max_age (kept in the outbox as dead).", v, n,
            offsetof(struct exp_receiver_stats, dead));
    gauge(b, "ipmi_collector_alerts_pending", "Outbox rows waiting for delivery (all receivers).",
          (double)v[0].pending);
    gauge(b, "ipmi_collector_alerts_oldest_pending_age_seconds",
          "Age of the oldest pending outbox row (0 when none).", v[0].oldest_pending_age_s);
    return b->err;
}
