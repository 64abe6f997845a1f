/* SPDX-License-Identifier: MIT */
/*
 * harness.c: see harness.h.
 */
#include "harness.h"

#include <stdio.h>

#include "sim/trace/fmt_tcpdump.h"

static void
h_emit(void *host, const struct tcp_seg *seg)
{
    struct harness *h = host;
    struct tcp_seg copy = *seg;
    copy.data = NULL; /* the payload is not kept; tests compare lengths and offsets */
    g_array_append_val(h->out, copy);
}

static void
hold(struct harness *h, struct tcp_tcb *tcb)
{
    if (!g_ptr_array_find(h->known, tcb, NULL)) {
        tcp_tcb_ref(tcb);
        g_ptr_array_add(h->known, tcb);
    }
}

static bool
h_attach(void *host, struct tcp_tcb *tcb)
{
    struct harness *h = host;
    hold(h, tcb);
    g_ptr_array_add(h->demux, tcb);
    return true;
}

static void
h_detach(void *host, struct tcp_tcb *tcb)
{
    struct harness *h = host;
    g_ptr_array_remove(h->demux, tcb);
}

static void
h_wakeup(void *host, struct tcp_tcb *tcb, unsigned events)
{
    (void)tcb;
    (void)events;
    struct harness *h = host;
    h->wakes++;
}

static bool
h_listening(void *host, uint16_t port)
{
    struct harness *h = host;
    return h->lst != NULL && h->lst->state == TCP_LISTEN && h->lst->id.lport == port;
}

static const struct tcp_stack_ops harness_ops = {
    .emit = h_emit,
    .attach = h_attach,
    .detach = h_detach,
    .wakeup = h_wakeup,
    .listening = h_listening,
};

struct harness *
harness_new(harness_fixture fixture)
{
    return harness_new_personality(fixture, TCP_PERSONALITY_LINUX);
}

struct harness *
harness_new_personality(harness_fixture fixture, enum tcp_personality p)
{
    struct harness *h = g_new0(struct harness, 1);
    ev_queue_init(&h->q);
    trace_init(&h->trace);
    tcp_sysctl_defaults(&h->st.sysctl, p);
    /* Bare segments: no timestamps, SACK or window scaling unless a test asks. */
    h->st.sysctl.tcp_timestamps = 0;
    h->st.sysctl.tcp_sack = 0;
    h->st.sysctl.tcp_window_scaling = 0;
    /* Timers at their exact times (no jiffies) unless a test sets hz: a test then reads
     * the RFC's or Linux's timeouts directly (test_tcp_jiffies.c covers the ticks). */
    h->st.sysctl.hz = 0;
    tcp_stack_init(&h->st, &h->q, &h->trace, "L", LOCAL_ADDR, 1);
    h->st.ops = &harness_ops;
    h->st.host = h;
    h->st.isn_fixed = true;
    h->st.isn_fixed_value = LOCAL_ISS;
    h->known = g_ptr_array_new();
    h->demux = g_ptr_array_new();
    h->out = g_array_new(FALSE, TRUE, sizeof(struct tcp_seg));
    fixture(h);
    return h;
}

void
harness_free(struct harness *h)
{
    ev_queue_destroy(&h->q);
    for (guint i = 0; i < h->known->len; i++) {
        struct tcp_tcb *tcb = g_ptr_array_index(h->known, i);
        if (tcb->lq) {
            tcp_listen_forget(tcb);
        }
        tcp_timers_cancel_all(tcb);
        if (!tcb->detached) {
            tcb->detached = true;
            tcp_tcb_unref(tcb); /* the protocol's reference */
        }
    }
    for (guint i = 0; i < h->known->len; i++) {
        tcp_tcb_unref(g_ptr_array_index(h->known, i));
    }
    tcp_stack_destroy(&h->st);
    g_ptr_array_free(h->known, TRUE);
    g_ptr_array_free(h->demux, TRUE);
    g_array_free(h->out, TRUE);
    trace_destroy(&h->trace);
    g_free(h);
}

struct tcp_seg
with_mss(struct tcp_seg s, uint16_t mss)
{
    tcp_opts_push(&s.opt, TCPOPT_MSS);
    s.opt.mss = mss;
    return s;
}

struct tcp_seg
with_sack(struct tcp_seg s, unsigned n, const struct tcp_sack_block *b)
{
    g_assert(n <= TCP_SACK_MAX);
    if (n == 0) {
        return s;
    }
    tcp_opts_push(&s.opt, TCPOPT_NOP);
    tcp_opts_push(&s.opt, TCPOPT_NOP);
    tcp_opts_push(&s.opt, TCPOPT_SACK);
    s.opt.nsack = (uint8_t)n;
    for (unsigned i = 0; i < n; i++) {
        s.opt.sack[i] = b[i];
    }
    return s;
}

void
harness_advance(struct harness *h, sim_time at)
{
    ev_run_until(&h->q, at);
    if (h->q.now < at) {
        h->q.now = at;
    }
}

