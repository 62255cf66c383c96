/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_fleetfile.c - the simulator's fleet file (sim/fleetfile.c) and its
 * application to the built-in model (sim/fleetfile_apply.c).
 *
 * Input: the bytes of a fleet file, parsed from memory (no file is read:
 * password_file entries are recorded, and marked read here with an empty
 * password so that applying goes on). A file that parses is applied to a
 * copy of the built-in model and a shared state built from it. Invariants,
 * checked with __builtin_trap(): results are 0 or IC_ECONFIG (IC_ENOMEM
 * aside); an error message starts with "name:" and is terminated; parsed
 * values are in their documented ranges; after a successful apply a sensor
 * the file gives a value without drift reads exactly that value's raw byte
 * for any BMC and time, and the rebuilt SDR repository equals the model's.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bmc.h"
#include "fleetfile.h"
#include "ic_err.h"
#include "model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_err(int rc, const char *err, size_t cap)
{
    if (rc != IC_ECONFIG && rc != IC_ENOMEM)
        __builtin_trap();
    if (!memchr(err, '\0', cap) || strncmp(err, "f.yml:", 6) != 0)
        __builtin_trap();
}

static void
check_parsed(const struct sim_fleetfile *ff)
{
    if (ff->n_users > SIM_MAX_USERS || ff->n_suites > SIM_FLEETFILE_MAX_SUITES ||
        ff->n_sensors > SIM_FLEETFILE_MAX_SENSORS || (ff->n_sensors && !ff->sensors))
        __builtin_trap();
    for (size_t i = 0; i < ff->n_suites; i++)
        if (ff->suites[i] == 0 || ff->suites[i] > 17)
            __builtin_trap();
    for (size_t i = 0; i < ff->n_users; i++) {
        const struct sim_fleetfile_user *u = &ff->users[i];
        if (!memchr(u->name, '\0', sizeof(u->name)) || !u->name[0] ||
            !memchr(u->pw, '\0', sizeof(u->pw)) || u->priv < 1 || u->priv > 5)
            __builtin_trap();
    }
    if (ff->timeout_ms > 3600000u || ff->manufacturer_id > 0xFFFFF || ff->fw_major > 127)
        __builtin_trap();
}

/* A value given without drift reads as exactly its raw byte, for any BMC and time. */
static void
check_values(const struct sim_fleetfile *ff, const struct sim_model *m, uint32_t seed)
{
    for (size_t j = 0; j < ff->n_sensors; j++) {
        const struct sim_fleetfile_sensor *fs = &ff->sensors[j];
        if (!(fs->set & SIM_FLEETFILE_VALUE) || ((fs->set & SIM_FLEETFILE_DRIFT) && fs->drift != 0))
            continue;
        for (size_t i = 0; i < m->n_sensors; i++) {
            if (strcmp(m->sensors[i].sdr.name, fs->name) != 0)
                continue;
            uint8_t want = sim_sensor_to_raw(&m->sensors[i], fs->value);
            if (sim_model_raw(m, i, 1, seed, 0) != want ||
                sim_model_raw(m, i, 4711, seed, 123456789) != want)
                __builtin_trap();
        }
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    struct sim_fleetfile *ff = NULL;
    memset(err, 0x55, sizeof(err));

    int rc = sim_fleetfile_parse((const char *)data, size, "f.yml", &ff, err, sizeof(err));
    if (rc != 0) {
        check_err(rc, err, sizeof(err));
        if (ff)
            __builtin_trap();
        return 0;
    }
    check_parsed(ff);
    for (size_t i = 0; i < ff->n_users; i++)
        if (ff->users[i].pw_file)
            ff->users[i].pw_loaded = 1; /* as if read: an empty password */

    struct sim_model *m = NULL;
    struct sim_shared sh;
    if (sim_model_copy(sim_model_default(), &m) != 0)
        __builtin_trap();
    if (sim_shared_init(&sh, m, 1) != 0)
        __builtin_trap();
    memset(err, 0x55, sizeof(err));
    rc = sim_fleetfile_apply(ff, m, &sh, err, sizeof(err));
    if (rc != 0) {
        check_err(rc, err, sizeof(err));
    } else {
        check_values(ff, m, sh.seed);
        uint8_t *sdr;
        size_t len;
        if (sim_model_sdr(m, &sdr, &len) != 0)
            __builtin_trap();
        if (len != sh.sdr_len || memcmp(sdr, sh.sdr, len) != 0)
            __builtin_trap();
        free(sdr);
        uint8_t img[4096];
        if (sim_model_fru(m, 1, 0, img, sizeof(img), &len) != 0)
            __builtin_trap(); /* FRU text the file gives always encodes */
        if (ff->n_users && sh.n_users != ff->n_users)
            __builtin_trap();
    }
    sim_shared_free(&sh);
    sim_model_free(m);
    sim_fleetfile_free(ff);
    return 0;
}
