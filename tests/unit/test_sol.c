/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sol.c - Serial-over-LAN without a network: the codecs of sol_pkt.c
 * (every field, truncations, ack-only packets, Activate Payload replies of
 * ipmi_sim) and the state machine of sol_sm.c fed packets and time
 * (retransmission of the same packet, giving up, partial acceptance, NACK
 * back-off, duplicates acked but not re-delivered, sequence wrap 15 -> 1,
 * break, queue bound, restart after re-activation).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "test_util.h"

#include "ic_err.h"
#include "sol.h"

/* ---- codec ---------------------------------------------------------------- */

static void
test_decode_fields(void **state)
{
    (void)state;
    uint8_t p[] = {0x05, 0x03, 0x07, 0x7f, 'h', 'i'};
    uint8_t *q = dup_n(p, sizeof(p));
    struct sol_pkt pk;
    assert_int_equal(sol_pkt_decode(q, sizeof(p), &pk), 0);
    assert_int_equal(pk.seq, 5);
    assert_int_equal(pk.ack, 3);
    assert_int_equal(pk.accepted, 7);
    assert_int_equal(pk.flags, 0x7f);
    assert_int_equal(pk.len, 2);
    assert_memory_equal(pk.data, "hi", 2);
    free(q);

    /* Reserved high nibbles and bit 7 of the status byte are ignored. */
    uint8_t r[] = {0xf1, 0xe2, 0x00, 0x80 | SOL_ST_DEACTIVATING};
    assert_int_equal(sol_pkt_decode(r, sizeof(r), &pk), 0);
    assert_int_equal(pk.seq, 1);
    assert_int_equal(pk.ack, 2);
    assert_int_equal(pk.flags, SOL_ST_DEACTIVATING);
    assert_int_equal(pk.len, 0);
    assert_null(pk.data);
}

static void
test_decode_ack_only(void **state)
{
    (void)state;
    struct sol_pkt pk;
    /* The captured ack of §9.2: acks #1, 4 characters accepted. */
    uint8_t a[] = {0x00, 0x01, 0x04, 0x00};
    assert_int_equal(sol_pkt_decode(a, sizeof(a), &pk), 0);
    assert_int_equal(pk.seq, 0);
    assert_int_equal(pk.ack, 1);
    assert_int_equal(pk.accepted, 4);
    assert_int_equal(pk.len, 0);
    /* Characters in an ack-only packet are not characters. */
    uint8_t b[] = {0x00, 0x01, 0x04, 0x00, 'x', 'y'};
    assert_int_equal(sol_pkt_decode(b, sizeof(b), &pk), 0);
    assert_int_equal(pk.len, 0);
    assert_null(pk.data);
}

static void
test_decode_truncated(void **state)
{
    (void)state;
    uint8_t p[SOL_MAX_PKT + 1];
    struct sol_pkt pk;
    memset(p, 'a', sizeof(p));
    p[0] = 1;
    for (size_t n = 0; n < SOL_HDR_LEN; n++) {
        uint8_t *q = dup_n(p, n);
        assert_int_equal(sol_pkt_decode(q, n, &pk), IC_EPROTO);
        free(q);
    }
    assert_int_equal(sol_pkt_decode(p, SOL_MAX_PKT, &pk), 0);
    assert_int_equal(pk.len, SOL_MAX_CHARS);
    assert_int_equal(sol_pkt_decode(p, SOL_MAX_PKT + 1, &pk), IC_EPROTO);
}

