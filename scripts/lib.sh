# Shared shell helpers for scripts/test and scripts/demo. Source it; do not run it.

# Installs the Debian packages the build and tests need, if any is missing.
ensure_apt_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# Installs the pinned Python requirements unless they are already satisfied.
ensure_python_requirements() {
  local file=$1
  if ! python3 - "$file" <<'PY' 2>/dev/null; then
import sys
from importlib.metadata import version, PackageNotFoundError
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    if not line:
        continue
    name, wanted = line.split("==")
    name = name.split("[")[0]
    if version(name) != wanted:
        sys.exit(1)
PY
    echo "Installing Python requirements from $file"
    python3 -m pip install -q --disable-pip-version-check -r "$file"
  fi
}

# Prints a free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Starts scripts/moto_server.py on a free loopback port. Sets STARTED_MOTO_PID and
# STARTED_MOTO_URL. Logs to $1.
launch_moto() {
  local log=$1 attempt port
  for attempt in 1 2 3; do
    port=$(free_port)
    python3 "$(dirname "${BASH_SOURCE[0]}")/moto_server.py" 127.0.0.1 "$port" >"$log" 2>&1 &
    STARTED_MOTO_PID=$!
    STARTED_MOTO_URL="http://127.0.0.1:$port/"
    local deadline=$((SECONDS + 30))
    while [ $SECONDS -lt $deadline ]; do
      if ! kill -0 "$STARTED_MOTO_PID" 2>/dev/null; then break; fi
      if curl -s -o /dev/null -X POST "$STARTED_MOTO_URL" \
        -H 'Content-Type: application/x-amz-json-1.1' \
        -H 'X-Amz-Target: AWSCognitoIdentityProviderService.ListUserPools' \
        -d '{"MaxResults":1}'; then
        return 0
      fi
      sleep 0.1
    done
    kill "$STARTED_MOTO_PID" 2>/dev/null || true
    wait "$STARTED_MOTO_PID" 2>/dev/null || true
  done
  echo "moto did not start; its log:" >&2
  cat "$log" >&2
  return 1
}

