#!/usr/bin/env bash
# Installs whatever is missing for serving the web UI, then serves it at
# http://127.0.0.1:8080 (trunk serve rebuilds and reloads on every change).
# Extra arguments go to `trunk serve`.
set -euo pipefail

# shellcheck source=scripts/install.sh
source "$(dirname "${BASH_SOURCE[0]}")/install.sh"
cd "$SLOTLAB_ROOT"
slotlab_env
slotlab_install_serve

slotlab_log "trunk serve --address 127.0.0.1 --port 8080 (http://127.0.0.1:8080)"
exec trunk serve --address 127.0.0.1 --port 8080 "$@"