static void
test_encode(void **state)
{
    (void)state;
    uint8_t out[SOL_MAX_PKT];
    struct sol_pkt pk = {.seq = 1, .data = (const uint8_t *)"abc\r", .len = 4};
    /* The captured console packet #1 of §9.2. */
    int n = sol_pkt_encode(&pk, out, sizeof(out));
    assert_int_equal(n, 8);
    assert_hex(out, (size_t)n, "01 00 00 00 61 62 63 0d");
    struct sol_pkt ack = {.ack = 1};
    n = sol_pkt_encode(&ack, out, sizeof(out));
    assert_hex(out, (size_t)n, "00 01 00 00");
    struct sol_pkt all = {
        .seq = 15, .ack = 14, .accepted = 200, .flags = SOL_OP_BREAK | SOL_OP_NACK};
    n = sol_pkt_encode(&all, out, sizeof(out));
    assert_hex(out, (size_t)n, "0f 0e c8 50");
    /* Round trip. */
    struct sol_pkt back;
    assert_int_equal(sol_pkt_decode(out, (size_t)n, &back), 0);
    assert_int_equal(back.seq, 15);
    assert_int_equal(back.ack, 14);
    assert_int_equal(back.accepted, 200);
    assert_int_equal(back.flags, SOL_OP_BREAK | SOL_OP_NACK);

    struct sol_pkt bad = {.seq = 16};
    assert_int_equal(sol_pkt_encode(&bad, out, sizeof(out)), IC_EINVAL);
    bad = (struct sol_pkt){.seq = 1, .ack = 16};
    assert_int_equal(sol_pkt_encode(&bad, out, sizeof(out)), IC_EINVAL);
    bad = (struct sol_pkt){.seq = 0, .data = (const uint8_t *)"x", .len = 1};
    assert_int_equal(sol_pkt_encode(&bad, out, sizeof(out)), IC_EINVAL);
    uint8_t big[256] = {0};
    bad = (struct sol_pkt){.seq = 1, .data = big, .len = 256};
    assert_int_equal(sol_pkt_encode(&bad, out, sizeof(out)), IC_EINVAL);
    bad = (struct sol_pkt){.seq = 1, .data = big, .len = 10};
    assert_int_equal(sol_pkt_encode(&bad, out, 13), IC_EINVAL); /* no room */
}

static void
test_activation(void **state)
{
    (void)state;
    uint8_t raw[16];
    struct sol_activation a;
    /* ipmi_sim 2.0.33 as captured (reference §9.1). */
    size_t n = unhex("00 00 00 00 20 00 00 40 97 25 ff ff", raw, sizeof(raw));
    assert_int_equal(sol_activation_decode(raw, n, &a), 0);
    assert_int_equal(a.aux, 0);
    assert_int_equal(a.inbound, 32);
    assert_int_equal(a.outbound, 16384);
    assert_int_equal(a.port, 9623);
    assert_int_equal(a.vlan, 0xffff);
    /* bmcsim with its plugin: outbound clamped to 259, port = the session's. */
    n = unhex("01 00 00 00 20 00 03 01 d5 26 ff ff", raw, sizeof(raw));
    assert_int_equal(sol_activation_decode(raw, n, &a), 0);
    assert_int_equal(a.aux, 1);
    assert_int_equal(a.outbound, 259);
    assert_int_equal(a.port, 9941);
    /* Without VLAN: accepted; shorter: malformed. */
    uint8_t *q = dup_n(raw, 10);
    assert_int_equal(sol_activation_decode(q, 10, &a), 0);
    assert_int_equal(a.vlan, 0xffff);
    free(q);
    for (size_t k = 0; k < 10; k++) {
        q = dup_n(raw, k);
        assert_int_equal(sol_activation_decode(q, k, &a), IC_EPROTO);
        free(q);
    }
    assert_int_equal(sol_clamp_size(0), 5);
    assert_int_equal(sol_clamp_size(4), 5);
    assert_int_equal(sol_clamp_size(32), 32);
    assert_int_equal(sol_clamp_size(259), 259);
    assert_int_equal(sol_clamp_size(16384), 259);

    /* Get Payload Instance Info of ipmi_sim: owner session 0x0b02. */
    uint32_t owner = 1;
    n = unhex("02 0b 00 00 01 00 00 00 00 00 00 00", raw, sizeof(raw));
    assert_int_equal(sol_instance_owner(0, raw, n, &owner), 0);
    assert_int_equal(owner, 0x0b02);
    assert_int_equal(sol_instance_owner(0xc1, raw, n, &owner), IC_ECC);
    q = dup_n(raw, 3);
    assert_int_equal(sol_instance_owner(0, q, 3, &owner), IC_EPROTO);
    free(q);

    uint8_t d[6];
    sol_activate_req(d, 1, 1);
    assert_hex(d, 6, "01 01 c4 00 00 00");
    sol_activate_req(d, 0, 1);
    assert_hex(d, 6, "01 01 44 00 00 00");
    sol_deactivate_req(d);
    assert_hex(d, 6, "01 01 00 00 00 00");
}

