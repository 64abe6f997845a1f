/* SPDX-License-Identifier: MIT */
/*
 * test_replay.c: tcpsim replay: captures read (pcap, pcapng, tcpdump text), connections
 * found, the application's calls inferred, and a capture replayed with no divergence.
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include <glib/gstdio.h>
#include <unistd.h>

#include "sim/replay/replay.h"

/* --- a capture builder: pcap records of IPv4 TCP segments, raw-IP link type --------- */

struct capbuf {
    GByteArray *b;
};

/* The IPv4 address as a number, 0 for any other family. */
static uint32_t
ip4_of(const struct tcpsim_addr *a)
{
    return a->family == TCPSIM_AF_INET
               ? (uint32_t)a->b[0] << 24 | (uint32_t)a->b[1] << 16 | (uint32_t)a->b[2] << 8 | a->b[3]
               : 0;
}

static void
put16(GByteArray *b, uint16_t v)
{
    uint8_t x[2] = {(uint8_t)(v >> 8), (uint8_t)v};
    g_byte_array_append(b, x, 2);
}

static void
put32(GByteArray *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    g_byte_array_append(b, x, 4);
}

static void
le32(GByteArray *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    g_byte_array_append(b, x, 4);
}

static struct capbuf
cap_new(uint32_t linktype)
{
    struct capbuf c = {g_byte_array_new()};
    le32(c.b, 0xa1b2c3d4u);
    uint8_t ver[4] = {2, 0, 4, 0};
    g_byte_array_append(c.b, ver, 4);
    le32(c.b, 0);
    le32(c.b, 0);
    le32(c.b, 65535);
    le32(c.b, linktype);
    return c;
}

#define A 0xC0000201u /* 192.0.2.1 */
#define B 0xC0000202u /* 192.0.2.2 */

/* One segment at `us` microseconds between any two IPv4 endpoints; `opts` raw option
 * bytes (a multiple of 4). */
static void
segx(struct capbuf *c, uint32_t us, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
     uint8_t flags, uint32_t seq, uint32_t ack, uint16_t win, const uint8_t *opts,
     size_t optlen, uint16_t len)
{
    GByteArray *p = g_byte_array_new();
    size_t tcp = 20 + optlen;
    put16(p, 0x4500);
    put16(p, (uint16_t)(20 + tcp + len));
    put32(p, 0);
    put16(p, 0x4006);
    put16(p, 0);
    put32(p, src);
    put32(p, dst);
    put16(p, sport);
    put16(p, dport);
    put32(p, seq);
    put32(p, ack);
    uint8_t off_flags[2] = {(uint8_t)((tcp / 4) << 4), flags};
    g_byte_array_append(p, off_flags, 2);
    put16(p, win);
    put32(p, 0);
    if (optlen) {
        g_byte_array_append(p, opts, (guint)optlen);
    }
    /* payload cut by a 96-byte snap length, as tcpdump -s 96 would */
    uint8_t zero[64] = {0};
    g_byte_array_append(p, zero, len < 16 ? len : 16);
    le32(c->b, us / 1000000);
    le32(c->b, us % 1000000);
    le32(c->b, p->len);
    le32(c->b, 20 + (uint32_t)tcp + len);
    g_byte_array_append(c->b, p->data, p->len);
    g_byte_array_free(p, TRUE);
}

/* One segment between A:40000 and B:8080, from A when `from_a`. */
static void
seg(struct capbuf *c, uint32_t us, bool from_a, uint8_t flags, uint32_t seq, uint32_t ack,
    uint16_t win, const uint8_t *opts, size_t optlen, uint16_t len)
{
    segx(c, us, from_a ? A : B, from_a ? 40000 : 8080, from_a ? B : A, from_a ? 8080 : 40000,
         flags, seq, ack, win, opts, optlen, len);
}

static const uint8_t syn_opts[] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0,
                                   1, 3, 3, 10}; /* mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 10 */

/* A capture that starts with A's handshake to B (ISNs 1000 and 5000, 20 ms). */
static struct capbuf
handshake_capture(void)
{
    struct capbuf c = cap_new(101);
    seg(&c, 0, true, 0x02, 1000, 0, 64240, syn_opts, sizeof syn_opts, 0);
    seg(&c, 20000, false, 0x12, 5000, 1001, 65160, syn_opts, sizeof syn_opts, 0);
    seg(&c, 20000, true, 0x10, 1001, 5001, 63, NULL, 0, 0);
    return c;
}

/* A client connects, writes 100 bytes, reads 200 and closes first. */
static struct capbuf
client_capture(void)
{
    struct capbuf c = handshake_capture();
    seg(&c, 30000, true, 0x18, 1001, 5001, 63, NULL, 0, 100);
    seg(&c, 50000, false, 0x10, 5001, 1101, 64, NULL, 0, 0);
    seg(&c, 50000, false, 0x18, 5001, 1101, 64, NULL, 0, 200);
    seg(&c, 50000, true, 0x10, 1101, 5201, 63, NULL, 0, 0);
    seg(&c, 150000, true, 0x11, 1101, 5201, 63, NULL, 0, 0);
    seg(&c, 170000, false, 0x11, 5201, 1102, 64, NULL, 0, 0);
    seg(&c, 170000, true, 0x10, 1102, 5202, 63, NULL, 0, 0);
    return c;
}

