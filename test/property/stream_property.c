/* SPDX-License-Identifier: MIT */
/*
 * stream_property.c: the byte stream's promise, checked over many random networks.
 *
 * For every seed, loss rate (0 to 20%, both directions), impairment mix (none, or
 * reordering with duplication and jitter) and TCP variant (congestion control, SACK,
 * timestamps, personality), both ends send to each other, read everything, close, and
 * must end with: each side's application handed exactly the bytes the other wrote, in
 * order, once, none from elsewhere; both connections CLOSED. A failure prints the
 * scenario that reproduces it.
 *
 * Usage: stream_property [SEEDS_PER_CASE]   (default 50; TCPSIM_PROPERTY_SEEDS too)
 * Prints "property: N passed, N failed" and exits non-zero on any failure.
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tcpsim/scenario.h>

static const char *const loss_rates[] = {"0%", "1%", "2%", "5%", "10%", "15%", "20%"};

/* Impairments on top of the loss: none, or reordering, duplication and jitter. */
static const char *const mixes[] = {
    "",
    " reorder 5% 4ms duplicate 2% jitter 1ms",
};

/* TCP variants, one per seed in turn, so every loss rate meets each of them. */
static const char *const variants[] = {
    "set * tcp_congestion_control cubic\n",
    "set * tcp_congestion_control reno\n",
    "set * tcp_sack 0\n",
    "set * tcp_timestamps 0\nset * tcp_window_scaling 0\n",
    "set * personality rfc\n",
    "set A tcp_congestion_control reno\nset B tcp_sack 0\n",
};

/* The retry budgets are raised so that a run of bad luck on a 20% link (seven SYNs
 * lost in a row happens about once in a thousand connections) does not end the
 * connection: the property is about the stream, not about giving up. The checks come
 * long after the end: at 20% loss both ways a 2 MB transfer can take hours of simulated
 * time (lost ACKs make timestamp RTT samples span whole timeouts, so the RTO climbs
 * towards its maximum), which costs nothing to simulate. */
static char *
scenario_text(uint64_t seed, const char *loss, const char *mix, const char *variant,
              unsigned a_bytes, unsigned b_bytes)
{
    return g_strdup_printf(
        "seed %" G_GUINT64_FORMAT "\n"
        "link both delay 5ms rate 20Mbps loss %s%s\n"
        "%s"
        "set * tcp_syn_retries 30\n"
        "set * tcp_synack_retries 30\n"
        "set * tcp_retries2 30\n"
        "set * tcp_orphan_retries 30\n"
        "0 B listen 80\n"
        "0 A connect B:80 as c\n"
        "+0 B accept 80 as s\n"
        "+0 A send c %u\n"
        "+0 B send s %u\n"
        "+0 A recv c %u\n"
        "+0 B recv s %u\n"
        "+0 A close c\n"
        "+0 B recv s\n"
        "+0 B close s\n"
        "1000h expect B s received %u\n"
        "+0 expect A c received %u\n"
        "+0 expect A c state CLOSED\n"
        "+0 expect B s state CLOSED\n"
        "+0 expect A c error none\n"
        "+0 expect B s error none\n",
        seed, loss, mix, variant, a_bytes, b_bytes, b_bytes, a_bytes, a_bytes, b_bytes);
}

/* Runs one case; returns TRUE when every expect held. */
static gboolean
run_case(const char *text, guint *events_out, int64_t *end_out)
{
    GError *e = NULL;
    struct tcpsim_scenario *scn = tcpsim_scenario_parse("property.scn", text, strlen(text), &e);
    if (scn == NULL) {
        fprintf(stderr, "property: %s\n", e->message);
        g_error_free(e);
        return FALSE;
    }
    struct tcpsim_run_options o = {.no_trace = true};
    struct tcpsim_run_result r;
    gboolean ok = tcpsim_scenario_run(scn, &o, &r, &e);
    if (!ok) {
        fprintf(stderr, "property: %s\n", e->message);
        g_error_free(e);
    } else {
        for (guint i = 0; i < r.failures->len; i++) {
            fprintf(stderr, "  %s\n", (const char *)g_ptr_array_index(r.failures, i));
        }
        ok = r.failed == 0 && r.expects == 6;
        *events_out = (guint)r.events;
        *end_out = r.end_time;
        tcpsim_run_result_clear(&r);
    }
    tcpsim_scenario_free(scn);
    return ok;
}

int
main(int argc, char **argv)
{
    unsigned seeds = 50;
    const char *env = getenv("TCPSIM_PROPERTY_SEEDS");
    if (argc > 1) {
        env = argv[1];
    }
    if (env != NULL) {
        char *end = NULL;
        unsigned long v = strtoul(env, &end, 10);
        if (end == env || *end != '\0' || v == 0 || v > 100000) {
            fprintf(stderr, "stream_property: seeds per case must be 1 to 100000, not \"%s\"\n",
                    env);
            return 2;
        }
        seeds = (unsigned)v;
    }
    guint passed = 0;
    guint failed = 0;
    uint64_t seed = 1;
    for (size_t l = 0; l < G_N_ELEMENTS(loss_rates); l++) {
        for (size_t m = 0; m < G_N_ELEMENTS(mixes); m++) {
            for (unsigned k = 0; k < seeds; k++, seed++) {
                const char *variant = variants[seed % G_N_ELEMENTS(variants)];
                /* Sizes vary with the seed: from a few segments to a few hundred, and
                 * every seventh run a 2 MB transfer, long enough for the congestion
                 * window to matter. */
                unsigned a_bytes = seed % 7 == 0 ? 2000000u
                                                 : 3000 + (unsigned)(seed * 7919 % 200000);
                unsigned b_bytes = 1 + (unsigned)(seed * 104729 % 50000);
                g_autofree char *text =
                    scenario_text(seed, loss_rates[l], mixes[m], variant, a_bytes, b_bytes);
                guint events = 0;
                int64_t end = 0;
                if (run_case(text, &events, &end)) {
                    passed++;
                } else {
                    failed++;
                    fprintf(stderr, "property: FAILED, reproduce with this scenario:\n%s\n", text);
                }
            }
        }
    }
    printf("property: %u runs over %zu loss rates x %zu impairment mixes x %u seeds\n",
           passed + failed, G_N_ELEMENTS(loss_rates), G_N_ELEMENTS(mixes), seeds);
    printf("%u passed, %u failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
