/* SPDX-License-Identifier: Apache-2.0 */
/*
 * storefill.c - fills a database through the storage layer (writer thread,
 * retention and all) with a small known fleet, for storage_cli.sh to query:
 *   node-a  10.0.0.1:623, labels rack=r1 role=db, inventory, CPU Temp history
 *           (readings 8 days old folded into a 5-minute row, recent ones raw), one
 *           critical SEL entry, state up
 *   node-b  10.0.0.2:623, label rack=r2, one warning SEL entry, state down
 * Usage: storefill DB_FILE. Exit 0 when everything was committed.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "poller.h"
#include "storage.h"

#define T0 1700000100000ull /* 2023-11-14T22:15:00Z: when the inventory was read */

static uint64_t
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void
sel_rec(struct storage_sel *e, uint16_t id, uint8_t sev, const char *sensor, const char *event)
{
    memset(e, 0, sizeof(*e));
    e->record_id = id;
    e->raw[0] = (uint8_t)id;
    e->raw[2] = 0x02;
    e->raw[3] = 0x44; /* timestamp 0x65544144 LSB first: 2023-11-15T03:55:48Z */
    e->raw[4] = 0x41;
    e->raw[5] = 0x54;
    e->raw[6] = 0x65;
    e->timestamp = 0x65544144u;
    e->severity = sev;
    e->sensor = sensor;
    e->event = event;
    e->detail = "";
}

int
main(int argc, char **argv)
{
    struct storage_opts o = {.downsample_ms = 300000};
    struct storage *st = NULL;
    char err[512];
    int rc = 0;
    if (argc != 2) {
        fprintf(stderr, "usage: storefill DB_FILE\n");
        return 2;
    }
    if (storage_open(argv[1], &o, &st, err, sizeof(err)) != 0 ||
        storage_start(st, err, sizeof(err)) != 0) {
        fprintf(stderr, "storefill: %s\n", err);
        storage_close(st);
        return 1;
    }
    struct storage_label la[] = {{"rack", "r1"}, {"role", "db"}}, lb[] = {{"rack", "r2"}};
    struct storage_target t[] = {{"node-a", "10.0.0.1", 623, la, 2},
                                 {"node-b", "10.0.0.2", 623, lb, 1}};
    rc |= storage_put_targets(st, t, 2);

    struct ipmi_devid d = {.manufacturer_id = 343,
                           .product_id = 0x1234,
                           .fw_major = 2,
                           .fw_minor = 0x47,
                           .ipmi_version = 0x02};
    struct ipmi_fru fru;
    memset(&fru, 0, sizeof(fru));
    snprintf(fru.board_serial.text, sizeof(fru.board_serial.text), "BSN-A1");
    snprintf(fru.board_mfg.text, sizeof(fru.board_mfg.text), "Acme");
    snprintf(fru.product_serial.text, sizeof(fru.product_serial.text), "PSN-A1");
    snprintf(fru.product_name.text, sizeof(fru.product_name.text), "Server, 2U");
    rc |= storage_put_inventory(st, "node-a", T0, &d, "0123abcd-0000-1111-2222-333344445555", &fru);

    /* Readings 20, 22, 24 eight days ago, older than the 7-day raw retention (one 5-minute
       period: min 20, avg 22, max 24), then recent ones. */
    uint64_t now = now_ms();
    uint64_t old = (now - 8 * 24 * 3600000ull) / 300000 * 300000;
    struct storage_sample v = {.record_id = 1,
                               .number = 1,
                               .sensor_type = 1,
                               .name = "CPU Temp",
                               .unit = "degrees C",
                               .has_value = 1,
                               .state = IPMI_STATE_OK};
    for (int i = 0; i < 3; i++) {
        v.value = 20 + 2 * i;
        rc |= storage_put_samples(st, "node-a", old + (uint64_t)i * 60000, &v, 1);
    }
    v.value = 55.5;
    rc |= storage_put_samples(st, "node-a", now - 120000, &v, 1);
    v.value = 81;
    v.state = IPMI_STATE_CRITICAL;
    rc |= storage_put_samples(st, "node-a", now - 60000, &v, 1);

    struct storage_sel e;
    struct ipmi_sel_cursor cur = {.valid = 1, .last_id = 1};
    sel_rec(&e, 1, IPMI_STATE_CRITICAL, "PSU1", "Power Supply AC lost");
    memcpy(cur.last_raw, e.raw, 16);
    rc |= storage_put_sel(st, "node-a", now - 30000, &e, 1, 0, &cur);
    sel_rec(&e, 1, IPMI_STATE_WARNING, "FAN3", "Fan Lower Non-critical going low");
    memcpy(cur.last_raw, e.raw, 16);
    rc |= storage_put_sel(st, "node-b", now - 20000, &e, 1, 0, &cur);

    rc |= storage_put_state(st, "node-a", now - 100000, "up", "");
    rc |= storage_put_state(st, "node-b", now - 90000, "up", "");
    rc |= storage_put_state(st, "node-b", now - 10000, "down", "no answer after 4 tries");
    rc |= storage_flush(st);
    rc |= storage_retention_now(st, now);
    if (rc)
        fprintf(stderr, "storefill: %s\n", storage_errmsg(st));
    storage_close(st);
    return rc ? 1 : 0;
}