/* ---- state machine -------------------------------------------------------- */

struct sink {
    uint8_t buf[4096];
    size_t len;
    unsigned calls;
};

static void
sink_fn(void *arg, const uint8_t *p, size_t n)
{
    struct sink *k = arg;
    assert_true(k->len + n <= sizeof(k->buf));
    memcpy(k->buf + k->len, p, n);
    k->len += n;
    k->calls++;
}

/* Output at now, decoded; returns the packet's length (0: none). */
static int
out_pkt(struct sol_sm *m, uint64_t now, struct sol_pkt *pk, uint8_t *buf)
{
    int n = sol_sm_output(m, now, buf, SOL_MAX_PKT);
    if (n > 0)
        assert_int_equal(sol_pkt_decode(buf, (size_t)n, pk), 0);
    return n;
}

/* Feeds a BMC packet. */
static int
in_pkt(struct sol_sm *m, uint64_t now, uint8_t seq, uint8_t ack, uint8_t acc, uint8_t st,
       const char *data, struct sink *k)
{
    uint8_t p[SOL_MAX_PKT];
    struct sol_pkt pk = {.seq = seq,
                         .ack = ack,
                         .accepted = acc,
                         .flags = st,
                         .data = (const uint8_t *)data,
                         .len = data ? strlen(data) : 0};
    int n = sol_pkt_encode(&pk, p, sizeof(p));
    assert_true(n >= SOL_HDR_LEN);
    return sol_sm_input(m, now, p, (size_t)n, sink_fn, k);
}

static void
test_sm_send_ack(void **state)
{
    (void)state;
    struct sol_sm m;
    struct sol_pkt pk;
    uint8_t b[SOL_MAX_PKT];
    struct sink k = {0};
    sol_sm_init(&m, 0, 0, 32);
    assert_int_equal(m.retry_ms, 500);
    assert_int_equal(m.retries, 10);
    assert_int_equal(sol_sm_deadline(&m), UINT64_MAX);
    assert_int_equal(sol_sm_output(&m, 1000, b, sizeof(b)), 0);
    assert_int_equal(sol_sm_write(&m, (const uint8_t *)"abc\r", 4), 0);
    assert_true(sol_sm_busy(&m));
    assert_int_equal(sol_sm_deadline(&m), 0);
    int n = out_pkt(&m, 1000, &pk, b);
    assert_hex(b, (size_t)n, "01 00 00 00 61 62 63 0d");
    assert_int_equal(sol_sm_output(&m, 1000, b, sizeof(b)), 0); /* one packet in flight */
    assert_int_equal(sol_sm_deadline(&m), 1500);
    /* The BMC acks 4 characters: done. */
    assert_int_equal(in_pkt(&m, 1100, 0, 1, 4, 0, NULL, &k), 0);
    assert_false(sol_sm_busy(&m));
    assert_int_equal(sol_sm_deadline(&m), UINT64_MAX);
    assert_int_equal(sol_sm_output(&m, 1100, b, sizeof(b)), 0); /* ack-only packets are not acked */
    assert_int_equal(m.st.tx_chars, 4);
    assert_int_equal(k.calls, 0);
    /* At most inbound - 4 = 28 characters per packet. */
    uint8_t big[100];
    memset(big, 'z', sizeof(big));
    assert_int_equal(sol_sm_write(&m, big, sizeof(big)), 0);
    n = out_pkt(&m, 1200, &pk, b);
    assert_int_equal(pk.seq, 2);
    assert_int_equal(pk.len, 28);
}

