/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fleetfile.h - private to sim/: the fleet file of `ipmi-collector sim`, a
 * YAML file that changes the simulated fleet: seed, session timeout,
 * cipher suites, users, Get Device ID identity, sensor values and
 * thresholds, FRU text. Every key is optional; an empty file changes
 * nothing. The format is described at the top of fleetfile.c.
 *
 * Use: sim_fleetfile_load() (reads the file and its password files), then
 * sim_model_copy() of the built-in model, sim_shared_init() on the copy,
 * then sim_fleetfile_apply(), before any BMC is created.
 */
#ifndef IC_SIM_FLEETFILE_H
#define IC_SIM_FLEETFILE_H

#include <stddef.h>
#include <stdint.h>

#include "bmc.h"
#include "model.h"

#define SIM_FLEETFILE_MAX_BYTES   (1u << 20) /* a larger file is refused */
#define SIM_FLEETFILE_MAX_SENSORS 256
#define SIM_FLEETFILE_MAX_SUITES  8

/* Where a value stood in the file (1-based), for messages found only when applying. */
struct sim_fleetfile_pos {
    unsigned line, col;
};

struct sim_fleetfile_user {
    char name[17];
    char pw[21];   /* inline, or read from pw_file by sim_fleetfile_load() */
    char *pw_file; /* NULL: inline password; resolved against the fleet file's folder */
    int pw_loaded; /* 1 once pw holds the password */
    uint8_t priv;  /* IPMI_PRIV_CALLBACK .. IPMI_PRIV_OEM */
    int enabled;
    struct sim_fleetfile_pos pos;
};

/* Bits of struct sim_fleetfile_sensor.set. */
#define SIM_FLEETFILE_VALUE  0x01
#define SIM_FLEETFILE_DRIFT  0x02
#define SIM_FLEETFILE_STATES 0x04

struct sim_fleetfile_sensor {
    char name[IPMI_NAME_MAX + 1];
    unsigned set;    /* SIM_FLEETFILE_* */
    double value;    /* engineering units, every BMC */
    double drift;    /* amplitude; 0 when value is given without drift */
    uint16_t states; /* discrete: asserted state bits */
    uint8_t thr_set; /* bit i: thr[i] given (enum ipmi_thr) */
    double thr[6];   /* engineering units */
    struct sim_fleetfile_pos pos, value_pos, drift_pos, states_pos, thr_pos[6], thresholds_pos;
};

/* A parsed fleet file: plain data, read-only once loaded. */
struct sim_fleetfile {
    char *name; /* the path as given, for messages */
    int has_seed;
    uint32_t seed;
    unsigned timeout_ms; /* 0: not given */
    uint8_t suites[SIM_FLEETFILE_MAX_SUITES];
    size_t n_suites; /* 0: not given */
    struct sim_fleetfile_user users[SIM_MAX_USERS];
    size_t n_users; /* 0: not given (keep the built-in users) */
    int has_manufacturer_id, has_product_id, has_firmware;
    uint32_t manufacturer_id;
    uint16_t product_id;
    uint8_t fw_major, fw_minor_bcd;
    struct sim_fleetfile_sensor *sensors;
    size_t n_sensors;
    struct sim_fru_text fru; /* "" = keep the built-in text */
};

/*
 * Parses a fleet file held in buf (len bytes); name is used in messages.
 * Reads no other file: password_file entries are recorded, not read (see
 * sim_fleetfile_load()). Returns 0 and *out (free with sim_fleetfile_free()),
 * IC_ECONFIG with "name:line:col: what is wrong (what is expected)" in err,
 * or IC_ENOMEM.
 */
int sim_fleetfile_parse(const char *buf, size_t len, const char *name, struct sim_fleetfile **out,
                        char *err, size_t errlen);

/*
 * Reads and parses the file at path, then reads each user's password_file
 * (relative paths: from the fleet file's folder; mode 0600 or stricter,
 * at most 20 bytes, one trailing newline stripped). Returns 0 and *out, or
 * IC_ECONFIG / IC_ENOMEM with a message in err.
 */
int sim_fleetfile_load(const char *path, struct sim_fleetfile **out, char *err, size_t errlen);

/* Wipes the passwords and frees; NULL is a no-op. */
void sim_fleetfile_free(struct sim_fleetfile *ff);

/*
 * Applies ff to model m and to sh, which sim_shared_init() built from m
 * (sh->model == m; m from sim_model_copy(), so its sensors can change):
 * sensor values, drifts, states and thresholds, identity and FRU text go to
 * m, and sh's SDR repository is rebuilt from it; seed, timeout, suites and
 * users (replacing all of sh's users) go to sh. Call it before any BMC is
 * created. Settings the file does not give are left as they are, so values
 * set on sh before the call (from the command line) stay unless the file
 * overrides them. Returns 0, or IC_ECONFIG (a sensor the model lacks, a value
 * or threshold its SDR cannot express, thresholds out of order, ...) with
 * "name:line:col: ..." in err, IC_EINVAL or IC_ENOMEM. On error m and sh may
 * be partly changed: free them.
 */
int sim_fleetfile_apply(const struct sim_fleetfile *ff, struct sim_model *m, struct sim_shared *sh,
                        char *err, size_t errlen);

/* For fleetfile*.c: "name:line:col: message" into err; returns IC_ECONFIG. */
__attribute__((format(printf, 5, 6))) int sim_fleetfile_fail(const char *name,
                                                             struct sim_fleetfile_pos p, char *err,
                                                             size_t errlen, const char *fmt, ...);
/* "lnc", "lc", "lnr", "unc", "uc", "unr": threshold keys in the order of enum ipmi_thr. */
extern const char *const sim_fleetfile_thr_keys[6];

#endif