void
harness_feed(struct harness *h, sim_time at, struct tcp_seg seg)
{
    harness_advance(h, at);
    for (guint i = 0; i < h->demux->len; i++) {
        struct tcp_tcb *t = g_ptr_array_index(h->demux, i);
        if (t->state != TCP_LISTEN && ip_eq(&t->id.laddr, &seg.daddr) && t->id.lport == seg.dport &&
            ip_eq(&t->id.raddr, &seg.saddr) && t->id.rport == seg.sport) {
            if (!tcp_input_segment(t, &seg)) {
                return;
            }
            break;
        }
    }
    if (h->lst != NULL && h->lst->state == TCP_LISTEN && h->lst->id.lport == seg.dport) {
        guint before = h->demux->len;
        tcp_input_segment(h->lst, &seg);
        if (h->demux->len > before) {
            h->tcb = g_ptr_array_index(h->demux, h->demux->len - 1); /* the new child */
        }
        return;
    }
    tcp_input_no_socket(&h->st, &seg);
}

struct tcp_seg *
harness_take(struct harness *h, guint *n)
{
    *n = h->out->len;
    return (struct tcp_seg *)g_array_steal(h->out, NULL);
}

void
harness_drain(struct harness *h)
{
    g_array_set_size(h->out, 0);
}

enum tcp_state
harness_state(const struct harness *h)
{
    return h->tcb->state;
}

static void
describe(char *buf, size_t cap, const struct tcp_seg *s)
{
    struct strbuf sb;
    sb_init(&sb, buf, cap);
    fmt_tcpdump_seg(&sb, s, NULL);
}

void
harness_expect_at(struct harness *h, sim_time at, struct seg_expect e, const char *file, int line)
{
    harness_advance(h, at);
    struct tcp_seg want = {.saddr = LOCAL_ADDR, .daddr = REMOTE_ADDR, .seq = e.seq, .ack = e.ack,
                           .flags = e.flags, .len = e.len, .win = e.win < 0 ? 0 : (uint16_t)e.win};
    char wbuf[512];
    describe(wbuf, sizeof wbuf, &want);
    if (h->out->len == 0) {
        g_autofree char *msg = g_strdup_printf("expected at %" G_GINT64_FORMAT "ns: %s; nothing was sent",
                                               at, wbuf);
        CU_assertImplementation(CU_FALSE, (unsigned)line, msg, file, "", CU_FALSE);
        return;
    }
    struct tcp_seg got = g_array_index(h->out, struct tcp_seg, 0);
    g_array_remove_index(h->out, 0);
    bool ok = got.flags == e.flags && got.seq == e.seq && got.len == e.len &&
              (!(e.flags & TCP_ACK) || got.ack == e.ack) && (e.win < 0 || got.win == e.win);
    if (!ok) {
        char gbuf[512];
        got.opt.n = 0;
        describe(gbuf, sizeof gbuf, &got);
        g_autofree char *msg = g_strdup_printf("\n    expected %s\n    got      %s", wbuf, gbuf);
        CU_assertImplementation(CU_FALSE, (unsigned)line, msg, file, "", CU_FALSE);
        return;
    }
    CU_assertImplementation(CU_TRUE, (unsigned)line, "segment as expected", file, "", CU_FALSE);
}

void
harness_expect_none_at(struct harness *h, sim_time at, const char *file, int line)
{
    harness_advance(h, at);
    if (h->out->len > 0) {
        char gbuf[512];
        struct tcp_seg got = g_array_index(h->out, struct tcp_seg, 0);
        got.opt.n = 0;
        describe(gbuf, sizeof gbuf, &got);
        g_autofree char *msg = g_strdup_printf("expected nothing sent, got %s (and %u more)", gbuf,
                                               h->out->len - 1);
        CU_assertImplementation(CU_FALSE, (unsigned)line, msg, file, "", CU_FALSE);
        return;
    }
    CU_assertImplementation(CU_TRUE, (unsigned)line, "nothing sent", file, "", CU_FALSE);
}

/* --- fixtures -------------------------------------------------------------------- */

void
fixture_closed(struct harness *h)
{
    struct tcp_tcb *tcb = tcp_tcb_new(&h->st);
    tcp_buf_init(tcb, (uint32_t)h->st.sysctl.tcp_wmem[1], (uint32_t)h->st.sysctl.tcp_rmem[1]);
    hold(h, tcb);
    h->tcb = tcb;
}

void
fixture_syn_sent(struct harness *h)
{
    fixture_closed(h);
    g_ptr_array_add(h->demux, h->tcb);
    tcp_user_connect(h->tcb, LOCAL_ADDR, LOCAL_PORT, REMOTE_ADDR, REMOTE_PORT);
    g_assert(h->out->len == 1); /* the SYN */
    harness_drain(h);
}

