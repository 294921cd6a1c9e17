#!/usr/bin/env bash
# Installs Ceph RADOS Gateway (the real S3 server the S3 / trusted-miner integration tests start on
# loopback; see src/devnet/s3-peer/ceph-s3-peer.ts). Idempotent: does nothing when the binaries are present.
set -euo pipefail
need=()
for bin in ceph-mon ceph-osd radosgw radosgw-admin ceph ceph-authtool monmaptool curl; do
  command -v "$bin" >/dev/null 2>&1 || need+=("$bin")
done
if [ ${#need[@]} -eq 0 ]; then
  echo "20-ceph: already installed"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
# apt is shared by several setup scripts; wait for the dpkg lock instead of failing.
apt_get() { apt-get -o DPkg::Lock::Timeout=600 "$@"; }
if ! apt-cache show radosgw >/dev/null 2>&1; then apt_get update -q; fi
apt_get install -y -q --no-install-recommends ceph-mon ceph-osd radosgw ceph-common curl
echo "20-ceph: installed"
