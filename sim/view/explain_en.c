/* SPDX-License-Identifier: MIT */
/*
 * explain_en.c: explain mode's sentences in English.
 *
 * One sentence per message, saying why the line happened, with the RFC section or the
 * Linux knob that decides it. Placeholders in braces are filled by explain_why.c (see
 * explain.h). Keep explain_zh.c in step: the unit tests check that every message exists
 * in both languages with the same placeholders.
 */
#include "explain.h"

const struct explain_texts explain_en = {
    .lang = "en",
    .msg = {
        [EXM_TX_SYN] = "SYN: connect() opens the connection with our initial sequence number "
                       "and options (RFC 9293 §3.10.1).",
        [EXM_TX_SYN_RTO] = "SYN retransmitted: no SYN-ACK within RTO {rto} (tcp_syn_retries "
                           "{limit}, try {n}).",
        [EXM_TX_SYNACK] = "SYN-ACK: the listener answers the SYN with its own SYN and "
                          "acknowledges the peer's (RFC 9293 §3.10.7.2).",
        [EXM_TX_SYNACK_SIMULT] = "SYN-ACK: both sides sent a SYN; each now acknowledges the "
                                 "other's (simultaneous open, RFC 9293 §3.10.7.3).",
        [EXM_TX_SYNACK_RTO] = "SYN-ACK retransmitted: no ACK within RTO {rto} "
                              "(tcp_synack_retries {limit}, try {n}).",
        [EXM_TX_SYNACK_ANSWER] = "SYN-ACK sent again: the peer retransmitted its SYN, so our "
                                 "SYN-ACK was probably lost (Linux tcp_check_req()).",
        [EXM_TX_SYNACK_COOKIE] = "SYN-ACK with a SYN cookie: the SYN queue is full, so the "
                                 "connection is encoded in our ISN and nothing is kept "
                                 "(RFC 4987 §3.6, tcp_syncookies).",
        [EXM_TX_ACK_HANDSHAKE] = "ACK: completes the three-way handshake by acknowledging the "
                                 "peer's SYN (RFC 9293 §3.10.7.3).",
        [EXM_TX_ACK_DATA] = "ACK: acknowledges the data that arrived (RFC 9293 §3.10.7.4 "
                            "seventh step).",
        [EXM_TX_ACK_DUP] = "Duplicate ACK: data arrived out of order, so the ACK repeats the "
                           "first byte still missing (RFC 5681 §4.2).",
        [EXM_TX_ACK_FIN] = "ACK of the peer's FIN, which takes one sequence number (RFC 9293 "
                           "§3.10.7.4 eighth step).",
        [EXM_TX_ACK_DELAYED] = "Delayed ACK: no more data came to carry the ACK before the "
                               "timer ran out (RFC 1122 §4.2.3.2).",
        [EXM_TX_ACK_ANSWER] = "ACK answering the segment just discarded ({why}): it tells the "
                              "sender what is expected (RFC 9293 §3.10.7.4 first step).",
        [EXM_TX_ACK_CHALLENGE] = "Challenge ACK: a genuine peer answers it with an exact RST "
                                 "or a retransmission, a blind attacker cannot (RFC 5961 §3.2).",
        [EXM_TX_ACK_WINDOW] = "Window update: the application read data, so the receive window "
                              "opened again (RFC 9293 §3.8.6.2.2).",
        [EXM_TX_ACK_DSACK] = "D-SACK: data that had already arrived came again; the first "
                             "SACK block names the duplicate, so the sender can tell that its "
                             "retransmission was not needed (RFC 2883 §4, tcp_dsack).",
        [EXM_TX_ACK] = "ACK: acknowledges everything received so far.",
        [EXM_TX_DATA] = "Data the application wrote, sent as the peer's window and the "
                        "congestion window allow (RFC 9293 §3.8.6, RFC 5681).",
        [EXM_TX_FIN] = "FIN: the application closed its side; nothing more will be sent "
                       "after what is queued (RFC 9293 §3.10.4).",
        [EXM_TX_RTO] = "Retransmitted: no ACK within RTO {rto}, so the oldest unacknowledged "
                       "segment goes again (RFC 6298 §5.4; try {n}, {knob} {limit}).",
        [EXM_TX_RTO_FOLLOW] = "Retransmitted after the timeout: sending resumes from the oldest "
                              "unacknowledged byte as ACKs come back (RFC 6298 §5.4).",
        [EXM_TX_FAST] = "Fast retransmit: three duplicate ACKs say this segment was lost; no "
                        "need to wait for the timer (RFC 5681 §3.2).",
        [EXM_TX_RECOVERY] = "Retransmitted during loss recovery: a partial ACK shows the next "
                            "hole, and NewReno resends it at once (RFC 6582 §3.2 step 4).",
        [EXM_TX_RECOVERY_SACK] = "Retransmitted during SACK recovery: the scoreboard built from "
                                 "the peer's SACK blocks counts this segment as lost "
                                 "(RFC 6675 §5).",
        [EXM_TX_PROBE] = "Zero-window probe #{n}: the peer's window is 0, and the probe makes it "
                         "say whether it has opened (RFC 9293 §3.8.6.1).",
        [EXM_TX_PROBE_DATA] = "Window probe with data #{n}: data waited with nothing in flight, "
                              "because the peer's window was smaller than the next segment "
                              "(Linux sends no such sliver, tcp_snd_wnd_test()) or TCP_CORK "
                              "or MSG_MORE held it; the persist timer sends what fits, "
                              "pushed (tcp_write_wakeup()).",
        [EXM_TX_KEEPALIVE] = "Keep-alive probe #{n}: the connection was idle, and a live peer "
                             "must answer it (RFC 1122 §4.2.3.6).",
        [EXM_TX_TLP] = "Tail loss probe: nothing was acknowledged for a probe timeout (about "
                       "2*SRTT), and no new data waits, so the last segment goes again to draw "
                       "an ACK whose SACK shows what is lost, before the RTO (RFC 8985 §7.3).",
        [EXM_TX_TLP_NEW] = "Tail loss probe: nothing was acknowledged for a probe timeout (about "
                           "2*SRTT), so one new segment goes even beyond cwnd, to draw an ACK "
                           "whose SACK shows what is lost, before the RTO (RFC 8985 §7.3).",
        [EXM_TX_RACK] = "RACK retransmission: a segment sent after this one was acknowledged "
                        "and a reordering window has passed, so this one is lost (RFC 8985 "
                        "§6.2, tcp_recovery).",
        [EXM_TX_FORGED] = "Forged by the scenario (inject), as an attacker would: no TCP sent "
                          "this segment.",
        [EXM_TX_RST_ABORT] = "RST: the application aborted (SO_LINGER 0), so the peer is told "
                             "at once and unsent data is thrown away (RFC 9293 §3.10.5).",
        [EXM_TX_RST_ANSWER] = "RST answering the segment just discarded ({why}): nothing here "
                              "expects it (RFC 9293 §3.5.2).",
        [EXM_TX_RST_KEEPALIVE] = "RST: {limit} keep-alive probes went unanswered, so the "
                                 "connection is given up (Linux tcp_keepalive_timer()).",
        [EXM_TX_RST] = "RST: the connection is reset (RFC 9293 §3.5.2).",
        [EXM_DLV_DUPLICATE] = "A copy: the link delivered this segment twice.",
        [EXM_DLV_DELAYED] = "Held back by the scenario's delay line: it arrives late, as an old "
                            "duplicate would.",
        [EXM_DLV_REORDERED] = "The link held it back, so segments sent after it overtook it.",
        [EXM_DLV_CORRUPTED] = "Damaged on the wire: the receiver's checksum will catch it.",
        [EXM_ST_LISTEN] = "Passive open: listen() waits for SYNs (RFC 9293 §3.10.1).",
        [EXM_ST_CONNECT] = "Active open: connect() chose ISN {iss} and sends a SYN (RFC 9293 "
                           "§3.10.1, §3.4.1).",
        [EXM_ST_SYN_RCVD] = "A SYN reached the listener: a new connection (ISN {iss}) answers "
                            "with a SYN-ACK (RFC 9293 §3.10.7.2).",
        [EXM_ST_SYN_COOKIE] = "The ACK brought back a valid SYN cookie: the connection is "
                              "rebuilt from it (RFC 4987 §3.6).",
        [EXM_ST_SIMULT_OPEN] = "Simultaneous open: a SYN arrived while our own SYN was still "
                               "unanswered (RFC 9293 §3.10.7.3).",
        [EXM_ST_EST_ACTIVE] = "The SYN-ACK acknowledges our SYN: the connection is open (RFC 9293 "
                              "§3.10.7.3).",
        [EXM_ST_EST_PASSIVE] = "The ACK of our SYN-ACK completes the handshake (RFC 9293 "
                               "§3.10.7.4 fifth step).",
        [EXM_ST_FIN_WAIT_1] = "The application closed: our FIN goes out and we wait for its ACK "
                              "(RFC 9293 §3.10.4).",
        [EXM_ST_CLOSE_WAIT] = "The peer's FIN arrived: it will send nothing more, but we may "
                              "still send (RFC 9293 §3.10.7.4 eighth step).",
        [EXM_ST_FIN_WAIT_2] = "Our FIN was acknowledged; now we wait for the peer's FIN (RFC 9293 "
                              "§3.10.7.4 fifth step).",
        [EXM_ST_CLOSING] = "Simultaneous close: the peer's FIN arrived before the ACK of ours "
                           "(RFC 9293 §3.10.7.4 eighth step).",
        [EXM_ST_TW_FIN_ACK] = "Enters TIME_WAIT: the peer's FIN arrived and acknowledged ours; "
                              "waits 2*MSL = {span} (RFC 9293 §3.10.7.4 eighth step).",
        [EXM_ST_TW_FIN] = "Enters TIME_WAIT: our FIN was acknowledged and the peer's FIN "
                          "arrived; waits 2*MSL = {span} (RFC 9293 §3.10.7.4).",
        [EXM_ST_TW_ACK] = "Enters TIME_WAIT: the ACK of our FIN arrived after the peer's FIN; "
                          "waits 2*MSL = {span} (RFC 9293 §3.10.7.4 fifth step).",
        [EXM_ST_LAST_ACK] = "The application closed too: our FIN goes out, and its ACK is the "
                            "last thing to wait for (RFC 9293 §3.10.4).",
        [EXM_ST_CLOSED_LAST_ACK] = "Our FIN was acknowledged: the connection is gone, with no "
                                   "TIME_WAIT on this side (RFC 9293 §3.10.7.4 fifth step).",
        [EXM_ST_CLOSED_TW] = "2*MSL have passed: no old duplicate can still arrive, so the "
                             "connection is deleted (RFC 9293 §3.10.8).",
        [EXM_ST_REFUSED] = "A RST answered our SYN: connection refused, nothing listens there "
                           "(RFC 9293 §3.10.7.3).",
        [EXM_ST_RESET] = "A RST in the window arrived: the connection is reset (RFC 9293 "
                         "§3.10.7.4 second step).",
        [EXM_ST_RESET_HALF_OPEN] = "A RST answered our SYN-ACK: the half-open connection is "
                                   "dropped and the listener carries on (RFC 9293 §3.10.7.4 "
                                   "second step).",
        [EXM_ST_ABORT] = "The application aborted: a RST goes out and the connection is dropped "
                         "at once (RFC 9293 §3.10.5).",
        [EXM_ST_ABORT_QUIET] = "The application aborted: the connection is deleted, with no "
                               "RST to send in this state (RFC 9293 §3.10.5).",
        [EXM_ST_CLOSED_USER] = "The application closed before the connection was established: "
                               "there is nothing to send (RFC 9293 §3.10.4).",
        [EXM_ST_GIVE_UP] = "Retransmissions exhausted: {knob} {limit} retransmissions went "
                           "unanswered, so the connection is given up and the application gets "
                           "ETIMEDOUT (Linux tcp_write_timeout()).",
        [EXM_ST_GIVE_UP_BUDGET] = "Time budget spent: Linux gives up once the retransmissions "
                                  "have taken as long as {knob} {limit} doubling retries would, "
                                  "here after {tries} retransmissions; the application gets "
                                  "ETIMEDOUT (tcp_write_timeout(), retransmits_timed_out()).",
        [EXM_ST_SYNACK_GIVE_UP] = "No ACK after the last SYN-ACK: the half-open connection is "
                                  "dropped without a word (Linux reqsk_timer_handler()).",
        [EXM_ST_FIN_TIMEOUT] = "The orphaned FIN_WAIT_2 lasted tcp_fin_timeout: Linux stops "
                               "waiting for the peer's FIN.",
        [EXM_ST_KEEPALIVE_DEAD] = "Keep-alive probes unanswered: the peer is presumed dead "
                                  "(RFC 1122 §4.2.3.6).",
        [EXM_ST_LISTENER_CLOSED] = "The listener closed: connections not yet accepted go with "
                                   "it.",
        [EXM_ST_CRASH] = "The host crashed: its connections vanish without a segment.",
        [EXM_ST_TW_REUSE] = "A new connection took over this four-tuple: TIME_WAIT gives way "
                            "(tcp_tw_reuse).",
        [EXM_ST_TW_LIMIT] = "No TIME_WAIT bucket left (tcp_max_tw_buckets): closed at once, "
                            "without TIME_WAIT's protection.",
        [EXM_ST_ACCEPT_OVERFLOW] = "The handshake's last ACK found the accept queue full and "
                                   "tcp_abort_on_overflow is set: the connection is reset.",
        [EXM_ST_DATA_AFTER_CLOSE] = "Data arrived after the application closed: nobody will ever "
                                    "read it, so Linux resets the connection (RFC 1122 "
                                    "§4.2.2.13; tcp_rcv_state_process()).",
        [EXM_ST_KEEPINIT] = "Not established within net.inet.tcp.keepinit: FreeBSD's keepinit "
                            "timer drops the connection however many SYNs went out, and "
                            "connect() fails with ETIMEDOUT (FreeBSD tcp_timer_keep()).",
        [EXM_ST_SYN_IN_WINDOW] = "A SYN inside the window, with net.inet.tcp.insecure_syn 1: "
                                 "FreeBSD takes it as RFC 793 did, drops the connection with "
                                 "a RST and reports ECONNRESET (tcp_drop()); RFC 5961 §4 would "
                                 "answer a challenge ACK.",
        [EXM_ST_USER_TIMEOUT] = "Data stayed unacknowledged for TCP_USER_TIMEOUT: the connection "
                                "is given up with ETIMEDOUT (RFC 5482).",
        [EXM_ST_OTHER] = "State change ({why}).",
        [EXM_TM_RTO] = "Retransmission timer expired after {rto}: the oldest unacknowledged "
                       "segment goes again, and the next timeout is {next} (RFC 6298 §5.4, "
                       "§5.5).",
        [EXM_TM_RTO_LAST] = "Retransmission timer expired once more: {knob} {limit} "
                            "retransmissions went unanswered, the retry budget is spent.",
        [EXM_TM_RTO_BUDGET] = "Retransmission timer expired once more: {tries} retransmissions "
                              "have taken as long as {knob} {limit} doubling retries would, so "
                              "Linux's time budget is spent (retransmits_timed_out()).",
        [EXM_TM_SYN_LINEAR] = "SYN timer expired after {rto}: no SYN-ACK; the SYN goes again and "
                              "the next wait is the same {next}, not doubled: Linux keeps the "
                              "first retries linear (tcp_syn_linear_timeouts; expiry #{n}, "
                              "tcp_syn_retries {limit}).",
        [EXM_TM_SYN_BACKOFF] = "SYN timer expired after {rto}: no SYN-ACK; the SYN goes again and "
                               "the wait doubles to {next} (exponential backoff, RFC 6298 §5.5; "
                               "tcp_syn_retries {limit}).",
        [EXM_TM_SYN_GROWS] = "SYN timer expired after {rto}: no SYN-ACK; the SYN goes again and "
                             "the next wait is {next}, not double: a cap (the RTO maximum, "
                             "a time limit), or FreeBSD's backoff, rexmit_initial times "
                             "tcp_syn_backoff[] plus rexmit_slop (tcp_timer_rexmt()).",
        [EXM_TM_SYNACK] = "SYN-ACK timer expired after {rto}: no ACK from the peer; the SYN-ACK "
                          "goes again and the next wait is {next} (tcp_synack_retries {limit}).",
        [EXM_TM_SYNACK_LAST] = "SYN-ACK timer expired: tcp_synack_retries {limit} SYN-ACKs went "
                               "unanswered.",
        [EXM_TM_DELACK] = "Delayed-ACK timer expired: the ACK held back for more data goes out "
                          "now (RFC 1122 §4.2.3.2).",
        [EXM_TM_2MSL] = "TIME_WAIT's 2*MSL = {span} is over (RFC 9293 §3.10.8).",
        [EXM_TM_FIN_WAIT_2] = "tcp_fin_timeout = {span} passed in an orphaned FIN_WAIT_2 "
                              "(Linux).",
        [EXM_TM_KEEPALIVE] = "Idle for {span}: keep-alive probe #{n} of tcp_keepalive_probes "
                             "{limit} (RFC 1122 §4.2.3.6).",
        [EXM_TM_KEEPALIVE_LAST] = "tcp_keepalive_probes {limit} probes went unanswered: the "
                                  "peer is taken for dead.",
        [EXM_TM_PERSIST] = "Persist timer: data still waits with nothing in flight (the "
                           "peer's window is 0, or in Linux smaller than the next segment, "
                           "or TCP_CORK or MSG_MORE held it), so probe #{n} goes out "
                           "(RFC 9293 §3.8.6.1; Linux tcp_probe_timer()).",
        [EXM_TM_PERSIST_LAST] = "Persist timer: {limit} window probes went unanswered "
                                "(tcp_retries2): the connection is given up.",
        [EXM_TM_TLP] = "Probe timeout after {span} (about 2*SRTT, no later than the RTO) with "
                       "no ACK: a tail loss probe goes out (RFC 8985 §7.2, tcp_early_retrans).",
        [EXM_TM_REO] = "RACK's reordering timer, {span}: segments sent before one that was "
                       "acknowledged have had their reordering window; any of them still "
                       "unacknowledged is lost and goes again (RFC 8985 §6.3, tcp_recovery).",
        [EXM_CC_SLOW_START] = "Slow start: cwnd grows by what each ACK acknowledges, doubling "
                              "every round trip (RFC 5681 §3.1).",
        [EXM_CC_AVOIDANCE] = "Congestion avoidance: above ssthresh, cwnd grows by about one "
                             "segment per round trip (RFC 5681 §3.1; CUBIC: RFC 9438).",
        [EXM_CC_AVOIDANCE_RENO] = "Congestion avoidance (Reno): above ssthresh, cwnd grows by "
                                  "about one segment per round trip (RFC 5681 §3.1).",
        [EXM_CC_AVOIDANCE_CUBIC] = "Congestion avoidance (CUBIC): cwnd follows the cubic curve "
                                   "of the time since the last reduction, back towards the "
                                   "window where loss came (RFC 9438 §4.2).",
        [EXM_CC_HYSTART] = "HyStart leaves slow start early: ACKs show the queue building "
                           "(RFC 9406).",
        [EXM_CC_FAST] = "Fast retransmit (Reno): ssthresh becomes half the data in flight "
                        "({ssthresh}), and cwnd that plus the three segments the duplicate ACKs "
                        "say have left ({cwnd}) (RFC 5681 §3.2, RFC 6582).",
        [EXM_CC_FAST_SACK] = "Fast retransmit (Reno, SACK): ssthresh and cwnd become half the "
                             "data in flight ({ssthresh}); the SACK scoreboard decides what is "
                             "sent (RFC 5681 §3.2, RFC 6675 §5).",
        [EXM_CC_FAST_CUBIC] = "Fast retransmit (CUBIC): ssthresh becomes beta = 0.7 times cwnd "
                              "(Linux: 717/1024, in whole segments), {prev} -> {ssthresh}, and cwnd that plus the three segments that "
                              "left ({cwnd}) (RFC 9438 §4.6, RFC 6582).",
        [EXM_CC_FAST_CUBIC_SACK] = "Fast retransmit (CUBIC, SACK): ssthresh and cwnd become "
                                   "beta = 0.7 times cwnd (Linux: 717/1024, in whole segments), "
                                   "{prev} -> {ssthresh}; the SACK "
                                   "scoreboard decides what is sent (RFC 9438 §4.6, RFC 6675 §5).",
        [EXM_CC_FAST_OTHER] = "Loss detected: cwnd is now {cwnd} and ssthresh {ssthresh} "
                              "(RFC 5681 §3.2).",
        [EXM_CC_RECOVERY_END] = "Recovery is over: everything sent before the loss is "
                                "acknowledged, cwnd falls back to ssthresh (RFC 6582 §3.2).",
        [EXM_CC_RECOVERY_END_SACK] = "SACK recovery is over: everything sent before the loss is "
                                     "acknowledged, cwnd is ssthresh, {ssthresh} (RFC 6675 §5).",
        [EXM_CC_RTO] = "After a timeout (Reno) cwnd falls to one segment and ssthresh to half "
                       "the data in flight, {ssthresh} (RFC 5681 §3.1).",
        [EXM_CC_RTO_CUBIC] = "After a timeout (CUBIC) cwnd falls to one segment and ssthresh to "
                             "beta = 0.7 times cwnd (Linux: 717/1024, in whole segments), "
                             "{prev} -> {ssthresh} (RFC 9438 §4.8).",
        [EXM_CC_RTO_AGAIN] = "Another timeout: cwnd is one segment again and ssthresh stays "
                             "{ssthresh} (RFC 5681 §3.1).",
        [EXM_APP_CONNECTED] = "connect() returns 0: the SYN-ACK arrived and the handshake is "
                              "complete (RFC 9293 §3.10.7.3).",
        [EXM_APP_ACCEPTED] = "accept() returns a connection that finished its handshake and "
                             "waited in the accept queue (RFC 9293 §3.10.7.4).",
        [EXM_APP_SENT] = "send() returns {n}: that many bytes were copied into the send buffer; "
                         "TCP sends them as the windows allow, not necessarily yet.",
        [EXM_APP_RECV_DATA] = "recv() returns {n}: that many bytes had arrived in order and "
                              "were waiting in the receive buffer.",
        [EXM_APP_RECV_EOF] = "recv() returns 0: the peer's FIN arrived and every byte before it "
                             "has been read: end of stream (RFC 9293 §3.10.7.4 eighth step).",
        [EXM_APP_EAGAIN] = "EAGAIN: the socket is non-blocking and the call would have had to "
                           "wait (no data, or no room); try again when poll() says so.",
        [EXM_APP_ECONNRESET] = "ECONNRESET: a RST arrived, so the connection was reset and any "
                               "data not yet read is lost (RFC 9293 §3.10.7.4 second step).",
        [EXM_APP_ECONNRESET_ABORT] = "ECONNRESET: the application aborted this connection "
                                     "itself (close() with SO_LINGER 0) while the call was "
                                     "waiting (RFC 9293 §3.10.5).",
        [EXM_APP_ECONNREFUSED] = "ECONNREFUSED: a RST answered the SYN: nothing listens on "
                                 "that port (RFC 9293 §3.10.7.3).",
        [EXM_APP_ETIMEDOUT] = "ETIMEDOUT: the retransmissions (or the SYN retries) ran out "
                              "without an answer, so TCP gave the connection up.",
        [EXM_APP_EPIPE] = "EPIPE: the connection is closed or reset, so nothing more can be "
                          "sent on it (and SIGPIPE, unless ignored).",
        [EXM_APP_EADDRNOTAVAIL] = "EADDRNOTAVAIL: no local port is free for this destination: "
                                  "ip_local_port_range is used up, by TIME_WAIT too.",
        [EXM_APP_ERROR] = "{why}: the call failed; the lines above show why.",
        [EXM_CC_FAST_PRR] = "Fast retransmit: ssthresh is lowered (half the flight, or 0.7 with "
                            "CUBIC), but cwnd is not cut at once: Proportional Rate Reduction "
                            "sets it to what is in flight plus what this ACK may send, here the "
                            "retransmission (RFC 6937 §3; Linux tcp_cwnd_reduction()).",
        [EXM_CC_FAST_PRR_CUBIC] = "Fast retransmit (CUBIC, SACK): ssthresh becomes beta = 717/1024 "
                                  "of cwnd in whole segments, {prev} -> {ssthresh} (RFC 9438 "
                                  "§4.6; Linux cubictcp_recalc_ssthresh()), but cwnd "
                                  "is not cut at once: Proportional Rate Reduction sets it to "
                                  "what is in flight plus what this ACK may send, here the "
                                  "retransmission (RFC 6937 §3; Linux tcp_cwnd_reduction()).",
        [EXM_CC_PRR] = "PRR: during recovery each ACK lets out a share of what it reports "
                       "delivered, ssthresh/RecoverFS of it while the flight is above ssthresh, "
                       "so cwnd steps down to ssthresh over one round trip (RFC 6937 §3).",
        [EXM_CC_UNDO] = "Undo ({why}): the reduction was a mistake, the segments taken for lost "
                        "had arrived; cwnd and ssthresh go back to what they were before it "
                        "(RFC 2883 §5 D-SACK, RFC 3522 timestamps, RFC 5682 F-RTO; Linux "
                        "tcp_undo_cwnd_reduction()).",
        [EXM_CC_FRTO_NEW] = "F-RTO: the first ACK after the timeout covers only the resent "
                            "segment, which proves nothing; new data goes out instead of more "
                            "retransmissions, to see whether the next ACK acknowledges data sent "
                            "only once (RFC 5682 §3.1 step 2.b; Linux tcp_process_loss()).",
        [EXM_CC_FRTO_LOSS] = "F-RTO: a duplicate ACK after the new data: the old flight really "
                             "was lost, and it is resent from SND.UNA (RFC 5682 §3.1 step 3.a).",
        [EXM_CC_IDLE_RESTART] = "Restart after idle: nothing was sent for longer than an RTO, "
                                "so the window no longer describes the path; it restarts "
                                "from the initial window (RFC 5681 §4.1; Linux "
                                "tcp_cwnd_restart() halves it per idle RTO, "
                                "tcp_slow_start_after_idle).",
        [EXM_CC_APP_LIMITED] = "Window not used for an RTO: it decays half way towards what "
                               "was used (RFC 2861; Linux tcp_cwnd_application_limited()).",
        [EXM_MUTED] = "The answer it deserved was rate-limited away (tcp_invalid_ratelimit).",
        [EXM_WHEEL] = "A timeout that long waits in Linux's timer wheel in buckets of "
                      "{grain}: it fires at the first bucket boundary past its expiry, a "
                      "multiple of {grain} in the tick count, so up to {grain} late "
                      "(calc_wheel_index(); knobs hz, initial_jiffies).",
    },
    .discard = {
        [TCP_DROP_NO_SOCKET] = "Discarded: no connection and no listener for it; a RST answers "
                               "(RFC 9293 §3.10.7.1).",
        [TCP_DROP_RST_IN_CLOSED] = "Discarded: a RST for no connection is never answered "
                                   "(RFC 9293 §3.10.7.1).",
        [TCP_DROP_LISTEN_RST] = "Discarded: a listener ignores a RST (RFC 9293 §3.10.7.2 first "
                                "check).",
        [TCP_DROP_LISTEN_ACK] = "Discarded: an ACK to a listener acknowledges nothing it sent; "
                                "a RST answers (RFC 9293 §3.10.7.2 second check).",
        [TCP_DROP_LISTEN_SYN_FIN] =
            "Discarded: Linux drops a SYN that also carries FIN at a listener "
            "(tcp_rcv_state_process(); RFC 9293 leaves SYN+FIN undefined).",
        [TCP_DROP_LISTEN_NO_SYN] = "Discarded: a listener only takes SYNs (RFC 9293 §3.10.7.2 "
                                   "fourth check).",
        [TCP_DROP_LISTEN_OVERFLOW] = "Discarded: the accept queue is full, so Linux drops the "
                                     "SYN and lets the client retry (ListenOverflows).",
        [TCP_DROP_SYN_QUEUE_FULL] = "Discarded: the SYN queue is full and syncookies are off "
                                    "(tcp_max_syn_backlog, ListenDrops).",
        [TCP_DROP_ACCEPT_OVERFLOW] = "Discarded: the handshake's last ACK found the accept "
                                     "queue full (tcp_abort_on_overflow decides what follows).",
        [TCP_DROP_BAD_ACK] = "Discarded: in SYN_SENT, an ACK of something we never sent; a RST "
                             "<SEQ=SEG.ACK> answers (RFC 9293 §3.10.7.3 first check).",
        [TCP_DROP_RST_BAD_ACK] = "Discarded: a RST whose ACK does not acknowledge our SYN is "
                                 "not for us (RFC 9293 §3.10.7.3 second check).",
        [TCP_DROP_NO_SYN_OR_RST] = "Discarded: in SYN_SENT only a SYN or a RST matters (RFC 9293 "
                                   "§3.10.7.3 fifth check).",
        [TCP_DROP_OUT_OF_WINDOW] = "Discarded: sequence number outside the receive window "
                                   "(RFC 9293 §3.10.7.4 first step); an ACK answers it.",
        [TCP_DROP_RST_OUT_OF_WINDOW] = "Discarded: a RST outside the window is ignored, so a "
                                       "blind attacker must guess exactly (RFC 5961 §3.2).",
        [TCP_DROP_RST_CHALLENGE] = "Discarded: a RST in the window but not at RCV.NXT gets a "
                                   "challenge ACK instead of a reset (RFC 5961 §3.2).",
        [TCP_DROP_SYN_CHALLENGE] = "Discarded: a SYN on an open connection gets a challenge "
                                   "ACK, not a reset (RFC 5961 §4.2).",
        [TCP_DROP_NO_ACK] = "Discarded: after the handshake every segment must carry ACK "
                            "(RFC 9293 §3.10.7.4 fifth step).",
        [TCP_DROP_ACK_UNSENT] = "Discarded: it acknowledges data not yet sent; an ACK answers "
                                "(RFC 9293 §3.10.7.4 fifth step; Linux: a rate-limited "
                                "challenge ACK, RFC 5961 §5.2).",
        [TCP_DROP_ACK_TOO_OLD] = "Discarded: its ACK is older than the acceptable range "
                                 "(RFC 5961 §5.2).",
        [TCP_DROP_SYN_RECV_BAD_ACK] = "Discarded: in SYN_RECEIVED an unacceptable ACK gets a RST "
                                      "(RFC 9293 §3.10.7.4 fifth step).",
        [TCP_DROP_PAWS] = "Discarded: its timestamp is older than the last one seen, an old "
                          "duplicate (PAWS, RFC 7323 §5.3).",
        [TCP_DROP_DATA_AFTER_FIN] = "Discarded: data after the peer's FIN cannot be (RFC 9293 "
                                    "§3.10.7.4 seventh step).",
        [TCP_DROP_DATA_CLOSED_USER] = "Discarded: data arrived after the application closed; "
                                      "Linux answers with a RST (tcp_rcv_state_process()).",
        [TCP_DROP_OUT_OF_ORDER_NO_QUEUE] = "Discarded: out of order with no room to hold it; an "
                                           "ACK answers.",
        [TCP_DROP_RCVBUF_FULL] = "Discarded: beyond what the receive buffer can hold; an ACK "
                                 "answers (RFC 9293 §3.8.6).",
        [TCP_DROP_BAD_CHECKSUM] = "Discarded: the TCP checksum failed, so the segment was "
                                  "damaged on the way (RFC 9293 §3.1).",
        [TCP_DROP_BAD_PACKET] = "Discarded: the IP header is damaged (its checksum failed).",
        [TCP_DROP_HOST_DOWN] = "Discarded: the host has crashed and answers nothing.",
        [TCP_DROP_COOKIE_INVALID] = "Discarded: the ACK carries no valid SYN cookie; a RST "
                                    "answers (RFC 4987).",
        [TCP_DROP_TW_RST] = "Discarded: a RST in TIME_WAIT is ignored so it cannot cut the wait "
                            "short (RFC 1337, tcp_rfc1337).",
        [TCP_DROP_TIME_WAIT] = "Discarded in TIME_WAIT: it is answered with an ACK and 2*MSL "
                               "starts again (RFC 9293 §3.10.7.4).",
        [TCP_DROP_NO_ADDRESS] = "Discarded: not addressed to this host (the answer to a spoofed "
                                "source).",
        [TCP_DROP_OLD_DATA] = "Discarded: all of its data was received before (Linux: "
                              "tcp_data_queue()); a D-SACK reports it, and the ACK follows the "
                              "delayed-ACK rules, in quick-ACK mode.",
    },
    .drop = {
        [LINK_DROP_LOSS] = "Lost on the link: its random loss model dropped it.",
        [LINK_DROP_QUEUE] = "Lost at the link's queue: it was full (drop-tail), the sender "
                            "outran the bottleneck.",
        [LINK_DROP_RED] = "Dropped early by RED: the average queue was long.",
        [LINK_DROP_DOWN] = "Lost: the link is down (a partition).",
        [LINK_DROP_SCRIPTED] = "Dropped by the scenario's drop line, on purpose.",
        [LINK_DROP_MTU] = "Lost: larger than the link's MTU, and nothing fragments it.",
    },
};
