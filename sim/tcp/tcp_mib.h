/* SPDX-License-Identifier: MIT */
/*
 * tcp_mib.h: per-host counters, named as `nstat` names them (the SNMP MIB-II Tcp*
 * group of RFC 4022 and Linux's TcpExt* extensions), so a lesson's numbers carry over to
 * `nstat -az` on a real server.
 */
#ifndef TCPSIM_TCP_MIB_H
#define TCPSIM_TCP_MIB_H

#define TCP_MIB_LIST(X)                                                                    \
    X(TCP_MIB_ACTIVE_OPENS, "TcpActiveOpens",                                              \
      "connections that went from CLOSED to SYN_SENT (connect())")                         \
    X(TCP_MIB_PASSIVE_OPENS, "TcpPassiveOpens",                                            \
      "connections that went from LISTEN to SYN_RECEIVED (a SYN to a listener)")           \
    X(TCP_MIB_ATTEMPT_FAILS, "TcpAttemptFails",                                            \
      "connections that went from SYN_SENT or SYN_RECEIVED to CLOSED")                     \
    X(TCP_MIB_ESTAB_RESETS, "TcpEstabResets",                                              \
      "connections that went to CLOSED from ESTABLISHED or CLOSE_WAIT (reset or timed out)") \
    X(TCP_MIB_IN_SEGS, "TcpInSegs",                                                        \
      "segments received, errors included")                                                \
    X(TCP_MIB_OUT_SEGS, "TcpOutSegs",                                                      \
      "segments sent, retransmissions included (as Linux counts; RFC 4022 excludes them)") \
    X(TCP_MIB_RETRANS_SEGS, "TcpRetransSegs",                                              \
      "segments retransmitted")                                                            \
    X(TCP_MIB_IN_ERRS, "TcpInErrs",                                                        \
      "segments received with errors (a bad header)")                                      \
    X(TCP_MIB_IN_CSUM_ERRORS, "TcpInCsumErrors",                                           \
      "segments received with a bad checksum")                                             \
    X(TCP_MIB_OUT_RSTS, "TcpOutRsts",                                                      \
      "segments sent with the RST flag")                                                   \
    X(TCP_MIB_LISTEN_OVERFLOWS, "TcpExtListenOverflows",                                   \
      "SYNs or handshake ACKs dropped because the accept queue was full")                  \
    X(TCP_MIB_LISTEN_DROPS, "TcpExtListenDrops",                                           \
      "SYNs or ACKs a listener dropped, for any reason (includes ListenOverflows)")        \
    X(TCP_MIB_SYNCOOKIES_SENT, "TcpExtSyncookiesSent",                                     \
      "SYN-ACKs sent with a SYN cookie")                                                   \
    X(TCP_MIB_SYNCOOKIES_RECV, "TcpExtSyncookiesRecv",                                     \
      "ACKs that returned a valid SYN cookie")                                             \
    X(TCP_MIB_SYNCOOKIES_FAILED, "TcpExtSyncookiesFailed",                                 \
      "ACKs to a listener that carried no valid cookie")                                   \
    X(TCP_MIB_TIMEOUTS, "TcpExtTCPTimeouts",                                               \
      "retransmission timeouts (RTO expiries)")                                            \
    X(TCP_MIB_ABORT_ON_TIMEOUT, "TcpExtTCPAbortOnTimeout",                                 \
      "connections given up after their retransmissions ran out (ETIMEDOUT)")              \
    X(TCP_MIB_ABORT_ON_DATA, "TcpExtTCPAbortOnData",                                       \
      "connections reset because data arrived after the application closed")               \
    X(TCP_MIB_ABORT_ON_CLOSE, "TcpExtTCPAbortOnClose",                                     \
      "connections reset by close() with unread data")                                     \
    X(TCP_MIB_ABORT_ON_LINGER, "TcpExtTCPAbortOnLinger",                                   \
      "connections reset by close() with SO_LINGER 0 (abort)")                             \
    X(TCP_MIB_CHALLENGE_ACK, "TcpExtTCPChallengeACK",                                      \
      "challenge ACKs sent (RFC 5961)")                                                    \
    X(TCP_MIB_SYN_CHALLENGE, "TcpExtTCPSYNChallenge",                                      \
      "SYNs in a synchronized state answered with a challenge ACK")                        \
    X(TCP_MIB_ACK_SKIPPED_SEQ, "TcpExtTCPACKSkippedSeq",                                   \
      "ACKs not sent to out-of-window segments (tcp_invalid_ratelimit)")                   \
    X(TCP_MIB_ACK_SKIPPED_CHALLENGE, "TcpExtTCPACKSkippedChallenge",                       \
      "challenge ACKs not sent (tcp_invalid_ratelimit)")                                   \
    X(TCP_MIB_ACK_SKIPPED_TIME_WAIT, "TcpExtTCPACKSkippedTimeWait",                        \
      "ACKs not sent from TIME_WAIT (tcp_invalid_ratelimit)")                              \
    X(TCP_MIB_TW, "TcpExtTW",                                                              \
      "TIME_WAIT connections that ended")                                                  \
    X(TCP_MIB_TW_RECYCLED, "TcpExtTWRecycled",                                             \
      "TIME_WAIT connections taken over by a new connect() (tcp_tw_reuse)")                \
    X(TCP_MIB_TIMEWAIT_OVERFLOW, "TcpExtTCPTimeWaitOverflow",                              \
      "connections closed at once because tcp_max_tw_buckets was reached")                 \
    X(TCP_MIB_PAWS_ESTAB, "TcpExtPAWSEstab",                                               \
      "segments dropped by PAWS: an old timestamp (RFC 7323 §5)")                          \
    X(TCP_MIB_DELAYED_ACKS, "TcpExtDelayedACKs",                                           \
      "delayed ACKs sent when their timer fired")                                          \
    X(TCP_MIB_FAST_RETRANS, "TcpExtTCPFastRetrans",                                        \
      "segments retransmitted by fast retransmit or SACK recovery")                        \
    X(TCP_MIB_SLOW_START_RETRANS, "TcpExtTCPSlowStartRetrans",                             \
      "data segments retransmitted after a retransmission timeout")                        \
    X(TCP_MIB_SACK_RECOVERY, "TcpExtTCPSackRecovery",                                      \
      "loss recoveries driven by SACK (RFC 6675)")                                         \
    X(TCP_MIB_RENO_RECOVERY, "TcpExtTCPRenoRecovery",                                      \
      "loss recoveries without SACK (NewReno, RFC 6582)")                                  \
    X(TCP_MIB_SACK_REORDER, "TcpExtTCPSACKReorder",                                        \
      "reorderings SACK showed: a segment never resent delivered below one SACKed before") \
    X(TCP_MIB_DELAYED_ACK_LOST, "TcpExtDelayedACKLost",                                    \
      "data segments received that were all or partly old (an ACK of ours was lost)")      \
    X(TCP_MIB_DSACK_OLD_SENT, "TcpExtTCPDSACKOldSent",                                     \
      "D-SACKs sent for duplicate data below RCV.NXT (RFC 2883)")                          \
    X(TCP_MIB_DSACK_OFO_SENT, "TcpExtTCPDSACKOfoSent",                                     \
      "D-SACKs sent for duplicate out-of-order data (RFC 2883)")                           \
    X(TCP_MIB_DSACK_RECV, "TcpExtTCPDSACKRecv",                                            \
      "D-SACKs received for data below the ACK (RFC 2883)")                                \
    X(TCP_MIB_DSACK_OFO_RECV, "TcpExtTCPDSACKOfoRecv",                                     \
      "D-SACKs received for data above the ACK (RFC 2883)")                                \
    X(TCP_MIB_DSACK_UNDO, "TcpExtTCPDSACKUndo",                                            \
      "reductions undone because D-SACKs showed every retransmission spurious")            \
    X(TCP_MIB_FULL_UNDO, "TcpExtTCPFullUndo",                                              \
      "fast recoveries undone at their end (D-SACKs or timestamps: none was needed)")     \
    X(TCP_MIB_LOSS_UNDO, "TcpExtTCPLossUndo",                                              \
      "timeout reductions undone (timestamps, D-SACK or F-RTO)")                           \
    X(TCP_MIB_SPURIOUS_RTOS, "TcpExtTCPSpuriousRTOs",                                      \
      "timeouts F-RTO found spurious (RFC 5682)")                                          \
    X(TCP_MIB_LOSS_PROBES, "TcpExtTCPLossProbes",                                          \
      "tail loss probes sent (RFC 8985 §7, tcp_early_retrans)")                            \
    X(TCP_MIB_LOSS_PROBE_RECOVERY, "TcpExtTCPLossProbeRecovery",                           \
      "losses repaired by a tail loss probe alone (RFC 8985 §7.4)")                        \
    X(TCP_MIB_LOST_RETRANSMIT, "TcpExtTCPLostRetransmit",                                  \
      "retransmissions RACK found lost again (RFC 8985 §6)")                               \
    X(TCP_MIB_OFO_QUEUE, "TcpExtTCPOFOQueue",                                              \
      "segments queued out of order for reassembly")                                       \
    X(TCP_MIB_OFO_DROP, "TcpExtTCPOFODrop",                                                \
      "out-of-order segments dropped for lack of buffer space")                            \
    X(TCP_MIB_ZERO_WINDOW_ADV, "TcpExtTCPToZeroWindowAdv",                                 \
      "times the advertised window went from open to zero")                                \
    X(TCP_MIB_WIN_PROBE, "TcpExtTCPWinProbe",                                              \
      "zero-window probes sent")                                                           \
    X(TCP_MIB_KEEPALIVE, "TcpExtTCPKeepAlive",                                             \
      "keepalive probes sent")                                                             \
    X(TCP_MIB_PURE_ACKS, "TcpExtTCPPureAcks",                                              \
      "pure ACKs received by connections (no data and no flag but ACK)")

enum tcp_mib {
#define TCP_MIB_ENUM(id, name, help) id,
    TCP_MIB_LIST(TCP_MIB_ENUM)
#undef TCP_MIB_ENUM
    TCP_MIB_N
};

const char *tcp_mib_name(enum tcp_mib m);
const char *tcp_mib_help(enum tcp_mib m);

#endif
