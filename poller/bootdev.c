/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bootdev.c - the next boot's device: Set System Boot Options parameter 5
 * (boot flags), confirmed by reading the parameter back (IPMI v2.0 §28.12,
 * reference §4.3).
 *
 * Flag byte 0: b7 valid, b6 persistent, b5 EFI; byte 1 b5:2 the device.
 * Only the device is compared on read-back: ipmi_sim keeps the device but
 * answers with the valid and persistent bits clear, and real BMCs clear the
 * valid bit once the boot happened.
 */
#include "poller.h"
#include "buf.h"
#include "ic_err.h"
#include "session.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CMD_SET_BOOT_OPTIONS 0x08
#define CMD_GET_BOOT_OPTIONS 0x09
#define BOOT_PARAM_FLAGS     0x05

static const struct {
    const char *name;
    int dev;
} devs[] = {{"none", IPMI_BOOT_NONE},
            {"pxe", IPMI_BOOT_PXE},
            {"disk", IPMI_BOOT_DISK},
            {"cdrom", IPMI_BOOT_CDROM},
            {"bios", IPMI_BOOT_BIOS}};

int
ipmi_bootdev_parse(const char *s)
{
    for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++)
        if (strcasecmp(s, devs[i].name) == 0)
            return devs[i].dev;
    return -1;
}

const char *
ipmi_bootdev_str(int dev)
{
    for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++)
        if (devs[i].dev == dev)
            return devs[i].name;
    return "other";
}

size_t
ipmi_bootdev_req(int dev, int persistent, int efi, uint8_t out[6])
{
    memset(out, 0, 6);
    out[0] = BOOT_PARAM_FLAGS;
    out[1] = (uint8_t)(0x80u | (persistent ? 0x40u : 0u) | (efi ? 0x20u : 0u));
    out[2] = (uint8_t)(((unsigned)dev & 0x0Fu) << 2);
    return 6;
}

int
ipmi_bootdev_decode(const uint8_t *p, size_t len, int *dev, int *valid, int *persistent)
{
    struct buf_rd r;
    buf_rd_init(&r, p, len);
    uint8_t version = buf_get_u8(&r), param = buf_get_u8(&r);
    uint8_t f0 = buf_get_u8(&r), f1 = buf_get_u8(&r);
    if (buf_rd_err(&r) || version == 0 || (param & 0x7F) != BOOT_PARAM_FLAGS)
        return IC_EPROTO;
    *dev = (f1 >> 2) & 0x0F;
    *valid = (f0 >> 7) & 1;
    *persistent = (f0 >> 6) & 1;
    return 0;
}

struct boot_op {
    struct ipmi_session *s;
    int dev;
    ipmi_bootdev_fn cb;
    void *arg;
};

static void
op_end(struct boot_op *op, int err, int got)
{
    ipmi_bootdev_fn cb = op->cb;
    void *arg = op->arg;
    free(op);
    cb(arg, err, got);
}

static void
on_reply(void *arg, int err, const struct ipmi_resp *rsp)
{
    struct boot_op *op = arg;
    if (err) {
        op_end(op, err, -1);
        return;
    }
    if (rsp->cmd == CMD_SET_BOOT_OPTIONS) {
        if (rsp->cc != 0) {
            sess_seterr(op->s,
                        "Set System Boot Options (boot device %s) failed: completion code "
                        "0x%02x (%s)",
                        ipmi_bootdev_str(op->dev), rsp->cc, ipmi_cc_str(rsp->cc));
            op_end(op, IC_ECC, -1);
            return;
        }
        static const uint8_t get[3] = {BOOT_PARAM_FLAGS, 0x00, 0x00};
        struct ipmi_req rq = {.netfn = IPMI_NETFN_CHASSIS,
                              .cmd = CMD_GET_BOOT_OPTIONS,
                              .data = get,
                              .len = sizeof(get)};
        int rc = ipmi_session_submit(op->s, &rq, on_reply, op);
        if (rc)
            op_end(op, rc, -1);
        return;
    }
    int dev, valid, persistent;
    if (rsp->cc != 0 || ipmi_bootdev_decode(rsp->data, rsp->len, &dev, &valid, &persistent) != 0) {
        sess_seterr(op->s, "Get System Boot Options failed (cc 0x%02x: %s)", rsp->cc,
                    ipmi_cc_str(rsp->cc));
        op_end(op, rsp->cc ? IC_ECC : IC_EPROTO, -1);
        return;
    }
    if (dev != op->dev) {
        sess_seterr(op->s, "boot device %s was set, but the BMC reports %s",
                    ipmi_bootdev_str(op->dev), ipmi_bootdev_str(dev));
        op_end(op, IC_EPROTO, dev);
        return;
    }
    op_end(op, 0, dev);
}

int
ipmi_bootdev_set(struct ipmi_session *s, int dev, int persistent, int efi, ipmi_bootdev_fn cb,
                 void *arg)
{
    if (ipmi_bootdev_parse(ipmi_bootdev_str(dev)) != dev)
        return IC_EINVAL;
    struct boot_op *op = calloc(1, sizeof(*op));
    if (!op)
        return IC_ENOMEM;
    op->s = s;
    op->dev = dev;
    op->cb = cb;
    op->arg = arg;
    uint8_t d[6];
    struct ipmi_req rq = {.netfn = IPMI_NETFN_CHASSIS,
                          .cmd = CMD_SET_BOOT_OPTIONS,
                          .data = d,
                          .len = ipmi_bootdev_req(dev, persistent, efi, d)};
    int rc = ipmi_session_submit(s, &rq, on_reply, op);
    if (rc)
        free(op);
    return rc;
}
