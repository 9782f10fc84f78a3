#!/usr/bin/env bash
# Mesa's lavapipe (a CPU Vulkan driver) for the webgpu backend's tests: Dawn (the `webgpu` npm
# package) needs Vulkan features that Debian 12's Mesa 22.3 lavapipe lacks (no adapter appears),
# so on bookworm the driver comes from bookworm-backports (Mesa 25). On a machine with a GPU the
# vendor's Vulkan driver is what webgpu uses; this script only matters for CPU-only machines and CI.
#   tools/setup-vulkan.sh          install when missing or too old (never fails setup: the webgpu tests then skip, saying why)
#   tools/setup-vulkan.sh --check  exit 0 when a new enough driver is installed
set -uo pipefail
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
version=$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true)
major=${version%%.*}
if [ -n "$version" ] && [ "${major:-0}" -ge 23 ] 2>/dev/null; then
  [ "${1:-}" = --check ] || echo "mesa-vulkan-drivers $version present (lavapipe for the webgpu tests)"
  exit 0
fi
[ "${1:-}" = --check ] && exit 1
. /etc/os-release
target=()
if [ "${VERSION_CODENAME:-}" = bookworm ]; then
  echo "deb http://deb.debian.org/debian bookworm-backports main" | $SUDO tee /etc/apt/sources.list.d/bal-bookworm-backports.list >/dev/null
  target=(-t bookworm-backports)
fi
echo "Installing mesa-vulkan-drivers ${target[*]:-} (installed: ${version:-none})"
if ! { $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${target[@]}" mesa-vulkan-drivers; }; then
  echo "WARNING: could not install mesa-vulkan-drivers >= 23: the webgpu tests will skip (no adapter)" >&2
fi
exit 0