static void
test_sm_retransmit_giveup(void **state)
{
    (void)state;
    struct sol_sm m;
    struct sol_pkt pk;
    uint8_t first[SOL_MAX_PKT], b[SOL_MAX_PKT];
    sol_sm_init(&m, 200, 3, 259);
    assert_int_equal(sol_sm_write(&m, (const uint8_t *)"hello", 5), 0);
    int n0 = out_pkt(&m, 0, &pk, first);
    assert_int_equal(pk.seq, 1);
    assert_int_equal(sol_sm_output(&m, 199, b, sizeof(b)), 0);
    /* Same sequence number, same characters, every retry_ms, `retries` times. */
    for (unsigned i = 1; i <= 3; i++) {
        int n = out_pkt(&m, 200 * i, &pk, b);
        assert_int_equal(n, n0);
        assert_memory_equal(b, first, (size_t)n0);
        assert_int_equal(sol_sm_output(&m, 200 * i, b, sizeof(b)), 0);
    }
    assert_int_equal(m.st.retransmits, 3);
    assert_int_equal(sol_sm_output(&m, 799, b, sizeof(b)), 0);
    assert_int_equal(sol_sm_output(&m, 800, b, sizeof(b)), IC_ETIMEDOUT);
    assert_int_equal(sol_sm_output(&m, 900, b, sizeof(b)), IC_ETIMEDOUT); /* stays failed */
    assert_int_equal(sol_sm_deadline(&m), UINT64_MAX);
}

static void
test_sm_partial(void **state)
{
    (void)state;
    struct sol_sm m;
    struct sol_pkt pk;
    uint8_t b[SOL_MAX_PKT];
    struct sink k = {0};
    sol_sm_init(&m, 500, 10, 259);
    assert_int_equal(sol_sm_write(&m, (const uint8_t *)"0123456789", 10), 0);
    out_pkt(&m, 0, &pk, b);
    assert_int_equal(pk.seq, 1);
    /* 4 of 10 accepted: the other 6 go at once, in a new packet. */
    in_pkt(&m, 10, 0, 1, 4, 0, NULL, &k);
    assert_int_equal(sol_sm_deadline(&m), 0);
    out_pkt(&m, 10, &pk, b);
    assert_int_equal(pk.seq, 2);
    assert_int_equal(pk.len, 6);
    assert_memory_equal(pk.data, "456789", 6);
    assert_int_equal(m.st.partials, 1);
    /* Characters written meanwhile join the remainder of a partial packet. */
    assert_int_equal(sol_sm_write(&m, (const uint8_t *)"ab", 2), 0);
    in_pkt(&m, 20, 0, 2, 1, 0, NULL, &k);
    out_pkt(&m, 20, &pk, b);
    assert_int_equal(pk.seq, 3);
    assert_int_equal(pk.len, 7);
    assert_memory_equal(pk.data, "56789ab", 7);
    /* An ack claiming more than was sent accepts what was sent. */
    in_pkt(&m, 30, 0, 3, 200, 0, NULL, &k);
    assert_false(sol_sm_busy(&m));
    assert_int_equal(m.st.tx_chars, 12);
}

