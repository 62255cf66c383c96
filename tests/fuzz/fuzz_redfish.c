/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_redfish.c - the Redfish answer parsers (redfish/rf_parse.c): the
 * whole input is one body, given to every parser. Each must return 0 or
 * IC_EPROTO, leave every string terminated, counts within bounds, and URIs
 * absolute paths. Invariants are checked with __builtin_trap().
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ic_err.h"
#include "redfish.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TERM(a)                                \
    do {                                       \
        if (memchr((a), 0, sizeof(a)) == NULL) \
            __builtin_trap();                  \
    } while (0)

static void
uri(const char *u)
{
    if (memchr(u, 0, RF_URI_MAX) == NULL || (u[0] && u[0] != '/'))
        __builtin_trap();
    for (; *u; u++)
        if ((unsigned char)*u <= 0x20 || (unsigned char)*u >= 0x7f)
            __builtin_trap();
}

static void
rc_ok(int rc, const char *err)
{
    if (rc != 0 && rc != IC_EPROTO)
        __builtin_trap();
    if (rc != 0 && err[0] == '\0')
        __builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *b = (const char *)data;
    char err[256];
    int rc;

    struct rf_root root;
    err[0] = '\0';
    rc = rf_parse_root(b, size, &root, err, sizeof(err));
    rc_ok(rc, err);
    uri(root.systems);
    uri(root.managers);
    uri(root.sessions);

    struct rf_members m;
    err[0] = '\0';
    rc_ok(rf_parse_members(b, size, &m, err, sizeof(err)), err);
    if (m.n > RF_MEMBERS_MAX)
        __builtin_trap();
    for (unsigned i = 0; i < m.n; i++) {
        uri(m.uri[i]);
        if (!m.uri[i][0])
            __builtin_trap();
    }

    struct rf_system_doc s;
    err[0] = '\0';
    rc_ok(rf_parse_system(b, size, &s, err, sizeof(err)), err);
    TERM(s.sys.power_state);
    TERM(s.sys.boot_enabled);
    TERM(s.sys.boot_target);
    TERM(s.sys.uuid);
    TERM(s.sys.manufacturer);
    TERM(s.sys.model);
    TERM(s.sys.serial);
    TERM(s.etag);
    uri(s.reset_target);
    uri(s.vmedia);
    if (s.n_reset_allowed > RF_ALLOWED_MAX || s.n_boot_allowed > RF_ALLOWED_MAX)
        __builtin_trap();
    for (unsigned i = 0; i < s.n_reset_allowed; i++)
        TERM(s.reset_allowed[i]);
    for (unsigned i = 0; i < s.n_boot_allowed; i++)
        TERM(s.boot_allowed[i]);

    char vm[RF_URI_MAX];
    err[0] = '\0';
    rc_ok(rf_parse_manager(b, size, vm, sizeof(vm), err, sizeof(err)), err);
    uri(vm);

    struct rf_media_doc md;
    err[0] = '\0';
    rc_ok(rf_parse_media(b, size, &md, err, sizeof(err)), err);
    TERM(md.m.slot);
    TERM(md.m.image);
    TERM(md.etag);
    uri(md.m.media_path);
    uri(md.insert_target);
    uri(md.eject_target);
    if (md.m.inserted != 0 && md.m.inserted != 1)
        __builtin_trap();

    char msg[128];
    rc = rf_parse_error(b, size, msg, sizeof(msg));
    if (rc != 0 && rc != IC_EPROTO)
        __builtin_trap();
    TERM(msg);
    if ((rc == 0) != (msg[0] != '\0'))
        __builtin_trap();

    struct rf_task t;
    err[0] = '\0';
    rc_ok(rf_parse_task(b, size, &t, err, sizeof(err)), err);
    TERM(t.task_state);
    TERM(t.message);
    if (t.state != RF_TASK_RUNNING && t.state != RF_TASK_DONE && t.state != RF_TASK_FAILED)
        __builtin_trap();
    return 0;
}
