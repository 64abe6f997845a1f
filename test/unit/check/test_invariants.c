/* SPDX-License-Identifier: MIT */
/*
 * test_invariants.c: every invariant check fires on a state built to break it, and
 * stays quiet on the states the rules allow (zero-window probe, FIN, shrunk window).
 *
 * The checkers return a description instead of aborting, so each test breaks one thing
 * through the internal API and reads the message; one test forks to see the abort.
 */
#include <CUnit/CUnit.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/link/link.h"
#include "sim/world/world.h"
#include "test/unit/tcp/harness.h"

/* Asserts that `msg` is a description containing `want`, and frees it. */
#define ASSERT_FIRES(msg, want)                                                            \
    do {                                                                                   \
        char *m_ = (msg);                                                                  \
        CU_ASSERT_PTR_NOT_NULL(m_);                                                        \
        CU_ASSERT_PTR_NOT_NULL(m_ ? strstr(m_, (want)) : NULL);                            \
        g_free(m_);                                                                        \
    } while (0)

static void
test_inv_established_connection_holds(void)
{
    struct harness *h = harness_new(fixture_established);
    CU_ASSERT_PTR_NULL(tcp_inv_check(h->tcb));
    harness_free(h);
}

/* Rule 1: SND.UNA =< SND.NXT =< SND.MAX. */
static void
test_inv_snd_nxt_past_snd_max_fires(void)
{
    struct harness *h = harness_new(fixture_established);
    h->tcb->snd_nxt = seq_add(h->tcb->snd_max, 1);
    ASSERT_FIRES(tcp_inv_check(h->tcb), "SND.UNA =< SND.NXT =< SND.MAX broken");
    harness_free(h);
}

static void
test_inv_snd_una_past_snd_nxt_fires(void)
{
    struct harness *h = harness_new(fixture_established);
    h->tcb->snd_una = seq_add(h->tcb->snd_nxt, 1);
    ASSERT_FIRES(tcp_inv_check(h->tcb), "SND.UNA =< SND.NXT =< SND.MAX broken");
    harness_free(h);
}

/* Rule 2: nothing past the highest right edge, with one octet for a zero-window probe
 * and one for the FIN. */
static void
test_inv_sent_past_window_fires(void)
{
    struct harness *h = harness_new(fixture_established);
    struct tcp_tcb *t = h->tcb;
    t->snd_max = t->snd_nxt = seq_add(t->snd_una, t->snd_wnd + 1);
    ASSERT_FIRES(tcp_inv_check(t), "sent past the window");
    harness_free(h);
}

static void
test_inv_zero_window_probe_and_fin_allowed(void)
{
    struct harness *h = harness_new(fixture_established);
    struct tcp_tcb *t = h->tcb;
    t->snd_wnd = 0;
    t->inv.edge_valid = false;
    t->snd_max = t->snd_nxt = seq_add(t->snd_una, 1); /* one octet into a zero window */
    CU_ASSERT_PTR_NULL(tcp_inv_check(t));
    t->snd_max = t->snd_nxt = seq_add(t->snd_una, 2);
    ASSERT_FIRES(tcp_inv_check(t), "sent past the window");
    tcp_set_state(t, TCP_FIN_WAIT_1, TCP_CAUSE_USER_CLOSE); /* ... unless one is the FIN */
    CU_ASSERT_PTR_NULL(tcp_inv_check(t));
    harness_free(h);
}

static void
test_inv_shrunk_window_keeps_what_was_sent(void)
{
    struct harness *h = harness_new(fixture_established);
    struct tcp_tcb *t = h->tcb;
    CU_ASSERT_PTR_NULL(tcp_inv_check(t)); /* learns the right edge */
    t->snd_max = t->snd_nxt = seq_add(t->snd_una, t->snd_wnd);
    t->snd_wnd = 100; /* an old duplicate ACK shrank it (RFC 9293 §3.8.6.2.2) */
    CU_ASSERT_PTR_NULL(tcp_inv_check(t));
    harness_free(h);
}