static void
test_sm_nack_backoff(void **state)
{
    (void)state;
    struct sol_sm m;
    struct sol_pkt pk;
    uint8_t b[SOL_MAX_PKT];
    struct sink k = {0};
    sol_sm_init(&m, 100, 2, 259);
    assert_int_equal(sol_sm_write(&m, (const uint8_t *)"data", 4), 0);
    out_pkt(&m, 0, &pk, b);
    /* NACK + character transfer unavailable: nothing taken, back off 1x retry_ms. */
    in_pkt(&m, 10, 0, 1, 0, SOL_ST_NACK | SOL_ST_UNAVAILABLE, NULL, &k);
    assert_int_equal(m.st.nacks, 1);
    assert_true(sol_sm_busy(&m));
    assert_int_equal(sol_sm_deadline(&m), 110);
    assert_int_equal(sol_sm_output(&m, 109, b, sizeof(b)), 0);
    out_pkt(&m, 110, &pk, b);
    assert_int_equal(pk.seq, 2); /* a new packet */
    assert_int_equal(pk.len, 4);
    assert_memory_equal(pk.data, "data", 4);
    /* A second NACK doubles the back-off, up to 8x. */
    in_pkt(&m, 120, 0, 2, 0, SOL_ST_NACK | SOL_ST_UNAVAILABLE, NULL, &k);
    assert_int_equal(sol_sm_deadline(&m), 320);
    out_pkt(&m, 320, &pk, b);
    assert_int_equal(pk.seq, 3);
    for (unsigned i = 0; i < 5; i++) {
        in_pkt(&m, 1000 * (i + 1), 0, pk.seq, 0, SOL_ST_NACK, NULL, &k);
        out_pkt(&m, 1000 * (i + 1) + 800, &pk, b);
        assert_true(pk.len == 4);
    }
    assert_int_equal(m.backoff, 8);
    /* NACKs never count as lost packets: the BMC is there. A real ack resets the back-off. */
    in_pkt(&m, 9000, 0, pk.seq, 4, 0, NULL, &k);
    assert_false(sol_sm_busy(&m));
    assert_int_equal(m.backoff, 0);
    /* An ack accepting nothing (no NACK bit) is treated like a NACK. */
    assert_int_equal(sol_sm_write(&m, (const uint8_t *)"x", 1), 0);
    out_pkt(&m, 9100, &pk, b);
    in_pkt(&m, 9110, 0, pk.seq, 0, 0, NULL, &k);
    assert_true(sol_sm_busy(&m));
    assert_int_equal(sol_sm_deadline(&m), 9210);
}

static void
test_sm_inbound_duplicates(void **state)
{
    (void)state;
    struct sol_sm m;
    struct sol_pkt pk;
    uint8_t b[SOL_MAX_PKT];
    struct sink k = {0};
    sol_sm_init(&m, 500, 10, 32);
    /* The captured first BMC packet carries no data: acked with 0 accepted. */
    in_pkt(&m, 0, 1, 0, 0, 0, NULL, &k);
    int n = out_pkt(&m, 0, &pk, b);
    assert_hex(b, (size_t)n, "00 01 00 00");
    assert_int_equal(k.calls, 0);
    in_pkt(&m, 10, 2, 0, 0, 0, "login: ", &k);
    n = out_pkt(&m, 10, &pk, b);
    assert_hex(b, (size_t)n, "00 02 07 00");
    /* Our ack was lost: the BMC retransmits #2; acked again, not delivered twice. */
    in_pkt(&m, 510, 2, 0, 0, 0, "login: ", &k);
    n = out_pkt(&m, 510, &pk, b);
    assert_hex(b, (size_t)n, "00 02 07 00");
    assert_int_equal(m.st.duplicates, 1);
    in_pkt(&m, 600, 3, 0, 0, SOL_ST_OVERRUN, "x", &k);
    assert_int_equal(k.len, 8);
    assert_memory_equal(k.buf, "login: x", 8);
    assert_int_equal(m.st.overruns, 1);
    /* An ack of a packet we never sent (stale) changes nothing. */
    in_pkt(&m, 700, 0, 9, 1, 0, NULL, &k);
    assert_int_equal(m.st.stale_acks, 1);
    /* Malformed input is refused and ignored. */
    assert_int_equal(sol_sm_input(&m, 800, b, 2, sink_fn, &k), IC_EPROTO);
    /* Status bits are returned to the caller. */
    assert_int_equal(in_pkt(&m, 900, 0, 0, 0, SOL_ST_DEACTIVATING, NULL, &k), SOL_ST_DEACTIVATING);
}

