#!/bin/sh
# Checks what an operator most often gets wrong before the validator starts, and says how to fix it.
# It never blocks the start: the validator itself reports a missing hotkey on /health (503).
dir="${BITTENSOR_WALLET_DIRECTORY:-/wallets}"
hotkey="$dir/${BITTENSOR_WALLET_NAME:-default}/hotkeys/${BITTENSOR_WALLET_HOTKEY_NAME:-default}"
if [ "$1" = "node" ] && [ "$2" = "dist/main.js" ]; then
  if [ ! -e "$hotkey" ]; then
    echo "validator-entrypoint: no hotkey file at $hotkey. Mount your btcli wallets there (HOST_WALLET_DIR in .env) and check BITTENSOR_WALLET_NAME / BITTENSOR_WALLET_HOTKEY_NAME." >&2
  elif [ ! -r "$hotkey" ]; then
    owner="$(stat -c '%u:%g' "$hotkey" 2>/dev/null || echo '?')"
    echo "validator-entrypoint: the hotkey file $hotkey (owner $owner, mode $(stat -c '%a' "$hotkey" 2>/dev/null || echo '?')) is not readable by this container's user $(id -u):$(id -g). btcli writes it readable by its owner only: set VALIDATOR_UID and VALIDATOR_GID in .env to $owner (compose runs the container as that user), or run 'chmod g+r' on the file and use its group." >&2
  fi
fi
exec "$@"