static void
test_replay_reads_pcap_segments(void)
{
    struct capbuf c = client_capture();
    GError *e = NULL;
    struct capture *r = rcap_from_bytes("t.pcap", c.b->data, c.b->len, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_EQUAL(r->segs->len, 10);
    CU_ASSERT_STRING_EQUAL(r->format, "pcap");
    const struct capseg *s0 = &g_array_index(r->segs, struct capseg, 0);
    CU_ASSERT_EQUAL(ip4_of(&s0->s.saddr), A);
    CU_ASSERT_EQUAL(s0->s.seq, 1000);
    CU_ASSERT_EQUAL(s0->s.win, 64240);
    CU_ASSERT_STRING_EQUAL(s0->s.opts, "mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 10");
    const struct capseg *s5 = &g_array_index(r->segs, struct capseg, 5);
    CU_ASSERT_EQUAL(s5->s.len, 200); /* from the IP length: the payload was cut */
    CU_ASSERT_EQUAL(s5->at, 50000000);
    rcap_free(r);
    g_byte_array_free(c.b, TRUE);
}

static void
test_replay_finds_connection_and_endpoint(void)
{
    struct capbuf c = client_capture();
    struct capture *r = rcap_from_bytes("t.pcap", c.b->data, c.b->len, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    GPtrArray *all = rconn_find(r, NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(all);
    CU_ASSERT_EQUAL(all->len, 1);
    const struct rconn *k = g_ptr_array_index(all, 0);
    CU_ASSERT_TRUE(k->active);
    CU_ASSERT_EQUAL(ip4_of(&k->laddr), A);
    CU_ASSERT_EQUAL(k->l_isn, 1000);
    CU_ASSERT_EQUAL(k->r_isn, 5000);
    g_ptr_array_free(all, TRUE);
    GError *e = NULL;
    all = rconn_find(r, "192.0.2.2:8080", &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(all);
    k = g_ptr_array_index(all, 0);
    CU_ASSERT_FALSE(k->active);
    CU_ASSERT_EQUAL(ip4_of(&k->laddr), B);
    g_ptr_array_free(all, TRUE);
    CU_ASSERT_PTR_NULL(rconn_find(r, "192.0.2.9", &e));
    CU_ASSERT_PTR_NOT_NULL(e);
    g_clear_error(&e);
    CU_ASSERT_PTR_NULL(rconn_find(r, "not-an-address", &e));
    CU_ASSERT_EQUAL(e->code, TCPSIM_REPLAY_ERROR_OPTION);
    g_clear_error(&e);
    rcap_free(r);
    g_byte_array_free(c.b, TRUE);
}

static void
test_replay_infers_calls(void)
{
    struct capbuf c = client_capture();
    struct capture *r = rcap_from_bytes("t.pcap", c.b->data, c.b->len, NULL);
    GPtrArray *all = rconn_find(r, NULL, NULL);
    struct rscript sc = {0};
    rinfer_script(r, g_ptr_array_index(all, 0), NULL, &sc);
    const char *t = sc.text->str;
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "+0...0.020000 connect(3, ..., ...) = 0\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "+0 > S 0:0(0) win 64240 <mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 10>\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "+0.010000 write(3, ..., 100) = 100\n+0 > P. 1:101(100) ack 1 win 63\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "< P. 1:201(200) ack 101 win 64\n+0 read(3, ..., 200) = 200\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "+0.100000 close(3) = 0\n+0 > F. 101:101(0) ack 201 win 63\n"));
    CU_ASSERT_EQUAL(sc.segments, 10);
    CU_ASSERT_EQUAL(sc.outbound, 6);
    rscript_clear(&sc);
    /* The other side: it listens, accepts at the handshake's ACK, reads, writes, and
     * reads the end of the stream before it closes. */
    g_ptr_array_free(all, TRUE);
    all = rconn_find(r, "192.0.2.2", NULL);
    rinfer_script(r, g_ptr_array_index(all, 0), NULL, &sc);
    t = sc.text->str;
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "listen(3, 128) = 0\n+0 < S 0:0(0)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "ack 1 win 63\n+0 accept(3, ..., ...) = 4\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "read(4, ..., 100) = 100\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "write(4, ..., 200) = 200\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "< F. 101:101(0) ack 201 win 63\n+0 read(4, ..., 1000) = 0\n"));
    rscript_clear(&sc);
    g_ptr_array_free(all, TRUE);
    rcap_free(r);
    g_byte_array_free(c.b, TRUE);
}

/* The client capture as a scenario: both ends, their calls at the captured times, half
 * the handshake's round trip each way, and what each side read. */
static void
test_replay_emits_a_scenario(void)
{
    struct capbuf c = client_capture();
    struct capture *r = rcap_from_bytes("t.pcap", c.b->data, c.b->len, NULL);
    GPtrArray *all = rconn_find(r, NULL, NULL);
    GString *out = g_string_new(NULL);
    const char *why = NULL;
    CU_ASSERT_TRUE(rinfer_scenario(r, g_ptr_array_index(all, 0), out, &why));
    const char *t = out->str;
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "hosts A=192.0.2.1 B=192.0.2.2\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "link both delay 0.010000s\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "set A isn 1000\nset B isn 5000\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "set A ip_local_port_range 40000 40000\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "0.000000s  B listen 8080 backlog 128 as l\n"
                                     "0.000000s  A connect B:8080 as c\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "0.030000s  A send c 100\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "B send s 200\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "0.150000s  A close c\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "expect B s received 100\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "expect A c received 200\n"));
    CU_ASSERT_PTR_NULL(strstr(t, "drop A->B")); /* nothing was sent twice */
    g_string_free(out, TRUE);
    g_ptr_array_free(all, TRUE);
    rcap_free(r);
    g_byte_array_free(c.b, TRUE);
}

/* The script inferred for the first connection of capture `c` (which it frees). */
static char *
script_of(struct capbuf c)
{
    struct capture *r = rcap_from_bytes("t.pcap", c.b->data, c.b->len, NULL);
    GPtrArray *all = rconn_find(r, NULL, NULL);
    struct rscript sc = {0};
    rinfer_script(r, g_ptr_array_index(all, 0), NULL, &sc);
    char *t = g_strdup(sc.text->str);
    rscript_clear(&sc);
    g_ptr_array_free(all, TRUE);
    rcap_free(r);
    g_byte_array_free(c.b, TRUE);
    return t;
}

/* Counts the occurrences of `needle` in `hay`. */
static guint
count_of(const char *hay, const char *needle)
{
    guint n = 0;
    for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle)) {
        n++;
    }
    return n;
}

/* A FIN that rides on the last data: one close(), made before that segment, not a
 * second one after it. */
static void
test_replay_fin_with_data_closes_once(void)
{
    struct capbuf c = handshake_capture();
    seg(&c, 30000, true, 0x19, 1001, 5001, 63, NULL, 0, 100);
    seg(&c, 50000, false, 0x10, 5001, 1102, 64, NULL, 0, 0);
    seg(&c, 60000, false, 0x11, 5001, 1102, 64, NULL, 0, 0);
    seg(&c, 60000, true, 0x10, 1102, 5002, 63, NULL, 0, 0);
    g_autofree char *t = script_of(c);
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "write(3, ..., 100) = 100\n+0 close(3) = 0\n+0 > FP. 1:101(100)"));
    CU_ASSERT_EQUAL(count_of(t, "close(3)"), 1);
}

/* A PSH that ends a TSO packet is not the end of a write when the segment is resent
 * without it: two segments marked P. and the first resent plain make one write. */
