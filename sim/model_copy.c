/* SPDX-License-Identifier: Apache-2.0 */
/*
 * model_copy.c - a hardware model the fleet file can change: a heap copy
 * of a model (struct, sensors, initial SEL; the name string stays
 * borrowed from the source), and the FRU text overrides sim_model_fru()
 * applies.
 */
#include "model.h"

#include "ic_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
sim_model_copy(const struct sim_model *src, struct sim_model **dst)
{
    if (!src || !dst)
        return IC_EINVAL;
    *dst = NULL;
    struct sim_model *m = malloc(sizeof(*m));
    struct sim_sensor *s = malloc(src->n_sensors ? src->n_sensors * sizeof(*s) : 1);
    struct sim_sel_seed *sel = malloc(src->n_sel ? src->n_sel * sizeof(*sel) : 1);
    if (!m || !s || !sel) {
        free(m);
        free(s);
        free(sel);
        return IC_ENOMEM;
    }
    *m = *src;
    if (src->n_sensors)
        memcpy(s, src->sensors, src->n_sensors * sizeof(*s));
    if (src->n_sel)
        memcpy(sel, src->sel, src->n_sel * sizeof(*sel));
    m->sensors = s;
    m->sel = sel;
    *dst = m;
    return 0;
}

void
sim_model_free(struct sim_model *m)
{
    if (!m)
        return;
    /* Both arrays were allocated by sim_model_copy(): casting the const away is sound. */
    free((void *)(uintptr_t)m->sensors);
    free((void *)(uintptr_t)m->sel);
    free(m);
}

static void
override(struct ipmi_fru_field *f, const char *text)
{
    if (text[0])
        snprintf(f->text, sizeof(f->text), "%s", text);
}

void
sim_model_fru_override(const struct sim_model *m, uint8_t fru_id, struct ipmi_fru *f)
{
    if (!m || !f || fru_id != 0)
        return;
    const struct sim_fru_text *t = &m->fru;
    override(&f->chassis_part, t->chassis_part);
    override(&f->board_mfg, t->board_mfg);
    override(&f->board_product, t->board_product);
    override(&f->board_part, t->board_part);
    override(&f->product_mfg, t->product_mfg);
    override(&f->product_name, t->product_name);
    override(&f->product_part, t->product_part);
    override(&f->product_version, t->product_version);
}