void
fixture_established(struct harness *h)
{
    fixture_syn_sent(h);
    harness_feed(h, 0, with_mss(INBOUND(.flags = TCP_SYN | TCP_ACK, .seq = REMOTE_ISS,
                                        .ack = LOCAL_ISS + 1),
                                1460));
    g_assert(h->tcb->state == TCP_ESTABLISHED);
    g_assert(h->out->len == 1); /* the ACK */
    harness_drain(h);
}

void
fixture_established_sack(struct harness *h)
{
    h->st.sysctl.tcp_sack = 1;
    h->st.sysctl.tcp_window_scaling = 1;
    h->st.sysctl.tcp_rmem[2] = 4 << 20; /* wscale 7 */
    fixture_syn_sent(h);
    struct tcp_seg synack = with_mss(INBOUND(.flags = TCP_SYN | TCP_ACK, .seq = REMOTE_ISS,
                                             .ack = LOCAL_ISS + 1), 1460);
    tcp_opts_push(&synack.opt, TCPOPT_SACK_PERM);
    tcp_opts_push(&synack.opt, TCPOPT_NOP);
    tcp_opts_push(&synack.opt, TCPOPT_WSCALE);
    synack.opt.wscale = 2;
    harness_feed(h, 0, synack);
    g_assert(h->tcb->state == TCP_ESTABLISHED && h->tcb->sack_ok && h->tcb->ws_ok);
    harness_drain(h);
}

void
harness_add_listener(struct harness *h)
{
    struct tcp_tcb *lst = tcp_tcb_new(&h->st);
    tcp_buf_init(lst, (uint32_t)h->st.sysctl.tcp_wmem[1], (uint32_t)h->st.sysctl.tcp_rmem[1]);
    hold(h, lst);
    tcp_user_listen(lst, LOCAL_ADDR, LOCAL_PORT, 128);
    h->lst = lst;
}

void
fixture_listen(struct harness *h)
{
    fixture_closed(h);
    tcp_user_listen(h->tcb, LOCAL_ADDR, LOCAL_PORT, 128);
    h->lst = h->tcb;
}

void
fixture_syn_received(struct harness *h)
{
    fixture_listen(h);
    harness_feed(h, 0, with_mss(INBOUND(.flags = TCP_SYN, .seq = REMOTE_ISS), 1460));
    g_assert(h->tcb != h->lst && h->tcb->state == TCP_SYN_RECEIVED);
    g_assert(h->out->len == 1); /* the SYN-ACK */
    harness_drain(h);
}

void
fixture_established_passive(struct harness *h)
{
    fixture_syn_received(h);
    harness_feed(h, 0, INBOUND(.seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 1));
    g_assert(h->tcb->state == TCP_ESTABLISHED);
    harness_drain(h);
}

/* shutdown(SHUT_WR): the application keeps the socket, so nothing orphan-specific. */
void
fixture_fin_wait_1(struct harness *h)
{
    fixture_established(h);
    tcp_user_shutdown(h->tcb, false, true);
    g_assert(h->tcb->state == TCP_FIN_WAIT_1);
    g_assert(h->out->len == 1); /* the FIN */
    harness_drain(h);
}

void
fixture_fin_wait_2(struct harness *h)
{
    fixture_fin_wait_1(h);
    harness_feed(h, 0, INBOUND(.seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 2));
    g_assert(h->tcb->state == TCP_FIN_WAIT_2);
    harness_drain(h);
}

void
fixture_closing(struct harness *h)
{
    fixture_fin_wait_1(h);
    harness_feed(h, 0, INBOUND(.flags = TCP_FIN | TCP_ACK, .seq = REMOTE_ISS + 1,
                               .ack = LOCAL_ISS + 1));
    g_assert(h->tcb->state == TCP_CLOSING);
    harness_drain(h);
}

void
fixture_time_wait(struct harness *h)
{
    fixture_fin_wait_2(h);
    harness_feed(h, 0, INBOUND(.flags = TCP_FIN | TCP_ACK, .seq = REMOTE_ISS + 1,
                               .ack = LOCAL_ISS + 2));
    g_assert(h->tcb->state == TCP_TIME_WAIT);
    harness_drain(h);
}

/* The peer's FIN; its ACK is delayed (Linux), so time moves past the delayed ACK. */
void
fixture_close_wait(struct harness *h)
{
    fixture_established(h);
    harness_feed(h, 0, INBOUND(.flags = TCP_FIN | TCP_ACK, .seq = REMOTE_ISS + 1,
                               .ack = LOCAL_ISS + 1));
    g_assert(h->tcb->state == TCP_CLOSE_WAIT);
    harness_advance(h, MS(50));
    g_assert(h->out->len == 1); /* the delayed ACK of the FIN */
    harness_drain(h);
}

void
fixture_last_ack(struct harness *h)
{
    fixture_close_wait(h);
    tcp_user_shutdown(h->tcb, false, true);
    g_assert(h->tcb->state == TCP_LAST_ACK);
    g_assert(h->out->len == 1); /* our FIN */
    harness_drain(h);
}
