#!/bin/sh
# Starts Chromium for handeye: records its PID (exec keeps it) so a browser that hangs can be
# killed by PID, and sets a parent-death signal so the kernel kills it when handeye dies, even
# by SIGKILL. HANDEYE_CHROMIUM_REAL is the browser to run.
[ -n "$HANDEYE_CHROMIUM_PIDFILE" ] && echo $$ > "$HANDEYE_CHROMIUM_PIDFILE"
if command -v setpriv >/dev/null 2>&1; then
  exec setpriv --pdeathsig KILL "$HANDEYE_CHROMIUM_REAL" "$@"
fi
exec "$HANDEYE_CHROMIUM_REAL" "$@"
