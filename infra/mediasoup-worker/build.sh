#!/usr/bin/env bash
# Builds mediasoup-worker from mediasoup's npm sources against Debian's libraries, with no
# download beyond the npm registry. Usage: build.sh <mediasoup-version> <output-binary>
# Needs: libuv1-dev libssl-dev libsrtp2-dev libflatbuffers-dev flatbuffers-compiler libabsl-dev
#        pkg-config g++ ninja-build, and meson >= 1.1 (bookworm-backports).
set -euo pipefail

version=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack "mediasoup@$version" --silent >/dev/null
tar xzf "mediasoup-$version.tgz"
worker=$work/package/worker

# Meson uses subprojects/<directory> as is when it exists, so a shim there replaces the download.
for wrap in "$worker"/subprojects/*.wrap; do
  shim=$here/shims/$(basename "$wrap" .wrap)
  [ -d "$shim" ] || continue
  dir=$(sed -n 's/^directory *= *//p' "$wrap")
  cp -r "$shim" "$worker/subprojects/$dir"
done

# Debian's OpenSSL has kernel TLS: the write-BIO callback must test the BIO_CB_RETURN bit, not
# equality, or it claims KTLS support and the worker crashes at the first DTLS handshake.
dtls=$worker/src/RTC/DtlsTransport.cpp
sed -i 's/(operationType == BIO_CB_RETURN)/((operationType \& BIO_CB_RETURN) != 0)/' "$dtls"
if ! grep -q '(operationType & BIO_CB_RETURN) != 0' "$dtls"; then
  echo "build.sh: the DTLS BIO fix no longer applies to mediasoup $version; review the recipe" >&2
  exit 1
fi

cd "$worker"
meson setup --wrap-mode=nodownload --buildtype release -Db_ndebug=true out/Release >meson-setup.log ||
  { tail -40 meson-setup.log >&2; exit 1; }
ninja -C out/Release -j "$(nproc)" mediasoup-worker

mkdir -p "$(dirname "$out")"
strip -o "$out.tmp" out/Release/mediasoup-worker
mv "$out.tmp" "$out"
echo "build.sh: built $out"