static void
test_replay_tso_psh_is_not_a_write_end(void)
{
    struct capbuf c = handshake_capture();
    seg(&c, 30000, true, 0x10, 1001, 5001, 63, NULL, 0, 1000);
    seg(&c, 30000, true, 0x18, 2001, 5001, 63, NULL, 0, 1000); /* ends a TSO packet */
    seg(&c, 30000, true, 0x10, 3001, 5001, 63, NULL, 0, 1000);
    seg(&c, 30000, true, 0x18, 4001, 5001, 63, NULL, 0, 1000); /* ends the write */
    seg(&c, 50000, false, 0x10, 5001, 2001, 64, NULL, 0, 0);
    seg(&c, 300000, true, 0x10, 2001, 5001, 63, NULL, 0, 1000); /* resent: no PSH */
    seg(&c, 320000, false, 0x10, 5001, 5001, 64, NULL, 0, 0);
    g_autofree char *t = script_of(c);
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "write(3, ..., 4000) = 4000\n"));
    CU_ASSERT_EQUAL(count_of(t, "write("), 1);
}

static void
test_replay_half_close_and_abort(void)
{
    /* A FIN after which the peer's data is still acknowledged: shutdown(SHUT_WR). */
    struct capbuf c = cap_new(101);
    seg(&c, 0, true, 0x02, 1000, 0, 64240, syn_opts, sizeof syn_opts, 0);
    seg(&c, 1000, false, 0x12, 5000, 1001, 65160, syn_opts, sizeof syn_opts, 0);
    seg(&c, 1000, true, 0x10, 1001, 5001, 63, NULL, 0, 0);
    seg(&c, 2000, true, 0x11, 1001, 5001, 63, NULL, 0, 0);
    seg(&c, 3000, false, 0x18, 5001, 1002, 64, NULL, 0, 50);
    seg(&c, 3000, true, 0x10, 1002, 5051, 63, NULL, 0, 0);
    seg(&c, 9000, true, 0x04, 1002, 0, 0, NULL, 0, 0);
    struct capture *r = rcap_from_bytes("t.pcap", c.b->data, c.b->len, NULL);
    GPtrArray *all = rconn_find(r, NULL, NULL);
    struct rscript sc = {0};
    rinfer_script(r, g_ptr_array_index(all, 0), NULL, &sc);
    CU_ASSERT_PTR_NOT_NULL(strstr(sc.text->str, "shutdown(3, SHUT_WR) = 0\n+0 > F. 1:1(0)"));
    CU_ASSERT_PTR_NULL(strstr(sc.text->str, "SO_LINGER")); /* RST after shutdown: no call */
    rscript_clear(&sc);
    g_ptr_array_free(all, TRUE);
    rcap_free(r);
    g_byte_array_free(c.b, TRUE);
}

