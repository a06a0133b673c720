#!/usr/bin/env bash
# Setup step of `npm test` (scripts/test.mjs runs it before the typecheck and vitest): installs
# what the suites drive on a fresh Debian 12 machine. As root (or with passwordless sudo) it
# installs; otherwise it lists what is missing and the suites that need it skip. Idempotent:
# every step checks first and says what it installs. GRADNOTE_TEST_SETUP=skip skips it all.
set -uo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
[ "${GRADNOTE_TEST_SETUP:-}" = skip ] && { echo "test setup: skipped (GRADNOTE_TEST_SETUP=skip)"; exit 0; }

say() { echo "test setup: $*"; }
if [ "$(id -u)" = 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else SUDO=none; fi
missing_notes=()

# --- Debian packages -------------------------------------------------------------------------
# name|what it is for (shown before installing)
packages=(
  "python3-jupyter-client|interop suites (real Jupyter clients)" "jupyter-client|interop suites"
  "python3-jupyter-kernel-test|interop: jupyter_kernel_test" "python3-nbclient|interop: nbclient runs notebooks"
  "jupyter-nbconvert|interop: nbconvert" "python3-nbconvert|interop: nbconvert" "python3-nbformat|interop: nbformat"
  "python3-jupyter-server|interop: jupyter_server" "jupyter-server|interop: jupyter_server"
  "python3-notebook|classic Notebook browser suite" "jupyter-notebook|classic Notebook browser suite"
  "python3-ipykernel|interop: ipykernel beside gradnote"
  "dataset-fashion-mnist|Fashion-MNIST data tests" "python3-sklearn|8x8 digits data tests"
  "python3-torch|PyTorch reference numbers (safetensors interop)"
  "clang|rebuilds the WASM kernels to check they equal the shipped ones" "lld|wasm-ld for clang"
  "chromium|browser suites (playwright-core drives Debian's Chromium)"
  "python3-venv|the JupyterLab 4 / Notebook 7 venv below"
  "jupyterhub|JupyterHub suite (brings configurable-http-proxy)"
  "bubblewrap|fresh-install sandbox suite (hides clang, data sets, Jupyter)"
)
installed=" $(dpkg-query -W -f='${db:Status-Status} ${Package}\n' "${packages[@]%%|*}" 2>/dev/null | awk '$1 == "installed" { printf "%s ", $2 }')"
need=()
for entry in "${packages[@]}"; do
  [[ "$installed" == *" ${entry%%|*} "* ]] || need+=("$entry")
done
if [ ${#need[@]} -gt 0 ]; then
  names=$(printf '%s\n' "${need[@]}" | cut -d'|' -f1 | tr '\n' ' ')
  if [ "$SUDO" = none ]; then
    missing_notes+=("Debian packages: $names(sudo apt-get install $names)")
  else
    say "installing Debian packages with apt-get:"
    printf '  %s\n' "${need[@]}" | sed 's/|/  — /'
    # shellcheck disable=SC2086
    if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq $names >/dev/null; }; then
      say "WARNING: apt-get install failed; suites that need these packages will skip or fail"
    fi
  fi
fi

# --- WebGPU CPU adapter (webgpu backend suites; owner: src/backend/webgpu) ---------------------
# Dawn needs a Vulkan driver; Debian's chromium-common ships SwiftShader (a CPU Vulkan) and the
# Vulkan loader. vitest.config.ts points the suites at it and then requires an adapter.
webgpu_cpu=/opt/webgpu-cpu
if [ ! -f "$webgpu_cpu/vk_swiftshader_icd.json" ]; then
  if [ "$SUDO" = none ]; then
    missing_notes+=("WebGPU CPU adapter in $webgpu_cpu (run this setup as root)")
  else
    say "installing SwiftShader (CPU Vulkan for the WebGPU suites) from chromium-common into $webgpu_cpu"
    d=$(mktemp -d)
    if $SUDO apt-get update -qq && (cd "$d" && apt-get download -qq chromium-common && dpkg-deb -x chromium-common_*.deb x); then
      $SUDO mkdir -p "$webgpu_cpu"
      $SUDO cp "$d"/x/usr/lib/chromium/{libvk_swiftshader.so,libvulkan.so.1,vk_swiftshader_icd.json} "$webgpu_cpu"/
    else
      say "WARNING: could not fetch chromium-common; WebGPU suites will skip"
    fi
    rm -rf "$d"
  fi
fi

# --- JupyterLab 4 + Notebook 7 in a venv (browser suites; no root needed) --------------------
venv=.jupyter-venv
if [ ! -x "$venv/bin/jupyter-lab" ] || [ ! -x "$venv/bin/jupyter-notebook" ]; then
  say "installing JupyterLab 4 and Notebook 7 with pip into $venv (~20 s)"
  if python3 -m venv "$venv" >/dev/null 2>&1 &&
    "$venv/bin/pip" install -q --retries 0 --timeout 3 "jupyterlab>=4,<5" "notebook>=7,<8" >/dev/null 2>"$venv.log"; then
    rm -f "$venv.log"
  else
    say "WARNING: pip could not install jupyterlab and notebook (see $venv.log); their browser suites will skip"
  fi
fi

# --- configurable-http-proxy from npm for the JupyterHub suite ------------------------------
# Debian's copy (a dependency of its jupyterhub) loads its modules from /usr/share/nodejs, which
# only Debian's own nodejs searches; with Node 20 from elsewhere it fails, so the suite uses npm's.
chp=/opt/configurable-http-proxy
if [ ! -x "$chp/node_modules/.bin/configurable-http-proxy" ]; then
  if [ "$SUDO" = none ]; then
    missing_notes+=("configurable-http-proxy in $chp (sudo npm install --prefix $chp configurable-http-proxy@5)")
  else
    say "installing configurable-http-proxy 5 from npm into $chp (JupyterHub suite)"
    $SUDO npm install --prefix "$chp" --no-audit --no-fund --loglevel=error configurable-http-proxy@5 >/dev/null ||
      say "WARNING: npm could not install configurable-http-proxy; the JupyterHub suite will skip"
  fi
fi

# --- Two users for the JupyterHub suite (its local spawner runs each server as its user) -----
for u in gradnote-hub-a gradnote-hub-b; do
  id -u "$u" >/dev/null 2>&1 && continue
  if [ "$SUDO" = none ]; then
    missing_notes+=("system user $u for the JupyterHub suite (sudo useradd -m $u)")
  else
    say "creating system user $u (JupyterHub suite: each user's server and kernel run as that user)"
    $SUDO useradd --create-home --shell /bin/bash "$u" || say "WARNING: useradd $u failed"
  fi
done

if [ ${#missing_notes[@]} -gt 0 ]; then
  say "not root, so not installed (the suites that need them skip; run \`sudo npm test\` to install):"
  printf '  %s\n' "${missing_notes[@]}"
else
  say "everything the suites use is installed"
fi
exit 0
