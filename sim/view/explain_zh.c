/* SPDX-License-Identifier: MIT */
/*
 * explain_zh.c: explain mode's sentences in Simplified Chinese (简体中文).
 *
 * The same messages as explain_en.c, with the same placeholders; RFC sections, Linux
 * knobs and function names stay as they are written in the sources they name.
 */
#include "explain.h"

const struct explain_texts explain_zh = {
    .lang = "zh",
    .msg = {
        [EXM_TX_SYN] = "SYN：connect() 发起连接，携带本端的初始序号和各项选项"
                       "（RFC 9293 §3.10.1）。",
        [EXM_TX_SYN_RTO] = "重传 SYN：RTO {rto} 内没有收到 SYN-ACK（tcp_syn_retries {limit}，"
                           "第 {n} 次发送）。",
        [EXM_TX_SYNACK] = "SYN-ACK：监听端用自己的 SYN 回应对方的 SYN，并确认对方的 SYN"
                          "（RFC 9293 §3.10.7.2）。",
        [EXM_TX_SYNACK_SIMULT] = "SYN-ACK：双方都发出了 SYN，现在各自确认对方的 SYN"
                                 "（同时打开，RFC 9293 §3.10.7.3）。",
        [EXM_TX_SYNACK_RTO] = "重传 SYN-ACK：RTO {rto} 内没有收到 ACK（tcp_synack_retries "
                              "{limit}，第 {n} 次发送）。",
        [EXM_TX_SYNACK_ANSWER] = "再次发送 SYN-ACK：对方重传了 SYN，说明之前的 SYN-ACK 多半丢了"
                                 "（Linux tcp_check_req()）。",
        [EXM_TX_SYNACK_COOKIE] = "携带 SYN cookie 的 SYN-ACK：半连接队列（SYN 队列）已满，连接信息编码在本端的 ISN 里，"
                                 "不保存任何状态（RFC 4987 §3.6，tcp_syncookies）。",
        [EXM_TX_ACK_HANDSHAKE] = "ACK：确认对方的 SYN，完成三次握手（RFC 9293 §3.10.7.3）。",
        [EXM_TX_ACK_DATA] = "ACK：确认刚收到的数据（RFC 9293 §3.10.7.4 第七步）。",
        [EXM_TX_ACK_DUP] = "重复 ACK：数据乱序到达，ACK 仍指向第一个缺失的字节"
                           "（RFC 5681 §4.2）。",
        [EXM_TX_ACK_FIN] = "确认对方的 FIN，FIN 占用一个序号（RFC 9293 §3.10.7.4 第八步）。",
        [EXM_TX_ACK_DELAYED] = "延迟确认：定时器到期前没有新数据可以捎带这个 ACK"
                               "（RFC 1122 §4.2.3.2）。",
        [EXM_TX_ACK_ANSWER] = "回应刚被丢弃的报文段（{why}）的 ACK：告诉发送方本端期待什么"
                              "（RFC 9293 §3.10.7.4 第一步）。",
        [EXM_TX_ACK_CHALLENGE] = "挑战 ACK：真正的对端会用准确的 RST 或重传来回应，盲目攻击者做不到"
                                 "（RFC 5961 §3.2）。",
        [EXM_TX_ACK_DSACK] = "D-SACK：已经收到过的数据又来了一次；第一个 SACK 块指明这段重复数据，"
                             "发送方据此知道那次重传其实不必要（RFC 2883 §4，tcp_dsack）。",
        [EXM_TX_ACK_WINDOW] = "窗口更新：应用程序读走了数据，接收窗口重新打开"
                              "（RFC 9293 §3.8.6.2.2）。",
        [EXM_TX_ACK] = "ACK：确认到目前为止收到的全部数据。",
        [EXM_TX_DATA] = "应用程序写入的数据，在对方窗口和拥塞窗口允许的范围内发送"
                        "（RFC 9293 §3.8.6，RFC 5681）。",
        [EXM_TX_FIN] = "FIN：应用程序关闭了本端，已排队的数据之后不再发送任何数据"
                       "（四次挥手的一个 FIN，RFC 9293 §3.10.4）。",
        [EXM_TX_RTO] = "重传：RTO {rto} 内没有收到 ACK，重发最早的未确认报文段"
                       "（RFC 6298 §5.4；第 {n} 次发送，{knob} {limit}）。",
        [EXM_TX_RTO_FOLLOW] = "超时后的重传：随着 ACK 返回，从最早的未确认字节起继续发送"
                              "（RFC 6298 §5.4）。",
        [EXM_TX_FAST] = "快速重传：三个重复 ACK 表明这个报文段丢了，不必等定时器"
                        "（RFC 5681 §3.2）。",
        [EXM_TX_RECOVERY] = "丢包恢复期间的重传：部分确认（partial ACK）指出了下一个空洞，"
                            "NewReno 立即重发它（RFC 6582 §3.2 第 4 步）。",
        [EXM_TX_RECOVERY_SACK] = "SACK 恢复期间的重传：根据对方 SACK 块建立的记分板（scoreboard）"
                                 "判定这个报文段已经丢失（RFC 6675 §5）。",
        [EXM_TX_PROBE_DATA] = "带数据的窗口探测 #{n}：数据在等待且没有在途数据，因为对方窗口"
                              "小于下一个报文段（Linux 不发送这样的小段，tcp_snd_wnd_test()），"
                              "或被 TCP_CORK、MSG_MORE 留住；坚持定时器发出能放下的部分，"
                              "并带 PSH（tcp_write_wakeup()）。",
        [EXM_TX_PROBE] = "零窗口探测 #{n}：对方窗口为 0，探测报文促使它告知窗口是否已打开"
                         "（RFC 9293 §3.8.6.1）。",
        [EXM_TX_KEEPALIVE] = "保活探测 #{n}：连接空闲已久，存活的对端必须回应"
                             "（RFC 1122 §4.2.3.6）。",
        [EXM_TX_TLP] = "尾部丢失探测：一个探测超时（约 2*SRTT）内没有任何确认，也没有新数据可发，"
                       "于是重发最后一个报文段，引出带 SACK 的 ACK，赶在 RTO 之前（RFC 8985 §7.3）。",
        [EXM_TX_TLP_NEW] = "尾部丢失探测：一个探测超时（约 2*SRTT）内没有任何确认，于是越过 cwnd "
                           "发出一个新报文段，引出带 SACK 的 ACK，赶在 RTO 之前（RFC 8985 §7.3）。",
        [EXM_TX_RACK] = "RACK 重传：比它晚发出的报文段已被确认，且重排序窗口已过，"
                        "所以判定它丢失（RFC 8985 §6.2，tcp_recovery）。",
        [EXM_TX_FORGED] = "由场景伪造（inject），如同攻击者所为：这个报文段不是任何 TCP 发出的。",
        [EXM_TX_RST_ABORT] = "RST：应用程序中止连接（SO_LINGER 0），立即通知对方并丢弃未发送的数据"
                             "（RFC 9293 §3.10.5）。",
        [EXM_TX_RST_ANSWER] = "回应刚被丢弃的报文段（{why}）的 RST：本端没有在等待它"
                              "（RFC 9293 §3.5.2）。",
        [EXM_TX_RST_KEEPALIVE] = "RST：{limit} 个保活探测都没有回应，放弃这个连接"
                                 "（Linux tcp_keepalive_timer()）。",
        [EXM_TX_RST] = "RST：重置连接（RFC 9293 §3.5.2）。",
        [EXM_DLV_DUPLICATE] = "副本：链路把这个报文段送达了两次。",
        [EXM_DLV_DELAYED] = "被场景中的 delay 行扣住：它迟迟才到，就像旧的重复报文段一样。",
        [EXM_DLV_REORDERED] = "链路扣住了它，后发的报文段超过了它。",
        [EXM_DLV_CORRUPTED] = "在线路上损坏：接收方的校验和会发现它。",
        [EXM_ST_LISTEN] = "被动打开：listen() 等待 SYN（RFC 9293 §3.10.1）。",
        [EXM_ST_CONNECT] = "主动打开：connect() 选定 ISN {iss} 并发送 SYN"
                           "（RFC 9293 §3.10.1，§3.4.1）。",
        [EXM_ST_SYN_RCVD] = "SYN 到达监听端：新连接（ISN {iss}）用 SYN-ACK 回应"
                            "（RFC 9293 §3.10.7.2）。",
        [EXM_ST_SYN_COOKIE] = "ACK 带回了有效的 SYN cookie：据此重建连接（RFC 4987 §3.6）。",
        [EXM_ST_SIMULT_OPEN] = "同时打开：本端的 SYN 尚未得到回应时收到了对方的 SYN"
                               "（RFC 9293 §3.10.7.3）。",
        [EXM_ST_EST_ACTIVE] = "SYN-ACK 确认了本端的 SYN：连接建立（RFC 9293 §3.10.7.3）。",
        [EXM_ST_EST_PASSIVE] = "对本端 SYN-ACK 的 ACK 完成了握手（RFC 9293 §3.10.7.4 第五步）。",
        [EXM_ST_FIN_WAIT_1] = "应用程序关闭：发出本端的 FIN，开始四次挥手，等待对它的确认"
                              "（RFC 9293 §3.10.4）。",
        [EXM_ST_CLOSE_WAIT] = "对方的 FIN 到达：对方不再发送数据，但本端仍可发送"
                              "（RFC 9293 §3.10.7.4 第八步）。",
        [EXM_ST_FIN_WAIT_2] = "本端的 FIN 已被确认，现在等待对方的 FIN"
                              "（RFC 9293 §3.10.7.4 第五步）。",
        [EXM_ST_CLOSING] = "同时关闭：对方的 FIN 先于对本端 FIN 的确认到达"
                           "（RFC 9293 §3.10.7.4 第八步）。",
        [EXM_ST_TW_FIN_ACK] = "进入 TIME_WAIT：对方的 FIN 到达并确认了本端的 FIN；"
                              "等待 2*MSL = {span}（RFC 9293 §3.10.7.4 第八步）。",
        [EXM_ST_TW_FIN] = "进入 TIME_WAIT：本端的 FIN 已被确认，对方的 FIN 也已到达；"
                          "等待 2*MSL = {span}（RFC 9293 §3.10.7.4）。",
        [EXM_ST_TW_ACK] = "进入 TIME_WAIT：对本端 FIN 的确认在对方的 FIN 之后到达；"
                          "等待 2*MSL = {span}（RFC 9293 §3.10.7.4 第五步）。",
        [EXM_ST_LAST_ACK] = "应用程序也关闭了：发出本端的 FIN，最后只需等待对它的确认"
                            "（RFC 9293 §3.10.4）。",
        [EXM_ST_CLOSED_LAST_ACK] = "本端的 FIN 已被确认：连接结束，这一端没有 TIME_WAIT"
                                   "（RFC 9293 §3.10.7.4 第五步）。",
        [EXM_ST_CLOSED_TW] = "2*MSL 已过：旧的重复报文段不会再出现，连接被删除"
                             "（RFC 9293 §3.10.8）。",
        [EXM_ST_REFUSED] = "RST 回应了本端的 SYN：连接被拒绝，那里没有监听者"
                           "（RFC 9293 §3.10.7.3）。",
        [EXM_ST_RESET] = "收到窗口内的 RST：连接被重置（RFC 9293 §3.10.7.4 第二步）。",
        [EXM_ST_RESET_HALF_OPEN] = "RST 回应了本端的 SYN-ACK：半开连接被撤销，监听继续"
                                   "（RFC 9293 §3.10.7.4 第二步）。",
        [EXM_ST_ABORT] = "应用程序中止连接：发出 RST，连接立即撤销（RFC 9293 §3.10.5）。",
        [EXM_ST_ABORT_QUIET] = "应用程序中止连接：连接被删除，这个状态下无需发送 RST"
                               "（RFC 9293 §3.10.5）。",
        [EXM_ST_CLOSED_USER] = "连接建立之前应用程序就关闭了：没有需要发送的内容"
                               "（RFC 9293 §3.10.4）。",
        [EXM_ST_GIVE_UP] = "重传次数用尽：{knob} {limit} 次重传都没有回应，放弃连接，"
                           "应用程序得到 ETIMEDOUT（Linux tcp_write_timeout()）。",
        [EXM_ST_GIVE_UP_BUDGET] = "时间预算用完：Linux 在重传所用时间达到 {knob} {limit} 次"
                                  "指数退避重试所需的时间时放弃，这里共重传了 {tries} 次；"
                                  "应用程序得到 ETIMEDOUT（tcp_write_timeout()，"
                                  "retransmits_timed_out()）。",
        [EXM_ST_SYNACK_GIVE_UP] = "最后一个 SYN-ACK 之后仍无 ACK：半开连接被悄悄丢弃"
                                  "（Linux reqsk_timer_handler()）。",
        [EXM_ST_FIN_TIMEOUT] = "孤儿 FIN_WAIT_2 已持续 tcp_fin_timeout：Linux 不再等待对方的 FIN。",
        [EXM_ST_KEEPALIVE_DEAD] = "保活探测没有回应：认为对端已经失效（RFC 1122 §4.2.3.6）。",
        [EXM_ST_LISTENER_CLOSED] = "监听套接字关闭：尚未被 accept 的连接随之消失。",
        [EXM_ST_CRASH] = "主机崩溃：它的连接全部消失，不发出任何报文段。",
        [EXM_ST_TW_REUSE] = "新连接接管了这个四元组：TIME_WAIT 让路（tcp_tw_reuse）。",
        [EXM_ST_TW_LIMIT] = "TIME_WAIT 桶已用完（tcp_max_tw_buckets）：立即关闭，失去 TIME_WAIT 的保护。",
        [EXM_ST_ACCEPT_OVERFLOW] = "握手的最后一个 ACK 遇到全连接队列（accept 队列）已满，且设置了 "
                                   "tcp_abort_on_overflow：连接被重置。",
        [EXM_ST_DATA_AFTER_CLOSE] = "应用程序关闭之后又有数据到达：再也没有人会读取它，"
                                    "Linux 因此重置连接（RFC 1122 §4.2.2.13；tcp_rcv_state_process()）。",
        [EXM_ST_KEEPINIT] = "在 net.inet.tcp.keepinit 时间内没有建立连接：FreeBSD 的 keepinit "
                            "定时器不管已经发了多少个 SYN 都放弃连接，connect() 返回 ETIMEDOUT"
                            "（FreeBSD tcp_timer_keep()）。",
        [EXM_ST_SYN_IN_WINDOW] = "窗口内收到 SYN，且 net.inet.tcp.insecure_syn 为 1：FreeBSD 按 "
                                 "RFC 793 处理，发送 RST 断开连接并报告 ECONNRESET（tcp_drop()）；"
                                 "按 RFC 5961 §4 本应回复挑战 ACK。",
        [EXM_ST_USER_TIMEOUT] = "数据超过 TCP_USER_TIMEOUT 仍未被确认：放弃连接，返回 ETIMEDOUT"
                                "（RFC 5482）。",
        [EXM_ST_OTHER] = "状态变化（{why}）。",
        [EXM_TM_RTO] = "重传定时器在 {rto} 后到期：重发最早的未确认报文段，下一次超时为 {next}"
                       "（RFC 6298 §5.4，§5.5）。",
        [EXM_TM_RTO_LAST] = "重传定时器再次到期：{knob} {limit} 次重传都没有回应，重试预算已经用完。",
        [EXM_TM_RTO_BUDGET] = "重传定时器再次到期：{tries} 次重传所用的时间已达到 {knob} {limit} "
                              "次指数退避重试所需的时间，Linux 的时间预算用完"
                              "（retransmits_timed_out()）。",
        [EXM_TM_SYN_LINEAR] = "SYN 定时器在 {rto} 后到期：没有收到 SYN-ACK；重发 SYN，下一次等待"
                              "仍是 {next}，不加倍：Linux 最初几次重试按线性间隔"
                              "（tcp_syn_linear_timeouts；第 {n} 次到期，tcp_syn_retries {limit}）。",
        [EXM_TM_SYN_BACKOFF] = "SYN 定时器在 {rto} 后到期：没有收到 SYN-ACK；重发 SYN，等待时间"
                               "加倍为 {next}（指数退避，RFC 6298 §5.5；tcp_syn_retries {limit}）。",
        [EXM_TM_SYN_GROWS] = "SYN 定时器在 {rto} 后到期：没有收到 SYN-ACK；重发 SYN，下一次等待 {next}，"
                             "不是加倍：或者受上限（RTO 最大值、时间限制）约束，或者是 FreeBSD 的退避："
                             "rexmit_initial 乘以 tcp_syn_backoff[] 再加 rexmit_slop（tcp_timer_rexmt()）。",
        [EXM_TM_SYNACK] = "SYN-ACK 定时器在 {rto} 后到期：对方没有 ACK；重发 SYN-ACK，"
                          "下一次等待 {next}（tcp_synack_retries {limit}）。",
        [EXM_TM_SYNACK_LAST] = "SYN-ACK 定时器到期：tcp_synack_retries {limit} 个 SYN-ACK 都没有回应。",
        [EXM_TM_DELACK] = "延迟确认定时器到期：为等待更多数据而推迟的 ACK 现在发出"
                          "（RFC 1122 §4.2.3.2）。",
        [EXM_TM_2MSL] = "TIME_WAIT 的 2*MSL = {span} 结束（RFC 9293 §3.10.8）。",
        [EXM_TM_FIN_WAIT_2] = "孤儿 FIN_WAIT_2 已过 tcp_fin_timeout = {span}（Linux）。",
        [EXM_TM_KEEPALIVE] = "空闲 {span}：第 {n} 个保活探测，共 tcp_keepalive_probes {limit} 个"
                             "（RFC 1122 §4.2.3.6）。",
        [EXM_TM_KEEPALIVE_LAST] = "tcp_keepalive_probes {limit} 个探测都没有回应：认为对端已失效。",
        [EXM_TM_PERSIST] = "坚持定时器：数据仍在等待且没有在途数据（对方窗口为 0，或在 Linux "
                           "中小于下一个报文段，或被 TCP_CORK、MSG_MORE 留住），发出第 {n} 个探测"
                           "（RFC 9293 §3.8.6.1；Linux tcp_probe_timer()）。",
        [EXM_TM_PERSIST_LAST] = "坚持定时器：{limit} 个窗口探测都没有回应（tcp_retries2），放弃连接。",
        [EXM_TM_TLP] = "探测超时 {span}（约 2*SRTT，不晚于 RTO）内没有 ACK：发出尾部丢失探测"
                       "（RFC 8985 §7.2，tcp_early_retrans）。",
        [EXM_TM_REO] = "RACK 重排序定时器 {span}：在一个已确认报文段之前发出的报文段已过重排序窗口，"
                       "其中仍未确认的判定丢失并重传（RFC 8985 §6.3，tcp_recovery）。",
        [EXM_CC_SLOW_START] = "慢启动：每个 ACK 确认多少字节，cwnd 就增长多少，每个往返时间翻一倍"
                              "（RFC 5681 §3.1）。",
        [EXM_CC_AVOIDANCE] = "拥塞避免：cwnd 已超过 ssthresh，每个往返时间只增长约一个报文段"
                             "（RFC 5681 §3.1；CUBIC：RFC 9438）。",
        [EXM_CC_AVOIDANCE_RENO] = "拥塞避免（Reno）：cwnd 已超过 ssthresh，每个往返时间只增长约一个"
                                  "报文段（RFC 5681 §3.1）。",
        [EXM_CC_AVOIDANCE_CUBIC] = "拥塞避免（CUBIC）：cwnd 按距上次减窗的时间沿三次曲线增长，"
                                   "回到发生丢包时的窗口附近（RFC 9438 §4.2）。",
        [EXM_CC_HYSTART] = "HyStart 提前结束慢启动：ACK 显示队列正在积累（RFC 9406）。",
        [EXM_CC_FAST] = "快速重传（Reno）：ssthresh 变为在途数据的一半（{ssthresh}），cwnd 为它"
                        "再加上三个重复 ACK 表明已离开网络的报文段（{cwnd}）"
                        "（RFC 5681 §3.2，RFC 6582）。",
        [EXM_CC_FAST_SACK] = "快速重传（Reno，SACK）：ssthresh 和 cwnd 变为在途数据的一半"
                             "（{ssthresh}）；发送什么由 SACK 记分板决定（RFC 5681 §3.2，RFC 6675 §5）。",
        [EXM_CC_FAST_CUBIC] = "快速重传（CUBIC）：ssthresh 变为 cwnd 的 β = 0.7 倍（Linux 为 717/1024，按整报文段计），{prev} -> "
                              "{ssthresh}，cwnd 为它再加上已离开的三个报文段（{cwnd}）"
                              "（RFC 9438 §4.6，RFC 6582）。",
        [EXM_CC_FAST_CUBIC_SACK] = "快速重传（CUBIC，SACK）：ssthresh 和 cwnd 变为 cwnd 的 β = 0.7 倍（Linux 为 717/1024，按整报文段计），"
                                   "{prev} -> {ssthresh}；发送什么由 SACK 记分板决定"
                                   "（RFC 9438 §4.6，RFC 6675 §5）。",
        [EXM_CC_FAST_OTHER] = "检测到丢包：cwnd 现为 {cwnd}，ssthresh 为 {ssthresh}（RFC 5681 §3.2）。",
        [EXM_CC_RECOVERY_END] = "恢复结束：丢包前发出的数据都已确认，cwnd 回到 ssthresh"
                                "（RFC 6582 §3.2）。",
        [EXM_CC_RECOVERY_END_SACK] = "SACK 恢复结束：丢包前发出的数据都已确认，cwnd 等于 ssthresh，"
                                     "{ssthresh}（RFC 6675 §5）。",
        [EXM_CC_RTO] = "超时之后（Reno）cwnd 降为一个报文段，ssthresh 降为在途数据的一半，"
                       "{ssthresh}（RFC 5681 §3.1）。",
        [EXM_CC_RTO_CUBIC] = "超时之后（CUBIC）cwnd 降为一个报文段，ssthresh 降为 cwnd 的 β = 0.7 倍（Linux 为 717/1024，按整报文段计），"
                             "{prev} -> {ssthresh}（RFC 9438 §4.8）。",
        [EXM_CC_RTO_AGAIN] = "再次超时：cwnd 又降为一个报文段，ssthresh 保持 {ssthresh}"
                             "（RFC 5681 §3.1）。",
        [EXM_APP_CONNECTED] = "connect() 返回 0：SYN-ACK 已到达，三次握手完成（RFC 9293 §3.10.7.3）。",
        [EXM_APP_ACCEPTED] = "accept() 返回一个已完成握手、在全连接队列（accept 队列）中等待的连接"
                             "（RFC 9293 §3.10.7.4）。",
        [EXM_APP_SENT] = "send() 返回 {n}：这些字节已复制到发送缓冲区；TCP 按窗口允许的速度发送，"
                         "不一定已经发出。",
        [EXM_APP_RECV_DATA] = "recv() 返回 {n}：这些字节已按序到达，在接收缓冲区中等待读取。",
        [EXM_APP_RECV_EOF] = "recv() 返回 0：对方的 FIN 已到达，之前的字节都已读完：数据流结束"
                             "（RFC 9293 §3.10.7.4 第八步）。",
        [EXM_APP_EAGAIN] = "EAGAIN：套接字是非阻塞的，这次调用本需要等待（没有数据或没有空间）；"
                           "等 poll() 通知后再试。",
        [EXM_APP_ECONNRESET] = "ECONNRESET：收到了 RST，连接被重置，尚未读取的数据丢失"
                               "（RFC 9293 §3.10.7.4 第二步）。",
        [EXM_APP_ECONNRESET_ABORT] = "ECONNRESET：调用还在等待时，应用程序自己中止了这个连接"
                                     "（SO_LINGER 为 0 的 close()）（RFC 9293 §3.10.5）。",
        [EXM_APP_ECONNREFUSED] = "ECONNREFUSED：对方用 RST 回应了 SYN：该端口没有进程在监听"
                                 "（RFC 9293 §3.10.7.3）。",
        [EXM_APP_ETIMEDOUT] = "ETIMEDOUT：重传（或 SYN 重试）用尽仍没有回应，TCP 放弃了这个连接。",
        [EXM_APP_EPIPE] = "EPIPE：连接已关闭或被重置，不能再发送（若未忽略，还会收到 SIGPIPE）。",
        [EXM_APP_EADDRNOTAVAIL] = "EADDRNOTAVAIL：到这个目的地已没有空闲的本地端口："
                                  "ip_local_port_range 已用完，TIME_WAIT 也占着端口。",
        [EXM_APP_ERROR] = "{why}：调用失败；原因见上面的几行。",
        [EXM_CC_FAST_PRR] = "快速重传：ssthresh 降低（在途数据的一半，CUBIC 为 0.7 倍），但 cwnd "
                            "并不立即减小：比例降速（PRR）把它设为在途数据加上这个 ACK 允许发送的量，"
                            "这里就是那次重传（RFC 6937 §3；Linux tcp_cwnd_reduction()）。",
        [EXM_CC_FAST_PRR_CUBIC] = "快速重传（CUBIC，SACK）：ssthresh 降为 cwnd 按整报文段计的 β = 717/1024 倍，"
                                  "{prev} -> {ssthresh}（RFC 9438 §4.6；Linux cubictcp_recalc_ssthresh()），但 cwnd 并不立即减小："
                                  "比例降速（PRR）把它设为在途数据加上这个 ACK 允许发送的量，"
                                  "这里就是那次重传（RFC 6937 §3；Linux tcp_cwnd_reduction()）。",
        [EXM_CC_PRR] = "PRR：恢复期间每个 ACK 按它报告送达的数据放出一部分新报文段；在途数据高于 "
                       "ssthresh 时放出其中 ssthresh/RecoverFS 的比例，于是 cwnd 在一个往返时间内"
                       "逐步降到 ssthresh（RFC 6937 §3）。",
        [EXM_CC_UNDO] = "撤销（{why}）：这次降窗是误判，被当作丢失的报文段其实已经到达；cwnd 和 "
                        "ssthresh 恢复到降窗之前的值（RFC 2883 §5 D-SACK、RFC 3522 时间戳、"
                        "RFC 5682 F-RTO；Linux tcp_undo_cwnd_reduction()）。",
        [EXM_CC_FRTO_NEW] = "F-RTO：超时后的第一个 ACK 只确认了被重传的那个报文段，说明不了什么；"
                            "于是先发新数据而不是继续重传，看下一个 ACK 是否确认了只发过一次的数据"
                            "（RFC 5682 §3.1 第 2.b 步；Linux tcp_process_loss()）。",
        [EXM_CC_FRTO_LOSS] = "F-RTO：发出新数据后收到重复 ACK，原来那批数据确实丢了，从 SND.UNA "
                             "开始重传（RFC 5682 §3.1 第 3.a 步）。",
        [EXM_CC_IDLE_RESTART] = "空闲后重启：超过一个 RTO 没有发送数据，窗口已不能反映路径状况，"
                                "从初始窗口重新开始（RFC 5681 §4.1；Linux 的 tcp_cwnd_restart() "
                                "每空闲一个 RTO 减半，tcp_slow_start_after_idle）。",
        [EXM_CC_APP_LIMITED] = "窗口一个 RTO 内没有用满：向实际用量衰减一半（RFC 2861；Linux "
                               "tcp_cwnd_application_limited()）。",
        [EXM_MUTED] = "它应得的回应因限速而没有发出（tcp_invalid_ratelimit）。",
        [EXM_WHEEL] = "这么长的超时在 Linux 的时间轮里按 {grain} 的桶存放：它在到期之后的第一个"
                      "桶边界触发，即节拍计数中 {grain} 的整数倍处，最多晚 {grain}"
                      "（calc_wheel_index()；参数 hz、initial_jiffies）。",
    },
    .discard = {
        [TCP_DROP_NO_SOCKET] = "丢弃：既没有连接也没有监听者接收它；用 RST 回应"
                               "（RFC 9293 §3.10.7.1）。",
        [TCP_DROP_RST_IN_CLOSED] = "丢弃：发给不存在连接的 RST 永远不回应（RFC 9293 §3.10.7.1）。",
        [TCP_DROP_LISTEN_RST] = "丢弃：监听端忽略 RST（RFC 9293 §3.10.7.2 第一项检查）。",
        [TCP_DROP_LISTEN_ACK] = "丢弃：发给监听端的 ACK 确认的不是它发出的任何东西；用 RST 回应"
                                "（RFC 9293 §3.10.7.2 第二项检查）。",
        [TCP_DROP_LISTEN_SYN_FIN] =
            "丢弃：到达监听端的 SYN 同时带有 FIN 时，Linux 直接丢弃（RFC 9293 未规定 SYN+FIN 的处理）。",
        [TCP_DROP_LISTEN_NO_SYN] = "丢弃：监听端只接受 SYN（RFC 9293 §3.10.7.2 第四项检查）。",
        [TCP_DROP_LISTEN_OVERFLOW] = "丢弃：全连接队列（accept 队列）已满，Linux 丢掉 SYN 让客户端重试"
                                     "（ListenOverflows）。",
        [TCP_DROP_SYN_QUEUE_FULL] = "丢弃：半连接队列（SYN 队列）已满且未启用 syncookies"
                                    "（tcp_max_syn_backlog，ListenDrops）。",
        [TCP_DROP_ACCEPT_OVERFLOW] = "丢弃：握手的最后一个 ACK 遇到全连接队列（accept 队列）已满"
                                     "（接下来如何由 tcp_abort_on_overflow 决定）。",
        [TCP_DROP_BAD_ACK] = "丢弃：在 SYN_SENT 状态下确认了本端从未发送的内容；用 RST <SEQ=SEG.ACK> 回应"
                             "（RFC 9293 §3.10.7.3 第一项检查）。",
        [TCP_DROP_RST_BAD_ACK] = "丢弃：这个 RST 的 ACK 没有确认本端的 SYN，不是发给本端的"
                                 "（RFC 9293 §3.10.7.3 第二项检查）。",
        [TCP_DROP_NO_SYN_OR_RST] = "丢弃：在 SYN_SENT 状态下只有 SYN 或 RST 才有意义"
                                   "（RFC 9293 §3.10.7.3 第五项检查）。",
        [TCP_DROP_OUT_OF_WINDOW] = "丢弃：序号在接收窗口之外（RFC 9293 §3.10.7.4 第一步）；用 ACK 回应。",
        [TCP_DROP_RST_OUT_OF_WINDOW] = "丢弃：窗口外的 RST 被忽略，盲目攻击者必须猜中准确的序号"
                                       "（RFC 5961 §3.2）。",
        [TCP_DROP_RST_CHALLENGE] = "丢弃：RST 落在窗口内但不等于 RCV.NXT，回应挑战 ACK 而不是重置"
                                   "（RFC 5961 §3.2）。",
        [TCP_DROP_SYN_CHALLENGE] = "丢弃：已建立连接上的 SYN 得到挑战 ACK，而不是重置"
                                   "（RFC 5961 §4.2）。",
        [TCP_DROP_NO_ACK] = "丢弃：握手完成后每个报文段都必须带 ACK（RFC 9293 §3.10.7.4 第五步）。",
        [TCP_DROP_ACK_UNSENT] = "丢弃：它确认了尚未发送的数据；用 ACK 回应"
                                "（RFC 9293 §3.10.7.4 第五步；Linux 用限速的挑战 ACK，"
                                "RFC 5961 §5.2）。",
        [TCP_DROP_ACK_TOO_OLD] = "丢弃：它的 ACK 比可接受的范围还旧（RFC 5961 §5.2）。",
        [TCP_DROP_SYN_RECV_BAD_ACK] = "丢弃：SYN_RECEIVED 状态下不可接受的 ACK 得到 RST"
                                      "（RFC 9293 §3.10.7.4 第五步）。",
        [TCP_DROP_PAWS] = "丢弃：它的时间戳比上次见到的还旧，是旧的重复报文段（PAWS，RFC 7323 §5.3）。",
        [TCP_DROP_DATA_AFTER_FIN] = "丢弃：对方 FIN 之后不可能再有数据（RFC 9293 §3.10.7.4 第七步）。",
        [TCP_DROP_DATA_CLOSED_USER] = "丢弃：应用程序关闭后又收到数据；Linux 用 RST 回应"
                                      "（tcp_rcv_state_process()）。",
        [TCP_DROP_OUT_OF_ORDER_NO_QUEUE] = "丢弃：乱序到达且没有空间暂存；用 ACK 回应。",
        [TCP_DROP_RCVBUF_FULL] = "丢弃：超出接收缓冲区的容量；用 ACK 回应（RFC 9293 §3.8.6）。",
        [TCP_DROP_BAD_CHECKSUM] = "丢弃：TCP 校验和错误，报文段在途中损坏（RFC 9293 §3.1）。",
        [TCP_DROP_BAD_PACKET] = "丢弃：IP 首部损坏（校验和错误）。",
        [TCP_DROP_HOST_DOWN] = "丢弃：主机已崩溃，不作任何回应。",
        [TCP_DROP_COOKIE_INVALID] = "丢弃：这个 ACK 没有携带有效的 SYN cookie；用 RST 回应（RFC 4987）。",
        [TCP_DROP_TW_RST] = "丢弃：TIME_WAIT 状态忽略 RST，以免等待被提前打断"
                            "（RFC 1337，tcp_rfc1337）。",
        [TCP_DROP_TIME_WAIT] = "在 TIME_WAIT 中丢弃：用 ACK 回应，2*MSL 重新计时（RFC 9293 §3.10.7.4）。",
        [TCP_DROP_NO_ADDRESS] = "丢弃：目的地址不是本主机（这是对伪造源地址的回应）。",
        [TCP_DROP_OLD_DATA] = "丢弃：其数据此前已全部收到（Linux：tcp_data_queue()）；用 D-SACK "
                              "报告，ACK 按延迟确认的规则发出，先进入快速确认模式。",
    },
    .drop = {
        [LINK_DROP_LOSS] = "在链路上丢失：链路的随机丢包模型丢弃了它。",
        [LINK_DROP_QUEUE] = "在链路队列处丢失：队列已满（尾部丢弃），发送方超过了瓶颈的速率。",
        [LINK_DROP_RED] = "被 RED 提前丢弃：平均队列过长。",
        [LINK_DROP_DOWN] = "丢失：链路断开（网络分区）。",
        [LINK_DROP_SCRIPTED] = "被场景中的 drop 行有意丢弃。",
        [LINK_DROP_MTU] = "丢失：超过链路的 MTU，而且没有人对它分片。",
    },
};
