/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sol_sm.c - the state machine of one active SOL payload (IPMI v2.0 §15.9;
 * reference §9.2). Pure: fed inbound packets and the time, asked for the
 * packets to send; no I/O, no clock, no allocation.
 *
 * Outbound: characters wait in a bounded ring; at most one data packet is
 * in flight (that is all the protocol allows). It is retransmitted, same
 * sequence number and same characters, every retry_ms until acked; after
 * `retries` retransmissions without an ack the machine fails. An ack that
 * accepts fewer characters than sent (partial acceptance) sends the rest at
 * once in a new packet (new sequence number); a NACK, or an ack accepting
 * nothing, keeps the characters and sends them in a new packet after a
 * back-off of retry_ms x 1, 2, 4, 8 (the BMC's buffer is full: "transfer
 * unavailable"). Sequence numbers run 1..15, skipping 0 on the wrap.
 *
 * Inbound: every data packet is acked by an ack-only packet carrying its
 * sequence number and the count accepted (always all: the caller's
 * callback takes everything). A packet with the sequence number of the
 * last one accepted is the BMC's retransmission (our ack was lost): it is
 * acked again, its characters are not delivered twice.
 *
 * Probe: an empty data packet (no characters) that the BMC must ack, sent
 * when the console has been idle a while (ipmitool's "usesolkeepalive").
 * ipmi_sim does not tell a session that another one took its payload over
 * (no "SOL deactivating" packet): without a probe, a console that only
 * listens would never notice.
 *
 * Sync: after every (re-)activation the first packet is an empty data
 * packet numbered 1, and characters start at 2. ipmi_sim (OpenIPMI 2.0.33)
 * keeps the sequence number of the last packet it received across
 * activations: a new console's packet 1 that meets a previous console's
 * last packet 1 is taken for a retransmission, acked with the old count and
 * its characters are dropped (ipmitool loses them too). The empty packet
 * absorbs that: whatever the BMC remembered, after it the BMC's last number
 * is 1 and our 2 is new. A BMC without the bug just acks an empty packet.
 *
 * Acks always travel in ack-only packets, never piggybacked on our data:
 * a retransmitted data packet is then byte-for-byte the first one, as the
 * specification wants, and no stale ack rides on it.
 */
#include "sol.h"
#include "ic_err.h"

#include <string.h>

#define SOL_DEFAULT_RETRY_MS 500u
#define SOL_DEFAULT_RETRIES  10u
#define SOL_MAX_BACKOFF      8u
/* Ring capacity: the queue's limit plus one packet pushed back by a restart. */
#define SOL_RING_CAP (SOL_TXQ_MAX + SOL_MAX_CHARS)

_Static_assert(sizeof(((struct sol_sm *)0)->q) == SOL_RING_CAP, "ring size");

static uint8_t *
ring_at(struct sol_sm *m, size_t i)
{
    return &m->q[(m->q_head + i) % SOL_RING_CAP];
}

void
sol_sm_init(struct sol_sm *m, unsigned retry_ms, unsigned retries, uint16_t inbound_size)
{
    memset(m, 0, sizeof(*m));
    m->retry_ms = retry_ms ? retry_ms : SOL_DEFAULT_RETRY_MS;
    m->retries = retries ? retries : SOL_DEFAULT_RETRIES;
    m->max_chars = (unsigned)sol_clamp_size(inbound_size) - SOL_HDR_LEN;
}

/*
 * Puts the characters of the packet in flight back at the head of the
 * queue. Always fits: q_len + cur_len <= SOL_RING_CAP, because writes stop
 * at SOL_TXQ_MAX queued and a packet holds at most SOL_MAX_CHARS.
 */
static void
push_back_cur(struct sol_sm *m)
{
    size_t n = m->cur_len;
    m->q_head = (m->q_head + SOL_RING_CAP - n) % SOL_RING_CAP;
    m->q_len += n;
    for (size_t i = 0; i < n; i++)
        *ring_at(m, i) = m->cur[i];
    m->cur_len = 0;
}

void
sol_sm_restart(struct sol_sm *m, uint16_t inbound_size)
{
    if (m->cur_flags & SOL_OP_BREAK)
        m->want_break = 1;
    m->want_probe = 0;
    push_back_cur(m);
    m->cur_seq = 0;
    m->cur_flags = 0;
    m->cur_sent = 0;
    m->tries = 0;
    m->deadline = 0;
    m->last_seq = 0;
    m->backoff = 0;
    m->failed = 0;
    m->rx_seq = 0;
    m->rx_count = 0;
    m->ack_due = 0;
    m->want_sync = 1;
    m->max_chars = (unsigned)sol_clamp_size(inbound_size) - SOL_HDR_LEN;
}

size_t
sol_sm_room(const struct sol_sm *m)
{
    return m->q_len >= SOL_TXQ_MAX ? 0 : SOL_TXQ_MAX - m->q_len;
}

int
sol_sm_busy(const struct sol_sm *m)
{
    return m->q_len || m->cur_len || m->cur_seq || m->want_break || m->want_probe || m->want_sync;
}

int
sol_sm_probe(struct sol_sm *m)
{
    if (m->failed || sol_sm_busy(m))
        return 0;
    m->want_probe = 1;
    m->st.probes++;
    return 1;
}

int
sol_sm_write(struct sol_sm *m, const uint8_t *p, size_t n)
{
    if (n > SOL_TXQ_MAX)
        return IC_ETOOBIG;
    if (n > sol_sm_room(m))
        return IC_EAGAIN;
    for (size_t i = 0; i < n; i++)
        *ring_at(m, m->q_len + i) = p[i];
    m->q_len += n;
    return 0;
}

void
sol_sm_break(struct sol_sm *m)
{
    m->want_break = 1;
}

/* Ends the packet in flight with acc of its characters accepted. */
static void
acked(struct sol_sm *m, size_t acc)
{
    m->st.tx_chars += acc;
    m->cur_len -= acc;
    if (m->cur_len)
        memmove(m->cur, m->cur + acc, m->cur_len);
    m->cur_seq = 0;
    m->cur_flags = 0;
    m->cur_sent = 0;
    m->tries = 0;
    m->deadline = 0;
}

/* Nothing of the packet in flight was taken: send it again later, in a new packet. */
static void
refused(struct sol_sm *m, uint64_t now)
{
    if (m->cur_flags & SOL_OP_BREAK)
        m->want_break = 1;
    acked(m, 0);
    if (m->backoff < SOL_MAX_BACKOFF)
        m->backoff = m->backoff ? m->backoff * 2 : 1;
    m->deadline = now + (uint64_t)m->retry_ms * m->backoff;
}

static void
input_ack(struct sol_sm *m, uint64_t now, const struct sol_pkt *pk)
{
    if (pk->ack == 0)
        return;
    if (!m->cur_seq || !m->cur_sent || pk->ack != m->cur_seq) {
        m->st.stale_acks++;
        return;
    }
    if (pk->flags & SOL_ST_NACK) {
        m->st.nacks++;
        refused(m, now);
        return;
    }
    size_t acc = pk->accepted < m->cur_len ? pk->accepted : m->cur_len;
    if (m->cur_len && acc == 0) {
        m->st.partials++;
        refused(m, now);
        return;
    }
    if (acc < m->cur_len)
        m->st.partials++;
    m->backoff = 0;
    acked(m, acc);
}

int
sol_sm_input(struct sol_sm *m, uint64_t now, const uint8_t *p, size_t n, sol_deliver_fn fn,
             void *arg)
{
    struct sol_pkt pk;
    if (sol_pkt_decode(p, n, &pk) != 0)
        return IC_EPROTO;
    m->st.rx_packets++;
    if (pk.flags & SOL_ST_OVERRUN)
        m->st.overruns++;
    if (!m->failed)
        input_ack(m, now, &pk);
    if (pk.seq != 0) {
        if (pk.seq == m->rx_seq) {
            m->st.duplicates++;
        } else {
            m->rx_seq = pk.seq;
            m->rx_count = (uint8_t)pk.len;
            m->st.rx_chars += pk.len;
            if (pk.len && fn)
                fn(arg, pk.data, pk.len);
        }
        m->ack_due = 1;
    }
    return pk.flags;
}

static int
encode_cur(struct sol_sm *m, uint8_t *out, size_t outlen)
{
    struct sol_pkt pk = {
        .seq = m->cur_seq, .flags = m->cur_flags, .data = m->cur, .len = m->cur_len};
    return sol_pkt_encode(&pk, out, outlen);
}

/* Forms a new packet from the leftover of the last one, the queue and a pending break. */
static int
new_packet(struct sol_sm *m)
{
    if (!m->cur_len && !m->q_len && !m->want_break && !m->want_probe && !m->want_sync)
        return 0;
    m->want_probe = 0;
    while (!m->want_sync && m->cur_len < m->max_chars && m->q_len) {
        m->cur[m->cur_len++] = *ring_at(m, 0);
        m->q_head = (m->q_head + 1) % SOL_RING_CAP;
        m->q_len--;
    }
    if (m->want_sync) {
        m->want_sync = 0;
        m->cur_flags = 0;
    } else {
        m->cur_flags = m->want_break ? SOL_OP_BREAK : 0;
        if (m->want_break)
            m->st.breaks++;
        m->want_break = 0;
    }
    m->last_seq = (uint8_t)(m->last_seq >= SOL_SEQ_MAX ? 1 : m->last_seq + 1);
    m->cur_seq = m->last_seq;
    m->cur_sent = 0;
    m->tries = 0;
    return 1;
}

int
sol_sm_output(struct sol_sm *m, uint64_t now, uint8_t *out, size_t outlen)
{
    if (m->failed)
        return IC_ETIMEDOUT;
    if (m->ack_due) {
        struct sol_pkt pk = {.ack = m->rx_seq, .accepted = m->rx_count};
        m->ack_due = 0;
        return sol_pkt_encode(&pk, out, outlen);
    }
    if (!m->cur_seq) {
        if (m->deadline > now || !new_packet(m))
            return 0;
    } else if (m->cur_sent && now < m->deadline) {
        return 0;
    }
    if (m->cur_sent && m->tries > m->retries) {
        m->failed = 1;
        return IC_ETIMEDOUT;
    }
    if (m->cur_sent)
        m->st.retransmits++;
    else
        m->st.tx_packets++;
    m->cur_sent = 1;
    m->tries++;
    m->deadline = now + m->retry_ms;
    return encode_cur(m, out, outlen);
}

uint64_t
sol_sm_deadline(const struct sol_sm *m)
{
    if (m->failed)
        return UINT64_MAX;
    if (m->ack_due)
        return 0;
    if (m->cur_seq)
        return m->cur_sent ? m->deadline : 0;
    if (m->cur_len || m->q_len || m->want_break || m->want_probe || m->want_sync)
        return m->deadline;
    return UINT64_MAX;
}
