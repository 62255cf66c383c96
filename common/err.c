/* SPDX-License-Identifier: Apache-2.0 */
/* err.c - text for the IC_E* codes. */
#include "ic_err.h"

static const struct {
    const char *name;
    const char *text;
} err_table[IC_ERR_COUNT] = {
    {"ok", "success"},
    {"nomem", "out of memory"},
    {"io", "local I/O error"},
    {"timeout", "no answer"},
    {"unreachable", "unreachable"},
    {"auth", "authentication failed"},
    {"user", "unknown or disabled user"},
    {"privilege", "privilege level refused"},
    {"cipher", "no acceptable cipher suite"},
    {"protocol", "malformed or unexpected packet"},
    {"completion_code", "command failed (completion code)"},
    {"session", "session lost"},
    {"too_big", "limit reached"},
    {"config", "configuration error"},
    {"busy", "busy"},
    {"again", "try again"},
    {"invalid", "invalid argument"},
    {"canceled", "cancelled"},
};

const char *
ic_strerror(int err)
{
    int i = -err;
    if (i < 0 || i >= IC_ERR_COUNT)
        return "unknown error";
    return err_table[i].text;
}

const char *
ic_errname(int err)
{
    int i = -err;
    if (i < 0 || i >= IC_ERR_COUNT)
        return "unknown";
    return err_table[i].name;
}
