# A real python http.server under headless tend: started, fetched with curl,
# its request log streamed with the right prefix, stopped by SIGTERM to tend
# and reported as killed by SIGTERM.
. "$(dirname "$0")/lib.sh"

port=$(free_port)
mkdir -p "$T/www" && echo hello >"$T/www/hello.txt"
cat >"$T/tend.ini" <<INI
[program:web]
command = exec python3 -u -m http.server $port --bind 127.0.0.1
directory = www

[program:chatty]
command = i=0; while :; do i=\$((i+1)); echo "chat \$i"; sleep 0.1; done
INI
headless "$T/tend.ini"

check "web started with its pid" wait_for "$T/out" '^web +\* started pid [0-9]+$'
check "stdout line prefixed 'web |'" wait_for "$T/out" "^web +\| Serving HTTP on 127.0.0.1 port $port"
check "fetch through curl" bash -c "curl -s --max-time 5 http://127.0.0.1:$port/hello.txt | grep -qx hello"
check "request log on stderr, prefixed 'web !'" wait_for "$T/out" '^web +! 127\.0\.0\.1 - - \[.*\] "GET /hello.txt HTTP/1.1" 200 -$'
check "chatty program streams side by side" wait_for "$T/out" '^chatty \| chat 5$'
check "names padded to one width" has "$T/out" '^web    \| '

kill -TERM "$TEND_PID"
check "tend exits after SIGTERM" wait_exit "$TEND_PID" 10
check "exit status 0 after a requested stop" test "${EXIT_STATUS:-x}" = 0
check "web reported killed by SIGTERM (rc -15)" has "$T/out" '^web +\* killed by SIGTERM \(rc -15\)$'
check "chatty reported killed by SIGTERM" has "$T/out" '^chatty \* killed by SIGTERM \(rc -15\)$'
check "final summary line for web" has "$T/out" '^web: killed by SIGTERM \(rc -15\) after [0-9.]+s$'
check "port is free again" bash -c "! curl -s --max-time 2 http://127.0.0.1:$port/ >/dev/null"
