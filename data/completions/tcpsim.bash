# SPDX-License-Identifier: MIT
# bash completion for tcpsim: subcommands, options, knobs after --set, bundled scenarios.
_tcpsim()
{
    local cur prev cmd
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    local cmds="run ladder explain quiz diff check sweep explore pkt replay knobs counters scenarios help"
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "$cmds --help --version" -- "$cur"))
        return
    fi
    cmd=${COMP_WORDS[1]}
    case "$prev" in
        --set)
            local knobs
            knobs=$(tcpsim knobs --personality freebsd 2>/dev/null | awk '{print $1}')
            case "$cur" in
                *.*) COMPREPLY=($(compgen -P "${cur%%.*}." -W "$knobs" -S = -- "${cur#*.}")) ;;
                *) COMPREPLY=($(compgen -W "A. B. *." -- "$cur")) ;;
            esac
            compopt -o nospace 2>/dev/null
            return ;;
        -o|--output|--jsonl|--pcap|--pcapng|--summary|--ladder-svg|--plot-seq|--plot-cwnd|--trace)
            COMPREPLY=($(compgen -f -- "$cur"))
            return ;;
        --lang) COMPREPLY=($(compgen -W "en zh" -- "$cur")); return ;;
        help) COMPREPLY=($(compgen -W "$cmds" -- "$cur")); return ;;
    esac
    if [[ "$cur" == -* ]]; then
        local opts
        opts=$(tcpsim "$cmd" --help 2>/dev/null | grep -oE -- '--[a-z][a-z-]*' | sort -u)
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    case "$cmd" in
        run|ladder|explain|check|sweep|explore)
            COMPREPLY=($(compgen -f -X '!*.scn' -- "$cur") $(compgen -d -- "$cur")
                       $(compgen -W "$(tcpsim scenarios 2>/dev/null)" -- "$cur")) ;;
        *) COMPREPLY=($(compgen -f -- "$cur")) ;;
    esac
}
complete -F _tcpsim tcpsim
