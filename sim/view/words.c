/* SPDX-License-Identifier: MIT */
/*
 * words.c: the pictures' words in English and in Chinese (see words.h).
 *
 * The Chinese follows the terms Chinese textbooks use: 三次握手, 四次挥手, 半连接队列
 * (the SYN queue), 全连接队列 (the accept queue), 重传超时, 拥塞窗口, 慢启动阈值.
 */
#include "words.h"

#include <glib.h>
#include <string.h>

const struct view_words view_words_en = {
    .lang = "en",
    .timer = {
        [TCP_TIMER_NONE] = "timer", [TCP_TIMER_RTO_SYN] = "RTO", [TCP_TIMER_RTO] = "RTO",
        [TCP_TIMER_RTO_ORPHAN] = "RTO", [TCP_TIMER_RTO_USER] = "RTO",
        [TCP_TIMER_SYNACK] = "SYN-ACK RTO", [TCP_TIMER_DELACK] = "delayed ACK",
        [TCP_TIMER_TIME_WAIT] = "2MSL over", [TCP_TIMER_FIN_WAIT_2] = "FIN_WAIT_2 over",
        [TCP_TIMER_KEEPALIVE] = "keepalive", [TCP_TIMER_PERSIST] = "persist",
        [TCP_TIMER_TLP] = "TLP", [TCP_TIMER_REO] = "RACK reorder",
    },
    .tx = {
        [TCP_TX_RTO] = "rto", [TCP_TX_FAST] = "fast rexmit", [TCP_TX_RECOVERY] = "recovery",
        [TCP_TX_PROBE] = "probe", [TCP_TX_KEEPALIVE] = "keepalive",
        [TCP_TX_SYN_ANSWER] = "answers SYN", [TCP_TX_TLP] = "TLP", [TCP_TX_TLP_NEW] = "TLP",
        [TCP_TX_RACK] = "RACK", [TCP_TX_FORGED] = "forged", [TCP_TX_SYNCOOKIE] = "syncookie",
    },
    .byte = " byte)",
    .bytes = " bytes)",
    .discard = "discard: ",
    .drop = {NULL}, /* the trace's own short reasons */
    .link_drop = {NULL},
    .duplicate = "duplicate", .delayed = "delayed", .reordered = "reordered",
    .corrupted = "corrupted",
    .time_wait_again = "(TIME_WAIT: ACKed again)",
    .spoofed = "spoofed sources",
    .time_axis = "time (s)",
    .time_col = "time",
    .seed = "seed",
    .rel = "sequence numbers relative to each ISN",
    .abs = "sequence numbers absolute",
    .legend = {"a segment, sending to arrival", "a retransmission or probe", "lost on the link",
               "idle time left out"},
    .text_legend = {"\\__> a segment, from its sending to its arrival   X lost on the link",
                    "(..) a timer that fired                          : idle time left out (+ how long)"},
    .flood = "grey: flood traffic",
    .more = "and %u more",
    .conns = "# %u connections, each named in [brackets] on its arrows and states:",
    .cwnd_title = "congestion window",
    .cwnd_axis = "bytes",
    .cwnd_empty = "no congestion-window changes in the run (or in the window)",
    .cwnd_sub = "solid: cwnd, dashed: ssthresh (once finite)",
    .seq_title = "sequence numbers",
    .seq_axis = "sequence number (bytes)",
    .seq_empty = "no data segments in the run (or in the window)",
    .seq_sub = "relative to the ISN; ACKs and window as the sender receives them",
    .plot_time = "time (s)",
    .rwnd = "ACK + receive window", .acks = "ACK", .sack = "SACK block", .data = "data segment",
    .rexmit = "retransmission", .lost = "lost on the link (when sent)",
};