static void
test_sm_seq_wrap(void **state)
{
    (void)state;
    struct sol_sm m;
    struct sol_pkt pk;
    uint8_t b[SOL_MAX_PKT];
    struct sink k = {0};
    sol_sm_init(&m, 500, 10, 259);
    for (unsigned i = 0; i < 32; i++) {
        uint8_t c = (uint8_t)('a' + i % 26);
        assert_int_equal(sol_sm_write(&m, &c, 1), 0);
        out_pkt(&m, i, &pk, b);
        assert_int_equal(pk.seq, i % 15 + 1); /* 1..15, 1..15: never 0 */
        assert_int_equal(pk.data[0], c);
        in_pkt(&m, i, 0, pk.seq, 1, 0, NULL, &k);
    }
    /* The BMC's numbers wrap too: 15 then 1 is new data, not a duplicate. */
    for (unsigned i = 0; i < 17; i++) {
        char d[2] = {(char)('A' + i), 0};
        in_pkt(&m, 100 + i, (uint8_t)(i % 15 + 1), 0, 0, 0, d, &k);
        out_pkt(&m, 100 + i, &pk, b);
        assert_int_equal(pk.ack, i % 15 + 1);
    }
    assert_int_equal(k.len, 17);
    assert_int_equal(m.st.duplicates, 0);
}

static void
test_sm_break(void **state)
{
    (void)state;
    struct sol_sm m;
    struct sol_pkt pk;
    uint8_t b[SOL_MAX_PKT];
    struct sink k = {0};
    sol_sm_init(&m, 500, 10, 259);
    sol_sm_break(&m);
    assert_true(sol_sm_busy(&m));
    int n = out_pkt(&m, 0, &pk, b);
    assert_hex(b, (size_t)n, "01 00 00 10");
    /* Retransmitted with the break bit until acked. */
    n = out_pkt(&m, 500, &pk, b);
    assert_hex(b, (size_t)n, "01 00 00 10");
    in_pkt(&m, 510, 0, 1, 0, 0, NULL, &k);
    assert_false(sol_sm_busy(&m));
    /* A break rides on data; a NACKed break is sent again. */
    assert_int_equal(sol_sm_write(&m, (const uint8_t *)"q", 1), 0);
    sol_sm_break(&m);
    n = out_pkt(&m, 600, &pk, b);
    assert_hex(b, (size_t)n, "02 00 00 10 71");
    in_pkt(&m, 610, 0, 2, 0, SOL_ST_NACK, NULL, &k);
    n = out_pkt(&m, 1110, &pk, b);
    assert_hex(b, (size_t)n, "03 00 00 10 71");
    assert_int_equal(m.st.breaks, 3); /* packets that carried one */
}

static void
test_sm_queue_bound(void **state)
{
    (void)state;
    static struct sol_sm m;
    static uint8_t big[SOL_TXQ_MAX + 1];
    uint8_t b[SOL_MAX_PKT];
    struct sol_pkt pk;
    struct sink k = {0};
    sol_sm_init(&m, 500, 10, 259);
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (uint8_t)i;
    assert_int_equal(sol_sm_write(&m, big, SOL_TXQ_MAX + 1), IC_ETOOBIG);
    assert_int_equal(sol_sm_room(&m), SOL_TXQ_MAX);
    assert_int_equal(sol_sm_write(&m, big, SOL_TXQ_MAX), 0);
    assert_int_equal(sol_sm_room(&m), 0);
    assert_int_equal(sol_sm_write(&m, big, 1), IC_EAGAIN);
    /* Drain through the ring (it wraps): every byte once, in order. */
    size_t got = 0;
    uint64_t t = 0;
    while (sol_sm_busy(&m)) {
        int n = out_pkt(&m, t, &pk, b);
        assert_true(n > 0);
        for (size_t j = 0; j < pk.len; j++) /* big[i] == (uint8_t)i, 8192 % 256 == 0 */
            assert_int_equal(pk.data[j], (uint8_t)(got + j));
        got += pk.len;
        in_pkt(&m, t, 0, pk.seq, (uint8_t)pk.len, 0, NULL, &k);
        if (got == 255) /* room again: top up so the ring wraps */
            assert_int_equal(sol_sm_write(&m, big, 255), 0);
        t++;
    }
    assert_int_equal(got, SOL_TXQ_MAX + 255);
    assert_int_equal(m.st.tx_chars, SOL_TXQ_MAX + 255);
}

