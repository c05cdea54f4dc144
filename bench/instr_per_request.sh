#!/bin/sh
# User-space instructions per request of kade-serve (or any server), counted by callgrind: unlike
# requests/s and CPU time this does not move when neighbours load the machine, so it is the
# figure to compare two builds with on a shared box (perf's hardware counters are often missing
# in VMs). Kernel work (the TCP stack) is not counted: it is about the same for every server.
#   bench/instr_per_request.sh CONFIG PATH [CONNS] [SECONDS] [ACCEPT_ENCODING] -- SERVER ARGS...
# e.g. bench/instr_per_request.sh 39300 /2014/01/x.html 64 5 gzip -- build/kade-serve --config c.toml
port=$1 path=$2 conns=${3:-64} secs=${4:-5} ae=${5:-gzip, deflate, br}
shift 5; [ "$1" = "--" ] && shift
dir=$(mktemp -d)
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$dir/cg.out" "$@" \
    >/dev/null 2>"$dir/vg.log" &
vg=$!
i=0; until curl -s -o /dev/null "http://127.0.0.1:$port/healthz"; do
    sleep 0.2; i=$((i + 1)); [ $i -gt 300 ] && { echo "no server"; kill $vg; exit 1; }; done
callgrind_control -i on $vg >/dev/null
reqs=$(wrk -t1 -c"$conns" -d"${secs}s" -H "Accept-Encoding: $ae" "http://127.0.0.1:$port$path" |
       awk '/requests in/ {print $1}')
callgrind_control -i off $vg >/dev/null
kill $vg; wait $vg 2>/dev/null
ir=$(callgrind_annotate "$dir"/cg.out* 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
echo "requests $reqs  instructions $ir  per request $((ir / reqs))"
[ -n "$KEEP" ] && echo "profile: $dir" || rm -rf "$dir"
