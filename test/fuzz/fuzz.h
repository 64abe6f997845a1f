/* SPDX-License-Identifier: MIT */
/*
 * fuzz.h: the fuzz entry points. Each takes untrusted bytes and must return 0 without
 * crashing, leaking or hanging, whatever they are; a broken property aborts.
 *
 * The same functions serve libFuzzer (libfuzzer_main.c, built with clang and
 * -Dfuzz=true) and the replay program (replay.c, built in every build), which runs the
 * kept regression inputs under test/fuzz/regressions/<harness>/ in the normal suite.
 */
#ifndef TCPSIM_FUZZ_H
#define TCPSIM_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Scenario text in: parse and check, then free. */
int fuzz_parse(const uint8_t *data, size_t size);
/* Packet bytes in: decode; a packet that decodes must encode and decode to the same. */
int fuzz_seg(const uint8_t *data, size_t size);
/* Scenario text in: parse and, if it is valid, run it with bounded time and events. */
int fuzz_sim(const uint8_t *data, size_t size);

/* Capture bytes in (pcap, pcapng, tcpdump text): read, find connections, infer each
 * one's script, which must parse. */
int fuzz_capture(const uint8_t *data, size_t size);
#define FUZZ_CAPTURE_MAX_INPUT (256u << 10)

/* Limits of the whole-simulator harness: a run never takes long, whatever it says. */
#define FUZZ_SIM_MAX_EVENTS 200000u
#define FUZZ_SIM_MAX_TIME_NS (3600LL * 1000000000LL) /* one simulated hour */
#define FUZZ_SIM_MAX_INPUT (64u << 10)

#endif
