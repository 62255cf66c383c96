/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_sol.c - the SOL codecs (sol_pkt_decode, sol_activation_decode) on
 * the raw input, then the SOL state machine driven by the input as a script
 * of events, each "op len bytes...": op % 4 = 0 an inbound packet of len
 * bytes, 1 write len characters, 2 a break, 3 advance the clock by len x
 * 10 ms and send everything due. Invariants are checked with
 * __builtin_trap(): every packet we send decodes, data packets are numbered
 * 1..15, acks only name packets received, nothing is delivered twice or
 * out of thin air, the BMC never gets more characters accepted than written.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ic_err.h"
#include "sol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct ctx {
    uint64_t delivered;
};

static void
on_data(void *arg, const uint8_t *p, size_t n)
{
    struct ctx *c = arg;
    if (!p || n == 0 || n > SOL_MAX_CHARS)
        __builtin_trap();
    c->delivered += n;
}

static void
drain(struct sol_sm *m, uint64_t now, uint64_t written)
{
    uint8_t out[SOL_MAX_PKT];
    for (int guard = 0; guard < 64; guard++) {
        int n = sol_sm_output(m, now, out, sizeof(out));
        if (n == 0 || n == IC_ETIMEDOUT)
            return;
        struct sol_pkt pk;
        if (n < SOL_HDR_LEN || sol_pkt_decode(out, (size_t)n, &pk) != 0)
            __builtin_trap();
        if (pk.seq == 0 && pk.len != 0)
            __builtin_trap();
        if (pk.seq > SOL_SEQ_MAX || pk.len > m->max_chars)
            __builtin_trap();
        if (pk.seq == 0 && pk.ack != m->rx_seq)
            __builtin_trap();
    }
    (void)written;
    __builtin_trap(); /* output never loops forever at one instant */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sol_pkt pk;
    struct sol_activation act;
    if (sol_pkt_decode(data, size, &pk) == 0) {
        if (size < SOL_HDR_LEN || size > SOL_MAX_PKT || pk.seq > 15 || pk.ack > 15)
            __builtin_trap();
        if (pk.len != (pk.seq ? size - SOL_HDR_LEN : 0))
            __builtin_trap();
        uint8_t back[SOL_MAX_PKT];
        int n = sol_pkt_encode(&pk, back, sizeof(back));
        if (n != (int)(SOL_HDR_LEN + pk.len))
            __builtin_trap();
    }
    if (sol_activation_decode(data, size, &act) == 0 && size < 10)
        __builtin_trap();
    uint32_t owner;
    if (sol_instance_owner(size ? data[0] : 0, data, size, &owner) == 0 &&
        (size < 4 || data[0] != 0))
        __builtin_trap();

    static struct sol_sm m;
    struct ctx c = {0};
    uint64_t now = 0, written = 0, inbound = 0;
    sol_sm_init(&m, 100, 3, size ? (uint16_t)(data[0] * 3) : 32);
    size_t i = size ? 1 : 0;
    while (i + 2 <= size) {
        uint8_t op = data[i], len = data[i + 1];
        i += 2;
        size_t n = len;
        if (n > size - i)
            n = size - i;
        switch (op % 4) {
        case 0:
            if (sol_sm_input(&m, now, data + i, n, on_data, &c) >= 0 && n > SOL_HDR_LEN &&
                (data[i] & 0x0F))
                inbound += n - SOL_HDR_LEN;
            i += n;
            break;
        case 1:
            if (sol_sm_write(&m, data + i, n) == 0)
                written += n;
            i += n;
            break;
        case 2:
            sol_sm_break(&m);
            break;
        default:
            now += (uint64_t)len * 10;
            drain(&m, now, written);
            break;
        }
        if (op & 0x80)
            sol_sm_restart(&m, len);
        if (c.delivered > inbound || m.st.tx_chars > written)
            __builtin_trap();
        if (sol_sm_room(&m) > SOL_TXQ_MAX)
            __builtin_trap();
    }
    return 0;
}