/* Rule 3: RCV.NXT never moves backwards. */
static void
test_inv_rcv_nxt_backwards_fires(void)
{
    struct harness *h = harness_new(fixture_established);
    CU_ASSERT_PTR_NULL(tcp_inv_check(h->tcb));
    h->tcb->rcv_nxt = h->tcb->rcv_nxt - 1;
    ASSERT_FIRES(tcp_inv_check(h->tcb), "RCV.NXT moved backwards");
    harness_free(h);
}

/* Rule 4: buffers within their capacities. */
static void
test_inv_send_buffer_over_capacity_fires(void)
{
    struct harness *h = harness_new(fixture_established);
    h->tcb->snd.end = h->tcb->snd.una + h->tcb->snd.cap + 1;
    ASSERT_FIRES(tcp_inv_check(h->tcb), "send buffer over capacity");
    harness_free(h);
}

static void
test_inv_receive_buffer_over_capacity_fires(void)
{
    struct harness *h = harness_new(fixture_established);
    h->tcb->ooo_bytes = h->tcb->rcv.cap + 1;
    ASSERT_FIRES(tcp_inv_check(h->tcb), "receive buffer over capacity");
    h->tcb->ooo_bytes = 0;
    harness_free(h);
}

/* Rule 5: no timer pending on a CLOSED connection. */
static void
test_inv_timer_on_closed_fires(void)
{
    struct harness *h = harness_new(fixture_established);
    tcp_set_state(h->tcb, TCP_CLOSED, TCP_CAUSE_USER_ABORT);
    CU_ASSERT_PTR_NULL(tcp_inv_check(h->tcb));
    ev_schedule(&h->q, &h->tcb->timer.keepalive, h->q.now + SEC(1));
    ASSERT_FIRES(tcp_inv_check(h->tcb), "pending on a CLOSED connection");
    ev_cancel(&h->q, &h->tcb->timer.keepalive);
    harness_free(h);
}

/* Rule 6: transitions follow Figure 5; the checker's table is tcp_fsm.c's. */
static void
test_inv_illegal_transition_fires(void)
{
    struct harness *h = harness_new(fixture_established);
    CU_ASSERT_PTR_NULL(tcp_inv_transition(h->tcb, TCP_ESTABLISHED, TCP_CLOSE_WAIT));
    ASSERT_FIRES(tcp_inv_transition(h->tcb, TCP_ESTABLISHED, TCP_LISTEN),
                 "illegal state transition ESTABLISHED -> LISTEN");
    ASSERT_FIRES(tcp_inv_transition(h->tcb, TCP_TIME_WAIT, TCP_ESTABLISHED),
                 "illegal state transition TIME_WAIT -> ESTABLISHED");
    harness_free(h);
}

static void
test_inv_transition_table_matches_fsm(void)
{
    for (int from = 0; from < TCP_NSTATES; from++) {
        for (int to = 0; to < TCP_NSTATES; to++) {
            CU_ASSERT_EQUAL(tcp_inv_transition_allowed(from, to),
                            tcp_transition_legal(from, to));
        }
    }
}

/* Link accounting: sent + duplicated == delivered + dropped + in flight. */
static void
deliver_nowhere(void *to, const struct tcp_seg *seg, const struct link_damage *dmg)
{
    (void)to;
    (void)seg;
    (void)dmg;
}

static void
test_inv_link_accounting_fires(void)
{
    struct ev_queue q;
    ev_queue_init(&q);
    struct link_dir d;
    link_dir_init(&d, &q, NULL, "A", "B", NULL, deliver_nowhere, 1);
    d.p.delay = MS(10);
    struct tcp_seg s = {.flags = TCP_SYN};
    link_send(&d, &s);
    link_send(&d, &s);
    CU_ASSERT_PTR_NULL(link_inv_check(&d)); /* two in flight */
    ev_run_until(&q, SEC(1));
    CU_ASSERT_PTR_NULL(link_inv_check(&d)); /* two delivered */
    d.stats.sent++;                         /* one that vanished */
    ASSERT_FIRES(link_inv_check(&d), "segments unaccounted for: sent 3");
    link_dir_destroy(&d);
    ev_queue_destroy(&q);
}

