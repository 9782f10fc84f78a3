#!/usr/bin/env bash
# A GPU machine without internet (a cluster node, a lent accelerator): everything the CLI needs to
# run on webgpu (or wasm) there, packed here, ~30 MB. Datasets are not packed (point BAL_DATA_DIR at
# a copy of the MNIST / CIFAR-10 files there).
#   make build && tools/offline-bundle.sh DIR      writes DIR/{node.xz,modules.tar.xz,build.tar.xz,debs/,unpack.sh}
# There, from a checkout of this repository (same commit):
#   DIR/unpack.sh      Vulkan loader + libglvnd when missing, node under /opt/bal-node, node_modules/ and build/ unpacked
#   export PATH=/opt/bal-node:$PATH; node build/src/cli.js backend     (should name the GPU's adapter)
# Debian/Ubuntu x86-64 only (the .debs come from this machine's apt; dawn.node is linux-x64).
set -euo pipefail
out=${1:?usage: tools/offline-bundle.sh DIR}
mkdir -p "$out" && out=$(cd "$out" && pwd)  # relative to the caller's directory, not the repository's
cd "$(dirname "$0")/.."
[ -f build/src/cli.js ] || { echo "offline-bundle: build/src/cli.js missing: run 'make build' first" >&2; exit 1; }
[ "$(uname -m)" = x86_64 ] || { echo "offline-bundle: packs this machine's node and x86-64 packages; run it on x86-64" >&2; exit 1; }
mkdir -p "$out/debs"

# Node itself (the GPU machine may have none).
xz -T0 -6 -c "$(readlink -f "$(command -v node)")" > "$out/node.xz"

# The runtime files of the packages the CLI loads (browser bundles, sources maps and other
# platforms' binaries left out: @tensorflow/tfjs alone is 141 MB installed).
files=$(mktemp)
trap 'rm -f "$files"' EXIT
for p in tfjs tfjs-core tfjs-layers tfjs-converter tfjs-data tfjs-backend-cpu tfjs-backend-webgl tfjs-backend-webgpu tfjs-backend-wasm; do
  d=node_modules/@tensorflow/$p
  [ -d "$d" ] || { echo "offline-bundle: $d missing: run 'make setup' first" >&2; exit 1; }
  ls "$d/package.json" "$d"/dist/*.node.js "$d"/dist/*.wasm 2>/dev/null >> "$files" || true  # only the wasm backend has .wasm files
done
for p in long seedrandom ms webgpu/node_modules/debug; do find "node_modules/$p" -type f ! -name '*.md' ! -name '*.map' >> "$files"; done
ls node_modules/webgpu/package.json node_modules/webgpu/index.js node_modules/webgpu/dist/linux-x64/* >> "$files"
tar cf - -T "$files" | xz -T0 -6 > "$out/modules.tar.xz"
# The commit this build comes from, for the provenance of runs made where no git repository travels.
dirty=false; [ -z "$(git status --porcelain --untracked-files=no)" ] || dirty=true
printf '{"commit": "%s", "dirty": %s}\n' "$(git rev-parse HEAD)" "$dirty" > build/source.json
tar cf - build/src build/test build/bench build/source.json | xz -T0 -6 > "$out/build.tar.xz"

# The Vulkan loader, and libglvnd: NVIDIA's Vulkan ICD is libGLX_nvidia.so.0, which needs it.
lists=$(mktemp -d)
mkdir -p "$lists/partial"
apt=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 "-oDir::State::Lists=$lists")
apt-get "${apt[@]}" update -qq
debs=(libvulkan1 libglvnd0 libglx0 libegl1 libgl1 libopengl0)
(cd "$out/debs" && apt-get "${apt[@]}" download "${debs[@]}" 2>&1 | { grep -v '^W: Download is performed unsandboxed' || true; })
rm -rf "$lists"
for d in "${debs[@]}"; do
  ls "$out/debs/${d}"_*.deb >/dev/null 2>&1 || { echo "offline-bundle: $d.deb did not download (apt above)" >&2; exit 1; }
done

cat > "$out/unpack.sh" <<'EOF'
#!/usr/bin/env bash
# Run from the repository root on the offline machine (as root for the system libraries).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if ! ldconfig -p | grep -q 'libvulkan.so.1' || ! ldconfig -p | grep -q 'libGLdispatch.so.0'; then
  for f in "$here"/debs/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
mkdir -p /opt/bal-node
xz -dc "$here/node.xz" > /opt/bal-node/node && chmod +x /opt/bal-node/node
tar xJf "$here/modules.tar.xz" && tar xJf "$here/build.tar.xz"
echo "unpacked: node $(/opt/bal-node/node --version) in /opt/bal-node, node_modules/ and build/ here"
EOF
chmod +x "$out/unpack.sh"
du -sh "$out"/* | sed 's/^/offline-bundle: /'