# Stops the moto whose pid is $1, if it runs.
kill_moto() {
  if [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; then
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
  fi
}

# Starts moto (with the harness's added operations) on a free loopback port.
# Sets MOTO_PID and MOTO_URL. Logs to $1.
start_moto() {
  launch_moto "$1" || return 1
  MOTO_PID=$STARTED_MOTO_PID
  MOTO_URL=$STARTED_MOTO_URL
}

# Stops moto if it runs.
stop_moto() {
  kill_moto "${MOTO_PID:-}"
  MOTO_PID=""
}

# Starts a second moto, the support-mode peer, on its own free port, seeds it with
# scripts/moto_iam_seed.py (support-pool, its 2,000 users, IAM users and role; the keys and names
# go to $2) and leaves IAM enforcement on, which is server-wide: every later request to it must
# be signed, so the main moto stays separate. Sets MOTO_IAM_PID and MOTO_IAM_URL. Logs to $1.
# Stop it with stop_moto_iam (trap it as scripts/test traps stop_moto).
start_moto_iam() {
  local log=$1 seed=$2 output
  launch_moto "$log" || return 1
  MOTO_IAM_PID=$STARTED_MOTO_PID
  MOTO_IAM_URL=$STARTED_MOTO_URL
  if ! output=$(python3 "$(dirname "${BASH_SOURCE[0]}")/moto_iam_seed.py" "$MOTO_IAM_URL" \
    "$seed" 2>&1); then
    echo "Seeding the IAM-enforcing moto failed (its log: $log):" >&2
    echo "$output" >&2
    stop_moto_iam
    return 1
  fi
}

# Stops the IAM-enforcing moto if it runs.
stop_moto_iam() {
  kill_moto "${MOTO_IAM_PID:-}"
  MOTO_IAM_PID=""
}

# Whether release builds pack relative relocations (DT_RELR): the C library must load them
# (glibc 2.36 or later) and the toolchain must ship lld.
can_pack_relocations() {
  local version
  version=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')
  [ -n "$version" ] || return 1
  [ "$(printf '%s\n' 2.36 "$version" | sort -V | head -n 1)" = 2.36 ] || return 1
  [ -x "$(dirname "$(command -v swift)")/ld.lld" ]
}

# Builds the release binary (.build/release/cognito-account): the Swift runtime linked
# statically and, where can_pack_relocations, the PIE's 86,000 relative relocations packed by
# lld, so the loader no longer reads 2 MB of relocation entries at every start (≈ 2.5 MB less
# peak RSS; README "Performance"). Extra arguments go to swift build.
build_release() {
  build_release_product cognito-account "$@"
}

# Builds one product of the package or its dependencies with the release flags (the same flags
# for every product, so they share one build).
build_release_product() {
  local product=$1
  shift
  # --no-export-dynamic undoes the -export-dynamic the static Swift runtime's link arguments add:
  # 11,700 exported symbols made every lookup of the C++ runtime's relocations and every
  # dladdr slower at start-up, and nothing resolves symbols from the executable by name.
  # --disable-local-rpath: no RUNPATH $ORIGIN (it is for Swift's shared libraries, linked
  # statically here), so the loader no longer probes ten directories beside the binary for each
  # system library, nor dlopen beside it for OpenSSL and ncursesw.
  # -disable-concrete-type-metadata-mangled-name-accessors: code asks for the metadata of a
  # concrete generic type (`DigestContext<SHA256>`, `[UInt8]`, `Optional<Setting<String>>`)
  # through the type's own accessor instead of the runtime demangling its mangled name, which
  # also checked the generic requirements by scanning every conformance record of the binary
  # on first use (the last such scan of `attributes --json` was swift-crypto's SHA-256):
  # callgrind 2.80 M → 2.40 M instructions, no scan left; the binary grows by 0.2 MB. It is a
  # hidden frontend flag (the code generation used for older runtimes): added only where this
  # compiler lists it. scripts/test's bench run drives the release binary through sign-in,
  # unlock, every command it times, the screen and signed support requests.
  local flags=(-c release --static-swift-stdlib --disable-local-rpath --product "$product"
    -Xlinker --no-export-dynamic)
  local accessors=-disable-concrete-type-metadata-mangled-name-accessors
  # (The help read whole first: `grep -q` on the pipe could end it early, and pipefail would
  # then count the compiler's SIGPIPE as "not listed".)
  case "$(swiftc -frontend -help-hidden 2>/dev/null)" in
  *"$accessors"*) flags+=(-Xswiftc -Xfrontend -Xswiftc "$accessors") ;;
  esac
  if can_pack_relocations; then
    flags+=(-Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs)
    # Each function in its own section (the toolchain's static libraries already are), and
    # the functions a start runs placed together (scripts/startup.order, from
    # scripts/startup-order): a start then touches a few dense pages of code instead of pages
    # all over the text, which the kernel maps with their neighbours.
    flags+=(-Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections
      -Xlinker "--symbol-ordering-file=$PWD/scripts/startup.order"
      -Xlinker --no-warn-symbol-ordering)
  fi
  # The C++ runtime the Swift runtime needs (libstdc++, and libgcc's unwinder) linked
  # statically as well: the loader resolved libstdc++.so's 5,200 relocations by symbol name at
  # every start, ≈ 1 ms of the 2 ms `--version` took. The toolchain's static-stdlib arguments
  # name -lstdc++; a directory holding only the archive, searched first, makes that the
  # static one.
  local cxx
  if cxx=$(static_cxx_runtime_dir); then
    flags+=(-Xlinker "-L$cxx" -Xswiftc -Xclang-linker -Xswiftc -static-libgcc)
  else
    echo "build_release: no libstdc++.a (libstdc++-12-dev): linking the C++ runtime dynamically" >&2
  fi
  swift build "${flags[@]}" "$@"
  # The static C++ runtime depends on the search order of -L directories: check the result.
  if [ -n "$cxx" ] && readelf -d ".build/release/$product" 2>/dev/null | grep -q 'libstdc++'; then
    echo "build_release: $product still needs the shared libstdc++" >&2
    return 1
  fi
}

# Prints a directory (under .build) whose only library is the toolchain's static libstdc++.a;
# fails when the toolchain's compiler finds none.
static_cxx_runtime_dir() {
  local archive dir="$PWD/.build/static-cxx-runtime"
  archive=$("$(dirname "$(command -v swift)")/clang" -print-file-name=libstdc++.a 2>/dev/null) ||
    return 1
  [ -f "$archive" ] || return 1
  mkdir -p "$dir" && ln -sfn "$archive" "$dir/libstdc++.a" && echo "$dir"
}