static void
test_replay_reads_tcpdump_text_and_pcapng(void)
{
    const char *text =
        "12:00:00.000000 IP 192.0.2.1.40000 > 192.0.2.2.8080: Flags [S], seq 1000, win 64240, "
        "options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 10], length 0\n"
        "12:00:00.020000 IP 192.0.2.2.8080 > 192.0.2.1.40000: Flags [S.], seq 5000, ack 1001, "
        "win 65160, options [mss 1460,sackOK,TS val 1 ecr 1,nop,wscale 10], length 0\n"
        "12:00:00.020000 IP 192.0.2.1.40000 > 192.0.2.2.8080: Flags [.], ack 1, win 63, "
        "options [nop,nop,TS val 2 ecr 1], length 0\n";
    GError *e = NULL;
    struct capture *r = rcap_from_bytes("t.txt", (const uint8_t *)text, strlen(text), &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_STRING_EQUAL(r->format, "tcpdump text");
    CU_ASSERT_EQUAL(r->segs->len, 3);
    /* tcpdump's relative ack is made absolute again */
    CU_ASSERT_EQUAL(g_array_index(r->segs, struct capseg, 2).s.ack, 5001);
    CU_ASSERT_EQUAL(g_array_index(r->segs, struct capseg, 1).at -
                    g_array_index(r->segs, struct capseg, 0).at, 20000000);
    rcap_free(r);

    /* pcapng: section, an interface with nanosecond stamps, one enhanced packet */
    struct capbuf one = cap_new(101);
    seg(&one, 0, true, 0x02, 1000, 0, 64240, syn_opts, sizeof syn_opts, 0);
    const uint8_t *pkt = one.b->data + 24 + 16;
    uint32_t plen = one.b->len - 24 - 16;
    GByteArray *ng = g_byte_array_new();
    le32(ng, 0x0A0D0D0A); le32(ng, 28); le32(ng, 0x1A2B3C4D);
    uint8_t v[4] = {1, 0, 0, 0};
    g_byte_array_append(ng, v, 4);
    le32(ng, 0xffffffff); le32(ng, 0xffffffff); le32(ng, 28);
    le32(ng, 1); le32(ng, 28); le32(ng, 101); le32(ng, 0);
    uint8_t tsresol[8] = {9, 0, 1, 0, 9, 0, 0, 0};
    g_byte_array_append(ng, tsresol, 8);
    le32(ng, 28);
    uint32_t pad = (4 - plen % 4) % 4;
    uint32_t blen = 32 + plen + pad;
    le32(ng, 6); le32(ng, blen); le32(ng, 0); le32(ng, 0); le32(ng, 1500); le32(ng, plen);
    le32(ng, plen);
    g_byte_array_append(ng, pkt, plen);
    uint8_t zeros[4] = {0};
    g_byte_array_append(ng, zeros, pad);
    le32(ng, blen);
    r = rcap_from_bytes("t.pcapng", ng->data, ng->len, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_STRING_EQUAL(r->format, "pcapng");
    CU_ASSERT_EQUAL(r->segs->len, 1);
    CU_ASSERT_EQUAL(g_array_index(r->segs, struct capseg, 0).at, 1500);
    rcap_free(r);
    g_byte_array_free(ng, TRUE);
    g_byte_array_free(one.b, TRUE);
}

static void
test_replay_bad_captures_are_errors(void)
{
    GError *e = NULL;
    struct capbuf c = client_capture();
    /* cut inside the last record */
    CU_ASSERT_PTR_NULL(rcap_from_bytes("t.pcap", c.b->data, c.b->len - 5, &e));
    CU_ASSERT_PTR_NOT_NULL(e);
    CU_ASSERT_PTR_NOT_NULL(e ? strstr(e->message, "(packet 10)") : NULL);
    g_clear_error(&e);
    const uint8_t junk[] = {0, 1, 2, 3, 0, 5};
    CU_ASSERT_PTR_NULL(rcap_from_bytes("j", junk, sizeof junk, &e));
    CU_ASSERT_PTR_NOT_NULL(e ? strstr(e->message, "neither pcap") : NULL);
    g_clear_error(&e);
    struct capbuf empty = cap_new(101);
    CU_ASSERT_PTR_NULL(rcap_from_bytes("e.pcap", empty.b->data, empty.b->len, &e));
    CU_ASSERT_PTR_NOT_NULL(e ? strstr(e->message, "no IPv4 or IPv6 TCP segment") : NULL);
    g_clear_error(&e);
    /* every prefix of a good capture is an error or a capture, never a crash */
    for (guint n = 0; n < c.b->len; n++) {
        struct capture *r = rcap_from_bytes("p", c.b->data, n, NULL);
        rcap_free(r);
    }
    g_byte_array_free(empty.b, TRUE);
    g_byte_array_free(c.b, TRUE);
}

static void
test_replay_runs_with_no_divergence(void)
{
    struct capbuf c = client_capture();
    g_autofree char *path = NULL;
    int fd = g_file_open_tmp("tcpsim-replay-XXXXXX.pcap", &path, NULL);
    CU_ASSERT_TRUE_FATAL(fd >= 0);
    close(fd);
    CU_ASSERT_TRUE(g_file_set_contents(path, (const char *)c.b->data, c.b->len, NULL));
    struct tcpsim_replay_options o = {.as = "192.0.2.2"};
    GString *report = g_string_new(NULL);
    struct tcpsim_replay_result res;
    GError *e = NULL;
    CU_ASSERT_TRUE(tcpsim_replay(path, &o, report, &res, &e));
    CU_ASSERT_EQUAL(res.connections, 1);
    /* The hand-made peer is not Linux: what matters is a report either way. */
    CU_ASSERT_EQUAL(res.replayed + res.diverged + res.unsupported, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(report->str, "connection 1: 192.0.2.2:8080 < 192.0.2.1:40000"));
    g_string_free(report, TRUE);
    g_unlink(path);
    g_byte_array_free(c.b, TRUE);
}

/* nop,nop,TS val 2 ecr 1: what a stack that negotiated timestamps puts on every
 * segment but a RST. */
static const uint8_t ts_opts[] = {1, 1, 8, 10, 0, 0, 0, 2, 0, 0, 0, 1};

/* Segments with A's address that A's TCP cannot have sent are a third party's: an ACK
 * without the timestamp A puts on all its segments, a RST that answers nothing and
 * lacks the timestamp of A's own abort, a SYN on A's open connection, an ACK of data B
 * never sent. They are left out of the script; B's answers stay. */
static void
test_replay_third_party_segments_left_out(void)
{
    struct capbuf c = cap_new(101);
    seg(&c, 0, true, 0x02, 1000, 0, 64240, syn_opts, sizeof syn_opts, 0);
    seg(&c, 20000, false, 0x12, 5000, 1001, 65160, syn_opts, sizeof syn_opts, 0);
    seg(&c, 20000, true, 0x10, 1001, 5001, 63, ts_opts, sizeof ts_opts, 0);
    seg(&c, 500000, true, 0x10, 1001, 5001, 65535, NULL, 0, 0);      /* no TS */
    seg(&c, 600000, true, 0x04, 900000, 0, 65535, NULL, 0, 0);       /* RST, answers nothing */
    seg(&c, 700000, true, 0x02, 77777, 0, 65535, NULL, 0, 0);        /* SYN, A's is open */
    seg(&c, 720000, false, 0x10, 5001, 1001, 64, ts_opts, sizeof ts_opts, 0); /* challenge ACK */
    seg(&c, 800000, true, 0x10, 1001, 9001, 63, ts_opts, sizeof ts_opts, 0);  /* ack of unsent */
    struct capture *r = rcap_from_bytes("t.pcap", c.b->data, c.b->len, NULL);
    GPtrArray *all = rconn_find(r, NULL, NULL);
    CU_ASSERT_EQUAL_FATAL(all->len, 1); /* the SYN started no second connection */
    const struct rconn *k = g_ptr_array_index(all, 0);
    CU_ASSERT_PTR_NULL(k->spoofed);
    CU_ASSERT_EQUAL_FATAL(k->forged->len, 4);
    CU_ASSERT_EQUAL(k->idx->len, 4); /* the handshake and B's challenge ACK */
    CU_ASSERT_PTR_NOT_NULL(strstr(g_ptr_array_index(k->forged_why, 0), "no timestamp"));
    CU_ASSERT_PTR_NOT_NULL(strstr(g_ptr_array_index(k->forged_why, 1), "a RST that answers no segment"));
    CU_ASSERT_PTR_NOT_NULL(strstr(g_ptr_array_index(k->forged_why, 2), "a SYN on a connection"));
    CU_ASSERT_PTR_NOT_NULL(strstr(g_ptr_array_index(k->forged_why, 3), "never sent"));
    struct rscript sc = {0};
    rinfer_script(r, k, NULL, &sc);
    CU_ASSERT_PTR_NULL(strstr(sc.text->str, "SO_LINGER")); /* no abort inferred */
    CU_ASSERT_EQUAL(count_of(sc.text->str, "\n+0 > "), 2); /* A's SYN and handshake ACK */
    CU_ASSERT_PTR_NOT_NULL(strstr(sc.text->str, "< . 1:1(0) ack 1 win 64"));
    rscript_clear(&sc);
    g_ptr_array_free(all, TRUE);
    rcap_free(r);
    g_byte_array_free(c.b, TRUE);
}

/* A SYN flood seen from its spoofed sources: SYNs nobody follows up (the SYN-ACK is not
 * answered; or no SYN-ACK, no retransmission, and the address sends nothing else) are
 * not connections. A real client's SYN that B never answered, retransmitted, is one. */
static void
test_replay_flood_syns_are_not_connections(void)
{
    const uint32_t spoof1 = 0xC6336401u, spoof2 = 0xC6336402u; /* 198.51.100.1, .2 */
    struct capbuf c = cap_new(101);
    segx(&c, 0, spoof1, 1111, B, 8080, 0x02, 100, 0, 512, NULL, 0, 0);
    segx(&c, 1000, B, 8080, spoof1, 1111, 0x12, 7000, 101, 65160, syn_opts, sizeof syn_opts, 0);
    segx(&c, 2000, spoof2, 2222, B, 8080, 0x02, 200, 0, 512, NULL, 0, 0); /* dropped */
    seg(&c, 10000, true, 0x02, 1000, 0, 64240, syn_opts, sizeof syn_opts, 0);
    seg(&c, 1010000, true, 0x02, 1000, 0, 64240, syn_opts, sizeof syn_opts, 0);
    seg(&c, 1030000, false, 0x12, 5000, 1001, 65160, syn_opts, sizeof syn_opts, 0);
    seg(&c, 1030000, true, 0x10, 1001, 5001, 63, ts_opts, sizeof ts_opts, 0);
    seg(&c, 2100000, true, 0x11, 1001, 5001, 63, ts_opts, sizeof ts_opts, 0);
    struct capture *r = rcap_from_bytes("t.pcap", c.b->data, c.b->len, NULL);
    GPtrArray *all = rconn_find(r, NULL, NULL);
    CU_ASSERT_EQUAL_FATAL(all->len, 3);
    const struct rconn *k0 = g_ptr_array_index(all, 0);
    const struct rconn *k1 = g_ptr_array_index(all, 1);
    const struct rconn *k2 = g_ptr_array_index(all, 2);
    CU_ASSERT_PTR_NOT_NULL(k0->spoofed && strstr(k0->spoofed, "never answered the SYN-ACK"));
    CU_ASSERT_PTR_NOT_NULL(k1->spoofed && strstr(k1->spoofed, "never sent it again"));
    CU_ASSERT_PTR_NULL(k2->spoofed);
    CU_ASSERT_EQUAL(ip4_of(&k2->laddr), A);
    g_ptr_array_free(all, TRUE);
    rcap_free(r);
    g_byte_array_free(c.b, TRUE);
}

/* Both SYNs cross: one connection, and the endpoint answers the other's SYN with a
 * SYN-ACK (RFC 9293 §3.5, figure 8). */
static void
test_replay_simultaneous_open_is_one_connection(void)
{
    struct capbuf c = cap_new(101);
    seg(&c, 0, true, 0x02, 1000, 0, 64240, syn_opts, sizeof syn_opts, 0);
    seg(&c, 10000, false, 0x02, 5000, 0, 64240, syn_opts, sizeof syn_opts, 0);
    seg(&c, 10000, true, 0x12, 1000, 5001, 64240, syn_opts, sizeof syn_opts, 0);
    seg(&c, 20000, false, 0x12, 5000, 1001, 64240, syn_opts, sizeof syn_opts, 0);
    seg(&c, 20000, true, 0x10, 1001, 5001, 63, ts_opts, sizeof ts_opts, 0);
    struct capture *r = rcap_from_bytes("t.pcap", c.b->data, c.b->len, NULL);
    GPtrArray *all = rconn_find(r, NULL, NULL);
    CU_ASSERT_EQUAL_FATAL(all->len, 1);
    const struct rconn *k = g_ptr_array_index(all, 0);
    CU_ASSERT_EQUAL(k->idx->len, 5);
    CU_ASSERT_EQUAL(k->r_isn, 5000);
    struct rscript sc = {0};
    rinfer_script(r, k, NULL, &sc);
    CU_ASSERT_PTR_NOT_NULL(strstr(sc.text->str, "< S 0:0(0) win 64240"));
    CU_ASSERT_PTR_NOT_NULL(strstr(sc.text->str, "+0 > S. 0:0(0) ack 1 win 64240"));
    rscript_clear(&sc);
    g_ptr_array_free(all, TRUE);
    rcap_free(r);
    g_byte_array_free(c.b, TRUE);
}

/* A RST sent as a segment arrives (here a SYN-ACK for an older SYN, answered with
 * <SEQ=SEG.ACK><CTL=RST>) is first taken for the TCP's answer: no abort is inferred,
 * and the RST is listed for the lockstep search to turn into one. */
static void
test_replay_rst_answer_is_not_an_abort(void)
{
    struct capbuf c = cap_new(101);
    seg(&c, 0, true, 0x02, 1000, 0, 64240, syn_opts, sizeof syn_opts, 0);
    seg(&c, 20000, false, 0x12, 5000, 901, 65160, syn_opts, sizeof syn_opts, 0); /* old SYN's */
    seg(&c, 20000, true, 0x04, 901, 0, 0, NULL, 0, 0);
    seg(&c, 40000, false, 0x12, 6000, 1001, 65160, syn_opts, sizeof syn_opts, 0);
    seg(&c, 40000, true, 0x10, 1001, 6001, 63, ts_opts, sizeof ts_opts, 0);
    struct capture *r = rcap_from_bytes("t.pcap", c.b->data, c.b->len, NULL);
    GPtrArray *all = rconn_find(r, NULL, NULL);
    CU_ASSERT_EQUAL_FATAL(all->len, 1);
    struct rscript sc = {0};
    rinfer_script(r, g_ptr_array_index(all, 0), NULL, &sc);
    CU_ASSERT_PTR_NULL(strstr(sc.text->str, "SO_LINGER"));
    CU_ASSERT_PTR_NOT_NULL(strstr(sc.guesses->str, "the TCP's answer to it, not an abort"));
    CU_ASSERT_EQUAL_FATAL(sc.answers->len, 1);
    guint rst = g_array_index(sc.answers, guint, 0);
    CU_ASSERT_EQUAL(rst, 2);
    rscript_clear(&sc);
    /* Turned: an abort, as when the model does not send the RST by itself. */
    GHashTable *flip = g_hash_table_new(NULL, NULL);
    g_hash_table_add(flip, GUINT_TO_POINTER(rst + 1));
    rinfer_script(r, g_ptr_array_index(all, 0), flip, &sc);
    CU_ASSERT_PTR_NOT_NULL(strstr(sc.text->str, "SO_LINGER"));
    g_hash_table_destroy(flip);
    rscript_clear(&sc);
    g_ptr_array_free(all, TRUE);
    rcap_free(r);
    g_byte_array_free(c.b, TRUE);
}

/* Two full segments (a TSO packet, PSH on its last), then the rest with the close's FIN
 * only when a pure ACK frees the window: the data was waiting. The ACK is a candidate;
 * turned by the search, the write of the rest and the close come just before it. */
static void
test_replay_data_held_by_the_window(void)
{
    struct capbuf c = cap_new(101);
    seg(&c, 0, true, 0x02, 1000, 0, 64240, syn_opts, sizeof syn_opts, 0);
    seg(&c, 20000, false, 0x12, 5000, 1001, 65160, syn_opts, sizeof syn_opts, 0);
    seg(&c, 20000, true, 0x10, 1001, 5001, 63, ts_opts, sizeof ts_opts, 0);
    seg(&c, 100000, true, 0x10, 1001, 5001, 63, ts_opts, sizeof ts_opts, 1448);
    seg(&c, 100000, true, 0x18, 2449, 5001, 63, ts_opts, sizeof ts_opts, 1448);
    seg(&c, 120000, false, 0x10, 5001, 2449, 64, ts_opts, sizeof ts_opts, 0);
    seg(&c, 120000, true, 0x19, 3897, 5001, 63, ts_opts, sizeof ts_opts, 500);
    seg(&c, 140000, false, 0x10, 5001, 4398, 64, ts_opts, sizeof ts_opts, 0);
    struct capture *r = rcap_from_bytes("t.pcap", c.b->data, c.b->len, NULL);
    GPtrArray *all = rconn_find(r, NULL, NULL);
    struct rscript sc = {0};
    rinfer_script(r, g_ptr_array_index(all, 0), NULL, &sc);
    /* First guess: written as it leaves, after the ACK. */
    CU_ASSERT_PTR_NOT_NULL(strstr(sc.text->str, "ack 1449 win 64 <nop,nop,TS val 2 ecr 1>\n+0 write(3, ..., 500) = 500\n"));
    CU_ASSERT_EQUAL_FATAL(sc.waits->len, 1);
    guint ack = g_array_index(sc.waits, guint, 0);
    CU_ASSERT_EQUAL(ack, 5);
    rscript_clear(&sc);
    GHashTable *flip = g_hash_table_new(NULL, NULL);
    g_hash_table_add(flip, GUINT_TO_POINTER(ack + 1));
    rinfer_script(r, g_ptr_array_index(all, 0), flip, &sc);
    CU_ASSERT_PTR_NOT_NULL(strstr(sc.text->str, "+0.020000 write(3, ..., 500) = 500\n+0 close(3) = 0\n+0 < . 1:1(0) ack 1449"));
    CU_ASSERT_EQUAL(count_of(sc.text->str, "close(3)"), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(sc.guesses->str, "waiting for the window"));
    g_hash_table_destroy(flip);
    rscript_clear(&sc);
    g_ptr_array_free(all, TRUE);
    rcap_free(r);
    g_byte_array_free(c.b, TRUE);
}

/* A window probe: the peer offers 620 bytes, the endpoint sends exactly those with PSH
 * (tcp_write_wakeup()), and more data follows when the window opens: one write, not
 * two. A full segment with PSH followed in the same burst by more data is a candidate
 * for a TSO packet's end: a write's end first, one write when the search turns it. */
static void
test_replay_probe_and_burst_psh(void)
{
    static const uint8_t mss_opts[] = {2, 4, 0x05, 0xb4}; /* mss 1460, no wscale */
    struct capbuf c = cap_new(101);
    seg(&c, 0, true, 0x02, 1000, 0, 64240, mss_opts, sizeof mss_opts, 0);
    seg(&c, 20000, false, 0x12, 5000, 1001, 5000, mss_opts, sizeof mss_opts, 0);
    seg(&c, 20000, true, 0x10, 1001, 5001, 64240, NULL, 0, 0);
    seg(&c, 100000, true, 0x10, 1001, 5001, 64240, NULL, 0, 1460);
    seg(&c, 100000, true, 0x18, 2461, 5001, 64240, NULL, 0, 1460); /* mid-burst PSH */
    seg(&c, 100000, true, 0x10, 3921, 5001, 64240, NULL, 0, 1460);
    seg(&c, 120000, false, 0x10, 5001, 5381, 620, NULL, 0, 0);
    seg(&c, 400000, true, 0x18, 5381, 5001, 64240, NULL, 0, 620);   /* fills the window */
    seg(&c, 420000, false, 0x10, 5001, 6001, 4000, NULL, 0, 0);
    seg(&c, 420000, true, 0x18, 6001, 5001, 64240, NULL, 0, 1000);  /* the write's end */
    seg(&c, 440000, false, 0x10, 5001, 7001, 4000, NULL, 0, 0);
    struct capture *r = rcap_from_bytes("t.pcap", c.b->data, c.b->len, NULL);
    GPtrArray *all = rconn_find(r, NULL, NULL);
    struct rscript sc = {0};
    rinfer_script(r, g_ptr_array_index(all, 0), NULL, &sc);
    CU_ASSERT_PTR_NOT_NULL(strstr(sc.text->str, "write(3, ..., 2920) = 2920\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(sc.text->str, "write(3, ..., 3080) = 3080\n"));
    CU_ASSERT_EQUAL(count_of(sc.text->str, "write("), 2);
    CU_ASSERT_EQUAL_FATAL(sc.pshs->len > 0, TRUE);
    guint psh = g_array_index(sc.pshs, guint, 0);
    CU_ASSERT_EQUAL(psh, 4);
    rscript_clear(&sc);
    GHashTable *flip = g_hash_table_new(NULL, NULL);
    g_hash_table_add(flip, GUINT_TO_POINTER(psh + 1));
    rinfer_script(r, g_ptr_array_index(all, 0), flip, &sc);
    CU_ASSERT_PTR_NOT_NULL(strstr(sc.text->str, "write(3, ..., 6000) = 6000\n"));
    CU_ASSERT_EQUAL(count_of(sc.text->str, "write("), 1);
    g_hash_table_destroy(flip);
    rscript_clear(&sc);
    g_ptr_array_free(all, TRUE);
    rcap_free(r);
    g_byte_array_free(c.b, TRUE);
}

/* A SYN with the same ISN after the connection ended (FINs both ways) opens a new
 * connection on the tuple; before the end it is a retransmission of the first SYN. */
static void
test_replay_same_isn_after_the_end_is_a_new_connection(void)
{
    struct capbuf c = cap_new(101);
    seg(&c, 0, true, 0x02, 1000, 0, 64240, syn_opts, sizeof syn_opts, 0);
    seg(&c, 1000000, true, 0x02, 1000, 0, 64240, syn_opts, sizeof syn_opts, 0); /* resent */
    seg(&c, 1020000, false, 0x12, 5000, 1001, 65160, syn_opts, sizeof syn_opts, 0);
    seg(&c, 1020000, true, 0x10, 1001, 5001, 63, NULL, 0, 0);
    seg(&c, 1100000, true, 0x11, 1001, 5001, 63, NULL, 0, 0);
    seg(&c, 1120000, false, 0x11, 5001, 1002, 64, NULL, 0, 0);
    seg(&c, 1120000, true, 0x10, 1002, 5002, 63, NULL, 0, 0);
    seg(&c, 2000000, true, 0x02, 1000, 0, 64240, syn_opts, sizeof syn_opts, 0); /* again */
    struct capture *r = rcap_from_bytes("t.pcap", c.b->data, c.b->len, NULL);
    GPtrArray *all = rconn_find(r, NULL, NULL);
    CU_ASSERT_EQUAL_FATAL(all->len, 2);
    CU_ASSERT_EQUAL(((const struct rconn *)g_ptr_array_index(all, 0))->idx->len, 7);
    CU_ASSERT_EQUAL(((const struct rconn *)g_ptr_array_index(all, 1))->idx->len, 1);
    g_ptr_array_free(all, TRUE);
    rcap_free(r);
    g_byte_array_free(c.b, TRUE);
}

/* A receiver whose window grows to new highs as data arrives (the receiver's own
 * growth): the first guess reads at each arrival; the lazy reader (RSCRIPT_LAZY, the
 * other first guess) reads nothing until the end of the stream. And the endpoint's last
 * data left without PSH and no FIN followed: it had written more than left. */
static void
test_replay_lazy_reader_and_unsent_tail(void)
{
    struct capbuf c = handshake_capture();
    seg(&c, 30000, false, 0x10, 5001, 1001, 64, NULL, 0, 1000);
    seg(&c, 30000, true, 0x10, 1001, 6001, 64, NULL, 0, 0);
    seg(&c, 40000, false, 0x10, 6001, 1001, 64, NULL, 0, 1000);
    seg(&c, 40000, true, 0x10, 1001, 7001, 65, NULL, 0, 0);
    seg(&c, 50000, true, 0x10, 1001, 7001, 65, NULL, 0, 1000); /* no PSH, nothing after */
    seg(&c, 60000, false, 0x11, 7001, 2001, 64, NULL, 0, 0);
    seg(&c, 60000, true, 0x10, 2001, 7002, 65, NULL, 0, 0);
    struct capture *r = rcap_from_bytes("t.pcap", c.b->data, c.b->len, NULL);
    GPtrArray *all = rconn_find(r, NULL, NULL);
    struct rscript sc = {0};
    rinfer_script(r, g_ptr_array_index(all, 0), NULL, &sc);
    CU_ASSERT_EQUAL(count_of(sc.text->str, "read(3, ..., 1000) = 1000"), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(sc.text->str, "write(3, ..., 1001) = 1001\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(sc.guesses->str, "wrote more than ever left"));
    rscript_clear(&sc);
    GHashTable *flip = g_hash_table_new(NULL, NULL);
    g_hash_table_add(flip, RSCRIPT_LAZY);
    rinfer_script(r, g_ptr_array_index(all, 0), flip, &sc);
    CU_ASSERT_EQUAL(count_of(sc.text->str, "read(3, ..., 1000) = 1000"), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(sc.text->str, "< F. 2001:2001(0) ack 1001 win 64\n+0 read(3, ..., 2000) = 2000\n"));
    g_hash_table_destroy(flip);
    rscript_clear(&sc);
    g_ptr_array_free(all, TRUE);
    rcap_free(r);
    g_byte_array_free(c.b, TRUE);
}

/* The script (then "--guesses--" and the guesses) inferred for A from `c`, with the
 * decision `key` turned (NULL: none); the scenario in *scn when asked. */
static char *
inferred(struct capbuf *c, gpointer key, char **scn)
{
    struct capture *r = rcap_from_bytes("t.pcap", c->b->data, c->b->len, NULL);
    GPtrArray *all = rconn_find(r, NULL, NULL);
    GHashTable *flip = g_hash_table_new(NULL, NULL);
    if (key != NULL) {
        g_hash_table_add(flip, key);
    }
    struct rscript sc = {0};
    rinfer_script(r, g_ptr_array_index(all, 0), flip, &sc);
    char *t = g_strconcat(sc.text->str, "--guesses--\n", sc.guesses->str, NULL);
    if (scn != NULL) {
        GString *o = g_string_new(NULL);
        const char *why = NULL;
        rinfer_scenario(r, g_ptr_array_index(all, 0), o, &why);
        *scn = g_string_free(o, FALSE);
    }
    g_hash_table_destroy(flip);
    rscript_clear(&sc);
    g_ptr_array_free(all, TRUE);
    rcap_free(r);
    g_byte_array_free(c->b, TRUE);
    return t;
}

/* A closes; B's FIN gets no answer, its retransmission a closed port's RST (seq = its
 * ACK): A lost its connection without a segment, down before the FIN it ignored and up
 * before the one it answered (the scenario: crash, reboot). No silence: no crash. */
static void
test_replay_lost_connection_is_a_crash(void)
{
    struct capbuf c = handshake_capture();
    seg(&c, 100000, true, 0x11, 1001, 5001, 63, NULL, 0, 0);
    seg(&c, 120000, false, 0x10, 5001, 1002, 64, NULL, 0, 0);
    seg(&c, 200000, false, 0x11, 5001, 1002, 64, NULL, 0, 0);
    seg(&c, 500000, false, 0x11, 5001, 1002, 64, NULL, 0, 0);
    seg(&c, 500000, true, 0x04, 1002, 0, 0, NULL, 0, 0);
    char *scn = NULL;
    g_autofree char *t = inferred(&c, NULL, &scn);
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "real packetdrill cannot express this\n+0.080000 `tcpsim crash`\n+0 < F. 1:1(0)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "+0.300000 `tcpsim reboot`\n+0 < F. 1:1(0) ack 2 win 64\n+0 > R 2:2(0)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "lost its connection without a segment: host crash or reboot, inferred from the RST at capture packet 8"));
    CU_ASSERT_PTR_NOT_NULL(strstr(scn, "0.200000s  A crash\n0.500000s  A reboot\n"));
    g_free(scn);
    struct capbuf d = handshake_capture();
    seg(&d, 100000, true, 0x11, 1001, 5001, 63, NULL, 0, 0);
    seg(&d, 120000, false, 0x10, 5001, 1002, 64, NULL, 0, 0);
    seg(&d, 200000, false, 0x11, 5001, 1002, 64, NULL, 0, 0);
    seg(&d, 200000, true, 0x04, 1002, 0, 0, NULL, 0, 0);
    g_autofree char *u = inferred(&d, NULL, NULL);
    CU_ASSERT_PTR_NULL(strstr(u, "tcpsim crash"));
}

/* All A sent is acknowledged with a 1024-byte window (scale 10), less than a segment;
 * 200 ms later, on no arrival, A sends exactly 1024 bytes (its persist timer's probe)
 * and the rest when the window opens: the data was queued when the small window came,
 * and is written then, not as it leaves. */
static void
test_replay_window_probe_was_queued(void)
{
    struct capbuf c = handshake_capture();
    seg(&c, 30000, true, 0x18, 1001, 5001, 63, NULL, 0, 1000);
    seg(&c, 50000, false, 0x10, 5001, 2001, 1, NULL, 0, 0);
    seg(&c, 250000, true, 0x18, 2001, 5001, 63, NULL, 0, 1024);
    seg(&c, 270000, false, 0x10, 5001, 3025, 64, NULL, 0, 0);
    seg(&c, 270000, true, 0x18, 3025, 5001, 63, NULL, 0, 500);
    g_autofree char *t = inferred(&c, NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "ack 1001 win 1\n+0 write(3, ..., 1524) = 1524\n+0.200000 > P. 1001:2025(1024)"));
    CU_ASSERT_EQUAL(count_of(t, "write("), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "left as a window probe"));
}

/* Two segments of B's at one instant, one 10 ms later: the burst reader reads the two
 * together once the burst is in. */
static void
test_replay_burst_reader(void)
{
    struct capbuf c = handshake_capture();
    seg(&c, 30000, false, 0x10, 5001, 1001, 64, NULL, 0, 1000);
    seg(&c, 30000, true, 0x10, 1001, 6001, 64, NULL, 0, 0);
    seg(&c, 30000, false, 0x18, 6001, 1001, 64, NULL, 0, 1000);
    seg(&c, 30000, true, 0x10, 1001, 7001, 65, NULL, 0, 0);
    seg(&c, 40000, false, 0x18, 7001, 1001, 64, NULL, 0, 1000);
    seg(&c, 40000, true, 0x10, 1001, 8001, 66, NULL, 0, 0);
    g_autofree char *t = inferred(&c, RSCRIPT_BURST, NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "win 65\n+0 read(3, ..., 2000) = 2000\n+0.010000 < P. 2001:3001(1000)"));
    CU_ASSERT_EQUAL(count_of(t, "read("), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "at the end of each burst"));
}

