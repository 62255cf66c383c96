/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_fru.c - FRU inventory decoder (fru.c): the whole input is an image.
 * Every field and the error text must stay terminated, counts within their
 * bounds, and the return code must follow the common header. Invariants are
 * checked with __builtin_trap().
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fru.h"
#include "ic_err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
field(const struct ipmi_fru_field *f)
{
    if (memchr(f->text, 0, sizeof(f->text)) == NULL)
        __builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ipmi_fru f;
    int rc = fru_decode(data, size, &f);
    if (rc != 0 && rc != IC_EPROTO)
        __builtin_trap();
    if (rc != 0 && f.errors[0] == '\0')
        __builtin_trap();
    if (size < 8 && rc == 0)
        __builtin_trap();
    if (memchr(f.errors, 0, sizeof(f.errors)) == NULL)
        __builtin_trap();
    if (f.n_chassis_custom > IPMI_FRU_CUSTOM_MAX || f.n_board_custom > IPMI_FRU_CUSTOM_MAX ||
        f.n_product_custom > IPMI_FRU_CUSTOM_MAX)
        __builtin_trap();
    if (f.board_mfg_minutes > 0xFFFFFFu)
        __builtin_trap();
    const struct ipmi_fru_field *all[] = {
        &f.chassis_part,      &f.chassis_serial,  &f.board_mfg,       &f.board_product,
        &f.board_serial,      &f.board_part,      &f.board_file_id,   &f.product_mfg,
        &f.product_name,      &f.product_part,    &f.product_version, &f.product_serial,
        &f.product_asset_tag, &f.product_file_id,
    };
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        field(all[i]);
    for (unsigned i = 0; i < f.n_chassis_custom; i++)
        field(&f.chassis_custom[i]);
    for (unsigned i = 0; i < f.n_board_custom; i++)
        field(&f.board_custom[i]);
    for (unsigned i = 0; i < f.n_product_custom; i++)
        field(&f.product_custom[i]);
    char d[40];
    fru_board_date_text(&f, d, sizeof(d));
    if (memchr(d, 0, sizeof(d)) == NULL)
        __builtin_trap();
    if (fru_chassis_type_text(f.chassis_type) == NULL)
        __builtin_trap();
    return 0;
}
