#!/usr/bin/env bash
# Installs the benchmark's peer (Debian's CPU PyTorch) when missing.
set -euo pipefail
if ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
  SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch
fi
