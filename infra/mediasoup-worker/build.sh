#!/usr/bin/env bash
# Builds mediasoup-worker from mediasoup's npm sources against Debian's packages, with no
# download beyond the npm registry and Debian's mirror. Usage:
#   build.sh <mediasoup-version> <output-binary> [ours|stock-equivalent|debian-libsrtp]
#   ours              SRTP from Debian's libsrtp2 source built on OpenSSL (LIBSRTP_DSC: its .dsc,
#                     fetched by infra/setup.mjs), plus the patches in patches/, in name order
#                     (batched sends, fan-out prefetch, pooled retransmission items; in
#                     patches/libsrtp2/, SRTP without OpenSSL 3's per-packet set-up)
#   stock-equivalent  the same SRTP, no patches: what mediasoup's own build does
#   debian-libsrtp    Debian's shared libsrtp2 (built on NSS), no patches: the first recipe
# With --tests in place of the output, it builds and runs libsrtp's own test suite and mediasoup's
# C++ tests (Catch2) from the same patched sources instead (needs catch2 >= 3, from
# bookworm-backports).
# Needs: libuv1-dev libssl-dev libflatbuffers-dev flatbuffers-compiler libabsl-dev pkg-config
#        g++ ninja-build dpkg-dev, meson >= 1.1 (bookworm-backports); libsrtp2-dev for debian-libsrtp.
set -euo pipefail

version=$1
out=$2
variant=${3:-ours}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

case $variant in
  ours | stock-equivalent) srtp=source ;;
  debian-libsrtp) srtp=system ;;
  *) echo "build.sh: unknown variant $variant" >&2; exit 2 ;;
esac

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

# Debian's libsrtp2 source package (with Debian's patches), built by the libsrtp3 shim as a
# subproject on OpenSSL; the shim's header reads the srtp.h of that very source.
if [ "$srtp" = source ]; then
  [ -f "${LIBSRTP_DSC:-}" ] || { echo "build.sh: LIBSRTP_DSC must name libsrtp2's .dsc" >&2; exit 2; }
  dpkg-source -x "$LIBSRTP_DSC" "$worker/subprojects/libsrtp2" >/dev/null
  srtp3=$(sed -n 's/^directory *= *//p' "$worker/subprojects/libsrtp3.wrap")
  mkdir -p "$worker/subprojects/$srtp3/include/srtp2"
  cp "$worker/subprojects/libsrtp2/include/srtp.h" "$worker/subprojects/$srtp3/include/srtp2/"
fi

# Debian's OpenSSL has kernel TLS: the write-BIO callback must test the BIO_CB_RETURN bit, not
# equality, or it claims KTLS support and the worker crashes at the first DTLS handshake.
dtls=$worker/src/RTC/DtlsTransport.cpp
sed -i 's/(operationType == BIO_CB_RETURN)/((operationType \& BIO_CB_RETURN) != 0)/' "$dtls"
if ! grep -q '(operationType & BIO_CB_RETURN) != 0' "$dtls"; then
  echo "build.sh: the DTLS BIO fix no longer applies to mediasoup $version; review the recipe" >&2
  exit 1
fi

# Our changes, each a patch whose header says why: patches/*.patch to mediasoup, and
# patches/libsrtp2/*.patch to the libsrtp2 source. One that no longer applies stops the build
# rather than leaving a worker without it.
apply_patches() { # <directory patched> <patches> <what>
  local dir=$1 what=$3 p
  for p in $2; do
    [ -f "$p" ] || continue
    if ! patch -d "$dir" -p1 --forward --dry-run --quiet <"$p" >/dev/null; then
      echo "build.sh: ${p#"$here"/} no longer applies to $what; review the recipe" >&2
      exit 1
    fi
    patch -d "$dir" -p1 --forward --quiet <"$p"
  done
}
if [ "$variant" = ours ]; then
  apply_patches "$work/package" "$here/patches/*.patch" "mediasoup $version"
  apply_patches "$worker/subprojects/libsrtp2" "$here/patches/libsrtp2/*.patch" "libsrtp2 $(cat "$here/libsrtp2.version")"
fi

cd "$worker"
if [ "$out" = --tests ]; then
  # libsrtp's own test suite (cipher and SRTP test vectors, replay, rollover) on the patched source.
  if [ "$srtp" = source ]; then
    meson setup --wrap-mode=nodownload --buildtype release -Dcrypto-library=openssl -Dtests=enabled \
      -Dpcap-tests=disabled "$work/libsrtp2-tests" subprojects/libsrtp2 >libsrtp2-setup.log ||
      { tail -40 libsrtp2-setup.log >&2; exit 1; }
    ninja -C "$work/libsrtp2-tests" -j "$(nproc)" >/dev/null
    meson test -C "$work/libsrtp2-tests" --num-processes "$(nproc)" --print-errorlogs
  fi
  meson setup --wrap-mode=nodownload --buildtype release "-Dlibsrtp3:libsrtp2=$srtp" -Dms_build_tests=true \
    out/Test >meson-setup.log || { tail -40 meson-setup.log >&2; exit 1; }
  ninja -C out/Test -j "$(nproc)" mediasoup-worker-test
  # The npm package ships the tests but not test/data, the captured packets a few sections parse
  # (and GitHub, which has them, is out of reach): those sections are left out, by name, and every
  # other section of their test cases runs on its own.
  skip=() sections=()
  if [ ! -d test/data ]; then
    for file in $(grep -rl 'readBinaryFile(' test/src --include='Test*.cpp'); do
      name=$(sed -n 's/^SCENARIO("\([^"]*\)".*/Scenario: \1/p; s/^TEST_CASE("\([^"]*\)".*/\1/p' "$file")
      skip+=("~$name")
      # Each top-level section, "run" or "skip" (it reads a capture), a tab, its name.
      while IFS=$'\t' read -r verdict section; do
        if [ "$verdict" = run ]; then sections+=("$name"$'\t'"$section")
        else echo "left out, needs test/data: $name / $section"; fi
      done < <(awk '
        function flush() { if (section != "") print (reads ? "skip" : "run") "\t" section }
        /^\tSECTION\("/ { flush(); section = $0; sub(/^\tSECTION\("/, "", section); sub(/"\).*$/, "", section); reads = 0 }
        /readBinaryFile\(/ { reads = 1 }
        END { flush() }' "$file")
    done
  fi
  out/Test/mediasoup-worker-test --reporter compact "${skip[@]}"
  for entry in "${sections[@]}"; do
    out/Test/mediasoup-worker-test --reporter compact "${entry%%$'\t'*}" -c "${entry#*$'\t'}"
  done
  exit 0
fi
meson setup --wrap-mode=nodownload --buildtype release -Db_ndebug=true "-Dlibsrtp3:libsrtp2=$srtp" \
  out/Release >meson-setup.log || { tail -40 meson-setup.log >&2; exit 1; }
ninja -C out/Release -j "$(nproc)" mediasoup-worker

mkdir -p "$(dirname "$out")"
strip -o "$out.tmp" out/Release/mediasoup-worker
mv "$out.tmp" "$out"
echo "build.sh: built $out ($variant)"
