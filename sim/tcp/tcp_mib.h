/*
 * tcp_mib.h: per-host counters, named as `nstat` names them (the SNMP MIB-II Tcp*
 * group of RFC 4022 and Linux's TcpExt* extensions), so a lesson's numbers carry over to
 * `nstat -az` on a real server.
 */
#ifndef TCPSIM_TCP_MIB_H
#define TCPSIM_TCP_MIB_H

#define TCP_MIB_LIST(X)                                                                    \
    X(TCP_MIB_ACTIVE_OPENS, "TcpActiveOpens")                                              \
    X(TCP_MIB_PASSIVE_OPENS, "TcpPassiveOpens")                                            \
    X(TCP_MIB_ATTEMPT_FAILS, "TcpAttemptFails")                                            \
    X(TCP_MIB_ESTAB_RESETS, "TcpEstabResets")                                              \
    X(TCP_MIB_IN_SEGS, "TcpInSegs")                                                        \
    X(TCP_MIB_OUT_SEGS, "TcpOutSegs")                                                      \
    X(TCP_MIB_RETRANS_SEGS, "TcpRetransSegs")                                              \
    X(TCP_MIB_IN_ERRS, "TcpInErrs")                                                        \
    X(TCP_MIB_IN_CSUM_ERRORS, "TcpInCsumErrors")                                           \
    X(TCP_MIB_OUT_RSTS, "TcpOutRsts")                                                      \
    X(TCP_MIB_LISTEN_OVERFLOWS, "TcpExtListenOverflows")                                   \
    X(TCP_MIB_LISTEN_DROPS, "TcpExtListenDrops")                                           \
    X(TCP_MIB_SYNCOOKIES_SENT, "TcpExtSyncookiesSent")                                     \
    X(TCP_MIB_SYNCOOKIES_RECV, "TcpExtSyncookiesRecv")                                     \
    X(TCP_MIB_SYNCOOKIES_FAILED, "TcpExtSyncookiesFailed")                                 \
    X(TCP_MIB_TIMEOUTS, "TcpExtTCPTimeouts")                                               \
    X(TCP_MIB_ABORT_ON_TIMEOUT, "TcpExtTCPAbortOnTimeout")                                 \
    X(TCP_MIB_ABORT_ON_DATA, "TcpExtTCPAbortOnData")                                       \
    X(TCP_MIB_ABORT_ON_CLOSE, "TcpExtTCPAbortOnClose")                                     \
    X(TCP_MIB_ABORT_ON_LINGER, "TcpExtTCPAbortOnLinger")                                   \
    X(TCP_MIB_CHALLENGE_ACK, "TcpExtTCPChallengeACK")                                      \
    X(TCP_MIB_SYN_CHALLENGE, "TcpExtTCPSYNChallenge")                                      \
    X(TCP_MIB_ACK_SKIPPED_SEQ, "TcpExtTCPACKSkippedSeq")                                   \
    X(TCP_MIB_ACK_SKIPPED_CHALLENGE, "TcpExtTCPACKSkippedChallenge")                       \
    X(TCP_MIB_ACK_SKIPPED_TIME_WAIT, "TcpExtTCPACKSkippedTimeWait")                        \
    X(TCP_MIB_TW, "TcpExtTW")                                                              \
    X(TCP_MIB_TW_RECYCLED, "TcpExtTWRecycled")                                             \
    X(TCP_MIB_TIMEWAIT_OVERFLOW, "TcpExtTCPTimeWaitOverflow")                              \
    X(TCP_MIB_PAWS_ESTAB, "TcpExtPAWSEstab")                                               \
    X(TCP_MIB_DELAYED_ACKS, "TcpExtDelayedACKs")                                           \
    X(TCP_MIB_FAST_RETRANS, "TcpExtTCPFastRetrans")                                        \
    X(TCP_MIB_SLOW_START_RETRANS, "TcpExtTCPSlowStartRetrans")                             \
    X(TCP_MIB_SACK_RECOVERY, "TcpExtTCPSackRecovery")                                      \
    X(TCP_MIB_RENO_RECOVERY, "TcpExtTCPRenoRecovery")                                      \
    X(TCP_MIB_OFO_QUEUE, "TcpExtTCPOFOQueue")                                              \
    X(TCP_MIB_OFO_DROP, "TcpExtTCPOFODrop")                                                \
    X(TCP_MIB_ZERO_WINDOW_ADV, "TcpExtTCPToZeroWindowAdv")                                 \
    X(TCP_MIB_WIN_PROBE, "TcpExtTCPWinProbe")                                              \
    X(TCP_MIB_KEEPALIVE, "TcpExtTCPKeepAlive")                                             \
    X(TCP_MIB_PURE_ACKS, "TcpExtTCPPureAcks")

enum tcp_mib {
#define TCP_MIB_ENUM(id, name) id,
    TCP_MIB_LIST(TCP_MIB_ENUM)
#undef TCP_MIB_ENUM
    TCP_MIB_N
};

const char *tcp_mib_name(enum tcp_mib m);

#endif