/* The one capture reader (sim/diff/capture.c) prints what tcpdump -n -tt -S prints:
 * flags in tcpdump's order, SACK blocks, an unknown option with its value. */
static void
test_capture_reader_prints_tcpdump_text(void)
{
    static const uint8_t opts[] = {1, 1, 5, 18, 0, 0, 0, 10, 0, 0, 0, 20, 0, 0, 0, 30,
                                   0, 0, 0, 40, 30, 4, 0xab, 0xcd}; /* nop,nop,sack 2,unknown-30 */
    struct capbuf c = cap_new(101);
    seg(&c, 1500000, true, 0x18, 1000, 5000, 63, opts, sizeof opts, 100);
    struct capture *r = capture_new("t.pcap");
    CU_ASSERT_TRUE_FATAL(capture_read_binary(r, c.b->data, c.b->len, TCPSIM_REPLAY_ERROR, 0, NULL));
    size_t n = 0;
    g_autofree char *t = capture_to_text(r, &n);
    CU_ASSERT_STRING_EQUAL(t, "1.500000000 IP 192.0.2.1.40000 > 192.0.2.2.8080: Flags [P.], seq "
                              "1000:1100, ack 5000, win 63, options [nop,nop,sack 2 {10:20}{30:40},"
                              "unknown-30 0xabcd], length 100\n");
    CU_ASSERT_EQUAL(n, strlen(t));
    const struct capseg *s0 = &g_array_index(r->segs, struct capseg, 0);
    CU_ASSERT_EQUAL(s0->s.nsack, 2);
    CU_ASSERT_EQUAL(s0->s.sack[1][1], 40);
    capture_free(r);
    g_byte_array_free(c.b, TRUE);
}

