/**
 * Shell scripts for the shared Ceph RADOS Gateway (test-peers.md §1), kept as strings so that the
 * compiled CLI (dist/) carries them too. Every script runs under `flock` on `<dir>.lock`.
 */

/** Starts the cluster unless a healthy one already runs in $DIR. Args: DIR RGW_PORT MON_PORT AK SK TOKEN PID; takes the lease TOKEN for PID. */
export const ENSURE_SCRIPT = String.raw`
set -euo pipefail
DIR=$1; PORT=$2; MON_PORT=$3; AK=$4; SK=$5; TOKEN=$6; HOLDER=$7
# kill -9 and wait until each daemon is gone: a dying mon still holds its port, and a cluster started
# beside it answers with the old one's keys (EPERM from the mon)
stop_daemons() {
  local pids p left
  pids=$(cat "$DIR"/run/*.pid 2>/dev/null || true)
  for p in $pids; do kill -9 "$p" 2>/dev/null || true; done
  for _ in $(seq 1 100); do
    left=0
    for p in $pids; do kill -0 "$p" 2>/dev/null && [ "$(ps -o stat= -p "$p" 2>/dev/null | cut -c1)" != Z ] && left=1; done
    [ "$left" = 0 ] && return 0
    sleep 0.1
  done
}
lease() { mkdir -p "$DIR/users"; echo "$HOLDER" > "$DIR/users/$TOKEN"; }
alive() { for n in mon.a osd.0 client.rgw.a; do f="$DIR/run/$n.pid"; [ -s "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null || return 1; done; }
if [ -f "$DIR/ready" ] && alive && curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then lease; echo reused; exit 0; fi
# a half-dead cluster from an earlier run: stop what is left before starting afresh
stop_daemons
for b in ceph-mon ceph-osd radosgw radosgw-admin; do command -v "$b" >/dev/null || { echo "missing $b: run scripts/ci-setup.d/20-ceph.sh" >&2; exit 3; }; done
rm -rf "$DIR"; mkdir -p "$DIR"/{mon,osd0,run,log,users}
FSID=$(cat /proc/sys/kernel/random/uuid); CONF=$DIR/ceph.conf; C="-c $CONF"
cat > "$CONF" <<CONF
[global]
fsid = $FSID
mon host = v1:127.0.0.1:$MON_PORT
public addr = 127.0.0.1
ms bind ipv4 = true
auth cluster required = none
auth service required = none
auth client required = none
run dir = $DIR/run
admin socket = $DIR/run/\$name.asok
pid file = $DIR/run/\$name.pid
log file = $DIR/log/\$name.log
keyring = $DIR/keyring
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon max pg per osd = 1000
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
osd crush update on start = false
osd class update on start = false
[mon.a]
mon data = $DIR/mon
[osd.0]
osd data = $DIR/osd0
osd objectstore = memstore
memstore device bytes = 1073741824
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$PORT
CONF
ceph-authtool --create-keyring "$DIR/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
monmaptool --create --addv a "[v1:127.0.0.1:$MON_PORT]" --fsid "$FSID" "$DIR/monmap" >/dev/null
ceph-mon $C --mkfs -i a --monmap "$DIR/monmap" --keyring "$DIR/keyring"
ceph-mon $C -i a
OSD_UUID=$(cat /proc/sys/kernel/random/uuid)
OSD_ID=$(ceph $C osd new "$OSD_UUID")
ceph-osd $C -i "$OSD_ID" --mkfs --osd-uuid "$OSD_UUID" >/dev/null 2>&1
ceph $C osd crush add "osd.$OSD_ID" 1 root=default host=localhost >/dev/null 2>&1
ceph-osd $C -i "$OSD_ID" 2>/dev/null
radosgw $C -n client.rgw.a
for i in $(seq 1 240); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.25; done
curl -s -o /dev/null "http://127.0.0.1:$PORT/" || { echo "radosgw did not come up, see $DIR/log" >&2; exit 1; }
radosgw-admin $C user create --uid=test --display-name=test --access-key="$AK" --secret-key="$SK" >/dev/null
touch "$DIR/ready"
lease
echo started
`;

/** Removes one user's lease; stops the daemons when no live lease is left. Args: DIR TOKEN. */
export const RELEASE_SCRIPT = String.raw`
set -uo pipefail
DIR=$1; TOKEN=$2
# kill -9 and wait until each daemon is gone: a dying mon still holds its port, and a cluster started
# beside it answers with the old one's keys (EPERM from the mon)
stop_daemons() {
  local pids p left
  pids=$(cat "$DIR"/run/*.pid 2>/dev/null || true)
  for p in $pids; do kill -9 "$p" 2>/dev/null || true; done
  for _ in $(seq 1 100); do
    left=0
    for p in $pids; do kill -0 "$p" 2>/dev/null && [ "$(ps -o stat= -p "$p" 2>/dev/null | cut -c1)" != Z ] && left=1; done
    [ "$left" = 0 ] && return 0
    sleep 0.1
  done
}
rm -f "$DIR/users/$TOKEN"
for f in "$DIR"/users/*; do
  [ -e "$f" ] || continue
  pid=$(cat "$f" 2>/dev/null); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && { echo kept; exit 0; }
  rm -f "$f"
done
stop_daemons
rm -rf "$DIR"
echo stopped
`;
