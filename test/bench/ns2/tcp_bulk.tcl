# SPDX-License-Identifier: MIT
# ns-2 (Debian's 2.35) on bench.py's bulk and lossy work: one FullTcp NewReno transfer
# over a duplex point-to-point link with a 1000-packet drop-tail queue, MSS 1460,
# a 512 KiB window (359 segments), initial window 10, an ACK every second segment
# with a 200 ms delayed-ACK timer. FullTcp has no SACK and no window scaling option:
# its window is a plain segment count.
#   ns tcp_bulk.tcl [bytes=100000000] [rate=100Mb] [delay=10ms] [loss=0] [seed=1]
# Prints one line: RESULT bytes=... acked=... sim_end=... ; the run stops within 10 ms
# (simulated) of the last byte's acknowledgement (a check every 10 ms: under 1 % of
# the events).
set opt(bytes) 100000000
set opt(rate) 100Mb
set opt(delay) 10ms
set opt(loss) 0
set opt(seed) 1
foreach a $argv {
    set kv [split $a =]
    set opt([lindex $kv 0]) [lindex $kv 1]
}
set ns [new Simulator]
ns-random $opt(seed)
set n0 [$ns node]
set n1 [$ns node]
$ns duplex-link $n0 $n1 $opt(rate) $opt(delay) DropTail
$ns queue-limit $n0 $n1 1000
$ns queue-limit $n1 $n0 1000
if {$opt(loss) > 0} {
    foreach {a b} [list $n0 $n1 $n1 $n0] {
        set em [new ErrorModel]
        $em unit pkt
        $em set rate_ $opt(loss)
        set rv [new RandomVariable/Uniform]
        $rv use-rng [new RNG]
        $em ranvar $rv
        $em drop-target [new Agent/Null]
        $ns lossmodel $em $a $b
    }
}
Agent/TCP set window_ 359
Agent/TCP set windowInit_ 10
Agent/TCP set maxcwnd_ 359
Agent/TCP/FullTcp set segsize_ 1460
Agent/TCP/FullTcp set segsperack_ 2
Agent/TCP/FullTcp set interval_ 0.2
set src [new Agent/TCP/FullTcp/Newreno]
set sink [new Agent/TCP/FullTcp/Newreno]
$ns attach-agent $n0 $src
$ns attach-agent $n1 $sink
$ns connect $src $sink
$sink listen
set ftp [new Application/FTP]
$ftp attach-agent $src
$ns at 0.0 "$ftp send $opt(bytes)"
# FullTcp counts the SYN in its sequence space: the last data byte is acked when
# the sender's highest ack reaches bytes + 1.
proc check {} {
    global ns src opt
    if {[$src set ack_] >= $opt(bytes) + 1} {
        puts "RESULT bytes=$opt(bytes) acked=[$src set ack_] sim_end=[$ns now]"
        exit 0
    }
    $ns at [expr [$ns now] + 0.01] check
}
$ns at 0.01 check
$ns run