/* A connection to itself: every segment is what the socket sent and received. Unfolded,
 * each stands twice (to and from port 0), and the connection is a simultaneous open
 * whose peer sends exactly what the endpoint sent. */
static void
test_replay_self_connect_unfolds(void)
{
    struct capbuf c = cap_new(101);
    segx(&c, 0, A, 40008, A, 40008, 0x02, 1000, 0, 64240, syn_opts, sizeof syn_opts, 0);
    segx(&c, 0, A, 40008, A, 40008, 0x12, 1000, 1001, 64240, syn_opts, sizeof syn_opts, 0);
    segx(&c, 0, A, 40008, A, 40008, 0x10, 1001, 1001, 63, ts_opts, sizeof ts_opts, 0);
    struct capture *r = rcap_from_bytes("t.pcap", c.b->data, c.b->len, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_EQUAL(rcap_unfold_self(r), 3);
    CU_ASSERT_EQUAL(r->segs->len, 6);
    const struct capseg *back = &g_array_index(r->segs, struct capseg, 1);
    CU_ASSERT_EQUAL(back->s.sport, 0);
    CU_ASSERT_EQUAL(back->s.dport, 40008);
    GPtrArray *all = rconn_find(r, NULL, NULL);
    CU_ASSERT_EQUAL_FATAL(all->len, 1);
    struct rscript sc = {0};
    rinfer_script(r, g_ptr_array_index(all, 0), NULL, &sc);
    CU_ASSERT_PTR_NOT_NULL(strstr(sc.text->str, "+0 > S 0:0(0) win 64240 <mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 10>\n"
                                                "+0 < S 0:0(0) win 64240"));
    CU_ASSERT_PTR_NOT_NULL(strstr(sc.text->str, "+0 > S. 0:0(0) ack 1 win 64240"));
    CU_ASSERT_EQUAL(sc.outbound, 3);
    rscript_clear(&sc);
    g_ptr_array_free(all, TRUE);
    rcap_free(r);
    g_byte_array_free(c.b, TRUE);
}

static CU_TestInfo replay_tests[] = {
    {"pcap records become segments", test_replay_reads_pcap_segments},
    {"connections and the endpoint under test", test_replay_finds_connection_and_endpoint},
    {"calls inferred from the wire", test_replay_infers_calls},
    {"half-close, and a RST after it", test_replay_half_close_and_abort},
    {"a FIN on the last data: one close()", test_replay_fin_with_data_closes_once},
    {"a PSH resent without it ended a TSO packet", test_replay_tso_psh_is_not_a_write_end},
    {"a capture as a two-host scenario", test_replay_emits_a_scenario},
    {"tcpdump text and pcapng", test_replay_reads_tcpdump_text_and_pcapng},
    {"bad captures are errors", test_replay_bad_captures_are_errors},
    {"a capture replayed end to end", test_replay_runs_with_no_divergence},
    {"a third party's segments with the endpoint's address", test_replay_third_party_segments_left_out},
    {"a flood's spoofed SYNs are not connections", test_replay_flood_syns_are_not_connections},
    {"a simultaneous open is one connection", test_replay_simultaneous_open_is_one_connection},
    {"a RST answering a segment is not an abort", test_replay_rst_answer_is_not_an_abort},
    {"data held by the window was written before", test_replay_data_held_by_the_window},
    {"a window probe's PSH, a PSH in mid-burst", test_replay_probe_and_burst_psh},
    {"the same ISN after the end: a new connection", test_replay_same_isn_after_the_end_is_a_new_connection},
    {"a lazy reader; a tail that never left", test_replay_lazy_reader_and_unsent_tail},
    {"the one capture reader prints tcpdump's text", test_capture_reader_prints_tcpdump_text},
    {"a connection to itself, unfolded", test_replay_self_connect_unfolds},
    {"silence, then a closed port's RST: a crash", test_replay_lost_connection_is_a_crash},
    {"a persist timer's probe: its data was queued", test_replay_window_probe_was_queued},
    {"a reader that takes each burst once it is in", test_replay_burst_reader},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo replay_suites[] = {
    {"replay", NULL, NULL, NULL, NULL, replay_tests},
    CU_SUITE_INFO_NULL,
};
