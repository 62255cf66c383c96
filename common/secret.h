/* SPDX-License-Identifier: Apache-2.0 */
/*
 * secret.h - passwords and keys: loaded from the environment or a file,
 * never from argv, wiped on free, never printable.
 *
 * A struct secret is opaque; code that needs the bytes (the RAKP key
 * derivation) asks for them with secret_bytes() and must not copy them
 * anywhere that outlives the call.
 */
#ifndef IC_SECRET_H
#define IC_SECRET_H

#include <stddef.h>
#include <stdint.h>

struct secret;

/* Maximum secret length: IPMI passwords and K_g are at most 20 bytes. */
#define SECRET_MAX 64

/* Copies len bytes. Returns NULL if len > SECRET_MAX or out of memory. */
struct secret *secret_new(const void *p, size_t len);

/*
 * Reads the value of environment variable name. Returns 0, or IC_ECONFIG with
 * a message in err (not set, empty, too long).
 */
int secret_from_env(const char *name, struct secret **out, char *err, size_t errlen);

/*
 * Reads a file holding the secret (one trailing newline is stripped). The
 * file must not be readable or writable by group or others when
 * require_private is set. Returns 0 or IC_ECONFIG / IC_EIO with a message.
 */
int secret_from_file(const char *path, int require_private, struct secret **out, char *err,
                     size_t errlen);

/* The same with a longer limit (a K_g as 0x-prefixed hex is 42 characters); max <= SECRET_MAX. */
int secret_from_file_max(const char *path, int require_private, size_t max, struct secret **out,
                         char *err, size_t errlen);

/*
 * Parses a K_g given as text: "0x" followed by hex digits, or plain ASCII.
 * Returns 0 or IC_ECONFIG.
 */
int secret_parse_key(const struct secret *text, struct secret **out);

const uint8_t *secret_bytes(const struct secret *s);
size_t secret_len(const struct secret *s);
/* Wipes and frees; NULL is a no-op. */
void secret_free(struct secret *s);

#endif
