#!/bin/sh
# Runs "$@" only inside a network namespace whose one interface is lo: the AWS CLI, botocore and
# the other real SDKs ask 169.254.169.254 or *.amazonaws.com when nothing redirects them, so the
# tests start them only where nothing can leave the machine. Elsewhere: exit 97, nothing run.
interfaces=$(tail -n +3 /proc/self/net/dev 2>/dev/null | cut -d: -f1 | tr -d ' ' | tr '\n' ' ')
if [ "$interfaces" != "lo " ]; then
  echo "netns-only: refusing to run $1 outside a loopback-only network namespace (interfaces: ${interfaces:-unknown}); use unshare -n" >&2
  exit 97
fi
exec "$@"