const struct view_words view_words_zh = {
    .lang = "zh",
    .timer = {
        [TCP_TIMER_NONE] = "定时器", [TCP_TIMER_RTO_SYN] = "重传超时", [TCP_TIMER_RTO] = "重传超时",
        [TCP_TIMER_RTO_ORPHAN] = "重传超时", [TCP_TIMER_RTO_USER] = "重传超时",
        [TCP_TIMER_SYNACK] = "SYN-ACK 重传超时", [TCP_TIMER_DELACK] = "延迟确认",
        [TCP_TIMER_TIME_WAIT] = "2MSL 到期", [TCP_TIMER_FIN_WAIT_2] = "FIN_WAIT_2 超时",
        [TCP_TIMER_KEEPALIVE] = "保活", [TCP_TIMER_PERSIST] = "坚持定时器",
        [TCP_TIMER_TLP] = "尾部丢失探测", [TCP_TIMER_REO] = "RACK 乱序定时器",
    },
    .tx = {
        [TCP_TX_RTO] = "超时重传", [TCP_TX_FAST] = "快速重传", [TCP_TX_RECOVERY] = "恢复重传",
        [TCP_TX_PROBE] = "零窗口探测", [TCP_TX_KEEPALIVE] = "保活探测",
        [TCP_TX_SYN_ANSWER] = "回应重传的 SYN", [TCP_TX_TLP] = "尾部丢失探测",
        [TCP_TX_TLP_NEW] = "尾部丢失探测", [TCP_TX_RACK] = "RACK 重传",
        [TCP_TX_FORGED] = "伪造", [TCP_TX_SYNCOOKIE] = "SYN cookie",
    },
    .byte = " 字节)",
    .bytes = " 字节)",
    .discard = "丢弃：",
    .drop = {
        [TCP_DROP_NONE] = "无",
        [TCP_DROP_NO_SOCKET] = "没有对应的套接字",
        [TCP_DROP_RST_IN_CLOSED] = "发给不存在连接的 RST",
        [TCP_DROP_LISTEN_RST] = "发给监听套接字的 RST",
        [TCP_DROP_LISTEN_ACK] = "发给监听套接字的 ACK",
        [TCP_DROP_LISTEN_NO_SYN] = "不是 SYN",
        [TCP_DROP_LISTEN_SYN_FIN] = "SYN 带 FIN",
        [TCP_DROP_LISTEN_OVERFLOW] = "全连接队列已满",
        [TCP_DROP_SYN_QUEUE_FULL] = "半连接队列已满",
        [TCP_DROP_ACCEPT_OVERFLOW] = "全连接队列已满",
        [TCP_DROP_BAD_ACK] = "不可接受的 ACK",
        [TCP_DROP_RST_BAD_ACK] = "ACK 不可接受的 RST",
        [TCP_DROP_NO_SYN_OR_RST] = "既非 SYN 也非 RST",
        [TCP_DROP_OUT_OF_WINDOW] = "在窗口之外",
        [TCP_DROP_RST_OUT_OF_WINDOW] = "窗口外的 RST",
        [TCP_DROP_RST_CHALLENGE] = "窗口内但不精确的 RST：挑战 ACK",
        [TCP_DROP_SYN_CHALLENGE] = "已同步状态下的 SYN：挑战 ACK",
        [TCP_DROP_NO_ACK] = "没有 ACK 位",
        [TCP_DROP_ACK_UNSENT] = "确认了未发送的数据",
        [TCP_DROP_ACK_TOO_OLD] = "ACK 过旧",
        [TCP_DROP_SYN_RECV_BAD_ACK] = "不可接受的 ACK",
        [TCP_DROP_PAWS] = "PAWS：时间戳过旧",
        [TCP_DROP_DATA_AFTER_FIN] = "FIN 之后的数据",
        [TCP_DROP_DATA_CLOSED_USER] = "关闭之后的数据",
        [TCP_DROP_OUT_OF_ORDER_NO_QUEUE] = "乱序且无空间",
        [TCP_DROP_RCVBUF_FULL] = "接收缓冲区已满",
        [TCP_DROP_BAD_CHECKSUM] = "校验和错误",
        [TCP_DROP_BAD_PACKET] = "IP 首部损坏",
        [TCP_DROP_HOST_DOWN] = "主机已宕机",
        [TCP_DROP_COOKIE_INVALID] = "无效的 SYN cookie",
        [TCP_DROP_TW_RST] = "TIME_WAIT 中的 RST，忽略（tcp_rfc1337）",
        [TCP_DROP_TIME_WAIT] = "TIME_WAIT：再次确认",
        [TCP_DROP_NO_ADDRESS] = "没有这个地址",
        [TCP_DROP_OLD_DATA] = "旧数据（重复）",
    },
    .link_drop = {
        [LINK_DROP_LOSS] = "丢失", [LINK_DROP_QUEUE] = "队列已满", [LINK_DROP_RED] = "RED 丢弃",
        [LINK_DROP_DOWN] = "链路中断", [LINK_DROP_SCRIPTED] = "脚本丢弃",
        [LINK_DROP_MTU] = "超过 MTU",
    },
    .duplicate = "重复", .delayed = "延迟", .reordered = "乱序", .corrupted = "损坏",
    .time_wait_again = "(TIME_WAIT：再次确认)",
    .spoofed = "伪造的源地址",
    .time_axis = "时间（秒）",
    .time_col = "时间",
    .seed = "种子",
    .rel = "序号相对于各自的 ISN",
    .abs = "序号为绝对值",
    .legend = {"报文段，从发送到到达", "重传或探测", "在链路上丢失", "省略的空闲时间"},
    .text_legend = {"\\__> 报文段，从发送到到达   X 在链路上丢失",
                    "(..) 到期的定时器           : 省略的空闲时间（+ 时长）"},
    .flood = "灰色：洪泛流量",
    .more = "另有 %u 个",
    .conns = "# %u 个连接，箭头和状态前的 [方括号] 里是连接名：",
    .cwnd_title = "拥塞窗口",
    .cwnd_axis = "字节",
    .cwnd_empty = "运行中（或所选时间段内）拥塞窗口没有变化",
    .cwnd_sub = "实线：拥塞窗口 cwnd，虚线：慢启动阈值 ssthresh（有限之后）",
    .seq_title = "序号",
    .seq_axis = "序号（字节）",
    .seq_empty = "运行中（或所选时间段内）没有数据报文段",
    .seq_sub = "相对于 ISN；ACK 和窗口按发送方收到的时刻画出",
    .plot_time = "时间（秒）",
    .rwnd = "ACK + 接收窗口", .acks = "ACK", .sack = "SACK 块", .data = "数据报文段",
    .rexmit = "重传", .lost = "在链路上丢失（按发送时刻）",
};

int
view_text_width(const char *s)
{
    int w = 0;
    for (const char *p = s; *p; p = g_utf8_next_char(p)) {
        w += g_unichar_iswide(g_utf8_get_char(p)) ? 2 : 1;
    }
    return w;
}

size_t
view_text_cut(const char *s, int cols)
{
    int w = 0;
    const char *p = s;
    while (*p) {
        int cw = g_unichar_iswide(g_utf8_get_char(p)) ? 2 : 1;
        if (w + cw > cols) {
            break;
        }
        w += cw;
        p = g_utf8_next_char(p);
    }
    return (size_t)(p - s);
}

const struct view_words *
view_words_for(const char *lang)
{
    return lang != NULL && strcmp(lang, "zh") == 0 ? &view_words_zh : &view_words_en;
}
