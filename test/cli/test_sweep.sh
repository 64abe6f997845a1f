#!/bin/sh
# SPDX-License-Identifier: MIT
# tcpsim sweep: the example grid (docs/examples/sweep) run on one machine with two jobs,
# then in three shards as GNU parallel runs them (sequentially when parallel is not
# installed), merged: the table must be the single machine's byte for byte, in CSV and
# in JSON lines. Also: --jobs does not change a byte, and bad shards are refused.
# Usage: test_sweep.sh TCPSIM SOURCE_ROOT
set -eu
tcpsim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$src/docs/examples/sweep/lossy.scn" "$src/docs/examples/sweep/loss.grid" "$work/"
cd "$work"
pass=0
failed=0
check() { # NAME COMMAND...
    name=$1
    shift
    if "$@"; then
        echo "ok - $name"
        pass=$((pass + 1))
    else
        echo "not ok - $name"
        failed=$((failed + 1))
    fi
}

"$tcpsim" sweep loss.grid --jobs 2 -o all.csv
"$tcpsim" sweep loss.grid --jobs 1 -o one.csv
check "36 runs and a header" test "$(wc -l < all.csv)" = 37
check "the header names the axes and the metrics" \
    grep -qx 'run,seed,LOSS,RTT,\*.tcp_sack,status,end_ns,events,expects_failed,connections,established,completed,last_completed_ns,retransmissions,bytes_sent,bytes_delivered,segments,dropped' all.csv
check "every run delivered its 200 KB and held its expect" \
    test "$(grep -c ',ok,.*,200000,200000,' all.csv)" = 36
check "loss makes retransmissions: none at 0%, some at 5%" \
    sh -c "grep -q '^0,1,0%,10ms,1,ok,[0-9]*,[0-9]*,0,2,2,2,[0-9]*,0,' all.csv &&
           ! grep -q '^2[4-9],.*,5%,.*,ok,[0-9]*,[0-9]*,0,2,2,2,[0-9]*,0,' all.csv"
check "--jobs 2 writes what --jobs 1 writes, byte for byte" cmp -s all.csv one.csv

if command -v parallel >/dev/null 2>&1; then
    how="GNU parallel"
    parallel --will-cite --halt now,fail=1 "$tcpsim" sweep loss.grid --shard {}/3 -o part{}.csv ::: 1 2 3
    parallel --will-cite --halt now,fail=1 "$tcpsim" sweep loss.grid --format jsonl --shard {}/3 -o part{}.jsonl ::: 1 2 3
else
    how="one after the other (GNU parallel is not installed)"
    for i in 1 2 3; do
        "$tcpsim" sweep loss.grid --shard $i/3 -o part$i.csv
        "$tcpsim" sweep loss.grid --format jsonl --shard $i/3 -o part$i.jsonl
    done
fi
echo "# shards run by $how"
check "each shard has a third of the runs" \
    sh -c "test \$(wc -l < part1.csv) = 13 && test \$(wc -l < part2.csv) = 13 && test \$(wc -l < part3.csv) = 13"
"$tcpsim" sweep --merge part3.csv part1.csv part2.csv -o merged.csv
check "three shards merged (in any order) are the single-machine table, byte for byte" \
    cmp merged.csv all.csv
"$tcpsim" sweep loss.grid --format jsonl -o all.jsonl
"$tcpsim" sweep --merge part2.jsonl part3.jsonl part1.jsonl -o merged.jsonl
check "... and in JSON lines too" cmp merged.jsonl all.jsonl
check "each JSON line is an object with its summary" python3 -c '
import json, sys
rows = [json.loads(l) for l in open("all.jsonl")]
assert len(rows) == 36 and [r["run"] for r in rows] == list(range(36))
assert all(r["summary"]["format"] == "tcpsim-summary" and r["summary"]["params"] for r in rows)
assert rows[5]["LOSS"] == "0%" and rows[5]["summary"]["sets"] == ["*.tcp_sack=0"]
'
check "--shard 4/3 is refused" sh -c "! '$tcpsim' sweep loss.grid --shard 4/3 2>/dev/null"
check "a run in two shards is refused at merge" \
    sh -c "! '$tcpsim' sweep --merge part1.csv part1.csv -o x.csv 2>/dev/null"
printf 'scenario lossy.scn\nparam LOSS 1%%\nparam NOPE 1\n' > bad.grid
check "a grid axis the template does not use is an error (exit 2)" \
    sh -c "'$tcpsim' sweep bad.grid >/dev/null 2>&1; test \$? = 2"
echo "$pass passed, $failed failed"
test "$failed" = 0