/* The world's sweep finds a broken connection and names its host; enforcing aborts. */
static struct tcpsim_sim *
world_with_connection(struct tcpsim_sock **c)
{
    struct tcpsim_sim *sim = tcpsim_sim_new(3);
    int a = tcpsim_host_add(sim, "A", tcpsim_addr_v4(0x0A000001), NULL);
    int b = tcpsim_host_add(sim, "B", tcpsim_addr_v4(0x0A000002), NULL);
    struct tcpsim_sock *l = tcpsim_socket(sim, b, "l");
    *c = tcpsim_socket(sim, a, "c");
    tcpsim_listen(l, 80, 16);
    tcpsim_connect(*c, tcpsim_addr_v4(0x0A000002), 80, 0);
    tcpsim_run(sim, SEC(1), 0);
    return sim;
}

static void
test_inv_world_sweep_names_the_host(void)
{
    struct tcpsim_sock *c = NULL;
    struct tcpsim_sim *sim = world_with_connection(&c);
    const char *host = NULL;
    CU_ASSERT_PTR_NULL(world_inv_check(sim, &host));
    struct tcp_tcb *t = app_sock_tcb(c);
    tcp_seq saved = t->snd_nxt;
    t->snd_nxt = seq_add(t->snd_max, 5);
    ASSERT_FIRES(world_inv_check(sim, &host), "c 10.0.0.1.");
    CU_ASSERT_STRING_EQUAL(host, "A");
    t->snd_nxt = saved;
    tcpsim_sim_free(sim);
}

static void
test_inv_enforce_aborts_with_message(void)
{
    int fds[2];
    CU_ASSERT_EQUAL_FATAL(pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 2);
        struct tcpsim_sock *c = NULL;
        struct tcpsim_sim *sim = world_with_connection(&c);
        app_sock_tcb(c)->snd_una = seq_add(app_sock_tcb(c)->snd_max, 1);
        world_inv_enforce(sim, true);
        _exit(0); /* not reached */
    }
    close(fds[1]);
    char buf[1024] = {0};
    ssize_t n = read(fds[0], buf, sizeof buf - 1);
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    CU_ASSERT(n > 0);
    CU_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "tcpsim: invariant broken at 0.0"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "on host A: c 10.0.0.1."));
}

static CU_TestInfo invariant_tests[] = {
    {"an established connection holds every invariant", test_inv_established_connection_holds},
    {"SND.NXT past SND.MAX fires", test_inv_snd_nxt_past_snd_max_fires},
    {"SND.UNA past SND.NXT fires", test_inv_snd_una_past_snd_nxt_fires},
    {"sending past the right edge fires", test_inv_sent_past_window_fires},
    {"a zero-window probe and a FIN are allowed", test_inv_zero_window_probe_and_fin_allowed},
    {"a shrunk window keeps what was sent", test_inv_shrunk_window_keeps_what_was_sent},
    {"RCV.NXT moving backwards fires", test_inv_rcv_nxt_backwards_fires},
    {"a send buffer over capacity fires", test_inv_send_buffer_over_capacity_fires},
    {"a receive buffer over capacity fires", test_inv_receive_buffer_over_capacity_fires},
    {"a timer pending on CLOSED fires", test_inv_timer_on_closed_fires},
    {"an illegal transition fires", test_inv_illegal_transition_fires},
    {"the checker's Figure 5 equals tcp_fsm.c's", test_inv_transition_table_matches_fsm},
    {"a segment the link lost track of fires", test_inv_link_accounting_fires},
    {"the world's sweep names the host", test_inv_world_sweep_names_the_host},
    {"enforcing aborts with the time, host and connection", test_inv_enforce_aborts_with_message},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo invariant_suites[] = {
    {"invariants", NULL, NULL, NULL, NULL, invariant_tests},
    CU_SUITE_INFO_NULL,
};