static void
test_sm_restart(void **state)
{
    (void)state;
    static struct sol_sm m;
    struct sol_pkt pk;
    uint8_t b[SOL_MAX_PKT];
    struct sink k = {0};
    static uint8_t big[SOL_TXQ_MAX];
    memset(big, 'r', sizeof(big));
    sol_sm_init(&m, 500, 2, 259);
    assert_int_equal(sol_sm_write(&m, (const uint8_t *)"first", 5), 0);
    sol_sm_break(&m);
    out_pkt(&m, 0, &pk, b);
    assert_int_equal(pk.seq, 1);
    in_pkt(&m, 1, 4, 0, 0, 0, "out", &k);
    /* Fill the queue behind the packet in flight, then lose the session. */
    assert_int_equal(sol_sm_write(&m, big, SOL_TXQ_MAX), 0);
    sol_sm_restart(&m, 32);
    /* First an empty packet 1 (ipmi_sim's remembered sequence number), characters wait. */
    int n = out_pkt(&m, 10, &pk, b);
    assert_hex(b, (size_t)n, "01 00 00 00");
    assert_int_equal(sol_sm_output(&m, 10, b, sizeof(b)), 0);
    /* ipmi_sim took it for a retransmission of an old packet 1 of 12 characters: harmless. */
    in_pkt(&m, 10, 0, 1, 12, 0, NULL, &k);
    /* The packet not acked comes next, numbered 2, with its break. */
    out_pkt(&m, 10, &pk, b);
    assert_int_equal(pk.seq, 2);
    assert_int_equal(pk.flags, SOL_OP_BREAK);
    assert_int_equal(pk.len, 28);
    assert_memory_equal(pk.data, "firstrrr", 8);
    /* The BMC's numbering restarts too: its #4 after a restart is new data. */
    in_pkt(&m, 11, 4, 2, 28, 0, "new", &k);
    assert_int_equal(k.len, 6);
    assert_memory_equal(k.buf, "outnew", 6);
    size_t total = 28;
    uint64_t t = 20;
    while (sol_sm_busy(&m)) {
        out_pkt(&m, t, &pk, b);
        total += pk.len;
        in_pkt(&m, t, 0, pk.seq, (uint8_t)pk.len, 0, NULL, &k);
        t++;
    }
    assert_int_equal(total, 5 + SOL_TXQ_MAX);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_fields),        cmocka_unit_test(test_decode_ack_only),
        cmocka_unit_test(test_decode_truncated),     cmocka_unit_test(test_encode),
        cmocka_unit_test(test_activation),           cmocka_unit_test(test_sm_send_ack),
        cmocka_unit_test(test_sm_retransmit_giveup), cmocka_unit_test(test_sm_partial),
        cmocka_unit_test(test_sm_nack_backoff),      cmocka_unit_test(test_sm_inbound_duplicates),
        cmocka_unit_test(test_sm_seq_wrap),          cmocka_unit_test(test_sm_break),
        cmocka_unit_test(test_sm_queue_bound),       cmocka_unit_test(test_sm_restart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
